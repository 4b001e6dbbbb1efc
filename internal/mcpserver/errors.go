// This file turns bad input into errors a model can act on: unknown
// tools, arguments that fail the schema (with the tool's usage spelled
// out), and panics.

package mcpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// explainErrors rewrites the SDK's errors for bad input into messages a
// model can act on: an unknown tool gets the list of tools, arguments that
// fail the schema get the tool's arguments spelled out.
func (s *Server) explainErrors(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		if method != "tools/call" {
			return next(ctx, method, req)
		}
		name := ""
		if p, ok := req.GetParams().(*mcp.CallToolParamsRaw); ok {
			name = p.Name
			// "arguments": null means no arguments. (The SDK's schema
			// defaults would write into the nil map it decodes to.)
			if bytes.Equal(bytes.TrimSpace(p.Arguments), []byte("null")) {
				p.Arguments = json.RawMessage("{}")
			}
		}
		res, err := next(ctx, method, req)
		if werr, ok := err.(*jsonrpc.Error); ok && werr.Code == jsonrpc.CodeInvalidParams && s.tool(name) == nil {
			return nil, &jsonrpc.Error{Code: werr.Code, Message: fmt.Sprintf(
				"unknown tool %q: this server's tools are %s. To identify an error from its text, call match_error with {\"text\": \"<the error verbatim>\"}.",
				clip(name, 80), strings.Join(s.toolNames(), ", "))}
		}
		t := s.tool(name)
		if r, ok := res.(*mcp.CallToolResult); ok && err == nil && r.IsError && t != nil && len(r.Content) == 1 {
			if tc, ok := r.Content[0].(*mcp.TextContent); ok && isArgumentError(tc.Text) {
				r.Content = []mcp.Content{&mcp.TextContent{Text: fmt.Sprintf("invalid arguments for %s: %s\n%s", name, argumentProblem(tc.Text), usage(t))}}
			}
		}
		return res, err
	}
}

// isArgumentError recognizes the SDK's messages for arguments that do not
// fit the input schema or do not decode into the input type.
func isArgumentError(msg string) bool {
	return strings.HasPrefix(msg, `validating "arguments"`) || strings.HasPrefix(msg, "json: cannot unmarshal") ||
		strings.HasPrefix(msg, "unmarshaling arguments")
}

// argumentProblem shortens the validator's message to its last, most
// specific clause.
func argumentProblem(msg string) string {
	msg = strings.TrimPrefix(msg, `validating "arguments": `)
	if i := strings.LastIndex(msg, "validating root: "); i >= 0 {
		msg = msg[i+len("validating root: "):]
	}
	return clip(oneLine(msg), 400)
}

func (s *Server) tool(name string) *mcp.Tool {
	for _, t := range s.tools {
		if t.Name == name {
			return t
		}
	}
	return nil
}

func (s *Server) toolNames() []string {
	names := make([]string, len(s.tools))
	for i, t := range s.tools {
		names[i] = t.Name
	}
	return names
}

// recoverPanics turns a panic in a handler into an internal error for
// that one request, logged with its stack: no input ends the server.
func recoverPanics(log *slog.Logger) mcp.Middleware {
	return func(next mcp.MethodHandler) mcp.MethodHandler {
		return func(ctx context.Context, method string, req mcp.Request) (res mcp.Result, err error) {
			defer func() {
				if v := recover(); v != nil {
					log.Error("panic in MCP handler", "method", method, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
					res, err = nil, &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: "internal error while handling " + method + "; the server is still running, try again or use another tool"}
				}
			}()
			return next(ctx, method, req)
		}
	}
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
