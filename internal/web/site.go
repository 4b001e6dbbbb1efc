// Site pages that depend on the request: listings with filters, the paste
// box's results page, search, discovery files and the icon.

package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/errorcanon/errorcanon/internal/api"
	"github.com/errorcanon/errorcanon/internal/browse"
	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/middleware"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/search"
	"github.com/errorcanon/errorcanon/internal/store"
)

// Results on the paste box's page: as many as every surface gives.
const matchPageLimit = match.DefaultLimit

// listQuery reads a listing's filters from the query string. Values the
// catalog does not know are dropped (the page shows the listing without
// them), so no query string makes a listing fail.
func (s *Server) listQuery(v url.Values, domain string) browse.Query {
	q := browse.Query{Domain: domain}
	try := func(set func(), check func() error, undo func()) {
		set()
		if check() != nil {
			undo()
		}
	}
	check := func() error { return q.Check(s.cat) }
	try(func() { q.Category = v.Get("category") }, check, func() { q.Category = "" })
	try(func() { q.Verification = v.Get("verification") }, check, func() { q.Verification = "" })
	try(func() { q.Resolvable = v.Get("resolvable") }, check, func() { q.Resolvable = "" })
	try(func() { q.Sort = browse.Sort(v.Get("sort")) }, check, func() { q.Sort = "" })
	if n, err := strconv.Atoi(v.Get("page")); err == nil && n >= 1 && n <= 1_000_000 {
		q.Page = n
	}
	if n, err := strconv.Atoi(v.Get("per_page")); err == nil && n >= 1 && n <= browse.MaxPerPage {
		q.PerPage = n
	}
	return q
}

// listing serves /errors/ (domain "") or a domain's listing. The default
// listing is cached like every page; filtered ones are rendered per
// request.
func (s *Server) listing(domain string, l render.Lang) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		q := s.listQuery(r.URL.Query(), domain)
		f := func(w io.Writer) error { return s.r.ListingHTML(w, q, l) }
		if !q.Filtered() {
			key := "errors:" + string(l)
			if domain != "" {
				key = "domain:" + string(l) + ":" + domain
			}
			return s.serve(w, r, key, TypeHTML, l, f)
		}
		return s.serveDynamic(w, r, http.StatusOK, TypeHTML, l, pageMaxAge, f)
	}
}

// serveDynamic renders a response for this request only, with an ETag.
func (s *Server) serveDynamic(w http.ResponseWriter, r *http.Request, status int, ctype string, l render.Lang, cacheControl string, f func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := f(&buf); err != nil {
		return fmt.Errorf("render %s: %w", r.URL.EscapedPath(), err)
	}
	s.write(w, r, status, &resource{body: buf.Bytes(), etag: middleware.ETag(buf.Bytes()), ctype: ctype, lang: l}, cacheControl)
	return nil
}

// file serves a discovery file rendered once.
func (s *Server) file(key, ctype string, f func(io.Writer) error) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		return s.serve(w, r, "file:"+key, ctype, "", f)
	}
}

// rootFile serves /sitemap-{n}.xml, and 404 for anything else at the root.
func (s *Server) rootFile(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("file")
	if num, ok := strings.CutPrefix(name, "sitemap-"); ok {
		if num, ok = strings.CutSuffix(num, ".xml"); ok {
			n, err := strconv.Atoi(num)
			if err == nil && n >= 1 && n <= s.r.SitemapParts() && strconv.Itoa(n) == num {
				return s.serve(w, r, "file:sitemap-"+num, TypeXML, "", func(w io.Writer) error { return s.r.SitemapPartXML(w, n) })
			}
		}
	}
	return api.ErrNotFound
}

// formLang is the language a form asked for, else the visitor's.
func formLang(r *http.Request, v string) render.Lang {
	if l, err := render.ParseLang(v); err == nil {
		return l
	}
	return visitorLang(r)
}

// status is the status of an error the site shows on a page of its own
// (the paste box's, the search page's): the API's error table decides.
func status(err error) int { return api.Classify(err).Status }

// matchPage is the paste box's results page: POST from the home page's
// form (works without JavaScript), or GET /match?q= for a link. Bad input
// (empty, too large) is shown on the page with the table's status.
func (s *Server) matchPage(w http.ResponseWriter, r *http.Request) error {
	var text, lang string
	if r.Method == http.MethodPost {
		// A form-encoded body is at most three times the text (%XX).
		r.Body = http.MaxBytesReader(w, r.Body, 3*match.MaxInput+4096)
		if err := r.ParseForm(); err != nil {
			var tooBig *http.MaxBytesError
			l := formLang(r, r.URL.Query().Get("lang"))
			if errors.As(err, &tooBig) {
				return s.matchFailed(w, r, l, "", match.ErrTooLarge)
			}
			return s.matchFailed(w, r, l, "", match.ErrEmpty)
		}
		text, lang = r.PostForm.Get("q"), r.PostForm.Get("lang")
	} else {
		v := r.URL.Query()
		text, lang = v.Get("q"), v.Get("lang")
		if text == "" {
			http.Redirect(w, r, render.HomePath(formLang(r, lang)), http.StatusSeeOther)
			return nil
		}
	}
	l := formLang(r, lang)
	rs, err := s.ix.Match([]byte(text), match.Options{Limit: matchPageLimit})
	switch {
	case errors.Is(err, match.ErrTooLarge):
		return s.matchFailed(w, r, l, "", err)
	case errors.Is(err, match.ErrEmpty):
		return s.matchFailed(w, r, l, text, err)
	case err != nil:
		return fmt.Errorf("match: %w", err)
	}
	if !match.Known(rs) && s.misses != nil {
		s.misses(text)
	}
	f := render.MatchForm{Text: text, Results: match.Summarize(rs, string(l), 1)}
	if s.reports != nil {
		f.SubmitMax = store.MaxSubmissionText
	}
	return s.matchResult(w, r, http.StatusOK, l, f)
}

// matchFailed shows the paste box with the message for a refused input
// (match.ErrEmpty or match.ErrTooLarge) and the text, if any, kept.
func (s *Server) matchFailed(w http.ResponseWriter, r *http.Request, l render.Lang, text string, err error) error {
	key := "input_empty"
	if errors.Is(err, match.ErrTooLarge) {
		key = "input_too_large"
	}
	return s.matchResult(w, r, status(err), l, render.MatchForm{Text: text, Err: uiText(l, key)})
}

func (s *Server) matchResult(w http.ResponseWriter, r *http.Request, status int, l render.Lang, f render.MatchForm) error {
	return s.serveDynamic(w, r, status, TypeHTML, l, "no-store", func(w io.Writer) error { return s.r.MatchHTML(w, f, l) })
}

// uiText is a UI string for messages the server picks.
func uiText(l render.Lang, key string) string { return render.UIString(l, key) }

// searchPage is /search?q=&lang=&domain=&category=&verification=&resolvable=&page=.
// Like the listings, it drops filter values it does not know rather than
// failing; the index's own limits (search.MaxPage, search.MaxPerPage)
// clamp the page.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	text, _ := search.Clean(v.Get("q"))
	l := formLang(r, v.Get("lang"))
	q := s.listQuery(v, "")
	if d := v.Get("domain"); canon.ValidDomainID(d) && s.cat.Domain(d) != nil {
		q.Domain = d
	}
	q.Sort = ""
	q.Page = min(q.Page, search.MaxPage)
	if q.PerPage == 0 || q.PerPage > search.MaxPerPage {
		q.PerPage = search.DefaultPerPage
	}
	key := strings.Join([]string{string(l), text, q.Domain, q.Category, q.Verification, q.Resolvable,
		strconv.Itoa(q.Page), strconv.Itoa(q.PerPage)}, "\x00")
	if p, ok := s.searchPages.Get(key); ok {
		s.write(w, r, p.code, p.res, searchMaxAge)
		return nil
	}
	form := render.SearchForm{Query: text, Filters: q}
	code := http.StatusOK
	switch {
	case s.search == nil:
		form.Unavailable = true
		code = status(api.ErrSearchUnavailable)
	case text != "":
		res, err := s.search.Search(r.Context(), search.Query{
			Text:   text, // Lang "": the text decides, not the interface
			Domain: q.Domain, Category: q.Category, Verification: q.Verification, Resolvable: q.Resolvable,
			Page: q.Page, PerPage: q.PerPage,
		})
		if errors.Is(err, search.ErrInvalid) {
			form.Err, code = err.Error(), status(err)
			break
		}
		if err != nil {
			if r.Context().Err() != nil {
				return nil // the client is gone
			}
			return fmt.Errorf("search: %w", err)
		}
		form.Total, form.Hits = res.Total, render.SearchHits(res.Hits)
		if res.Query != "" {
			form.Query = res.Query
		}
	}
	var buf bytes.Buffer
	if err := s.r.SearchHTML(&buf, form, l); err != nil {
		return fmt.Errorf("render %s: %w", r.URL.EscapedPath(), err)
	}
	res := &resource{body: buf.Bytes(), etag: middleware.ETag(buf.Bytes()), ctype: TypeHTML, lang: l, encs: compressAll(buf.Bytes())}
	s.searchPages.Add(key, searchPage{res, code})
	s.write(w, r, code, res, searchMaxAge)
	return nil
}

// searchMaxAge is the search page's Cache-Control.
const searchMaxAge = "public, max-age=60"

// searchPage is a rendered search page, kept in Server.searchPages by its
// normalised query (language, cleaned text, filters, page): the catalog
// does not change while the server runs.
type searchPage struct {
	res  *resource
	code int
}

// searchPageCache is the number of search pages kept (about 20 KB each
// with their compressed forms).
const searchPageCache = 512

// icon serves the site's SVG icon at /favicon.svg and /favicon.ico.
func (s *Server) icon(w http.ResponseWriter, r *http.Request) error {
	res, err := s.resource("static:icon", TypeSVG, "", func(w io.Writer) error { _, err := w.Write(render.Icon()); return err })
	if err != nil {
		return err
	}
	s.write(w, r, http.StatusOK, res, "public, max-age=86400")
	return nil
}
