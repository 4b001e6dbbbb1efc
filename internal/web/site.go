package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/errorcanon/errorcanon/internal/api"
	"github.com/errorcanon/errorcanon/internal/browse"
	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
)

// Results on the paste box's page.
const matchPageLimit = 10

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
func (s *Server) listing(domain string, l render.Lang) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := s.listQuery(r.URL.Query(), domain)
		f := func(w io.Writer) error { return s.r.ListingHTML(w, q, l) }
		if !q.Filtered() {
			key := "errors:" + string(l)
			if domain != "" {
				key = "domain:" + string(l) + ":" + domain
			}
			s.serve(w, r, key, TypeHTML, l, f)
			return
		}
		s.serveDynamic(w, r, http.StatusOK, TypeHTML, l, pageMaxAge, f)
	}
}

// serveDynamic renders a response for this request only, with an ETag.
func (s *Server) serveDynamic(w http.ResponseWriter, r *http.Request, status int, ctype string, l render.Lang, cacheControl string, f func(io.Writer) error) {
	var buf bytes.Buffer
	if err := f(&buf); err != nil {
		s.log.Error("render failed", "path", r.URL.EscapedPath(), "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	sum := sha256.Sum256(buf.Bytes())
	res := &resource{body: buf.Bytes(), etag: `"` + hex.EncodeToString(sum[:16]) + `"`, ctype: ctype, lang: l}
	s.write(w, r, status, res, cacheControl)
}

// file serves a discovery file rendered once.
func (s *Server) file(key, ctype string, f func(io.Writer) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.serve(w, r, "file:"+key, ctype, "", f)
	}
}

// rootFile serves /sitemap-{n}.xml, and 404 for anything else at the root.
func (s *Server) rootFile(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	if num, ok := strings.CutPrefix(name, "sitemap-"); ok {
		if num, ok = strings.CutSuffix(num, ".xml"); ok {
			n, err := strconv.Atoi(num)
			if err == nil && n >= 1 && n <= s.r.SitemapParts() && strconv.Itoa(n) == num {
				s.serve(w, r, "file:sitemap-"+num, TypeXML, "", func(w io.Writer) error { return s.r.SitemapPartXML(w, n) })
				return
			}
		}
	}
	s.notFound(w, r)
}

// formLang is the language a form asked for, else the visitor's.
func formLang(r *http.Request, v string) render.Lang {
	if l, err := render.ParseLang(v); err == nil {
		return l
	}
	return visitorLang(r)
}

// matchPage is the paste box's results page: POST from the home page's
// form (works without JavaScript), or GET /match?q= for a link.
func (s *Server) matchPage(w http.ResponseWriter, r *http.Request) {
	var text, lang string
	if r.Method == http.MethodPost {
		// A form-encoded body is at most three times the text (%XX).
		r.Body = http.MaxBytesReader(w, r.Body, 3*match.MaxInput+4096)
		if err := r.ParseForm(); err != nil {
			var tooBig *http.MaxBytesError
			l := formLang(r, r.URL.Query().Get("lang"))
			if errors.As(err, &tooBig) {
				s.matchResult(w, r, http.StatusRequestEntityTooLarge, l, render.MatchForm{Err: uiText(l, "input_too_large")})
				return
			}
			s.matchResult(w, r, http.StatusBadRequest, l, render.MatchForm{Err: uiText(l, "input_empty")})
			return
		}
		text, lang = r.PostForm.Get("q"), r.PostForm.Get("lang")
	} else {
		v := r.URL.Query()
		text, lang = v.Get("q"), v.Get("lang")
		if text == "" {
			http.Redirect(w, r, render.HomePath(formLang(r, lang)), http.StatusSeeOther)
			return
		}
	}
	l := formLang(r, lang)
	rs, err := s.ix.Match([]byte(text), match.Options{Limit: matchPageLimit})
	switch {
	case errors.Is(err, match.ErrTooLarge):
		s.matchResult(w, r, http.StatusRequestEntityTooLarge, l, render.MatchForm{Err: uiText(l, "input_too_large")})
	case errors.Is(err, match.ErrEmpty):
		s.matchResult(w, r, http.StatusBadRequest, l, render.MatchForm{Text: text, Err: uiText(l, "input_empty")})
	case err != nil:
		s.log.Error("match", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
	default:
		s.matchResult(w, r, http.StatusOK, l, render.MatchForm{Text: text, Results: match.Summarize(rs, string(l), 1)})
	}
}

func (s *Server) matchResult(w http.ResponseWriter, r *http.Request, status int, l render.Lang, f render.MatchForm) {
	s.serveDynamic(w, r, status, TypeHTML, l, "no-store", func(w io.Writer) error { return s.r.MatchHTML(w, f, l) })
}

// uiText is a UI string for messages the server picks.
func uiText(l render.Lang, key string) string { return render.UIString(l, key) }

// searchPage is /search?q=&lang=&domain=&category=&verification=&resolvable=&page=.
// Like the listings, it drops filter values it does not know rather than
// failing.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	text, _ := api.CutQuery(v.Get("q"))
	l := formLang(r, v.Get("lang"))
	q := s.listQuery(v, "")
	if d := v.Get("domain"); canon.ValidDomainID(d) && s.cat.Domain(d) != nil {
		q.Domain = d
	}
	q.Sort = ""
	if q.Page > api.MaxSearchPage {
		q.Page = api.MaxSearchPage
	}
	if q.PerPage == 0 || q.PerPage > api.MaxSearchPerPage {
		q.PerPage = api.DefaultSearchPerPage
	}
	form := render.SearchForm{Query: text, Filters: q}
	status := http.StatusOK
	switch {
	case s.search == nil:
		form.Unavailable = true
		status = http.StatusServiceUnavailable
	case text != "":
		res, err := s.search.Search(r.Context(), api.SearchQuery{Text: text, Lang: l, Filters: q})
		if errors.Is(err, api.ErrBadSearch) {
			form.Err, status = err.Error(), http.StatusBadRequest
			break
		}
		if err != nil {
			if r.Context().Err() != nil {
				return
			}
			s.log.Error("search", "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		form.Total, form.Hits = res.Total, res.Hits
		if res.Query != "" {
			form.Query = res.Query
		}
	}
	s.serveDynamic(w, r, status, TypeHTML, l, "public, max-age=60", func(w io.Writer) error { return s.r.SearchHTML(w, form, l) })
}

// icon serves the site's SVG icon at /favicon.svg and /favicon.ico.
func (s *Server) icon(w http.ResponseWriter, r *http.Request) {
	res := s.resource("static:icon", TypeSVG, "", func(w io.Writer) error { _, err := w.Write(render.Icon()); return err })
	s.write(w, r, http.StatusOK, res, "public, max-age=86400")
}
