package mcpserver

import (
	"context"
	"errors"
	"html"
	"regexp"
	"strings"

	"github.com/errorcanon/errorcanon/internal/search"
)

// SearchIndex adapts the full-text index (internal/search) to Searcher.
func SearchIndex(ix *search.Index) Searcher { return indexSearcher{ix} }

type indexSearcher struct{ ix *search.Index }

// Search maps an offset to the index's pages. search_errors' cursors
// carry the limit, so an offset is always a whole number of pages.
func (s indexSearcher) Search(ctx context.Context, q SearchQuery) ([]SearchHit, int, error) {
	if q.Limit <= 0 {
		q.Limit = search.DefaultPerPage
	}
	res, err := s.ix.Search(ctx, search.Query{
		Text: q.Query, Lang: "", // both languages: a query finds English and Chinese text alike
		Domain: q.Domain, Category: q.Category,
		Page: q.Offset/q.Limit + 1, PerPage: q.Limit,
	})
	if errors.Is(err, search.ErrInvalid) {
		return nil, 0, fail("%s; narrow the query with domain or category instead of paging further", strings.TrimPrefix(err.Error(), search.ErrInvalid.Error()+": "))
	}
	if err != nil {
		return nil, 0, err
	}
	hits := make([]SearchHit, len(res.Hits))
	for i, h := range res.Hits {
		hits[i] = SearchHit{ID: h.ID, Score: h.Score}
		if len(h.Snippets) > 0 {
			hits[i].Snippet = plainText(h.Snippets[0].HTML)
		}
	}
	return hits, res.Total, nil
}

var tags = regexp.MustCompile(`<[^>]*>`)

// plainText turns a snippet's HTML (escaped text with <mark> around the
// matched words) into text, the words marked with ** for Markdown.
func plainText(s string) string {
	s = strings.NewReplacer("<mark>", "**", "</mark>", "**").Replace(s)
	return html.UnescapeString(tags.ReplaceAllString(s, ""))
}
