// Full-text search: GET /api/v1/search over the server's search index.

package api

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/errorcanon/errorcanon/internal/browse"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/search"
)

// SearchHit is one hit of /api/v1/search.
type SearchHit struct {
	ListItem
	Title    string           `json:"title"`
	Score    float64          `json:"score"`
	Snippets []render.Snippet `json:"snippets"`
}

// SearchResponse is the answer of /api/v1/search.
type SearchResponse struct {
	Envelope[SearchHit]
	Query     string `json:"query"`
	Truncated bool   `json:"truncated"`
	Lang      string `json:"lang"`
	Page      int    `json:"page"`
	PerPage   int    `json:"per_page"`
	Pages     int    `json:"pages"`
}

// searchFilters reads the language and the filters and page of a search
// from a query string, and checks them against the catalog.
func (a *API) searchFilters(v url.Values) (render.Lang, browse.Query, error) {
	l := render.EN
	if s := v.Get("lang"); s != "" {
		var err error
		if l, err = render.ParseLang(s); err != nil {
			return l, browse.Query{}, &browse.Error{Param: "lang", Value: s, Want: "en or zh"}
		}
	}
	q, err := listQuery(v, search.MaxPerPage)
	if err != nil {
		return l, q, err
	}
	if q.Page > search.MaxPage {
		return l, q, &browse.Error{Param: "page", Value: v.Get("page"), Want: "a page number from 1 to " + strconv.Itoa(search.MaxPage)}
	}
	q.Sort = ""
	if q.PerPage == 0 {
		q.PerPage = search.DefaultPerPage
	}
	return l, q, q.Check(a.cat)
}

func (a *API) searchHandler(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	text, cut := search.Clean(v.Get("q"))
	l, q, err := a.searchFilters(v)
	if err != nil {
		return badParam(err)
	}
	if text == "" {
		return &Error{Err: match.ErrEmpty, Detail: "q is required: the words to search for.", Param: "q"}
	}
	if a.search == nil {
		return &Error{Err: ErrSearchUnavailable}
	}
	res, err := a.search.Search(r.Context(), search.Query{
		Text:   text, // Lang "": the text decides, not the interface
		Domain: q.Domain, Category: q.Category, Verification: q.Verification, Resolvable: q.Resolvable,
		Page: q.Page, PerPage: q.PerPage,
	})
	if err != nil {
		if r.Context().Err() != nil {
			return nil // the client is gone
		}
		return err // search.ErrInvalid is a 400, anything else a 500
	}
	q = q.Normalize()
	if res.Query != "" {
		text, cut = res.Query, cut || res.Truncated
	}
	lr := a.links(r)
	out := SearchResponse{Envelope: Envelope[SearchHit]{Items: []SearchHit{}, Total: res.Total}, Query: text, Truncated: cut, Lang: string(l),
		Page: q.Page, PerPage: q.PerPage, Pages: max(1, res.Pages())}
	for _, h := range res.Hits {
		e := a.cat.Entry(h.ID)
		if e == nil {
			continue
		}
		hit := SearchHit{ListItem: a.listItem(lr, e, l), Title: render.Title(e, l), Score: h.Score, Snippets: render.Snippets(h.Snippets)}
		if hit.Snippets == nil {
			hit.Snippets = []render.Snippet{}
		}
		out.Items = append(out.Items, hit)
	}
	pageLinks(&out.Envelope, lr, Prefix+"search", v, q.Page, res.Pages())
	w.Header().Set("Content-Language", string(l))
	return a.writeJSON(w, r, out, queryMaxAge)
}
