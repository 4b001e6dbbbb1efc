// This file holds the tools that store what agents send, report_outcome
// and submit_error, and the services behind them.

package mcpserver

import (
	"context"
	"net"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// OutcomeRecorder stores what an agent reports after trying a workaround
// or a dead end. When Config.Outcomes is nil, report_outcome is not
// registered.
type OutcomeRecorder interface {
	RecordOutcome(ctx context.Context, o Outcome) (Receipt, error)
}

// Outcome is one report: the entry, which workaround (or dead end) was
// tried, 1-based as the answers number them, and how it went: worked,
// worked_with_changes or did_not_work.
type Outcome struct {
	ID                string
	Workaround        int // 1-based; 0 when a dead end was tried
	DeadEnd           int // 1-based; 0 when a workaround was tried
	Outcome           string
	OS, Tool, Version string
	Note              string
	// Reporter is the agent's own stable token, if it gave one; else
	// Addr and UserAgent identify it (over HTTP; empty over stdio).
	Reporter, Addr, UserAgent string
}

// clientKey carries the HTTP client's address and user agent from the
// handler to the tools.
type clientKey struct{}

type client struct{ addr, ua string }

// withClient records the HTTP client in the request's context.
func withClient(r *http.Request) *http.Request {
	addr := r.RemoteAddr
	if h, _, err := net.SplitHostPort(addr); err == nil {
		addr = h
	}
	return r.WithContext(context.WithValue(r.Context(), clientKey{}, client{addr, r.UserAgent()}))
}

// Submitter stores a new error that the catalog does not know yet, for
// review. When Config.Submissions is nil, submit_error is not registered.
type Submitter interface {
	SubmitError(ctx context.Context, s Submission) (Receipt, error)
}

// Submission is an error an agent met that matched no entry, with what
// fixed it when something did.
type Submission struct {
	Text     string
	Domain   string
	Context  string
	Solution string
}

// Receipt acknowledges a report or a submission.
type Receipt struct {
	ID      string `json:"id" jsonschema:"identifier of the stored report or submission"`
	Message string `json:"message" jsonschema:"what happens next"`
}

// outcomeInput is report_outcome's arguments.
type outcomeInput struct {
	ID         string `json:"id" jsonschema:"Entry id the advice came from."`
	Workaround int    `json:"workaround,omitempty" jsonschema:"Number (1-based, as listed) of the workaround you tried. Give this or dead_end."`
	DeadEnd    int    `json:"dead_end,omitempty" jsonschema:"Number (1-based, as listed) of the dead end you tried anyway. Give this or workaround."`
	Outcome    string `json:"outcome" jsonschema:"worked: the error was gone; worked_with_changes: gone after adapting the step; did_not_work: still there."`
	OS         string `json:"os,omitempty" jsonschema:"Optional: the operating system (linux, macos, windows, ...)."`
	Tool       string `json:"tool,omitempty" jsonschema:"Optional: the tool that printed the error."`
	Version    string `json:"version,omitempty" jsonschema:"Optional: the tool's version."`
	Note       string `json:"note,omitempty" jsonschema:"Optional: what else was needed. No secrets or personal data."`
	Reporter   string `json:"reporter,omitempty" jsonschema:"Optional: a stable token of yours (any string up to 200 bytes, kept across sessions). Your reports count once per workaround or dead end; a new one replaces the old. Stored only as a salted hash."`
}

// submitInput is submit_error's arguments.
type submitInput struct {
	Text     string `json:"text" jsonschema:"The error verbatim as printed, with secrets, tokens and personal paths removed."`
	Domain   string `json:"domain,omitempty" jsonschema:"The tool or platform (a domain id from list_domains), if known."`
	Context  string `json:"context,omitempty" jsonschema:"What was being done: command, versions, OS."`
	Solution string `json:"solution,omitempty" jsonschema:"What fixed it, if something did."`
}

func (s *Server) reportOutcome(ctx context.Context, _ *mcp.CallToolRequest, in outcomeInput) (*mcp.CallToolResult, Receipt, error) {
	e, err := s.lookup(in.ID)
	if err != nil {
		return nil, Receipt{}, err
	}
	switch {
	case (in.Workaround == 0) == (in.DeadEnd == 0):
		return nil, Receipt{}, fail("give exactly one of workaround or dead_end: the 1-based number of what you tried, as listed by match_error or get_error")
	case in.Workaround > len(e.Workarounds):
		return nil, Receipt{}, fail("%s has %d workaround(s); workaround must be 1 to %d", e.ID, len(e.Workarounds), len(e.Workarounds))
	case in.DeadEnd > len(e.DeadEnds):
		return nil, Receipt{}, fail("%s has %d dead end(s); dead_end must be 1 to %d", e.ID, len(e.DeadEnds), len(e.DeadEnds))
	case in.Outcome != "worked" && in.Outcome != "worked_with_changes" && in.Outcome != "did_not_work":
		return nil, Receipt{}, fail("outcome must be worked, worked_with_changes or did_not_work")
	case len(in.Note) > maxReportNote:
		return nil, Receipt{}, fail("note is longer than %d bytes: keep it to versions, OS and what else was needed", maxReportNote)
	}
	o := Outcome{ID: e.ID, Workaround: in.Workaround, DeadEnd: in.DeadEnd, Outcome: in.Outcome,
		OS: in.OS, Tool: in.Tool, Version: in.Version, Note: in.Note, Reporter: in.Reporter}
	if c, ok := ctx.Value(clientKey{}).(client); ok {
		o.Addr, o.UserAgent = c.addr, c.ua
	}
	rc, err := s.outcomes.RecordOutcome(ctx, o)
	if err != nil {
		return nil, Receipt{}, err
	}
	return text("Recorded. " + rc.Message), rc, nil
}

func (s *Server) submitError(ctx context.Context, _ *mcp.CallToolRequest, in submitInput) (*mcp.CallToolResult, Receipt, error) {
	switch {
	case strings.TrimSpace(in.Text) == "":
		return nil, Receipt{}, fail("text is empty: pass the error verbatim as printed")
	case len(in.Text) > maxSubmission:
		return nil, Receipt{}, fail("text is over 64 KiB: submit the error lines and a few lines of context, not the whole log")
	case utf8.RuneCountInString(in.Context) > maxNote || utf8.RuneCountInString(in.Solution) > maxNote:
		return nil, Receipt{}, fail("context and solution must each be at most %d characters", maxNote)
	}
	rc, err := s.submit.SubmitError(ctx, Submission(in))
	if err != nil {
		return nil, Receipt{}, err
	}
	return text("Submitted for review. " + rc.Message), rc, nil
}
