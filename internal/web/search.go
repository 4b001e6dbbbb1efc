package web

import (
	"context"
	"errors"
	"fmt"
	"html"
	"regexp"
	"strings"

	"github.com/errorcanon/errorcanon/internal/api"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/search"
)

// Searcher adapts a search.Index to what the search page and
// /api/v1/search use.
func Searcher(ix *search.Index) api.Searcher { return indexSearcher{ix} }

type indexSearcher struct{ ix *search.Index }

func (s indexSearcher) Search(ctx context.Context, q api.SearchQuery) (api.SearchResult, error) {
	res, err := s.ix.Search(ctx, search.Query{
		Text: q.Text, Lang: string(q.Lang),
		Domain: q.Filters.Domain, Category: q.Filters.Category, Verification: q.Filters.Verification, Resolvable: q.Filters.Resolvable,
		Page: q.Filters.Page, PerPage: q.Filters.PerPage,
	})
	if errors.Is(err, search.ErrInvalid) {
		return api.SearchResult{}, fmt.Errorf("%w: %s", api.ErrBadSearch, strings.TrimPrefix(err.Error(), search.ErrInvalid.Error()+": "))
	}
	if err != nil {
		return api.SearchResult{}, err
	}
	out := api.SearchResult{Query: res.Query, Truncated: res.Truncated, Total: res.Total}
	for _, h := range res.Hits {
		hit := render.SearchHit{ID: h.ID}
		for _, sn := range h.Snippets {
			hit.Snippets = append(hit.Snippets, render.Snippet{Field: sn.Field, Parts: markedParts(sn.HTML)})
		}
		out.Hits = append(out.Hits, hit)
		out.Scores = append(out.Scores, h.Score)
	}
	return out, nil
}

// Snippets are cut from entry Markdown: its code fences and emphasis
// marks are noise in a one-line fragment.
var (
	fenceInfo     = regexp.MustCompile("```+[A-Za-z0-9_+-]*")
	markdownMarks = strings.NewReplacer("`", "", "**", "")
)

// markedParts turns a snippet of escaped HTML with <mark> around matched
// words into plain-text parts: the page's template escapes them again and
// draws its own <mark>, so no HTML from the index reaches a page as is.
func markedParts(s string) []render.SnippetPart {
	var parts []render.SnippetPart
	add := func(text string, mark bool) {
		if text = markdownMarks.Replace(fenceInfo.ReplaceAllString(html.UnescapeString(text), "")); text != "" {
			parts = append(parts, render.SnippetPart{Text: text, Mark: mark})
		}
	}
	for s != "" {
		i := strings.Index(s, "<mark>")
		if i < 0 {
			add(s, false)
			break
		}
		add(s[:i], false)
		s = s[i+len("<mark>"):]
		j := strings.Index(s, "</mark>")
		if j < 0 {
			add(s, true)
			break
		}
		add(s[:j], true)
		s = s[j+len("</mark>"):]
	}
	return parts
}
