// This file builds the server card served at
// /.well-known/mcp/server-card.json.

package mcpserver

import (
	"encoding/json"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// CardSchema is the JSON schema the server card follows: the Server Card
// extension's draft (SEP-2127, successor of SEP-1649).
const CardSchema = "https://static.modelcontextprotocol.io/schemas/v1/server-card.schema.json"

// CardName is the server's reverse-DNS name in the server card.
const CardName = "dev.errorcanon/errorcanon"

// Card is the server card served at /.well-known/mcp/server-card.json:
// who the server is and where to connect (the draft's fields), and, under
// _meta, the tools, prompts and resource templates, so a registry or a
// person can see what the server offers without connecting.
type Card struct {
	Schema      string         `json:"$schema"`
	Name        string         `json:"name"`
	Title       string         `json:"title"`
	Version     string         `json:"version"`
	Description string         `json:"description"`
	WebsiteURL  string         `json:"websiteUrl"`
	Remotes     []CardRemote   `json:"remotes"`
	Meta        map[string]any `json:"_meta"`
}

// CardRemote is one way to reach the server.
type CardRemote struct {
	Type                      string   `json:"type"`
	URL                       string   `json:"url"`
	SupportedProtocolVersions []string `json:"supportedProtocolVersions"`
}

// cardPrimitive is how a tool, prompt or template is listed in the card.
type cardTool struct {
	Name         string               `json:"name"`
	Title        string               `json:"title,omitempty"`
	Description  string               `json:"description"`
	InputSchema  any                  `json:"inputSchema"`
	OutputSchema any                  `json:"outputSchema,omitempty"`
	Annotations  *mcp.ToolAnnotations `json:"annotations,omitempty"`
}

// Card describes the server reached at endpoint, the absolute URL of the
// streamable HTTP transport (for example https://errorcanon.dev/mcp).
func (s *Server) Card(endpoint string) Card {
	tools := make([]cardTool, len(s.tools))
	for i, t := range s.tools {
		tools[i] = cardTool{t.Name, t.Title, t.Description, t.InputSchema, t.OutputSchema, t.Annotations}
	}
	return Card{
		Schema:      CardSchema,
		Name:        CardName,
		Title:       "ErrorCanon",
		Version:     s.version,
		Description: "Known software errors for AI agents: paste an error, a trace or a log and get the root cause, the dead ends to skip and the workarounds that work, with success rates.",
		WebsiteURL:  s.r.BaseURL(),
		Remotes:     []CardRemote{{Type: "streamable-http", URL: endpoint, SupportedProtocolVersions: mcp.SupportedProtocolVersions()}},
		Meta: map[string]any{
			"dev.errorcanon/tools": tools,
			"dev.errorcanon/prompts": []map[string]any{{
				"name": "debug_error", "description": "Work through an error with the catalog's dead ends and workarounds.",
				"arguments": []string{"error", "context", "lang"},
			}},
			"dev.errorcanon/resourceTemplates": []map[string]string{
				{"uriTemplate": EntryTemplate, "mimeType": "text/markdown", "description": "One entry as Markdown."},
				{"uriTemplate": EntryTemplate + "/zh", "mimeType": "text/markdown", "description": "One entry as Markdown, in Chinese."},
			},
			"dev.errorcanon/stdio": map[string]any{"command": "errorcanon", "args": []string{"mcp"}},
		},
	}
}

// CardJSON is Card as indented JSON, ready to serve.
func (s *Server) CardJSON(endpoint string) []byte {
	b, err := json.MarshalIndent(s.Card(endpoint), "", "  ")
	if err != nil {
		// Every value in a Card marshals; a failure is a bug.
		panic(err)
	}
	return append(b, '\n')
}
