// This file holds the tools that list and count the catalog:
// list_domains, list_errors and get_stats. They select, order and count
// with internal/browse, as the site and the API do.

package mcpserver

import (
	"context"
	"slices"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/errorcanon/errorcanon/internal/browse"
	"github.com/errorcanon/errorcanon/internal/canon"
)

// domainsOutput is list_domains' structured result.
type domainsOutput struct {
	Domains []domainInfo `json:"domains" jsonschema:"every domain of the catalog"`
	Entries int          `json:"entries" jsonschema:"entries in the whole catalog"`
}

// domainInfo is one domain.
type domainInfo struct {
	ID          string `json:"id" jsonschema:"domain id, for the domain argument of other tools"`
	Name        string `json:"name" jsonschema:"display name"`
	Description string `json:"description" jsonschema:"what the domain covers"`
	Entries     int    `json:"entries" jsonschema:"number of entries"`
}

// listInput is list_errors' arguments.
type listInput struct {
	domainArg
	categoryArg
	Resolvable string `json:"resolvable,omitempty" jsonschema:"Only entries whose verdict is this: true, partial or false."`
	Sort       string `json:"sort,omitempty" jsonschema:"Order: fix_rate (highest first, default), confidence (highest first), name (by id), newest (most recently appeared error first)."`
	Limit      int    `json:"limit,omitempty" jsonschema:"Entries per page. Default 25."`
	Cursor     string `json:"cursor,omitempty" jsonschema:"next_cursor from the previous page with the same filters and sort; leave out for the first page."`
	langArg
}

// listOutput is list_errors' structured result.
type listOutput struct {
	Errors     []listItem `json:"errors" jsonschema:"this page's entries"`
	Total      int        `json:"total" jsonschema:"entries matching the filters, over all pages"`
	NextCursor string     `json:"next_cursor,omitempty" jsonschema:"pass as cursor for the next page; absent on the last page"`
}

// listItem is one entry of a listing.
type listItem struct {
	fixEst       bool    // FixRate is the editors' estimate
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

// statsOutput is get_stats' structured result.
type statsOutput struct {
	Entries        int        `json:"entries" jsonschema:"entries in the catalog"`
	Domains        int        `json:"domains" jsonschema:"domains with at least one entry"`
	MeanFixRate    float64    `json:"mean_fix_rate" jsonschema:"average fix rate over all entries (0..1)"`
	MeanConfidence float64    `json:"mean_confidence" jsonschema:"average confidence (0..1)"`
	Workarounds    int        `json:"workarounds" jsonschema:"workarounds over all entries"`
	DeadEnds       int        `json:"dead_ends" jsonschema:"dead ends over all entries"`
	ByDomain       []countRow `json:"by_domain" jsonschema:"entries per domain, most first"`
	ByCategory     []countRow `json:"by_category" jsonschema:"entries per category, most first"`
	ByVerification []countRow `json:"by_verification" jsonschema:"entries per verification level"`
	ByResolvable   []countRow `json:"by_resolvable" jsonschema:"entries per verdict: true, partial, false"`
}

// countRow is one row of a breakdown.
type countRow struct {
	Key   string `json:"key" jsonschema:"the value counted"`
	Count int    `json:"count" jsonschema:"how many entries have it"`
}

func (s *Server) listDomains(ctx context.Context, _ *mcp.CallToolRequest, in langArg) (*mcp.CallToolResult, domainsOutput, error) {
	out := domainsOutput{Domains: []domainInfo{}, Entries: len(s.cat.Entries)}
	for _, d := range s.cat.Domains {
		out.Domains = append(out.Domains, domainInfo{ID: d.ID, Name: canon.Pick(in.Lang, d.Name, d.NameZh),
			Description: canon.Pick(in.Lang, d.Description, d.DescriptionZh), Entries: len(s.cat.InDomain(d.ID))})
	}
	return text(domainsMarkdown(out, in.Lang)), out, nil
}

// listSorts are list_errors' orders, its default (fix rate, unlike the
// site's listings) first.
var listSorts = []string{string(browse.SortFixRate), string(browse.SortConfidence), string(browse.SortName), string(browse.SortNewest)}

const defaultListLimit = 25

func (s *Server) listErrors(ctx context.Context, _ *mcp.CallToolRequest, in listInput) (*mcp.CallToolResult, listOutput, error) {
	key := "list:" + in.Domain + ":" + in.Category + ":" + in.Resolvable + ":" + in.Sort
	offset, err := decodeCursor(in.Cursor, key)
	if err != nil {
		return nil, listOutput{}, err
	}
	q := browse.Query{Domain: in.Domain, Category: in.Category, Resolvable: in.Resolvable, Sort: browse.Sort(in.Sort)}
	if q.Sort == "" {
		q.Sort = browse.Sort(listSorts[0])
	}
	limit := in.Limit
	if limit <= 0 {
		limit = defaultListLimit
	}
	page, total := window(s, q, offset, limit)
	out := listOutput{Errors: []listItem{}, Total: total}
	for _, e := range page {
		out.Errors = append(out.Errors, listItem{ID: e.ID, Title: canon.Pick(in.Lang, e.Title, e.TitleZh), Signature: e.Signature, Category: e.Category, Resolvable: e.Resolvable,
			FixRate: s.r.FixRate(e), fixEst: s.r.FixRateEstimated(e), Confidence: e.Confidence, Verification: e.Verification, FirstSeen: e.FirstSeen})
	}
	if end := offset + len(page); end < total {
		out.NextCursor = encodeCursor(key, end)
	}
	return text(listMarkdown(out, min(offset, total), in.Lang)), out, nil
}

// window returns the entries [offset, offset+limit) of the listing q
// selects, and how many entries it has in all. browse.Select pages by
// whole pages; a cursor's offset is one when the limit stays the same
// from call to call, else the window spans two pages.
func window(s *Server, q browse.Query, offset, limit int) ([]*canon.Entry, int) {
	q.PerPage, q.Page = limit, offset/limit+1
	res := browse.Select(s.cat, q)
	skip := offset % limit
	if skip >= len(res.Entries) {
		return nil, res.Total
	}
	page := slices.Clone(res.Entries[skip:])
	if skip > 0 {
		q.Page++
		next := browse.Select(s.cat, q).Entries
		page = append(page, next[:min(skip, len(next))]...)
	}
	return page, res.Total
}

func (s *Server) getStats(ctx context.Context, _ *mcp.CallToolRequest, _ noInput) (*mcp.CallToolResult, statsOutput, error) {
	st := browse.Compute(s.cat)
	out := statsOutput{Entries: st.Entries, Domains: st.Domains, MeanFixRate: st.MeanFixRate, MeanConfidence: st.MeanConfidence,
		Workarounds: st.Workarounds, DeadEnds: st.DeadEnds,
		// Most first, for the model; every domain, and the categories
		// that have entries.
		ByDomain: mostFirst(st.ByDomain, true), ByCategory: mostFirst(st.ByCategory, false),
		// In the vocabulary's order.
		ByVerification: rows(st.ByVerification), ByResolvable: rows(st.ByResolvable)}
	return text(statsMarkdown(out)), out, nil
}

// rows copies browse's counts into get_stats' rows.
func rows(cs []browse.Count) []countRow {
	out := make([]countRow, len(cs))
	for i, c := range cs {
		out[i] = countRow(c)
	}
	return out
}

// mostFirst orders counts most first, ties by key, leaving out the zeros
// unless keepZero.
func mostFirst(cs []browse.Count, keepZero bool) []countRow {
	out := []countRow{}
	for _, c := range rows(cs) {
		if c.Count > 0 || keepZero {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b countRow) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out
}
