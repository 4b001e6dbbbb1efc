// This file holds the API: the limits, Query, Results and their parts,
// and Index.Search, which checks and cleans the query (clean.go), analyzes
// and plans it (plan.go), scores the entries (query.go) and collects the
// page of hits, their snippets (snippet.go) and the facet counts
// (facets.go).

package search

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/errorcanon/errorcanon/internal/canon"
)

// Limits of a search; they are part of the API (see the package
// documentation).
const (
	// MaxQueryBytes bounds the query text: longer text is cut (see [Clean]).
	MaxQueryBytes = 512
	// MaxTerms is the number of distinct words read from a query text.
	MaxTerms = 32
	// MaxSearchWords is the number of those words searched, the rarest.
	MaxSearchWords = 12
	// DefaultPerPage is the page size when Query.PerPage is 0.
	DefaultPerPage = 10
	// MaxPerPage is the largest Query.PerPage.
	MaxPerPage = 50
	// MaxPage is the last page a Query may ask for.
	MaxPage = 100
	// MaxSnippets bounds the snippets of one hit.
	MaxSnippets = 3
)

// ErrInvalid is wrapped by every error Search returns for a bad Query, so
// a caller can answer 400 with the message as it is.
var ErrInvalid = errors.New("invalid search")

// Query is one search.
type Query struct {
	Text string // words, in English, Chinese or both; any characters
	// Lang is "en" or "zh" to search only that language's texts, or ""
	// for both: each word is then analysed by its own script, so the
	// query's language comes from its text. Every surface searches with
	// "" (the CLI unless --lang, MCP, the site and the API): the
	// interface language chooses how results are shown, never how a
	// query is analysed, so /search?q=证书 on the English site finds what
	// the Chinese one does, and an English word on the Chinese site
	// finds English texts.
	Lang string

	// Filters, exact values; empty means any.
	Domain       string
	Category     string
	Verification string
	Resolvable   string // "true", "partial" or "false"

	Page    int // 1-based; 0 means 1
	PerPage int // 0 means DefaultPerPage
}

// Results is one page of hits.
type Results struct {
	// Query is the text searched: cleaned, trimmed and cut.
	Query string `json:"query"`
	// Truncated is set when the text was cut to MaxQueryBytes.
	Truncated bool `json:"truncated"`
	// Partial is set when no entry matched every word and the hits are
	// entries matching at least half of them.
	Partial bool  `json:"partial"`
	Total   int   `json:"total"`
	Page    int   `json:"page"`
	PerPage int   `json:"per_page"`
	Hits    []Hit `json:"hits"`
	// Facets count the entries matching the query and filters per value.
	Facets Facets `json:"facets"`
}

// Pages is the number of pages a client may ask for (at most MaxPage).
func (r *Results) Pages() int {
	if r.PerPage <= 0 {
		return 0
	}
	return min(MaxPage, (r.Total+r.PerPage-1)/r.PerPage)
}

// Hit is one matching entry.
type Hit struct {
	ID    string  `json:"id"`
	Score float64 `json:"score"`
	// Snippets are fragments of up to MaxSnippets matched fields, as HTML.
	Snippets []Snippet `json:"snippets"`
	// Fields are all the fields where a query word matched, in the order
	// signature, signature_zh, examples, root_cause, root_cause_zh,
	// workarounds, workarounds_zh, dead_ends, dead_ends_zh, error_code, tags.
	Fields []string     `json:"fields"`
	Entry  *canon.Entry `json:"-"`
}

// Snippet is a fragment of one field: HTML-escaped text with <mark>
// around the matched words.
type Snippet struct {
	Field string `json:"field"`
	HTML  string `json:"html"`
}

// Facets count matching entries per value, most frequent first.
type Facets struct {
	Domain       []Count `json:"domain"`
	Category     []Count `json:"category"`
	Verification []Count `json:"verification"`
	Resolvable   []Count `json:"resolvable"`
}

// Count is one facet value and the number of matching entries with it.
type Count struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Search runs q and returns one page of hits, best first, equal scores by
// id within the page (across pages, in an order fixed for the index's
// life). See the package documentation for
// how words match, and for the limits: a bad Page, PerPage or Lang is an
// error wrapping ErrInvalid, any text is fine. Errors otherwise come only
// from ctx.
//
// Results are cached by normalised query (cache.go) and shared by the
// callers that ask the same: treat them as read-only.
func (ix *Index) Search(ctx context.Context, q Query) (*Results, error) {
	if err := checkQuery(&q); err != nil {
		return nil, err
	}
	text, cut := Clean(q.Text)
	key := cacheKey(text, q)
	if res, ok := ix.cache.Get(key); ok {
		return res, nil
	}
	res, err := ix.search(ctx, q, text, cut)
	if err == nil {
		ix.cache.Add(key, res)
	}
	return res, err
}

// search answers a checked query whose text is cleaned.
func (ix *Index) search(ctx context.Context, q Query, text string, cut bool) (*Results, error) {
	res := &Results{Query: text, Truncated: cut, Page: q.Page, PerPage: q.PerPage, Hits: []Hit{}}
	if text == "" {
		ix.list(res, q)
		return res, nil
	}
	t := ix.analyze(text, q.Lang)
	if len(t.words) == 0 {
		return res, nil // only stop words or punctuation: nothing to look for
	}
	ix.plan(t)
	if err := ix.run(ctx, res, len(t.words), q, t); err != nil || res.Total > 0 || len(t.words) < 2 {
		return res, err
	}
	res.Partial = true
	return res, ix.run(ctx, res, (len(t.words)+1)/2, q, t)
}

// list fills res with the entries passing q's filters, by id: the answer
// to a blank query.
func (ix *Index) list(res *Results, q Query) {
	fc := ix.newFacetCounter()
	from := (q.Page - 1) * q.PerPage
	for i, e := range ix.sorted {
		if !passes(e, q) {
			continue
		}
		fc.add(int32(i))
		if res.Total >= from && len(res.Hits) < q.PerPage {
			res.Hits = append(res.Hits, Hit{ID: e.ID, Entry: e, Snippets: []Snippet{}, Fields: []string{}})
		}
		res.Total++
	}
	res.Facets = fc.facets()
}

// passes reports whether e passes q's filters.
func passes(e *canon.Entry, q Query) bool {
	return (q.Domain == "" || e.Domain == q.Domain) && (q.Category == "" || e.Category == q.Category) &&
		(q.Verification == "" || e.Verification == q.Verification) && (q.Resolvable == "" || e.Resolvable == q.Resolvable)
}

// run fills res with the entries matching at least need of t's words and
// passing q's filters, best first, equal scores by id.
func (ix *Index) run(ctx context.Context, res *Results, need int, q Query, t *terms) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	type hit struct {
		doc   int32
		score float64
	}
	var hits []hit
	fc := ix.newFacetCounter()
	ix.match(t, need, func(d int32, score float64) {
		if passes(ix.sorted[d], q) {
			hits = append(hits, hit{d, score})
			fc.add(d)
		}
	})
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	// Entries are numbered in id order: equal scores go by id.
	slices.SortFunc(hits, func(a, b hit) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.doc, b.doc)
	})
	res.Total = len(hits)
	res.Hits = res.Hits[:0]
	from := (q.Page - 1) * q.PerPage
	for _, h := range hits[min(from, len(hits)):min(from+q.PerPage, len(hits))] {
		e := ix.sorted[h.doc]
		h := Hit{ID: e.ID, Score: h.score, Entry: e}
		h.Snippets, h.Fields = ix.highlight(e, t, q.Lang)
		res.Hits = append(res.Hits, h)
	}
	res.Facets = fc.facets()
	return nil
}
