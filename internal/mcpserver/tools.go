package mcpserver

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
)

// Limits of the tools' arguments.
const (
	// MaxText is the largest text match_error takes, and the largest sum
	// of batch_match's texts: the matcher's own limit.
	MaxText = match.MaxInput
	// MaxBatch is how many texts batch_match takes.
	MaxBatch = 20
	// maxQuery bounds a search query.
	maxQuery = 500
	// maxNote bounds the free-text fields of reports and submissions.
	maxNote = 4000
)

// ---- match_error ----

// MatchInput is match_error's arguments.
type MatchInput struct {
	Text   string `json:"text" jsonschema:"The error exactly as printed: a message, a stack trace or the tail of a build/test log (the last 20-200 lines around the failure are best). Paste it verbatim; do not paraphrase or trim the error line itself. At most 4 MiB."`
	Domain string `json:"domain,omitempty" jsonschema:"Only consider entries of this domain (for example python or docker). Leave out unless sure: the matcher recognizes the tool from the text."`
	Limit  int    `json:"limit,omitempty" jsonschema:"How many entries to return, best first. Default 3."`
	Lang   string `json:"lang,omitempty" jsonschema:"Language of the answer: en (English) or zh (Simplified Chinese). Default en."`
}

// MatchOutput is match_error's structured result.
type MatchOutput struct {
	Matched bool     `json:"matched" jsonschema:"true when an entry's pattern matched the text; false when the results only resemble it (kind fuzzy) or there are none"`
	Results []Result `json:"results" jsonschema:"the entries that explain the text, best first; empty when nothing in the catalog fits"`
}

// Result is one entry that explains a text, in short.
type Result struct {
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
	DeadEnds    []DeadEnd    `json:"dead_ends" jsonschema:"what people try that does NOT fix it; do not try these"`
	Workarounds []Workaround `json:"workarounds" jsonschema:"what fixes it, best first"`
	URL         string       `json:"url" jsonschema:"the entry's page"`
	Score       float64      `json:"score" jsonschema:"ranking score (0..1) among the results"`
}

// DeadEnd is a dead end in short.
type DeadEnd struct {
	Action   string  `json:"action" jsonschema:"what people try"`
	WhyFails string  `json:"why_fails" jsonschema:"why it does not fix the error"`
	FailRate float64 `json:"fail_rate" jsonschema:"how often it fails (0..1), the editors' estimate"`
}

// Workaround is a workaround in short.
type Workaround struct {
	Action      string  `json:"action" jsonschema:"what to do"`
	Command     string  `json:"command,omitempty" jsonschema:"the shell command that applies it, filled from the matched text; absent when the entry names none"`
	Check       string  `json:"check,omitempty" jsonschema:"a shell command that shows whether it applies"`
	SuccessRate float64 `json:"success_rate" jsonschema:"how often it fixes the error (0..1), the editors' estimate"`
}

// ---- batch_match ----

// BatchInput is batch_match's arguments.
type BatchInput struct {
	Texts  []string `json:"texts" jsonschema:"1 to 20 error texts, each verbatim as printed (a message, a trace or a log excerpt). Together at most 4 MiB."`
	Domain string   `json:"domain,omitempty" jsonschema:"Only consider entries of this domain. Leave out unless sure."`
	Limit  int      `json:"limit,omitempty" jsonschema:"Entries per text, best first. Default 1."`
	Lang   string   `json:"lang,omitempty" jsonschema:"Language of the answer: en (English) or zh (Simplified Chinese). Default en."`
}

// BatchOutput is batch_match's structured result.
type BatchOutput struct {
	Items []BatchItem `json:"items" jsonschema:"one item per text, in the order given"`
}

// BatchItem is the answer for one text of a batch.
type BatchItem struct {
	Index   int      `json:"index" jsonschema:"0-based position of the text in texts"`
	Matched bool     `json:"matched" jsonschema:"true when an entry's pattern matched this text"`
	Results []Result `json:"results" jsonschema:"the entries that explain this text, best first"`
	Error   string   `json:"error,omitempty" jsonschema:"why this text could not be matched (for example it is empty); the other texts are unaffected"`
}

// ---- get_error ----

// GetInput is get_error's arguments.
type GetInput struct {
	ID     string `json:"id" jsonschema:"Entry id, domain/slug, as returned by match_error, search_errors or list_errors (for example python/module-not-found-error). An entry URL also works."`
	Lang   string `json:"lang,omitempty" jsonschema:"Language of the answer: en (English) or zh (Simplified Chinese). Default en."`
	Format string `json:"format,omitempty" jsonschema:"markdown (default): the entry written for reading; json: the site's JSON form with every field, both languages, live stats and URLs."`
}

// GetOutput is get_error's structured result.
type GetOutput struct {
	ID    string       `json:"id" jsonschema:"entry id"`
	URL   string       `json:"url" jsonschema:"the entry's page in the requested language"`
	Entry *canon.Entry `json:"entry" jsonschema:"the whole entry in both languages; field names as in the site's JSON form"`
}

// ---- search_errors ----

// SearchInput is search_errors' arguments.
type SearchInput struct {
	Query    string `json:"query" jsonschema:"Words to look for in signatures, examples, root causes, workarounds and dead ends, in English or Chinese (for example: pip externally managed)."`
	Domain   string `json:"domain,omitempty" jsonschema:"Only entries of this domain."`
	Category string `json:"category,omitempty" jsonschema:"Only entries of this category."`
	Limit    int    `json:"limit,omitempty" jsonschema:"Hits per page. Default 10."`
	Cursor   string `json:"cursor,omitempty" jsonschema:"next_cursor from the previous page; leave out for the first page."`
	Lang     string `json:"lang,omitempty" jsonschema:"Language of the answer: en or zh. Default en. The query may be in either language whatever this is."`
}

// SearchOutput is search_errors' structured result.
type SearchOutput struct {
	Hits       []Hit  `json:"hits" jsonschema:"entries found, best first"`
	Total      int    `json:"total" jsonschema:"how many entries match in all"`
	NextCursor string `json:"next_cursor,omitempty" jsonschema:"pass as cursor for the next page; absent on the last page"`
}

// Hit is one search result.
type Hit struct {
	ID         string  `json:"id" jsonschema:"entry id; pass it to get_error"`
	Title      string  `json:"title" jsonschema:"what the error is called, in the asked language"`
	Signature  string  `json:"signature" jsonschema:"the error as the tool prints it"`
	Snippet    string  `json:"snippet,omitempty" jsonschema:"text around the match"`
	Resolvable string  `json:"resolvable" jsonschema:"true, partial or false"`
	FixRate    float64 `json:"fix_rate" jsonschema:"chance (0..1) that the best workaround fixes it"`
	Score      float64 `json:"score" jsonschema:"relevance"`
}

// ---- list_domains ----

// LangInput is the arguments of tools that only take a language.
type LangInput struct {
	Lang string `json:"lang,omitempty" jsonschema:"Language of the answer: en (English) or zh (Simplified Chinese). Default en."`
}

// DomainsOutput is list_domains' structured result.
type DomainsOutput struct {
	Domains []DomainInfo `json:"domains" jsonschema:"every domain of the catalog"`
	Entries int          `json:"entries" jsonschema:"entries in the whole catalog"`
}

// DomainInfo is one domain.
type DomainInfo struct {
	ID          string `json:"id" jsonschema:"domain id, for the domain argument of other tools"`
	Name        string `json:"name" jsonschema:"display name"`
	Description string `json:"description" jsonschema:"what the domain covers"`
	Entries     int    `json:"entries" jsonschema:"number of entries"`
}

// ---- list_errors ----

// ListInput is list_errors' arguments.
type ListInput struct {
	Domain     string `json:"domain,omitempty" jsonschema:"Only entries of this domain (see list_domains)."`
	Category   string `json:"category,omitempty" jsonschema:"Only entries of this category."`
	Resolvable string `json:"resolvable,omitempty" jsonschema:"Only entries whose verdict is this: true, partial or false."`
	Sort       string `json:"sort,omitempty" jsonschema:"Order: fix_rate (highest first, default), confidence (highest first), name (by id), newest (most recently appeared error first)."`
	Limit      int    `json:"limit,omitempty" jsonschema:"Entries per page. Default 25."`
	Cursor     string `json:"cursor,omitempty" jsonschema:"next_cursor from the previous page with the same filters and sort; leave out for the first page."`
	Lang       string `json:"lang,omitempty" jsonschema:"Language of the answer: en (English) or zh (Simplified Chinese). Default en."`
}

// ListOutput is list_errors' structured result.
type ListOutput struct {
	Errors     []ListItem `json:"errors" jsonschema:"this page's entries"`
	Total      int        `json:"total" jsonschema:"entries matching the filters, over all pages"`
	NextCursor string     `json:"next_cursor,omitempty" jsonschema:"pass as cursor for the next page; absent on the last page"`
}

// ListItem is one entry of a listing.
type ListItem struct {
	ID           string  `json:"id" jsonschema:"entry id; pass it to get_error"`
	Title        string  `json:"title" jsonschema:"what the error is called, in the asked language"`
	Signature    string  `json:"signature" jsonschema:"the error as the tool prints it"`
	Category     string  `json:"category" jsonschema:"kind of error"`
	Resolvable   string  `json:"resolvable" jsonschema:"true, partial or false"`
	FixRate      float64 `json:"fix_rate" jsonschema:"chance (0..1) that the best workaround fixes it"`
	Confidence   float64 `json:"confidence" jsonschema:"how sure the entry is (0..1)"`
	Verification string  `json:"verification" jsonschema:"ai_generated, human_reviewed, community_verified or reproduced (a script makes a real tool print it)"`
	FirstSeen    string  `json:"first_seen" jsonschema:"when the error first appeared, YYYY-MM-DD"`
}

// ---- get_related ----

// RelatedInput is get_related's arguments.
type RelatedInput struct {
	ID    string `json:"id" jsonschema:"Entry id, domain/slug."`
	Depth int    `json:"depth,omitempty" jsonschema:"How many links to follow from the entry, 1 to 3. Default 1."`
	Lang  string `json:"lang,omitempty" jsonschema:"Language of the answer: en (English) or zh (Simplified Chinese). Default en."`
}

// RelatedOutput is get_related's structured result.
type RelatedOutput struct {
	ID      string    `json:"id" jsonschema:"the entry asked about"`
	Related []Related `json:"related" jsonschema:"entries reachable over the links, nearest first"`
}

// Related is one entry reached over a link.
type Related struct {
	ID          string  `json:"id" jsonschema:"entry id"`
	Relation    string  `json:"relation" jsonschema:"leads_to: typically comes next once from is fixed; preceded_by: typically comes before from; confused_with: similar text, another cause"`
	From        string  `json:"from" jsonschema:"the entry the link starts at"`
	Depth       int     `json:"depth" jsonschema:"links away from the entry asked about"`
	Probability float64 `json:"probability,omitempty" jsonschema:"how likely the link is (0..1), for leads_to and preceded_by"`
	Note        string  `json:"note,omitempty" jsonschema:"when the link holds (leads_to) or how to tell the two apart (confused_with)"`
	Title       string  `json:"title" jsonschema:"what the related error is called, in the asked language"`
	Signature   string  `json:"signature" jsonschema:"the related error as the tool prints it"`
	FixRate     float64 `json:"fix_rate" jsonschema:"chance (0..1) that its best workaround fixes it"`
}

// ---- get_stats ----

// NoInput is the arguments of a tool that takes none.
type NoInput struct{}

// StatsOutput is get_stats' structured result.
type StatsOutput struct {
	Entries        int     `json:"entries" jsonschema:"entries in the catalog"`
	Domains        int     `json:"domains" jsonschema:"domains in the catalog"`
	MeanFixRate    float64 `json:"mean_fix_rate" jsonschema:"average fix rate over all entries (0..1)"`
	MeanConfidence float64 `json:"mean_confidence" jsonschema:"average confidence (0..1)"`
	Workarounds    int     `json:"workarounds" jsonschema:"workarounds over all entries"`
	DeadEnds       int     `json:"dead_ends" jsonschema:"dead ends over all entries"`
	ByDomain       []Count `json:"by_domain" jsonschema:"entries per domain, most first"`
	ByCategory     []Count `json:"by_category" jsonschema:"entries per category, most first"`
	ByVerification []Count `json:"by_verification" jsonschema:"entries per verification level"`
	ByResolvable   []Count `json:"by_resolvable" jsonschema:"entries per verdict: true, partial, false"`
}

// Count is one row of a breakdown.
type Count struct {
	Key   string `json:"key" jsonschema:"the value counted"`
	Count int    `json:"count" jsonschema:"how many entries have it"`
}

// ---- report_outcome, submit_error (store issue) ----

// OutcomeInput is report_outcome's arguments.
type OutcomeInput struct {
	ID         string `json:"id" jsonschema:"Entry id the advice came from."`
	Workaround int    `json:"workaround,omitempty" jsonschema:"Number (1-based, as listed) of the workaround you tried. Give this or dead_end."`
	DeadEnd    int    `json:"dead_end,omitempty" jsonschema:"Number (1-based, as listed) of the dead end you tried anyway. Give this or workaround."`
	Fixed      bool   `json:"fixed" jsonschema:"Whether the error was gone afterwards."`
	Note       string `json:"note,omitempty" jsonschema:"Optional: versions, OS, what else was needed. No secrets or personal data."`
}

// SubmitInput is submit_error's arguments.
type SubmitInput struct {
	Text     string `json:"text" jsonschema:"The error verbatim as printed, with secrets, tokens and personal paths removed."`
	Domain   string `json:"domain,omitempty" jsonschema:"The tool or platform (a domain id from list_domains), if known."`
	Context  string `json:"context,omitempty" jsonschema:"What was being done: command, versions, OS."`
	Solution string `json:"solution,omitempty" jsonschema:"What fixed it, if something did."`
}

// fail is an error the model can act on: the message says what to do.
func fail(format string, args ...any) error { return fmt.Errorf(format, args...) }

// text wraps Markdown as a tool result.
func text(md string) *mcp.CallToolResult {
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: md}}}
}

// addTools registers every tool the configuration supports.
func (s *Server) addTools() error {
	domains := make([]string, len(s.cat.Domains))
	for i, d := range s.cat.Domains {
		domains[i] = d.ID
	}
	langs := []string{"en", "zh"}
	readOnly := &mcp.ToolAnnotations{ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: ptr(false)}
	var err error
	add := func(t *mcp.Tool, in *jsonschema.Schema, e error, register func(*mcp.Tool)) {
		if err != nil {
			return
		}
		if e != nil {
			err = fmt.Errorf("mcpserver: %s: %w", t.Name, e)
			return
		}
		t.InputSchema = in
		if t.Annotations == nil {
			t.Annotations = readOnly
		}
		register(t)
		s.tools = append(s.tools, t)
	}

	in, e := inputSchema[MatchInput](map[string]prop{
		"domain": {enum: domains},
		"limit":  {min: ptr(1.0), max: ptr(10.0), def: 3},
		"lang":   {enum: langs, def: "en"},
	})
	add(&mcp.Tool{Name: "match_error", Title: "Match an error",
		Description: "Identify a software error from its text and get what to do about it. Call this FIRST whenever a command, build, test, install or program fails, before trying any fix. " +
			"Pass the error verbatim: a message, a stack trace or the tail of a log. " +
			"Answers with the known entries that explain it, best first: the root cause, the DEAD ENDS (fixes people try that do not work: skip them), then the WORKAROUNDS in order with success rates and the first command. " +
			"Works for Python, Node.js, TypeScript, Go, Rust, Java, C, make, Docker, git, shell, nginx, PostgreSQL, Redis, AWS, TLS and HTTP APIs. " +
			"If nothing matches, try the single most specific error line, or search_errors with key words."},
		in, e, func(t *mcp.Tool) { mcp.AddTool(s.mcp, t, s.matchError) })

	in, e = inputSchema[BatchInput](map[string]prop{
		"texts":  {minItems: ptr(1), maxItems: ptr(MaxBatch)},
		"domain": {enum: domains},
		"limit":  {min: ptr(1.0), max: ptr(5.0), def: 1},
		"lang":   {enum: langs, def: "en"},
	})
	add(&mcp.Tool{Name: "batch_match", Title: "Match several errors",
		Description: "Match up to 20 separate error texts in one call (for example every failing test's error), each answered like match_error but briefer. Use match_error for a single error or one log."},
		in, e, func(t *mcp.Tool) { mcp.AddTool(s.mcp, t, s.batchMatch) })

	in, e = inputSchema[GetInput](map[string]prop{
		"lang":   {enum: langs, def: "en"},
		"format": {enum: []string{"markdown", "json"}, def: "markdown"},
	})
	add(&mcp.Tool{Name: "get_error", Title: "Get an error entry",
		Description: "Read one entry in full by id: root cause, every workaround with its steps and commands, every dead end with why it fails, affected versions, OS notes, official docs and related errors. Use after match_error when the short answer is not enough."},
		in, e, func(t *mcp.Tool) { mcp.AddTool(s.mcp, t, s.getError) })

	if s.search != nil {
		in, e = inputSchema[SearchInput](map[string]prop{
			"domain":   {enum: domains},
			"category": {enum: canon.Categories},
			"limit":    {min: ptr(1.0), max: ptr(50.0), def: 10},
			"lang":     {enum: langs, def: "en"},
		})
		add(&mcp.Tool{Name: "search_errors", Title: "Search errors",
			Description: "Full-text search of the catalog by words, in English or Chinese, when you do not have the exact error text (to identify an error from its printed text, match_error is better). Returns entry ids with signatures; read one with get_error."},
			in, e, func(t *mcp.Tool) { mcp.AddTool(s.mcp, t, s.searchErrors) })
	}

	in, e = inputSchema[LangInput](map[string]prop{"lang": {enum: langs, def: "en"}})
	add(&mcp.Tool{Name: "list_domains", Title: "List domains",
		Description: "List the catalog's domains (tools and platforms such as python, docker, git) with how many entries each has. Domain ids filter match_error, search_errors and list_errors."},
		in, e, func(t *mcp.Tool) { mcp.AddTool(s.mcp, t, s.listDomains) })

	in, e = inputSchema[ListInput](map[string]prop{
		"domain":     {enum: domains},
		"category":   {enum: canon.Categories},
		"resolvable": {enum: canon.Resolvables},
		"sort":       {enum: []string{"fix_rate", "confidence", "name", "newest"}, def: "fix_rate"},
		"limit":      {min: ptr(1.0), max: ptr(100.0), def: 25},
		"lang":       {enum: langs, def: "en"},
	})
	add(&mcp.Tool{Name: "list_errors", Title: "List errors",
		Description: "Browse entries, filtered by domain, category or verdict, sorted, one page at a time (follow next_cursor). Each line has the id, the signature and the fix rate."},
		in, e, func(t *mcp.Tool) { mcp.AddTool(s.mcp, t, s.listErrors) })

	in, e = inputSchema[RelatedInput](map[string]prop{
		"depth": {min: ptr(1.0), max: ptr(3.0), def: 1},
		"lang":  {enum: langs, def: "en"},
	})
	add(&mcp.Tool{Name: "get_related", Title: "Get related errors",
		Description: "Follow an entry's links up to 3 steps: the errors that typically come next once it is fixed (leads_to), the ones that come before it (preceded_by), and look-alikes with another cause (confused_with). Use it to anticipate the next failure or to check you have the right entry."},
		in, e, func(t *mcp.Tool) { mcp.AddTool(s.mcp, t, s.getRelated) })

	in, e = inputSchema[NoInput](nil)
	add(&mcp.Tool{Name: "get_stats", Title: "Catalog figures",
		Description: "Figures about the catalog: entries, domains, breakdowns by domain, category, verification level and verdict, mean fix rate and confidence."},
		in, e, func(t *mcp.Tool) { mcp.AddTool(s.mcp, t, s.getStats) })

	if s.outcomes != nil {
		in, e = inputSchema[OutcomeInput](map[string]prop{
			"workaround": {min: ptr(1.0), max: ptr(100.0)},
			"dead_end":   {min: ptr(1.0), max: ptr(100.0)},
		})
		add(&mcp.Tool{Name: "report_outcome", Title: "Report an outcome",
			Description: "After trying a workaround (or a dead end) from an entry, report whether it fixed the error. Reports update the success rates every agent sees. Report once per attempt.",
			Annotations: &mcp.ToolAnnotations{OpenWorldHint: ptr(false), DestructiveHint: ptr(false)}},
			in, e, func(t *mcp.Tool) { mcp.AddTool(s.mcp, t, s.reportOutcome) })
	}
	if s.submit != nil {
		in, e = inputSchema[SubmitInput](map[string]prop{"domain": {enum: domains}})
		add(&mcp.Tool{Name: "submit_error", Title: "Submit a new error",
			Description: "Submit an error that match_error did not recognize, with what fixed it if something did, for review and inclusion in the catalog. Remove secrets and personal data first.",
			Annotations: &mcp.ToolAnnotations{OpenWorldHint: ptr(false), DestructiveHint: ptr(false)}},
			in, e, func(t *mcp.Tool) { mcp.AddTool(s.mcp, t, s.submitError) })
	}
	return err
}

// ---- handlers ----

func (s *Server) matchError(ctx context.Context, _ *mcp.CallToolRequest, in MatchInput) (*mcp.CallToolResult, MatchOutput, error) {
	if len(in.Text) > MaxText {
		return nil, MatchOutput{}, fail("text is %d bytes, over the %d-byte (4 MiB) limit: send the last 200 lines of the log, or the lines around the first error", len(in.Text), MaxText)
	}
	if strings.TrimSpace(in.Text) == "" {
		return nil, MatchOutput{}, fail("text is empty: pass the error message, stack trace or log excerpt verbatim, as the failing command printed it")
	}
	rs, err := s.ix.Match([]byte(in.Text), match.Options{Limit: in.Limit, Domain: in.Domain})
	if err != nil {
		return nil, MatchOutput{}, err
	}
	out := MatchOutput{Matched: len(rs) > 0 && rs[0].Kind == match.Matched, Results: s.results(rs, in.Lang)}
	return text(s.matchMarkdown(out.Results, in.Lang, in.Domain)), out, nil
}

// results converts matcher results to the tools' short form, keeping three
// dead ends and three workarounds each.
func (s *Server) results(rs []match.Result, lang string) []Result {
	out := make([]Result, 0, len(rs))
	for _, sum := range match.Summarize(rs, lang, 3) {
		r := Result{ID: sum.ID, Kind: string(sum.Kind), Title: sum.Title, Signature: sum.Signature, Domain: sum.Domain,
			Category: sum.Category, Resolvable: sum.Resolvable, FixRate: sum.FixRate, Confidence: sum.Confidence,
			RootCause: brief(sum.RootCause, 400), URL: s.entryURL(sum.ID, lang), Score: round(sum.Score.Total),
			DeadEnds: make([]DeadEnd, len(sum.DeadEnds)), Workarounds: make([]Workaround, len(sum.Workarounds))}
		if sum.Span != nil {
			r.Line, r.MatchedText = sum.Span.Line, clip(sum.Span.Text, 300)
		}
		for i, d := range sum.DeadEnds {
			r.DeadEnds[i] = DeadEnd{d.Action, brief(d.WhyFails, 240), d.FailRate}
		}
		for i, w := range sum.Workarounds {
			r.Workarounds[i] = Workaround{w.Action, clip(w.Command, 200), clip(w.Check, 200), w.SuccessRate}
		}
		out = append(out, r)
	}
	return out
}

func (s *Server) batchMatch(ctx context.Context, _ *mcp.CallToolRequest, in BatchInput) (*mcp.CallToolResult, BatchOutput, error) {
	if len(in.Texts) == 0 || len(in.Texts) > MaxBatch {
		return nil, BatchOutput{}, fail("texts holds %d texts; send 1 to %d (split a longer list over several calls)", len(in.Texts), MaxBatch)
	}
	total := 0
	for _, t := range in.Texts {
		total += len(t)
	}
	if total > MaxText {
		return nil, BatchOutput{}, fail("texts add up to %d bytes, over the %d-byte (4 MiB) limit: send fewer or shorter texts (the lines around each error are enough)", total, MaxText)
	}
	out := BatchOutput{Items: make([]BatchItem, len(in.Texts))}
	for i, t := range in.Texts {
		if err := ctx.Err(); err != nil {
			return nil, BatchOutput{}, err
		}
		item := BatchItem{Index: i, Results: []Result{}}
		if strings.TrimSpace(t) == "" {
			item.Error = "empty text"
		} else if rs, err := s.ix.Match([]byte(t), match.Options{Limit: in.Limit, Domain: in.Domain}); err != nil {
			item.Error = err.Error()
		} else {
			item.Matched = len(rs) > 0 && rs[0].Kind == match.Matched
			item.Results = s.results(rs, in.Lang)
		}
		out.Items[i] = item
	}
	return text(s.batchMarkdown(out.Items, in.Lang)), out, nil
}

func (s *Server) getError(ctx context.Context, _ *mcp.CallToolRequest, in GetInput) (*mcp.CallToolResult, GetOutput, error) {
	e, err := s.lookup(in.ID)
	if err != nil {
		return nil, GetOutput{}, err
	}
	var buf bytes.Buffer
	if in.Format == "json" {
		err = s.r.EntryJSON(&buf, e)
	} else {
		err = s.r.EntryMarkdown(&buf, e, render.Lang(in.Lang))
	}
	if err != nil {
		return nil, GetOutput{}, err
	}
	return text(buf.String()), GetOutput{ID: e.ID, URL: s.entryURL(e.ID, in.Lang), Entry: e}, nil
}

func (s *Server) searchErrors(ctx context.Context, _ *mcp.CallToolRequest, in SearchInput) (*mcp.CallToolResult, SearchOutput, error) {
	q := strings.TrimSpace(in.Query)
	if q == "" {
		return nil, SearchOutput{}, fail("query is empty: pass a few words from the error, for example: pip externally managed")
	}
	if utf8.RuneCountInString(q) > maxQuery {
		return nil, SearchOutput{}, fail("query is longer than %d characters: pass a few key words; to identify an error from its full text use match_error", maxQuery)
	}
	key := searchKey(q, in)
	offset, err := decodeCursor(in.Cursor, key)
	if err != nil {
		return nil, SearchOutput{}, err
	}
	hits, total, err := s.search.Search(ctx, SearchQuery{Query: q, Lang: in.Lang, Domain: in.Domain, Category: in.Category, Limit: in.Limit, Offset: offset})
	if err != nil {
		return nil, SearchOutput{}, err
	}
	out := SearchOutput{Hits: []Hit{}, Total: total}
	for _, h := range hits {
		e := s.cat.Entry(h.ID)
		if e == nil {
			continue
		}
		out.Hits = append(out.Hits, Hit{ID: e.ID, Title: canon.Pick(in.Lang, e.Title, e.TitleZh), Signature: e.Signature, Snippet: clip(h.Snippet, 300), Resolvable: e.Resolvable, FixRate: e.FixRate, Score: round(h.Score)})
	}
	if next := offset + len(hits); len(hits) > 0 && next < total {
		out.NextCursor = encodeCursor(key, next)
	}
	return text(s.searchMarkdown(q, out, in.Lang)), out, nil
}

func (s *Server) listDomains(ctx context.Context, _ *mcp.CallToolRequest, in LangInput) (*mcp.CallToolResult, DomainsOutput, error) {
	out := DomainsOutput{Domains: []DomainInfo{}, Entries: len(s.cat.Entries)}
	for _, d := range s.cat.Domains {
		out.Domains = append(out.Domains, DomainInfo{ID: d.ID, Name: canon.Pick(in.Lang, d.Name, d.NameZh),
			Description: canon.Pick(in.Lang, d.Description, d.DescriptionZh), Entries: len(s.cat.InDomain(d.ID))})
	}
	return text(domainsMarkdown(out, in.Lang)), out, nil
}

func (s *Server) listErrors(ctx context.Context, _ *mcp.CallToolRequest, in ListInput) (*mcp.CallToolResult, ListOutput, error) {
	key := "list:" + in.Domain + ":" + in.Category + ":" + in.Resolvable + ":" + in.Sort
	offset, err := decodeCursor(in.Cursor, key)
	if err != nil {
		return nil, ListOutput{}, err
	}
	entries := s.cat.Entries
	if in.Domain != "" {
		entries = s.cat.InDomain(in.Domain)
	}
	var sel []*canon.Entry
	for _, e := range entries {
		if (in.Category == "" || e.Category == in.Category) && (in.Resolvable == "" || e.Resolvable == in.Resolvable) {
			sel = append(sel, e)
		}
	}
	sortEntries(sel, in.Sort)
	out := ListOutput{Errors: []ListItem{}, Total: len(sel)}
	if offset > len(sel) {
		offset = len(sel)
	}
	end := min(offset+in.Limit, len(sel))
	for _, e := range sel[offset:end] {
		out.Errors = append(out.Errors, ListItem{ID: e.ID, Title: canon.Pick(in.Lang, e.Title, e.TitleZh), Signature: e.Signature, Category: e.Category, Resolvable: e.Resolvable,
			FixRate: e.FixRate, Confidence: e.Confidence, Verification: e.Verification, FirstSeen: e.FirstSeen})
	}
	if end < len(sel) {
		out.NextCursor = encodeCursor(key, end)
	}
	return text(listMarkdown(out, offset, in.Lang)), out, nil
}

// sortEntries orders entries for list_errors; ties go by id, so pages are
// stable.
func sortEntries(es []*canon.Entry, by string) {
	less := func(a, b *canon.Entry) int {
		switch by {
		case "confidence":
			if a.Confidence != b.Confidence {
				return cmpDesc(a.Confidence, b.Confidence)
			}
		case "newest":
			if a.FirstSeen != b.FirstSeen {
				return strings.Compare(b.FirstSeen, a.FirstSeen)
			}
		case "name":
		default: // fix_rate
			if a.FixRate != b.FixRate {
				return cmpDesc(a.FixRate, b.FixRate)
			}
		}
		return strings.Compare(a.ID, b.ID)
	}
	slices.SortStableFunc(es, less)
}

func cmpDesc(a, b float64) int {
	if a > b {
		return -1
	}
	return 1
}

func (s *Server) getRelated(ctx context.Context, _ *mcp.CallToolRequest, in RelatedInput) (*mcp.CallToolResult, RelatedOutput, error) {
	root, err := s.lookup(in.ID)
	if err != nil {
		return nil, RelatedOutput{}, err
	}
	out := RelatedOutput{ID: root.ID, Related: []Related{}}
	seen := map[string]bool{root.ID: true}
	frontier := []string{root.ID}
	for depth := 1; depth <= in.Depth && len(frontier) > 0; depth++ {
		var next []string
		for _, from := range frontier {
			for _, l := range s.links(from, in.Lang) {
				if seen[l.ID] {
					continue
				}
				seen[l.ID] = true
				e := s.cat.Entry(l.ID)
				l.From, l.Depth, l.Title, l.Signature, l.FixRate = from, depth, canon.Pick(in.Lang, e.Title, e.TitleZh), e.Signature, e.FixRate
				out.Related = append(out.Related, l)
				next = append(next, l.ID)
			}
		}
		frontier = next
	}
	return text(s.relatedMarkdown(root, out, in.Lang)), out, nil
}

// links returns an entry's links, including those implied by other
// entries' links to it: A leads_to B means B is preceded_by A, and
// confused_with goes both ways.
func (s *Server) links(id, lang string) []Related {
	e := s.cat.Entry(id)
	var out []Related
	have := map[string]bool{}
	add := func(r Related) {
		k := r.Relation + " " + r.ID
		if !have[k] && r.ID != id && s.cat.Entry(r.ID) != nil {
			have[k] = true
			out = append(out, r)
		}
	}
	for _, l := range e.Related.LeadsTo {
		add(Related{ID: l.ID, Relation: "leads_to", Probability: l.Probability, Note: canon.Pick(lang, l.Condition, l.ConditionZh)})
	}
	for _, l := range e.Related.PrecededBy {
		add(Related{ID: l.ID, Relation: "preceded_by", Probability: l.Probability})
	}
	for _, l := range e.Related.ConfusedWith {
		add(Related{ID: l.ID, Relation: "confused_with", Note: canon.Pick(lang, l.Distinction, l.DistinctionZh)})
	}
	for _, o := range s.cat.Entries {
		for _, l := range o.Related.LeadsTo {
			if l.ID == id {
				add(Related{ID: o.ID, Relation: "preceded_by", Probability: l.Probability, Note: canon.Pick(lang, l.Condition, l.ConditionZh)})
			}
		}
		for _, l := range o.Related.PrecededBy {
			if l.ID == id {
				add(Related{ID: o.ID, Relation: "leads_to", Probability: l.Probability})
			}
		}
		for _, l := range o.Related.ConfusedWith {
			if l.ID == id {
				add(Related{ID: o.ID, Relation: "confused_with", Note: canon.Pick(lang, l.Distinction, l.DistinctionZh)})
			}
		}
	}
	return out
}

func (s *Server) getStats(ctx context.Context, _ *mcp.CallToolRequest, _ NoInput) (*mcp.CallToolResult, StatsOutput, error) {
	out := StatsOutput{Entries: len(s.cat.Entries), Domains: len(s.cat.Domains)}
	dom, cat, ver, res := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	for _, e := range s.cat.Entries {
		dom[e.Domain]++
		cat[e.Category]++
		ver[e.Verification]++
		res[e.Resolvable]++
		out.MeanFixRate += e.FixRate
		out.MeanConfidence += e.Confidence
		out.Workarounds += len(e.Workarounds)
		out.DeadEnds += len(e.DeadEnds)
	}
	if n := float64(len(s.cat.Entries)); n > 0 {
		out.MeanFixRate, out.MeanConfidence = round(out.MeanFixRate/n), round(out.MeanConfidence/n)
	}
	for _, d := range s.cat.Domains {
		if _, ok := dom[d.ID]; !ok {
			dom[d.ID] = 0
		}
	}
	out.ByDomain, out.ByCategory = counts(dom, nil), counts(cat, nil)
	out.ByVerification, out.ByResolvable = counts(ver, canon.Verifications), counts(res, canon.Resolvables)
	return text(statsMarkdown(out)), out, nil
}

// counts turns a tally into rows: in the given order when order is set,
// else most first.
func counts(m map[string]int, order []string) []Count {
	out := []Count{}
	if order != nil {
		for _, k := range order {
			out = append(out, Count{k, m[k]})
		}
		return out
	}
	for k, n := range m {
		out = append(out, Count{k, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Key < out[j].Key
	})
	return out
}

func (s *Server) reportOutcome(ctx context.Context, _ *mcp.CallToolRequest, in OutcomeInput) (*mcp.CallToolResult, Receipt, error) {
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
	case utf8.RuneCountInString(in.Note) > maxNote:
		return nil, Receipt{}, fail("note is longer than %d characters: keep it to versions, OS and what else was needed", maxNote)
	}
	rc, err := s.outcomes.RecordOutcome(ctx, Outcome{ID: e.ID, Workaround: in.Workaround, DeadEnd: in.DeadEnd, Fixed: in.Fixed, Note: in.Note})
	if err != nil {
		return nil, Receipt{}, err
	}
	return text("Recorded. " + rc.Message), rc, nil
}

func (s *Server) submitError(ctx context.Context, _ *mcp.CallToolRequest, in SubmitInput) (*mcp.CallToolResult, Receipt, error) {
	switch {
	case strings.TrimSpace(in.Text) == "":
		return nil, Receipt{}, fail("text is empty: pass the error verbatim as printed")
	case len(in.Text) > 64<<10:
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

// ---- helpers ----

// lookup finds an entry by id, also accepting the entry's URLs and
// resource URI; an unknown id gets an error naming the closest ids.
func (s *Server) lookup(raw string) (*canon.Entry, error) {
	id := normalizeID(raw)
	if id == "" {
		return nil, fail("id is empty: pass an entry id such as python/module-not-found-error (match_error, search_errors and list_errors return ids)")
	}
	if _, _, ok := canon.SplitID(id); ok {
		if e := s.cat.Entry(id); e != nil {
			return e, nil
		}
	}
	msg := fmt.Sprintf("no entry %q in the catalog", clip(raw, 120))
	if sug := s.suggest(id); len(sug) > 0 {
		msg += "; did you mean " + strings.Join(sug, ", ") + "?"
	}
	return nil, errors.New(msg + " Ids look like domain/slug; find them with match_error (from the error text), search_errors or list_errors.")
}

// normalizeID strips what people and models wrap ids in: the site's URLs,
// the resource URI, slashes, a file suffix.
func normalizeID(s string) string {
	s = strings.TrimSpace(s)
	for _, p := range []string{ResourceScheme + "://errors/", "https://", "http://"} {
		s = strings.TrimPrefix(s, p)
	}
	if i := strings.Index(s, "/errors/"); i >= 0 {
		s = s[i+len("/errors/"):]
	}
	s = strings.TrimPrefix(s, "errors/")
	for _, suf := range []string{"index.json", "index.md", "zh.md", "zh.html", "index.html", ".yaml", ".json"} {
		s = strings.TrimSuffix(s, suf)
	}
	return strings.ToLower(strings.Trim(s, "/"))
}

// suggest returns up to three ids that resemble id: same domain and most
// shared words first.
func (s *Server) suggest(id string) []string {
	words := func(x string) []string {
		return strings.FieldsFunc(x, func(r rune) bool { return r == '/' || r == '-' || r == '_' || r == ' ' || r == '.' })
	}
	want := words(id)
	if len(want) == 0 {
		return nil
	}
	dom, _, _ := strings.Cut(id, "/")
	type cand struct {
		id    string
		score int
	}
	var cs []cand
	for _, e := range s.cat.Entries {
		score := 0
		have := words(e.ID)
		for _, w := range want {
			if slices.Contains(have, w) {
				score += 2
			}
		}
		if score == 0 {
			continue
		}
		if e.Domain == dom {
			score++
		}
		cs = append(cs, cand{e.ID, score})
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].score > cs[j].score })
	var out []string
	for i := 0; i < len(cs) && i < 3; i++ {
		out = append(out, cs[i].id)
	}
	return out
}

func (s *Server) entryURL(id, lang string) string {
	return s.r.Abs(render.EntryPagePath(id, render.Lang(lang)))
}

// searchKey names a search's listing in its cursors: the query, its
// filters and its page size, hashed to keep cursors short.
func searchKey(q string, in SearchInput) string {
	h := fnv.New64a()
	h.Write([]byte(q + "\x00" + in.Domain + "\x00" + in.Category + "\x00" + strconv.Itoa(in.Limit)))
	return "search:" + strconv.FormatUint(h.Sum64(), 36)
}

// Cursors are opaque to the model: base64 of the listing they belong to
// and an offset, so a cursor from another listing is refused rather than
// silently paging the wrong list.
func encodeCursor(key string, offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(key + "@" + strconv.Itoa(offset)))
}

func decodeCursor(c, key string) (int, error) {
	if c == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	k, off, ok := strings.Cut(string(b), "@")
	n, err2 := strconv.Atoi(off)
	if err != nil || !ok || err2 != nil || n < 0 {
		return 0, fail("cursor %q is not one this server returned: pass next_cursor from the previous answer unchanged, or leave cursor out to start from the first page", clip(c, 60))
	}
	if k != key {
		return 0, fail("cursor belongs to a listing with other filters or sort: repeat the same filters and sort as the call that returned it, or leave cursor out to start over")
	}
	return n, nil
}

func round(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }

// clip cuts s to at most n bytes on a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// brief keeps the first sentences of s that fit in n bytes (at least the
// first, clipped), in English or Chinese.
func brief(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	end := 0
	for i, r := range s {
		if i > n {
			break
		}
		if r == '。' || ((r == '.' || r == ';') && i > 20 && (i+1 == len(s) || s[i+1] == ' ')) {
			end = i + utf8.RuneLen(r)
		}
	}
	if end == 0 {
		return clip(s, n)
	}
	return s[:end]
}
