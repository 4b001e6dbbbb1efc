package mcpserver

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// prop adjusts one property of an inferred input schema: the constraints
// and defaults that struct tags cannot express.
type prop struct {
	enum     []string
	min, max *float64
	minItems *int
	maxItems *int
	def      any
}

func ptr[T any](v T) *T { return &v }

// inputSchema infers T's schema (descriptions from jsonschema tags,
// optional fields from omitempty) and applies the adjustments.
func inputSchema[T any](props map[string]prop) (*jsonschema.Schema, error) {
	s, err := jsonschema.For[T](nil)
	if err != nil {
		return nil, err
	}
	for name, p := range props {
		ps, ok := s.Properties[name]
		if !ok {
			return nil, fmt.Errorf("schema has no property %q", name)
		}
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
		ps.Minimum, ps.Maximum = p.min, p.max
		ps.MinItems, ps.MaxItems = p.minItems, p.maxItems
		if p.def != nil {
			b, err := json.Marshal(p.def)
			if err != nil {
				return nil, err
			}
			ps.Default = b
		}
	}
	return s, nil
}

// usage describes a tool's arguments in one paragraph, for error
// messages: the model gets what to send without another tools/list.
func usage(t *mcp.Tool) string {
	s, ok := t.InputSchema.(*jsonschema.Schema)
	if !ok || len(s.Properties) == 0 {
		return fmt.Sprintf("%s takes no arguments: call it with {}.", t.Name)
	}
	required := map[string]bool{}
	for _, r := range s.Required {
		required[r] = true
	}
	var parts []string
	for _, name := range s.PropertyOrder {
		p := s.Properties[name]
		if p == nil {
			continue
		}
		typ := p.Type
		if typ == "" {
			typ = strings.Join(p.Types, "|")
		}
		if typ == "array" && p.Items != nil {
			typ = p.Items.Type + "[]"
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%s (%s", name, typ)
		if required[name] {
			b.WriteString(", required")
		}
		if len(p.Enum) > 0 && len(p.Enum) <= 20 {
			vals := make([]string, len(p.Enum))
			for i, v := range p.Enum {
				vals[i] = fmt.Sprint(v)
			}
			fmt.Fprintf(&b, ", one of %s", strings.Join(vals, "|"))
		}
		if p.Minimum != nil && p.Maximum != nil {
			fmt.Fprintf(&b, ", %g to %g", *p.Minimum, *p.Maximum)
		}
		if p.MaxItems != nil {
			fmt.Fprintf(&b, ", at most %d items", *p.MaxItems)
		}
		if len(p.Default) > 0 {
			fmt.Fprintf(&b, ", default %s", p.Default)
		}
		b.WriteString(")")
		parts = append(parts, b.String())
	}
	return fmt.Sprintf("%s takes: %s. Send these names only, with these types.", t.Name, strings.Join(parts, "; "))
}
