// This file holds the tools as a table: one declaration per tool (name,
// title, description, argument constraints, handler), and the code that
// registers them. Arguments are in args.go, the handlers in tool_*.go.

package mcpserver

import (
	"context"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/match"
)

// Limits of the tools' arguments.
const (
	// maxText is the largest text match_error takes, and the largest sum
	// of batch_match's texts: the matcher's own limit.
	maxText = match.MaxInput
	// maxBatch is how many texts batch_match takes.
	maxBatch = 20
	// maxNote bounds the free-text fields of submissions.
	maxNote = 4000
	// maxReportNote is the store's limit on a report's note, in bytes
	// (store.MaxNote).
	maxReportNote = 2000
	// maxSubmission bounds submit_error's text.
	maxSubmission = 64 << 10
)

// tools are the server's tools in the order clients list them. Arguments
// shared by several tools (lang, domain, category) get their constraints
// from sharedProps; props adds each tool's own.
var tools = []registrar{
	toolDef[matchInput, matchOutput]{
		name: "match_error", title: "Match an error",
		desc: "Identify a software error from its text and get what to do about it. Call this FIRST whenever a command, build, test, install or program fails, before trying any fix. " +
			"Pass the error verbatim: a message, a stack trace or the tail of a log. " +
			"Answers with the known entries that explain it, best first: the root cause, the DEAD ENDS (fixes people try that do not work: skip them), then the WORKAROUNDS in order with success rates and the first command. " +
			"Works for Python, Node.js, TypeScript, Go, Rust, Java, C, make, Docker, git, shell, nginx, PostgreSQL, Redis, AWS, TLS and HTTP APIs. " +
			"If nothing matches, try the single most specific error line, or search_errors with key words.",
		props: map[string]prop{
			"domain": {note: "Leave out unless sure: the matcher recognizes the tool from the text."},
			"limit":  {min: ptr(1.0), max: ptr(float64(match.MaxLimit)), def: match.DefaultLimit},
		},
		handle: (*Server).matchError,
	},
	toolDef[batchInput, batchOutput]{
		name: "batch_match", title: "Match several errors",
		desc: "Match up to 20 separate error texts in one call (for example every failing test's error), each answered like match_error but briefer. Use match_error for a single error or one log.",
		props: map[string]prop{
			"texts":  {minItems: ptr(1), maxItems: ptr(maxBatch)},
			"domain": {note: "Leave out unless sure."},
			"limit":  {min: ptr(1.0), max: ptr(5.0), def: 1},
		},
		handle: (*Server).batchMatch,
	},
	toolDef[getInput, getOutput]{
		name: "get_error", title: "Get an error entry",
		desc:   "Read one entry in full by id: root cause, every workaround with its steps and commands, every dead end with why it fails, affected versions, OS notes, official docs and related errors. Use after match_error when the short answer is not enough.",
		props:  map[string]prop{"format": {enum: []string{"markdown", "json"}, def: "markdown"}},
		handle: (*Server).getError,
	},
	toolDef[searchInput, searchOutput]{
		name: "search_errors", title: "Search errors",
		desc: "Full-text search of the catalog by words, in English or Chinese, when you do not have the exact error text (to identify an error from its printed text, match_error is better). Returns entry ids with signatures; read one with get_error.",
		props: map[string]prop{
			"limit": {min: ptr(1.0), max: ptr(50.0), def: 10},
			"lang":  {note: "The query may be in either language whatever this is."},
		},
		enabled: func(s *Server) bool { return s.search != nil },
		handle:  (*Server).searchErrors,
	},
	toolDef[langArg, domainsOutput]{
		name: "list_domains", title: "List domains",
		desc:   "List the catalog's domains (tools and platforms such as python, docker, git) with how many entries each has. Domain ids filter match_error, search_errors and list_errors.",
		handle: (*Server).listDomains,
	},
	toolDef[listInput, listOutput]{
		name: "list_errors", title: "List errors",
		desc: "Browse entries, filtered by domain, category or verdict, sorted, one page at a time (follow next_cursor). Each line has the id, the signature and the fix rate.",
		props: map[string]prop{
			"resolvable": {enum: canon.Resolvables},
			"sort":       {enum: listSorts, def: listSorts[0]},
			"limit":      {min: ptr(1.0), max: ptr(100.0), def: defaultListLimit},
		},
		handle: (*Server).listErrors,
	},
	toolDef[relatedInput, relatedOutput]{
		name: "get_related", title: "Get related errors",
		desc:   "Follow an entry's links up to 3 steps: the errors that typically come next once it is fixed (leads_to), the ones that come before it (preceded_by), and look-alikes with another cause (confused_with). Use it to anticipate the next failure or to check you have the right entry.",
		props:  map[string]prop{"depth": {min: ptr(1.0), max: ptr(3.0), def: 1}},
		handle: (*Server).getRelated,
	},
	toolDef[noInput, statsOutput]{
		name: "get_stats", title: "Catalog figures",
		desc:   "Figures about the catalog: entries, domains, breakdowns by domain, category, verification level and verdict, mean fix rate and confidence.",
		handle: (*Server).getStats,
	},
	toolDef[outcomeInput, Receipt]{
		name: "report_outcome", title: "Report an outcome",
		desc: "After trying a workaround (or a dead end) from an entry, report whether it fixed the error. Reports update the success rates every agent sees. One report per workaround or dead end counts; a new one replaces yours.",
		props: map[string]prop{
			"workaround": {min: ptr(1.0), max: ptr(100.0)},
			"dead_end":   {min: ptr(1.0), max: ptr(100.0)},
			"outcome":    {enum: []string{"worked", "worked_with_changes", "did_not_work"}},
		},
		writes:  true,
		enabled: func(s *Server) bool { return s.outcomes != nil },
		handle:  (*Server).reportOutcome,
	},
	toolDef[submitInput, Receipt]{
		name: "submit_error", title: "Submit a new error",
		desc:    "Submit an error that match_error did not recognize, with what fixed it if something did, for review and inclusion in the catalog. Remove secrets and personal data first.",
		writes:  true,
		enabled: func(s *Server) bool { return s.submit != nil },
		handle:  (*Server).submitError,
	},
}

// toolDef declares one tool: In is its arguments, Out its structured
// result; both schemas are inferred from the types' json and jsonschema
// tags.
type toolDef[In, Out any] struct {
	name, title, desc string
	// props constrains arguments beyond their type: the tool's own, and
	// additions (a note) to the shared ones.
	props map[string]prop
	// writes marks a tool that stores something; the others are read-only.
	writes bool
	// enabled reports whether the server has the service the tool needs;
	// nil means always. A model never sees a tool that cannot work.
	enabled func(*Server) bool
	handle  func(*Server, context.Context, *mcp.CallToolRequest, In) (*mcp.CallToolResult, Out, error)
}

// registrar is a toolDef of any argument and result types.
type registrar interface {
	register(s *Server, shared map[string]prop) (*mcp.Tool, error)
}

func (d toolDef[In, Out]) register(s *Server, shared map[string]prop) (*mcp.Tool, error) {
	if d.enabled != nil && !d.enabled(s) {
		return nil, nil
	}
	in, err := inputSchema[In](shared, d.props)
	if err != nil {
		return nil, fmt.Errorf("mcpserver: %s: %w", d.name, err)
	}
	t := &mcp.Tool{Name: d.name, Title: d.title, Description: d.desc, InputSchema: in,
		Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: ptr(false)}}
	if d.writes {
		t.Annotations = &mcp.ToolAnnotations{OpenWorldHint: ptr(false), DestructiveHint: ptr(false)}
	}
	mcp.AddTool(s.mcp, t, func(ctx context.Context, req *mcp.CallToolRequest, in In) (*mcp.CallToolResult, Out, error) {
		return d.handle(s, ctx, req, in)
	})
	return t, nil
}

// addTools registers every tool the configuration supports.
func (s *Server) addTools() error {
	shared := s.sharedProps()
	for _, d := range tools {
		t, err := d.register(s, shared)
		if err != nil {
			return err
		}
		if t != nil {
			s.tools = append(s.tools, t)
		}
	}
	return nil
}

// fail is an error the model can act on: the message says what to do.
func fail(format string, args ...any) error { return fmt.Errorf(format, args...) }

// text wraps Markdown as a tool result.
func text(md string) *mcp.CallToolResult {
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: md}}}
}
