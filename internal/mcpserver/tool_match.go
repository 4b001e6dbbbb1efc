// This file holds match_error and batch_match: their arguments and
// results, and the handlers over the match index.

package mcpserver

import (
	"context"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
)

// matchInput is match_error's arguments.
type matchInput struct {
	Text string `json:"text" jsonschema:"The error exactly as printed: a message, a stack trace or the tail of a build/test log (the last 20-200 lines around the failure are best). Paste it verbatim; do not paraphrase or trim the error line itself. At most 4 MiB."`
	domainArg
	Limit int `json:"limit,omitempty" jsonschema:"How many entries to return, best first. Default 3."`
	langArg
}

// matchOutput is match_error's structured result.
type matchOutput struct {
	Matched bool          `json:"matched" jsonschema:"true when an entry's pattern matched the text; false when the results only resemble it (kind fuzzy) or there are none"`
	Results []matchResult `json:"results" jsonschema:"the entries that explain the text, best first; empty when nothing in the catalog fits"`
}

// matchResult is one entry that explains a text, in short.
type matchResult struct {
	ID          string       `json:"id" jsonschema:"entry id, domain/slug; pass it to get_error for the full entry"`
	Kind        string       `json:"kind" jsonschema:"matched: the entry's pattern matched the text; fuzzy: no pattern matched, the entry only resembles it"`
	Title       string       `json:"title" jsonschema:"what the error is called, in the asked language"`
	Signature   string       `json:"signature" jsonschema:"the error as the tool prints it, variable parts as <placeholders>"`
	Domain      string       `json:"domain" jsonschema:"the tool or platform, e.g. python"`
	Category    string       `json:"category" jsonschema:"kind of error, e.g. import_error"`
	Resolvable  string       `json:"resolvable" jsonschema:"true, partial or false: whether a workaround fixes it"`
	FixRate     float64      `json:"fix_rate" jsonschema:"chance (0..1) that the best workaround fixes it: the editors' estimate until outcome reports exist"`
	Confidence  float64      `json:"confidence" jsonschema:"how sure the entry is (0..1)"`
	RootCause   string       `json:"root_cause" jsonschema:"why it happens, first sentences"`
	Line        int          `json:"line,omitempty" jsonschema:"1-based line of the text where the pattern matched"`
	MatchedText string       `json:"matched_text,omitempty" jsonschema:"the text the pattern matched"`
	DeadEnds    []deadEnd    `json:"dead_ends" jsonschema:"what people try that does NOT fix it; do not try these"`
	Workarounds []workaround `json:"workarounds" jsonschema:"what fixes it, best first"`
	URL         string       `json:"url" jsonschema:"the entry's page"`
	// fixEst: the fix rate is still the editors' estimate.
	fixEst bool
	Score  float64 `json:"score" jsonschema:"ranking score (0..1) among the results"`
}

// deadEnd is a dead end in short.
type deadEnd struct {
	Action   string  `json:"action" jsonschema:"what people try"`
	WhyFails string  `json:"why_fails" jsonschema:"why it does not fix the error"`
	FailRate float64 `json:"fail_rate" jsonschema:"how often it fails (0..1): the editors' estimate until reports exist, then measured"`
	Reports  int     `json:"reports" jsonschema:"outcome reports behind fail_rate; 0: it is the editors' estimate"`
}

// workaround is a workaround in short.
type workaround struct {
	Action      string  `json:"action" jsonschema:"what to do"`
	Command     string  `json:"command,omitempty" jsonschema:"the shell command that applies it, filled from the matched text; absent when the entry names none"`
	Check       string  `json:"check,omitempty" jsonschema:"a shell command that shows whether it applies"`
	SuccessRate float64 `json:"success_rate" jsonschema:"how often it fixes the error (0..1): the editors' estimate until reports exist, then measured"`
	Reports     int     `json:"reports" jsonschema:"outcome reports behind success_rate; 0: it is the editors' estimate"`
}

// batchInput is batch_match's arguments.
type batchInput struct {
	Texts []string `json:"texts" jsonschema:"1 to 20 error texts, each verbatim as printed (a message, a trace or a log excerpt). Together at most 4 MiB."`
	domainArg
	Limit int `json:"limit,omitempty" jsonschema:"Entries per text, best first. Default 1."`
	langArg
}

// batchOutput is batch_match's structured result.
type batchOutput struct {
	Items []batchItem `json:"items" jsonschema:"one item per text, in the order given"`
}

// batchItem is the answer for one text of a batch.
type batchItem struct {
	Index   int           `json:"index" jsonschema:"0-based position of the text in texts"`
	Matched bool          `json:"matched" jsonschema:"true when an entry's pattern matched this text"`
	Results []matchResult `json:"results" jsonschema:"the entries that explain this text, best first"`
	Error   string        `json:"error,omitempty" jsonschema:"why this text could not be matched (for example it is empty); the other texts are unaffected"`
}

func (s *Server) matchError(ctx context.Context, _ *mcp.CallToolRequest, in matchInput) (*mcp.CallToolResult, matchOutput, error) {
	if len(in.Text) > maxText {
		return nil, matchOutput{}, fail("text is %d bytes, over the %d-byte (4 MiB) limit: send the last 200 lines of the log, or the lines around the first error", len(in.Text), maxText)
	}
	if strings.TrimSpace(in.Text) == "" {
		return nil, matchOutput{}, fail("text is empty: pass the error message, stack trace or log excerpt verbatim, as the failing command printed it")
	}
	rs, err := s.ix.Match([]byte(in.Text), match.Options{Limit: in.Limit, Domain: in.Domain})
	if err != nil {
		return nil, matchOutput{}, err
	}
	s.miss(rs, in.Text)
	out := matchOutput{Matched: match.Known(rs), Results: s.results(ctx, rs, in.Lang, 3)}
	return text(s.matchMarkdown(out.Results, in.Lang, in.Domain)), out, nil
}

// miss records a text no entry matched.
func (s *Server) miss(rs []match.Result, text string) {
	if !match.Known(rs) && s.misses != nil {
		s.misses(text)
	}
}

// results converts matcher results to the tools' short form, keeping max
// dead ends and workarounds each (0: all).
func (s *Server) results(ctx context.Context, rs []match.Result, lang string, max int) []matchResult {
	out := make([]matchResult, 0, len(rs))
	sums := match.Summarize(rs, lang, max)
	s.r.LiveSummaries(sums)
	for _, sum := range sums {
		r := matchResult{ID: sum.ID, Kind: string(sum.Kind), Title: sum.Title, Signature: sum.Signature, Domain: sum.Domain,
			Category: sum.Category, Resolvable: sum.Resolvable, FixRate: sum.FixRate, Confidence: sum.Confidence,
			RootCause: brief(sum.RootCause, 400), URL: s.entryURL(ctx, sum.ID, lang), Score: round(sum.Score.Total),
			DeadEnds: make([]deadEnd, len(sum.DeadEnds)), Workarounds: make([]workaround, len(sum.Workarounds))}
		if sum.Span != nil {
			r.Line, r.MatchedText = sum.Span.Line, clip(sum.Span.Text, 300)
		}
		var st render.Stats
		if e := s.cat.Entry(sum.ID); e != nil {
			st = s.r.Stats(e)
		}
		r.fixEst = true
		for _, w := range st.Workarounds {
			r.fixEst = r.fixEst && w.Reports == 0
		}
		for i, d := range sum.DeadEnds {
			r.DeadEnds[i] = deadEnd{d.Action, brief(d.WhyFails, 240), d.FailRate, 0}
			if i < len(st.DeadEnds) {
				r.DeadEnds[i].Reports = st.DeadEnds[i].Reports
			}
		}
		for i, w := range sum.Workarounds {
			r.Workarounds[i] = workaround{w.Action, clip(w.Command, 200), clip(w.Check, 200), w.SuccessRate, 0}
			if i < len(st.Workarounds) {
				r.Workarounds[i].Reports = st.Workarounds[i].Reports
			}
		}
		out = append(out, r)
	}
	return out
}

func (s *Server) batchMatch(ctx context.Context, _ *mcp.CallToolRequest, in batchInput) (*mcp.CallToolResult, batchOutput, error) {
	if len(in.Texts) == 0 || len(in.Texts) > maxBatch {
		return nil, batchOutput{}, fail("texts holds %d texts; send 1 to %d (split a longer list over several calls)", len(in.Texts), maxBatch)
	}
	total := 0
	for _, t := range in.Texts {
		total += len(t)
	}
	if total > maxText {
		return nil, batchOutput{}, fail("texts add up to %d bytes, over the %d-byte (4 MiB) limit: send fewer or shorter texts (the lines around each error are enough)", total, maxText)
	}
	out := batchOutput{Items: make([]batchItem, len(in.Texts))}
	for i, t := range in.Texts {
		if err := ctx.Err(); err != nil {
			return nil, batchOutput{}, err
		}
		item := batchItem{Index: i, Results: []matchResult{}}
		if strings.TrimSpace(t) == "" {
			item.Error = "empty text"
		} else if rs, err := s.ix.Match([]byte(t), match.Options{Limit: in.Limit, Domain: in.Domain}); err != nil {
			item.Error = err.Error()
		} else {
			s.miss(rs, t)
			item.Matched = match.Known(rs)
			item.Results = s.results(ctx, rs, in.Lang, 3)
		}
		out.Items[i] = item
	}
	return text(s.batchMarkdown(out.Items, in.Lang)), out, nil
}
