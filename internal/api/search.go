package api

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/errorcanon/errorcanon/internal/browse"
	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/render"
)

// Search limits (the search index has the same).
const (
	DefaultSearchPerPage = 10
	MaxSearchPerPage     = 50
	MaxSearchPage        = 100
)

// ErrBadSearch is wrapped by a Searcher's error for a query it refuses
// (the API answers 400 with the message).
var ErrBadSearch = errors.New("invalid search")

// CutQuery trims a search query and cuts it to render.MaxQuery bytes,
// never inside a UTF-8 sequence (invalid bytes become spaces). It reports
// whether it cut.
func CutQuery(q string) (string, bool) {
	q = strings.TrimSpace(strings.ToValidUTF8(q, " "))
	if len(q) <= render.MaxQuery {
		return q, false
	}
	i := render.MaxQuery
	for i > 0 && !utf8.RuneStart(q[i]) {
		i--
	}
	return strings.TrimSpace(q[:i]), true
}

// SearchHit is one hit of /api/v1/search.
type SearchHit struct {
	ListItem
	Title    string           `json:"title"`
	Score    float64          `json:"score"`
	Snippets []render.Snippet `json:"snippets"`
}

// SearchResponse is the answer of /api/v1/search.
type SearchResponse struct {
	Query     string      `json:"query"`
	Truncated bool        `json:"truncated"`
	Lang      string      `json:"lang"`
	Total     int         `json:"total"`
	Page      int         `json:"page"`
	PerPage   int         `json:"per_page"`
	Pages     int         `json:"pages"`
	Results   []SearchHit `json:"results"`
}

// ParseSearch reads a search request from a query string: q, lang and the
// filters. Shared by the API and the search page.
func ParseSearch(r *http.Request, cat interface {
	Domain(string) *canon.Domain
}) (SearchQuery, bool, error) {
	v := r.URL.Query()
	text, cut := CutQuery(v.Get("q"))
	sq := SearchQuery{Text: text, Lang: render.EN}
	if s := v.Get("lang"); s != "" {
		l, err := render.ParseLang(s)
		if err != nil {
			return sq, cut, &browse.Error{Param: "lang", Value: s, Want: "en or zh"}
		}
		sq.Lang = l
	}
	q, err := listQuery(v, MaxSearchPerPage)
	if err != nil {
		return sq, cut, err
	}
	if q.Page > MaxSearchPage {
		return sq, cut, &browse.Error{Param: "page", Value: v.Get("page"), Want: "a page number from 1 to 100"}
	}
	q.Sort = ""
	if q.PerPage == 0 {
		q.PerPage = DefaultSearchPerPage
	}
	sq.Filters = q
	return sq, cut, nil
}

func (a *API) searchHandler(w http.ResponseWriter, r *http.Request) {
	sq, cut, err := ParseSearch(r, a.cat)
	if err == nil {
		err = sq.Filters.Check(a.cat)
	}
	if err != nil {
		a.badParam(w, r, err)
		return
	}
	if sq.Text == "" {
		a.problem(w, r, "empty-input", "q is required: the words to search for.", withParam("q"))
		return
	}
	if a.search == nil {
		a.problem(w, r, "search-unavailable", "")
		return
	}
	res, err := a.search.Search(r.Context(), sq)
	if err != nil {
		if r.Context().Err() != nil {
			return
		}
		if errors.Is(err, ErrBadSearch) {
			a.problem(w, r, "invalid-parameter", err.Error())
			return
		}
		a.log.Error("search", "err", err)
		a.problem(w, r, "internal-error", "")
		return
	}
	q := sq.Filters.Normalize()
	if res.Query != "" {
		sq.Text, cut = res.Query, cut || res.Truncated
	}
	out := SearchResponse{Query: sq.Text, Truncated: cut, Lang: string(sq.Lang), Total: res.Total, Page: q.Page, PerPage: q.PerPage,
		Pages: max(1, (res.Total+q.PerPage-1)/q.PerPage), Results: []SearchHit{}}
	for i, h := range res.Hits {
		e := a.cat.Entry(h.ID)
		if e == nil {
			continue
		}
		hit := SearchHit{ListItem: a.listItem(e), Title: render.Title(e, sq.Lang), Snippets: h.Snippets}
		if hit.Snippets == nil {
			hit.Snippets = []render.Snippet{}
		}
		if i < len(res.Scores) {
			hit.Score = res.Scores[i]
		}
		out.Results = append(out.Results, hit)
	}
	w.Header().Set("Content-Language", string(sq.Lang))
	a.writeJSON(w, r, out, queryMaxAge)
}
