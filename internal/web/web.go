// Package web is ErrorCanon's HTTP server: the site's pages, JSON and
// Markdown (rendered by internal/render), the paste box's results page,
// search, listings with filters, figures, the discovery files (sitemap,
// robots.txt, llms.txt, Atom feed), the REST API under /api/v1/
// (internal/api), /healthz and /static/. Other parts of the product (MCP)
// mount more routes on the same Server with Handle.
//
// Entries are looked up in the in-memory catalog only: a request path is
// never used to open a file. Rendered bytes are cached per resource on
// first request, with a strong ETag; entries do not change while the
// server runs, and when live figures do (a report), Invalidate drops the
// cache.
package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/errorcanon/errorcanon/internal/api"
	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/lru"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/middleware"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/reports"
)

// Media types of the forms, always with their charset.
const (
	TypeHTML     = "text/html; charset=utf-8"
	TypeJSON     = "application/json; charset=utf-8"
	TypeMarkdown = "text/markdown; charset=utf-8"
	// TypeMarkdownText is llms.txt's type: Markdown that browsers show.
	TypeMarkdownText = "text/plain; charset=utf-8"
	TypeText         = "text/plain; charset=utf-8"
	TypeCSS          = "text/css; charset=utf-8"
	TypeJS           = "text/javascript; charset=utf-8"
	TypeSVG          = "image/svg+xml"
	TypeXML          = "application/xml; charset=utf-8"
	TypeAtom         = "application/atom+xml; charset=utf-8"
)

// MaxHeaderBytes bounds a request's line and headers; past it the answer
// is 431 (a problem document under /api/v1). A server's own
// http.Server.MaxHeaderBytes must be larger (ServerMaxHeaderBytes), or
// net/http answers first, in plain text.
const (
	MaxHeaderBytes       = 64 << 10
	ServerMaxHeaderBytes = 4 * MaxHeaderBytes
)

// Cache lifetimes.
const (
	pageMaxAge   = "public, max-age=300"
	staticMaxAge = "public, max-age=31536000, immutable"
)

// Config configures a Server.
type Config struct {
	// Renderer renders the catalog; required.
	Renderer *render.Renderer
	// Logger receives one record per request; nil discards them.
	Logger *slog.Logger
	// Matcher matches pasted errors (the results page and /api/v1/match);
	// required, built over the renderer's catalog.
	Matcher *match.Index
	// Search serves /search and /api/v1/search (a *search.Index); nil
	// answers that search is not available.
	Search api.SearchIndex
	// Limits are the load limits of the costly routes; the zero value
	// limits nothing.
	Limits Limits
	// LogSample keeps one request record in LogSample of the successful,
	// fast requests (middleware.LogSampled); 0 or 1 logs every request.
	LogSample int
	// Reports takes outcome reports (the API's POST .../outcomes and the
	// entry pages' buttons); nil: no write routes. The renderer should
	// then have no report forms either.
	Reports *reports.Service
	// Refresh, when set, reloads the live figures; the site calls it
	// after a report from a page so the page the reporter returns to
	// shows it. The figures' change hook should call Invalidate.
	Refresh func(context.Context) error
	// Misses is given every input that matched no entry (the API's and
	// the paste box's); nil records nothing.
	Misses func(text string)
	// NoPrecompress skips compressing cached pages ahead of time: for a
	// static build that only asks for the identity bytes (errorcanon build).
	NoPrecompress bool
}

// Limits bound what one client, and all of them together, can make the
// server do. Nil members limit nothing.
type Limits struct {
	// Per-client rate limits: the paste box's /match and
	// /api/v1/match; /search and /api/v1/search; POST /mcp.
	Match, Search, MCP *middleware.ClientLimiter
	// Matches caps the matches running at once (/match, /api/v1/match,
	// POST /mcp), with a short queue.
	Matches *middleware.Gate
}

// Server serves one catalog. Create it with New.
type Server struct {
	r       *render.Renderer
	cat     *catalog.Catalog
	log     *slog.Logger
	mux     *http.ServeMux
	handler http.Handler

	ix        *match.Index
	search    api.SearchIndex
	api       *api.API
	limits    Limits
	logSample int
	reports   *reports.Service
	refresh   func(context.Context) error
	misses    func(string)
	noPrecomp bool

	mu    sync.Mutex
	cache map[string]*resource // by canonical resource key; bounded by the catalog's size
	gen   uint64               // bumped by Invalidate

	searchPages *lru.Cache[string, searchPage]
}

// resource is one rendered response body.
type resource struct {
	body  []byte
	etag  string // strong, quoted
	ctype string
	lang  render.Lang // "" when not language-specific
	// encs are the body's compressed forms, for cached resources
	// (encode.go); a response rendered per request is left to
	// middleware.Compress.
	encs []encoded
}

// New returns a server with the site's routes.
func New(cfg Config) (*Server, error) {
	// No component builds another's index: a second match index is what
	// a nil default once built unnoticed.
	if cfg.Renderer == nil || cfg.Matcher == nil {
		return nil, errors.New("web: Config.Renderer and Config.Matcher are required")
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{r: cfg.Renderer, cat: cfg.Renderer.Catalog(), log: log, mux: http.NewServeMux(), cache: map[string]*resource{},
		ix: cfg.Matcher, search: cfg.Search, limits: cfg.Limits, logSample: cfg.LogSample, searchPages: lru.New[string, searchPage](searchPageCache),
		reports: cfg.Reports, refresh: cfg.Refresh, misses: cfg.Misses, noPrecomp: cfg.NoPrecompress}
	a, err := api.New(api.Config{Renderer: s.r, Matcher: s.ix, Search: s.search, Reports: cfg.Reports, Misses: cfg.Misses, Logger: log})
	if err != nil {
		return nil, err
	}
	s.api = a
	s.routes()
	s.handler = s.chain(http.HandlerFunc(s.dispatch))
	return s, nil
}

// chain is the one place the middleware is composed, outermost first:
// every route, the API's and mounted ones included, goes through it.
func (s *Server) chain(routes http.Handler) http.Handler {
	return middleware.Chain(
		middleware.LogSampled(s.log, s.logSample),             // one record per request, with the final status
		middleware.Recover(s.log, s.serveError),               // a panic is a logged 500 page or problem
		middleware.SecurityHeaders,                            // CSP and the other security headers
		middleware.CheckRequest(MaxHeaderBytes, s.serveError), // 400 for a query string that does not parse, 431 past the header limit
		middleware.Guard(s.policy, s.serveError),              // per-client rates, the cap on concurrent matches
		middleware.Compress,                                   // gzip or zstd; ETags get an encoding suffix
	)(routes)
}

// policy picks the load limits of a request by its route.
func (s *Server) policy(r *http.Request) middleware.Policy {
	switch p := r.URL.Path; {
	case p == "/match" || p == "/api/v1/match":
		return middleware.Policy{Limiter: s.limits.Match, Gate: s.limits.Matches}
	case p == "/search" || p == "/api/v1/search":
		return middleware.Policy{Limiter: s.limits.Search}
	case p == "/mcp" && r.Method == http.MethodPost:
		return middleware.Policy{Limiter: s.limits.MCP, Gate: s.limits.Matches}
	}
	return middleware.Policy{}
}

// dispatch sends every method under /api/v1 to the API (which answers
// unknown methods and paths with problem documents) and the rest to the
// site's mux.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	if isAPI(r) {
		s.api.ServeHTTP(w, r)
		return
	}
	s.mux.ServeHTTP(w, r)
}

func isAPI(r *http.Request) bool {
	p := r.URL.Path
	return p == "/api/v1" || strings.HasPrefix(p, api.Prefix)
}

// Handler returns the server's handler: the routes behind the middleware
// chain (see chain).
func (s *Server) Handler() http.Handler { return s.handler }

// Handle mounts another handler on the server's mux, for routes added by
// later parts of the product (for example "GET /api/v1/errors/{domain}/{slug}"
// or "POST /mcp"). Patterns follow net/http.ServeMux; a pattern that
// conflicts with an existing route panics, as ServeMux.Handle does.
// Mounted handlers get the same logging, recovery, headers and
// compression as the site's own routes.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// Fail answers err as the site answers a handler's error: a problem
// document under /api/v1 and at /mcp, else a page. Mounted handlers and
// their middleware use it.
func (s *Server) Fail(w http.ResponseWriter, r *http.Request, err error) { s.serveError(w, r, err) }

// NotFound writes the 404 page in the visitor's language; mounted
// handlers use it to answer unknown resources the way the site does.
func (s *Server) NotFound(w http.ResponseWriter, r *http.Request) {
	s.serveError(w, r, api.ErrNotFound)
}

// handler is a site handler: an error it returns is answered by
// serveError.
type handler func(http.ResponseWriter, *http.Request) error

func (s *Server) handle(pattern string, h handler) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.serveError(w, r, err)
		}
	})
}

func (s *Server) routes() {
	h := s.handle
	h("GET /{$}", s.page(func(w io.Writer) error { return s.r.HomeHTML(w, render.EN) }, "home:en", render.EN))
	h("GET /zh.html", s.page(func(w io.Writer) error { return s.r.HomeHTML(w, render.ZH) }, "home:zh", render.ZH))
	h("GET /errors/{$}", s.listing("", render.EN))
	h("GET /errors/zh.html", s.listing("", render.ZH))
	h("GET /errors/{domain}", s.domainNoSlash)
	h("GET /errors/{domain}/{$}", s.domain)
	h("GET /errors/{domain}/{file}", s.domainFile)
	h("GET /errors/{domain}/{slug}/{$}", s.entry)
	h("GET /errors/{domain}/{slug}/{file}", s.entryFile)
	if s.reports != nil {
		h("POST /errors/{domain}/{slug}/outcomes", s.postOutcome)
		s.adminRoutes()
		s.submitRoutes()
	}
	h("GET /healthz", s.healthz)
	h("GET /static/{file}", s.static)
	h("GET "+OfflineManifestPath, s.offlineManifest)
	h("GET /stats/{$}", s.page(func(w io.Writer) error { return s.r.StatsHTML(w, render.EN) }, "stats:en", render.EN))
	h("GET /stats/zh.html", s.page(func(w io.Writer) error { return s.r.StatsHTML(w, render.ZH) }, "stats:zh", render.ZH))
	h("GET /stats", func(w http.ResponseWriter, r *http.Request) error {
		http.Redirect(w, r, render.StatsPath(render.EN), http.StatusMovedPermanently)
		return nil
	})
	h("GET /about/{$}", s.page(func(w io.Writer) error { return s.r.AboutHTML(w, render.EN) }, "about:en", render.EN))
	h("GET /about/zh.html", s.page(func(w io.Writer) error { return s.r.AboutHTML(w, render.ZH) }, "about:zh", render.ZH))
	h("GET /about", func(w http.ResponseWriter, r *http.Request) error {
		http.Redirect(w, r, render.AboutPath(render.EN), http.StatusMovedPermanently)
		return nil
	})
	// The API reference, and where people look for it.
	h("GET /docs/{$}", s.page(func(w io.Writer) error { return s.r.APIReferenceHTML(w, render.EN, s.api.OpenAPI()) }, "docs:en", render.EN))
	h("GET /docs/zh.html", s.page(func(w io.Writer) error { return s.r.APIReferenceHTML(w, render.ZH, s.api.OpenAPI()) }, "docs:zh", render.ZH))
	for _, p := range []string{"GET /docs", "GET /api", "GET /api/{$}"} {
		h(p, func(w http.ResponseWriter, r *http.Request) error {
			http.Redirect(w, r, render.DocsPath(visitorLang(r)), http.StatusFound)
			return nil
		})
	}
	h("GET /match", s.matchPage)
	h("POST /match", s.matchPage)
	h("GET /search", s.searchPage)
	h("GET /robots.txt", s.file("robots", TypeText, s.r.RobotsTxt))
	h("GET /llms.txt", s.file("llms", TypeMarkdownText, s.r.LLMsTxt))
	h("GET /llms-full.txt", s.file("llms-full", TypeMarkdownText, s.r.LLMsFullTxt))
	h("GET /feed.xml", s.file("feed", TypeAtom, s.r.FeedXML))
	h("GET /sitemap.xml", s.file("sitemap", TypeXML, s.r.SitemapXML))
	h("GET /favicon.svg", s.icon)
	h("GET /favicon.ico", s.icon)
	h("GET /{file}", s.rootFile)
	// Everything else is a 404 page. Being a GET pattern, it also makes the
	// mux answer other methods on any path with 405 and an Allow header.
	h("GET /", func(http.ResponseWriter, *http.Request) error { return api.ErrNotFound })
}

// page serves a resource that does not depend on the request.
func (s *Server) page(f func(io.Writer) error, key string, l render.Lang) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		return s.serve(w, r, key, TypeHTML, l, f)
	}
}

func (s *Server) domainNoSlash(w http.ResponseWriter, r *http.Request) error {
	d := r.PathValue("domain")
	if !canon.ValidDomainID(d) || !s.r.HasDomain(d) {
		return api.ErrNotFound
	}
	http.Redirect(w, r, render.DomainPath(d, render.EN), http.StatusMovedPermanently)
	return nil
}

func (s *Server) domain(w http.ResponseWriter, r *http.Request) error {
	d := r.PathValue("domain")
	if !canon.ValidDomainID(d) || !s.r.HasDomain(d) {
		return api.ErrNotFound
	}
	return s.listing(d, render.EN)(w, r)
}

// domainFile is /errors/{domain}/zh.html, or an entry path missing its
// trailing slash.
func (s *Server) domainFile(w http.ResponseWriter, r *http.Request) error {
	d, f := r.PathValue("domain"), r.PathValue("file")
	switch {
	case !canon.ValidDomainID(d) || !s.r.HasDomain(d):
		return api.ErrNotFound
	case f == "zh.html":
		return s.listing(d, render.ZH)(w, r)
	case canon.ValidSlug(f) && s.cat.Entry(d+"/"+f) != nil:
		http.Redirect(w, r, render.EntryPaths(d+"/"+f).HTML, http.StatusMovedPermanently)
		return nil
	default:
		return api.ErrNotFound
	}
}

// lookup returns the entry a request names, or nil. The id is checked
// against the id grammar before the map lookup, so nothing else (dots,
// backslashes, escapes, control characters) gets further.
func (s *Server) lookup(r *http.Request) *canon.Entry {
	id := r.PathValue("domain") + "/" + r.PathValue("slug")
	if _, _, ok := canon.SplitID(id); !ok {
		return nil
	}
	return s.cat.Entry(id)
}

func (s *Server) entry(w http.ResponseWriter, r *http.Request) error {
	e := s.lookup(r)
	if e == nil {
		return api.ErrNotFound
	}
	return s.serve(w, r, render.EntryPaths(e.ID).HTML, TypeHTML, render.EN, func(w io.Writer) error { return s.r.EntryHTML(w, e, render.EN) })
}

func (s *Server) entryFile(w http.ResponseWriter, r *http.Request) error {
	e := s.lookup(r)
	if e == nil {
		return api.ErrNotFound
	}
	p := render.EntryPaths(e.ID)
	switch r.PathValue("file") {
	case "zh.html":
		return s.serve(w, r, p.HTMLZh, TypeHTML, render.ZH, func(w io.Writer) error { return s.r.EntryHTML(w, e, render.ZH) })
	case "index.json":
		return s.serve(w, r, p.JSON, TypeJSON, "", func(w io.Writer) error { return s.r.EntryJSON(w, e) })
	case "index.md":
		return s.serve(w, r, p.MD, TypeMarkdown, render.EN, func(w io.Writer) error { return s.r.EntryMarkdown(w, e, render.EN) })
	case "zh.md":
		return s.serve(w, r, p.MDZh, TypeMarkdown, render.ZH, func(w io.Writer) error { return s.r.EntryMarkdown(w, e, render.ZH) })
	case "index.html":
		// What a static build writes for the entry page.
		http.Redirect(w, r, p.HTML, http.StatusMovedPermanently)
		return nil
	default:
		return api.ErrNotFound
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", TypeText)
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintf(w, "ok %d entries\n", len(s.cat.Entries))
	return nil
}

func (s *Server) static(w http.ResponseWriter, r *http.Request) error {
	var body []byte
	var key, ctype string
	switch "/static/" + r.PathValue("file") {
	case render.StylesheetPath():
		body, key, ctype = render.Stylesheet(), "static:css", TypeCSS
	case render.ScriptPath():
		body, key, ctype = render.Script(), "static:js", TypeJS
	default:
		return api.ErrNotFound
	}
	res, err := s.resource(key, ctype, "", func(w io.Writer) error { _, err := w.Write(body); return err })
	if err != nil {
		return err
	}
	s.write(w, r, http.StatusOK, res, staticMaxAge)
	return nil
}

// serve answers a GET or HEAD with a cached resource, rendering it on
// first use. A render error means a bug, never a bad request: serveError
// logs it and answers 500.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, key, ctype string, l render.Lang, f func(io.Writer) error) error {
	res, err := s.resource(key, ctype, l, f)
	if err != nil {
		return err
	}
	s.write(w, r, http.StatusOK, res, pageMaxAge)
	return nil
}

// resource returns the cached resource key, rendering it with f on first
// use.
func (s *Server) resource(key, ctype string, l render.Lang, f func(io.Writer) error) (*resource, error) {
	s.mu.Lock()
	res, ok := s.cache[key]
	gen := s.gen
	s.mu.Unlock()
	if ok {
		return res, nil
	}
	// Render outside the lock: two first requests may both render, and
	// produce the same bytes.
	var buf bytes.Buffer
	if err := f(&buf); err != nil {
		return nil, fmt.Errorf("render %s: %w", key, err)
	}
	res = &resource{body: buf.Bytes(), etag: middleware.ETag(buf.Bytes()), ctype: ctype, lang: l}
	if !s.noPrecomp {
		res.encs = compressAll(buf.Bytes())
	}
	s.mu.Lock()
	// What was rendered before an Invalidate may hold old figures: serve
	// it this once, but do not keep it.
	if s.gen == gen {
		s.cache[key] = res
	}
	s.mu.Unlock()
	return res, nil
}

// write sends a resource, or 304 when the request's If-None-Match names
// its ETag (in any of its encodings).
func (s *Server) write(w http.ResponseWriter, r *http.Request, status int, res *resource, cacheControl string) {
	h := w.Header()
	h.Set("Content-Type", res.ctype)
	h.Set("Cache-Control", cacheControl)
	if res.lang != "" {
		h.Set("Content-Language", string(res.lang))
	}
	if status == http.StatusOK && middleware.NotModified(w, r, res.etag) {
		return
	}
	body := res.body
	// A HEAD answers with the identity representation's headers, as the
	// compression layer does.
	if e := pickEncoding(r.Header.Get("Accept-Encoding"), res.encs); e != nil && r.Method != http.MethodHead {
		// Set before the compression layer sees a write, so it passes
		// the bytes through; the tag gets the suffix that layer gives.
		h.Set("Content-Encoding", e.Encoding)
		if tag := h.Get("ETag"); tag != "" {
			h.Set("ETag", strings.TrimSuffix(tag, `"`)+"-"+e.Encoding+`"`)
		}
		body = e.Body
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	// For HEAD, net/http discards the body and keeps Content-Length.
	_, _ = w.Write(body)
}

// visitorLang picks the 404 page's language: Chinese for a path of a
// Chinese form, else the Accept-Language header's first choice.
func visitorLang(r *http.Request) render.Lang {
	p := r.URL.Path
	if strings.HasSuffix(p, "zh.html") || strings.HasSuffix(p, "zh.md") {
		return render.ZH
	}
	if prefersChinese(r.Header.Get("Accept-Language")) {
		return render.ZH
	}
	return render.EN
}

// prefersChinese reports whether the highest-weighted language of an
// Accept-Language header is Chinese (zh, zh-CN, zh-Hans, ...). Ties go to
// the earlier entry.
func prefersChinese(header string) bool {
	best, bestQ := "", 0.0
	for _, part := range strings.Split(header, ",") {
		fields := strings.Split(part, ";")
		tag := strings.ToLower(strings.TrimSpace(fields[0]))
		if tag == "" {
			continue
		}
		q := 1.0
		for _, p := range fields[1:] {
			p = strings.TrimSpace(p)
			if v, ok := strings.CutPrefix(p, "q="); ok {
				f, err := strconv.ParseFloat(v, 64)
				if err != nil || f < 0 || f > 1 {
					f = 0
				}
				q = f
			}
		}
		if q > bestQ {
			best, bestQ = tag, q
		}
	}
	return best == "zh" || strings.HasPrefix(best, "zh-")
}
