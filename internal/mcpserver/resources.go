// This file holds the entry resources (errorcanon://errors/{domain}/{slug})
// and the debug_error prompt.

package mcpserver

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
)

// ResourceScheme is the scheme of the entry resources.
const ResourceScheme = "errorcanon"

// EntryTemplate is the URI template of the entry resources.
const EntryTemplate = ResourceScheme + "://errors/{domain}/{slug}"

// EntryURI is the resource URI of an entry.
func EntryURI(id string) string { return ResourceScheme + "://errors/" + id }

func (s *Server) addResources() {
	s.mcp.AddResourceTemplate(&mcp.ResourceTemplate{
		Name:        "entry",
		Title:       "ErrorCanon entry",
		URITemplate: EntryTemplate,
		MIMEType:    "text/markdown",
		Description: "One known error as Markdown: root cause, workarounds with steps, dead ends with why they fail, versions, docs, related errors. domain/slug is the entry id, as match_error returns it.",
	}, s.readEntry)
	s.mcp.AddResourceTemplate(&mcp.ResourceTemplate{
		Name:        "entry_zh",
		Title:       "ErrorCanon entry (Chinese)",
		URITemplate: EntryTemplate + "/zh",
		MIMEType:    "text/markdown",
		Description: "The same entry in Simplified Chinese.",
	}, s.readEntry)
}

// readEntry serves errorcanon://errors/{domain}/{slug} and its /zh form.
func (s *Server) readEntry(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
	uri := req.Params.URI
	id, ok := strings.CutPrefix(uri, ResourceScheme+"://errors/")
	if !ok {
		return nil, mcp.ResourceNotFoundError(uri)
	}
	lang := render.EN
	if rest, zh := strings.CutSuffix(id, "/zh"); zh {
		id, lang = rest, render.ZH
	}
	if _, _, valid := canon.SplitID(id); !valid {
		return nil, mcp.ResourceNotFoundError(uri)
	}
	e := s.cat.Entry(id)
	if e == nil {
		return nil, mcp.ResourceNotFoundError(uri)
	}
	var buf bytes.Buffer
	if err := s.r.EntryMarkdown(&buf, e, lang); err != nil {
		return nil, err
	}
	return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: uri, MIMEType: "text/markdown", Text: s.relink(ctx, buf.String())}}}, nil
}

// ---- the debug_error prompt ----

func (s *Server) addPrompts() {
	s.mcp.AddPrompt(&mcp.Prompt{
		Name:  "debug_error",
		Title: "Debug an error",
		Description: "Work through an error with ErrorCanon: the error is matched against the catalog first, and the model gets the known dead ends " +
			"and workarounds with instructions to skip the former and apply the latter in order, verifying each step.",
		Arguments: []*mcp.PromptArgument{
			{Name: "error", Title: "Error text", Description: "The error message, stack trace or log excerpt, verbatim.", Required: true},
			{Name: "context", Title: "Context", Description: "Optional: what you were doing, the command, versions and OS."},
			{Name: "lang", Title: "Language", Description: "Optional: en (default) or zh."},
		},
	}, s.debugError)
}

func (s *Server) debugError(ctx context.Context, req *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
	args := req.Params.Arguments
	text, lang := args["error"], args["lang"]
	if lang == "" {
		lang = "en"
	}
	if lang != "en" && lang != "zh" {
		return nil, fmt.Errorf("lang must be en or zh, not %q", lang)
	}
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("the error argument is empty: pass the error message, stack trace or log excerpt verbatim")
	}
	if len(text) > maxText {
		return nil, fmt.Errorf("the error argument is %d bytes, over the %d-byte (4 MiB) limit: pass the last 200 lines of the log", len(text), maxText)
	}
	rs, err := s.ix.Match([]byte(text), match.Options{Limit: 3})
	if err != nil {
		return nil, err
	}
	results := s.results(ctx, rs, lang, 3)

	var b strings.Builder
	b.WriteString("I hit this error:\n\n")
	b.WriteString(fenced(clip(text, 8000)))
	if c := strings.TrimSpace(args["context"]); c != "" {
		fmt.Fprintf(&b, "\nContext: %s\n", c)
	}
	b.WriteString("\nErrorCanon, a catalog of known errors, says:\n\n")
	b.WriteString(s.matchMarkdown(results, lang, ""))
	b.WriteString("\nPlease:\n")
	if len(results) > 0 && results[0].Kind == "matched" {
		b.WriteString("1. Check that the matched entry really is this error (compare the signature and the cause with what you see; look at the other candidates if not).\n" +
			"2. Do not try the dead ends listed: they are known not to work.\n" +
			"3. Apply the workarounds in order, one at a time; after each, rerun the failing command to verify, and stop at the first that works. Use get_error for the full steps.\n" +
			"4. If none works, tell me what you tried and what the error says now (call match_error again on the new error).\n")
	} else {
		b.WriteString("1. No entry matches exactly, so diagnose from the text: find the first real error line, not the consequences below it.\n" +
			"2. Use search_errors with the key words of that line to look for a known entry before guessing.\n" +
			"3. Propose the smallest fix, apply it, and rerun the failing command to verify.\n")
	}
	msgs := []*mcp.PromptMessage{{Role: "user", Content: &mcp.TextContent{Text: b.String()}}}
	if len(results) > 0 && results[0].Kind == "matched" {
		if e := s.cat.Entry(results[0].ID); e != nil {
			var md bytes.Buffer
			if err := s.r.EntryMarkdown(&md, e, render.Lang(lang)); err == nil {
				msgs = append(msgs, &mcp.PromptMessage{Role: "user", Content: &mcp.EmbeddedResource{Resource: &mcp.ResourceContents{
					URI: EntryURI(e.ID), MIMEType: "text/markdown", Text: md.String()}}})
			}
		}
	}
	return &mcp.GetPromptResult{Description: "Debug an error with the known dead ends and workarounds", Messages: msgs}, nil
}

// fenced puts text in a code block whose fence no line of it can close.
func fenced(s string) string {
	fence := "```"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fence + "\n" + strings.TrimRight(s, "\n") + "\n" + fence + "\n"
}
