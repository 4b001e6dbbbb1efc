// This file holds the arguments several tools share (lang, domain,
// category), declared once and embedded in each tool's input struct, and
// the inference of input schemas with the constraints struct tags cannot
// express.

package mcpserver

import (
	"encoding/json"
	"fmt"

	"github.com/google/jsonschema-go/jsonschema"

	"github.com/errorcanon/errorcanon/internal/canon"
)

// langArg is the language of a tool's answer. Its schema allows en and zh.
type langArg struct {
	Lang string `json:"lang,omitempty" jsonschema:"Language of the answer: en (English) or zh (Simplified Chinese). Default en."`
}

// domainArg narrows a tool to one domain. Its schema allows the catalog's
// domain ids.
type domainArg struct {
	Domain string `json:"domain,omitempty" jsonschema:"Only entries of this domain (a domain id from list_domains)."`
}

// categoryArg narrows a tool to one category. Its schema allows the
// categories of the vocabulary.
type categoryArg struct {
	Category string `json:"category,omitempty" jsonschema:"Only entries of this category."`
}

// noInput is the arguments of a tool that takes none.
type noInput struct{}

// sharedProps constrains the shared arguments, wherever they appear
// (submit_error's domain, a field of its own, included).
func (s *Server) sharedProps() map[string]prop {
	domains := make([]string, len(s.cat.Domains))
	for i, d := range s.cat.Domains {
		domains[i] = d.ID
	}
	return map[string]prop{
		"lang":     {enum: []string{"en", "zh"}, def: "en"},
		"domain":   {enum: domains},
		"category": {enum: canon.Categories},
	}
}

// prop adjusts one property of an inferred input schema: the constraints
// and defaults that struct tags cannot express. Zero fields leave the
// schema as it is.
type prop struct {
	enum     []string
	min, max *float64
	minItems *int
	maxItems *int
	def      any
	// note is appended to the property's description: what a shared
	// argument means for this tool in particular.
	note string
}

func ptr[T any](v T) *T { return &v }

// inputSchema infers T's schema (descriptions from jsonschema tags,
// optional fields from omitempty, embedded structs flattened) and applies
// the shared adjustments to the properties T has, then T's own, each of
// which must name a property of T.
func inputSchema[T any](shared, own map[string]prop) (*jsonschema.Schema, error) {
	s, err := jsonschema.For[T](nil)
	if err != nil {
		return nil, err
	}
	for name := range own {
		if _, ok := s.Properties[name]; !ok {
			return nil, fmt.Errorf("schema has no property %q", name)
		}
	}
	for name, ps := range s.Properties {
		for _, p := range []map[string]prop{shared, own} {
			if q, ok := p[name]; ok {
				if err := q.apply(ps); err != nil {
					return nil, err
				}
			}
		}
	}
	return s, nil
}

func (p prop) apply(ps *jsonschema.Schema) error {
	if p.enum != nil {
		ps.Enum = make([]any, len(p.enum))
		for i, v := range p.enum {
			ps.Enum[i] = v
		}
	}
	// A Go slice or pointer may be null; an argument may not.
	if len(ps.Types) == 2 && ps.Types[0] == "null" {
		ps.Type, ps.Types = ps.Types[1], nil
	}
	if p.min != nil {
		ps.Minimum = p.min
	}
	if p.max != nil {
		ps.Maximum = p.max
	}
	if p.minItems != nil {
		ps.MinItems = p.minItems
	}
	if p.maxItems != nil {
		ps.MaxItems = p.maxItems
	}
	if p.def != nil {
		b, err := json.Marshal(p.def)
		if err != nil {
			return err
		}
		ps.Default = b
	}
	if p.note != "" {
		ps.Description += " " + p.note
	}
	return nil
}

// outputSchema is the schema of a tool's structured result as tools/list
// shows it: the top-level properties with their types and descriptions,
// without the schemas of nested objects. A model reads the Markdown
// answer, not the schema, and every tools/list costs it the schema's
// tokens (the whole inferred schemas were three quarters of tools/list,
// about 27 KB); a client that parses the structured content has the field
// descriptions it needs.
func outputSchema[T any]() (*jsonschema.Schema, error) {
	full, err := jsonschema.For[T](nil)
	if err != nil {
		return nil, err
	}
	s := &jsonschema.Schema{Type: full.Type, Required: full.Required, Properties: map[string]*jsonschema.Schema{}}
	for name, p := range full.Properties {
		s.Properties[name] = &jsonschema.Schema{Type: p.Type, Types: p.Types, Description: firstClause(p.Description)}
	}
	return s, nil
}

// firstClause is a description up to its first colon or semicolon (the
// rest explains details a model does not need to read the result).
func firstClause(s string) string {
	for i := 0; i+1 < len(s); i++ {
		if (s[i] == ':' || s[i] == ';') && s[i+1] == ' ' && i >= 12 {
			return s[:i]
		}
	}
	return s
}
