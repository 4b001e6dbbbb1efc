// This file holds the tools about one entry, get_error and get_related,
// and the lookup of an entry by id (or URL) that they share with the
// resources.

package mcpserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
)

// getInput is get_error's arguments.
type getInput struct {
	ID string `json:"id" jsonschema:"Entry id, domain/slug, as returned by match_error, search_errors or list_errors (for example python/module-not-found-error). An entry URL also works."`
	langArg
	Detail string `json:"detail,omitempty" jsonschema:"full (default): the whole entry in the asked language (steps, versions, docs, evidence); summary: the verdict only (cause, dead ends, workarounds with commands)."`
	Format string `json:"format,omitempty" jsonschema:"markdown (default), or json: the site's JSON form (both languages, every field)."`
}

// getOutput is get_error's structured result: the entry's verdict in the
// asked language, as match_error gives it, with every workaround and dead
// end; the text content has the rest.
type getOutput struct {
	matchResult
	Detail string `json:"detail" jsonschema:"summary or full: how much the text content holds"`
}

// relatedInput is get_related's arguments.
type relatedInput struct {
	ID    string `json:"id" jsonschema:"Entry id, domain/slug."`
	Depth int    `json:"depth,omitempty" jsonschema:"How many links to follow from the entry, 1 to 3. Default 1."`
	langArg
}

// relatedOutput is get_related's structured result.
type relatedOutput struct {
	ID      string         `json:"id" jsonschema:"the entry asked about"`
	Related []relatedEntry `json:"related" jsonschema:"entries reachable over the links, nearest first"`
}

// relatedEntry is one entry reached over a link.
type relatedEntry struct {
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

func (s *Server) getError(ctx context.Context, _ *mcp.CallToolRequest, in getInput) (*mcp.CallToolResult, getOutput, error) {
	e, err := s.lookup(in.ID)
	if err != nil {
		return nil, getOutput{}, err
	}
	detail := in.Detail
	if detail == "" {
		detail = "full"
	}
	out := getOutput{matchResult: s.verdict(ctx, e, in.Lang), Detail: detail}
	if in.Format == "json" {
		var buf bytes.Buffer
		if err := s.r.EntryJSON(&buf, e); err != nil {
			return nil, getOutput{}, err
		}
		return text(s.relink(ctx, buf.String())), out, nil
	}
	if detail == "summary" {
		var b strings.Builder
		writeResult(&b, out.matchResult, in.Lang, true)
		return text(b.String()), out, nil
	}
	var buf bytes.Buffer
	if err := s.r.EntryMarkdownOneLanguage(&buf, e, render.Lang(in.Lang)); err != nil {
		return nil, getOutput{}, err
	}
	return text(s.relink(ctx, buf.String())), out, nil
}

// verdict is an entry's verdict as match_error gives it (live figures,
// in lang), with every dead end and workaround, and the sentence of the
// root cause that names the mechanism.
func (s *Server) verdict(ctx context.Context, e *canon.Entry, lang string) matchResult {
	r := s.results(ctx, []match.Result{{Entry: e, ID: e.ID, Kind: match.Matched}}, lang, 0)[0]
	r.RootCause = canon.CauseSentence(e, lang)
	r.Score = 0
	// The commands keep their {placeholders}: no text filled them.
	for i, w := range e.Workarounds {
		if i < len(r.Workarounds) && r.Workarounds[i].Command == "" {
			r.Workarounds[i].Command = w.Command
		}
	}
	return r
}

func (s *Server) getRelated(ctx context.Context, _ *mcp.CallToolRequest, in relatedInput) (*mcp.CallToolResult, relatedOutput, error) {
	root, err := s.lookup(in.ID)
	if err != nil {
		return nil, relatedOutput{}, err
	}
	out := relatedOutput{ID: root.ID, Related: []relatedEntry{}}
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
				l.From, l.Depth, l.Title, l.Signature, l.FixRate = from, depth, canon.Pick(in.Lang, e.Title, e.TitleZh), e.Signature, s.r.FixRate(e)
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
func (s *Server) links(id, lang string) []relatedEntry {
	e := s.cat.Entry(id)
	var out []relatedEntry
	have := map[string]bool{}
	add := func(r relatedEntry) {
		k := r.Relation + " " + r.ID
		if !have[k] && r.ID != id && s.cat.Entry(r.ID) != nil {
			have[k] = true
			out = append(out, r)
		}
	}
	for _, l := range e.Related.LeadsTo {
		add(relatedEntry{ID: l.ID, Relation: "leads_to", Probability: l.Probability, Note: canon.Pick(lang, l.Condition, l.ConditionZh)})
	}
	for _, l := range e.Related.PrecededBy {
		add(relatedEntry{ID: l.ID, Relation: "preceded_by", Probability: l.Probability})
	}
	for _, l := range e.Related.ConfusedWith {
		add(relatedEntry{ID: l.ID, Relation: "confused_with", Note: canon.Pick(lang, l.Distinction, l.DistinctionZh)})
	}
	for _, o := range s.cat.Entries {
		for _, l := range o.Related.LeadsTo {
			if l.ID == id {
				add(relatedEntry{ID: o.ID, Relation: "preceded_by", Probability: l.Probability, Note: canon.Pick(lang, l.Condition, l.ConditionZh)})
			}
		}
		for _, l := range o.Related.PrecededBy {
			if l.ID == id {
				add(relatedEntry{ID: o.ID, Relation: "leads_to", Probability: l.Probability})
			}
		}
		for _, l := range o.Related.ConfusedWith {
			if l.ID == id {
				add(relatedEntry{ID: o.ID, Relation: "confused_with", Note: canon.Pick(lang, l.Distinction, l.DistinctionZh)})
			}
		}
	}
	return out
}

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
