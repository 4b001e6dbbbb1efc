// The OpenAPI description, embedded and served with this server's base URL.

package api

import (
	"bytes"
	_ "embed"
	"encoding/json"
)

// openAPISpec is the API's description. TestOpenAPICoversRoutes keeps it
// in step with the routes.
//
//go:embed openapi.json
var openAPISpec []byte

// openAPI returns the description with the server's base URL as its
// server, or "/" (the server that served the description, as OpenAPI
// resolves a relative server URL) when no base URL is configured.
func (a *API) openAPI() ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(openAPISpec, &doc); err != nil {
		return nil, err
	}
	server := map[string]any{"url": a.r.BaseURL(), "description": "This server's public address"}
	if a.r.LinksFromRequest() {
		server = map[string]any{"url": "/", "description": "The server that served this description"}
	}
	doc["servers"] = []any{server}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
