// This file completes the arguments of the entry resource template and
// of the debug_error prompt.

package mcpserver

import (
	"context"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// maxCompletions is how many values one completion answer holds, the
// protocol's limit.
const maxCompletions = 100

// complete suggests values for the entry templates' domain and slug (the
// slug within the domain already chosen) and the debug_error prompt's lang.
func (s *Server) complete(_ context.Context, req *mcp.CompleteRequest) (*mcp.CompleteResult, error) {
	p := req.Params
	var all []string
	switch {
	case p.Ref != nil && p.Ref.Type == "ref/resource" && strings.HasPrefix(p.Ref.URI, EntryTemplate):
		switch p.Argument.Name {
		case "domain":
			for _, d := range s.cat.Domains {
				all = append(all, d.ID)
			}
		case "slug":
			domain := ""
			if p.Context != nil {
				domain = p.Context.Arguments["domain"]
			}
			entries := s.cat.Entries
			if domain != "" {
				entries = s.cat.InDomain(domain)
			}
			for _, e := range entries {
				all = append(all, e.Slug())
			}
		}
	case p.Ref != nil && p.Ref.Type == "ref/prompt" && p.Ref.Name == "debug_error" && p.Argument.Name == "lang":
		all = []string{"en", "zh"}
	}
	res := &mcp.CompleteResult{Completion: mcp.CompletionResultDetails{Values: []string{}}}
	for _, v := range all {
		if strings.HasPrefix(v, p.Argument.Value) {
			res.Completion.Total++
			if len(res.Completion.Values) < maxCompletions {
				res.Completion.Values = append(res.Completion.Values, v)
			}
		}
	}
	res.Completion.HasMore = res.Completion.Total > len(res.Completion.Values)
	return res, nil
}
