// This file holds search_errors, over the full-text index
// (internal/search).

package mcpserver

import (
	"context"
	"errors"
	"hash/fnv"
	"html"
	"strconv"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/lazyregexp"
	"github.com/errorcanon/errorcanon/internal/search"
)

// searchInput is search_errors' arguments.
type searchInput struct {
	Query string `json:"query" jsonschema:"Words to look for in signatures, examples, root causes, workarounds and dead ends, in English or Chinese (for example: pip externally managed)."`
	domainArg
	categoryArg
	Limit  int    `json:"limit,omitempty" jsonschema:"Hits per page. Default 10."`
	Cursor string `json:"cursor,omitempty" jsonschema:"next_cursor from the previous page; leave out for the first page."`
	langArg
}

// searchOutput is search_errors' structured result.
type searchOutput struct {
	Hits       []searchHit `json:"hits" jsonschema:"entries found, best first"`
	Total      int         `json:"total" jsonschema:"how many entries match in all"`
	NextCursor string      `json:"next_cursor,omitempty" jsonschema:"pass as cursor for the next page; absent on the last page"`
}

// searchHit is one search result.
type searchHit struct {
	fixEst     bool    // FixRate is the editors' estimate
	ID         string  `json:"id" jsonschema:"entry id; pass it to get_error"`
	Title      string  `json:"title" jsonschema:"what the error is called, in the asked language"`
	Signature  string  `json:"signature" jsonschema:"the error as the tool prints it"`
	Snippet    string  `json:"snippet,omitempty" jsonschema:"text around the match"`
	Resolvable string  `json:"resolvable" jsonschema:"true, partial or false"`
	FixRate    float64 `json:"fix_rate" jsonschema:"chance (0..1) that the best workaround fixes it"`
	Score      float64 `json:"score" jsonschema:"relevance"`
}

// searchErrors runs one page of a search. The query is cleaned and cut
// to search.MaxQueryBytes as the index does, so the cursor's key is the
// text actually searched; both languages are searched whatever the answer's
// language. Cursors carry the page size, so an offset is always a whole
// number of pages.
func (s *Server) searchErrors(ctx context.Context, _ *mcp.CallToolRequest, in searchInput) (*mcp.CallToolResult, searchOutput, error) {
	q, cut := search.Clean(in.Query)
	if q == "" {
		return nil, searchOutput{}, fail("query is empty: pass a few words from the error, for example: pip externally managed")
	}
	key := searchKey(q, in)
	offset, err := decodeCursor(in.Cursor, key)
	if err != nil {
		return nil, searchOutput{}, err
	}
	limit := in.Limit
	if limit <= 0 {
		limit = search.DefaultPerPage
	}
	res, err := s.search(ctx, search.Query{Text: q, Domain: in.Domain, Category: in.Category, Page: offset/limit + 1, PerPage: limit})
	if errors.Is(err, search.ErrInvalid) {
		return nil, searchOutput{}, fail("%s; narrow the query with domain or category instead of paging further", strings.TrimPrefix(err.Error(), search.ErrInvalid.Error()+": "))
	}
	if err != nil {
		return nil, searchOutput{}, err
	}
	out := searchOutput{Hits: []searchHit{}, Total: res.Total}
	for _, h := range res.Hits {
		e := s.cat.Entry(h.ID)
		if e == nil {
			continue
		}
		hit := searchHit{ID: e.ID, Title: canon.Pick(in.Lang, e.Title, e.TitleZh), Signature: e.Signature, Resolvable: e.Resolvable, FixRate: s.r.FixRate(e), fixEst: s.r.FixRateEstimated(e), Score: round(h.Score)}
		if len(h.Snippets) > 0 {
			hit.Snippet = clip(plainText(h.Snippets[0].HTML), 300)
		}
		out.Hits = append(out.Hits, hit)
	}
	if next := offset + len(res.Hits); len(res.Hits) > 0 && next < res.Total {
		out.NextCursor = encodeCursor(key, next)
	}
	return text(s.searchMarkdown(q, cut, out, in.Lang)), out, nil
}

// searchKey names a search's listing in its cursors: the query, its
// filters and its page size, hashed to keep cursors short.
func searchKey(q string, in searchInput) string {
	h := fnv.New64a()
	h.Write([]byte(q + "\x00" + in.Domain + "\x00" + in.Category + "\x00" + strconv.Itoa(in.Limit)))
	return "search:" + strconv.FormatUint(h.Sum64(), 36)
}

var tags = lazyregexp.New(`<[^>]*>`)

// plainText turns a snippet's HTML (escaped text with <mark> around the
// matched words) into text, the words marked with ** for Markdown.
func plainText(s string) string {
	s = strings.NewReplacer("<mark>", "**", "</mark>", "**").Replace(s)
	return html.UnescapeString(tags.ReplaceAllString(s, ""))
}
