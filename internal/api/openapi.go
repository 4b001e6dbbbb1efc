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
// server.
func (a *API) openAPI() ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(openAPISpec, &doc); err != nil {
		return nil, err
	}
	doc["servers"] = []any{map[string]any{"url": a.r.BaseURL(), "description": "This server's public address"}}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
