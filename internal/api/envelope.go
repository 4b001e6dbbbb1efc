// The shape every collection answer shares (/errors, /search, /match,
// /domains) and the links in answers, built for the server that answers.

package api

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/errorcanon/errorcanon/internal/render"
)

// Envelope opens every collection answer: the items of this page, how
// many there are in all, and the links to the next and previous pages
// (null when there is none). A client reads a list, a search and a match
// the same way, and pages by following next.
type Envelope[T any] struct {
	Items []T     `json:"items"`
	Total int     `json:"total"`
	Next  *string `json:"next"`
	Prev  *string `json:"prev"`
}

// Links are the links of one entry in a collection answer, the same in
// every one: url is its page in the answer's language (English where the
// answer has none), urls its five forms, api its JSON here.
type Links struct {
	URL  string      `json:"url"`
	URLs render.URLs `json:"urls"`
	API  string      `json:"api"`
}

// links returns the renderer whose links fit this request: with a
// configured base URL, that one; without (render.Options.LinksFromRequest),
// the scheme and host the client used, so a server on 127.0.0.1 links to
// itself.
func (a *API) links(r *http.Request) *render.Renderer {
	if !a.r.LinksFromRequest() {
		return a.r
	}
	return a.r.WithLinkBase(requestOrigin(r))
}

// requestOrigin is the scheme and host a request was sent to, or "" (then
// links are root-relative) when it names no host. The host is the one the
// server accepted (net/http checks its characters).
func requestOrigin(r *http.Request) string {
	if r.Host == "" {
		return ""
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// entryLinks are an entry's Links in language l.
func entryLinks(lr *render.Renderer, id string, l render.Lang) Links {
	return Links{URL: lr.Link(render.EntryPagePath(id, l)), URLs: lr.EntryLinks(id), API: lr.Link(Prefix + "errors/" + id)}
}

// pageLinks sets e's next and prev for page of pages, as links to path
// with the request's query and another page number.
func pageLinks[T any](e *Envelope[T], lr *render.Renderer, path string, v url.Values, page, pages int) {
	link := func(p int) *string {
		u := url.Values{}
		for k, vs := range v {
			if k != "page" && len(vs) > 0 && vs[0] != "" {
				u.Set(k, vs[0])
			}
		}
		u.Set("page", strconv.Itoa(p))
		s := lr.Link(path + "?" + u.Encode())
		return &s
	}
	if page < pages {
		e.Next = link(page + 1)
	}
	if page > 1 && page <= pages {
		e.Prev = link(page - 1)
	}
}
