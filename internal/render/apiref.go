// The API reference page, /docs/ and /docs/zh.html: the OpenAPI
// description rendered for people, endpoint by endpoint. The renderer is
// given the description's bytes (internal/api embeds it), so the page
// and /api/v1/openapi.json never disagree.

package render

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
)

// DocsPath is the path of the API reference in a language.
func DocsPath(l Lang) string { return langPath("/docs/", l) }

type apiRefView struct {
	Description string // md
	Endpoints   []endpointView
}

type endpointView struct {
	ID, Method, Path, Summary, Description string // Description is md
	Params                                 []paramView
	Bodies                                 []string // request media types
	Statuses                               []string
}

type paramView struct {
	Name, In, Description, Schema string
	Required                      bool
}

// openAPIDoc is the part of an OpenAPI 3.1 document the page shows.
type openAPIDoc struct {
	Info struct {
		Description string `json:"description"`
	} `json:"info"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Parameters map[string]openAPIParam `json:"parameters"`
	} `json:"components"`
}

type openAPIOp struct {
	OperationID string         `json:"operationId"`
	Summary     string         `json:"summary"`
	Description string         `json:"description"`
	Parameters  []openAPIParam `json:"parameters"`
	RequestBody *struct {
		Content map[string]json.RawMessage `json:"content"`
	} `json:"requestBody"`
	Responses map[string]json.RawMessage `json:"responses"`
}

type openAPIParam struct {
	Ref         string `json:"$ref"`
	Name        string `json:"name"`
	In          string `json:"in"`
	Required    bool   `json:"required"`
	Description string `json:"description"`
	Schema      struct {
		Type    any   `json:"type"`
		Enum    []any `json:"enum"`
		Minimum *int  `json:"minimum"`
		Maximum *int  `json:"maximum"`
		Default any   `json:"default"`
	} `json:"schema"`
}

func (p openAPIParam) schemaText() string {
	var parts []string
	if t, ok := p.Schema.Type.(string); ok {
		parts = append(parts, t)
	}
	if len(p.Schema.Enum) > 0 {
		var vs []string
		for _, v := range p.Schema.Enum {
			vs = append(vs, fmt.Sprint(v))
		}
		parts = append(parts, strings.Join(vs, " | "))
	}
	if p.Schema.Minimum != nil && p.Schema.Maximum != nil {
		parts = append(parts, fmt.Sprintf("%d–%d", *p.Schema.Minimum, *p.Schema.Maximum))
	}
	if p.Schema.Default != nil {
		parts = append(parts, fmt.Sprintf("default %v", p.Schema.Default))
	}
	return strings.Join(parts, ", ")
}

var methodOrder = []string{"get", "post", "put", "patch", "delete"}

// apiRef reads an OpenAPI description into the page's view.
func apiRef(spec []byte) (*apiRefView, error) {
	var doc openAPIDoc
	if err := json.Unmarshal(spec, &doc); err != nil {
		return nil, fmt.Errorf("render: API reference: %w", err)
	}
	v := &apiRefView{Description: doc.Info.Description}
	paths := make([]string, 0, len(doc.Paths))
	for p := range doc.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, path := range paths {
		for _, m := range methodOrder {
			raw, ok := doc.Paths[path][m]
			if !ok {
				continue
			}
			var op openAPIOp
			if err := json.Unmarshal(raw, &op); err != nil {
				return nil, fmt.Errorf("render: API reference: %s %s: %w", m, path, err)
			}
			ev := endpointView{ID: op.OperationID, Method: strings.ToUpper(m), Path: path, Summary: op.Summary, Description: op.Description}
			for _, p := range op.Parameters {
				if name, ok := strings.CutPrefix(p.Ref, "#/components/parameters/"); ok {
					p = doc.Components.Parameters[name]
				}
				ev.Params = append(ev.Params, paramView{Name: p.Name, In: p.In, Description: p.Description, Schema: p.schemaText(), Required: p.Required})
			}
			if op.RequestBody != nil {
				for ct := range op.RequestBody.Content {
					ev.Bodies = append(ev.Bodies, ct)
				}
				sort.Strings(ev.Bodies)
			}
			for st := range op.Responses {
				ev.Statuses = append(ev.Statuses, st)
			}
			slices.Sort(ev.Statuses)
			v.Endpoints = append(v.Endpoints, ev)
		}
	}
	return v, nil
}

// APIReferenceHTML writes the API reference from the OpenAPI description
// spec (the bytes /api/v1/openapi.json serves).
func (r *Renderer) APIReferenceHTML(w io.Writer, l Lang, spec []byte) error {
	ref, err := apiRef(spec)
	if err != nil {
		return err
	}
	title := ui(l)["docs_title"]
	p := r.newPage(l, title+" · ErrorCanon")
	p.Description = ui(l)["docs_lead"]
	p.Crumbs = []link{{Href: HomePath(l), Label: ui(l)["nav_home"]}}
	p.APIRef = ref
	r.alternates(p, DocsPath(EN), DocsPath(ZH), "website")
	return p.write(w)
}
