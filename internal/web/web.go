// Package web is ErrorCanon's HTTP server: the site's pages, JSON and
// Markdown (rendered by internal/render), the paste box's results page,
// search, listings with filters, figures, the discovery files (sitemap,
// robots.txt, llms.txt, Atom feed), the REST API under /api/v1/
// (internal/api), /healthz and /static/. Other parts of the product (MCP)
// mount more routes on the same Server with Handle.
//
// Entries are looked up in the in-memory catalog only: a request path is
// never used to open a file. Rendered bytes are cached per resource on
// first request, with a strong ETag, because entries do not change while
// the server runs.
package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzhttp"

	"github.com/errorcanon/errorcanon/internal/api"
	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
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

// Cache lifetimes.
const (
	pageMaxAge   = "public, max-age=300"
	staticMaxAge = "public, max-age=31536000, immutable"
)

// ContentSecurityPolicy is sent with every response. Pages load the site's
// own stylesheet and script and nothing from elsewhere; no inline script
// or style runs (JSON-LD blocks are data, not script), nothing may frame
// the site, and forms post only to it.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// Config configures a Server.
type Config struct {
	// Renderer renders the catalog; required.
	Renderer *render.Renderer
	// Logger receives one record per request; nil discards them.
	Logger *slog.Logger
	// Matcher matches pasted errors (the results page and /api/v1/match);
	// nil builds one from the renderer's catalog.
	Matcher *match.Index
	// Search serves /search and /api/v1/search; nil answers that search
	// is not available.
	Search api.Searcher
}

// Server serves one catalog. Create it with New.
type Server struct {
	r       *render.Renderer
	cat     *catalog.Catalog
	log     *slog.Logger
	mux     *http.ServeMux
	handler http.Handler

	ix     *match.Index
	search api.Searcher
	api    *api.API

	mu    sync.Mutex
	cache map[string]*resource // by canonical resource key; bounded by the catalog's size
}

// resource is one rendered response body.
type resource struct {
	body  []byte
	etag  string // strong, quoted
	ctype string
	lang  render.Lang // "" when not language-specific
}

// New returns a server with the site's routes.
func New(cfg Config) (*Server, error) {
	if cfg.Renderer == nil {
		return nil, errors.New("web: Config.Renderer is required")
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{r: cfg.Renderer, cat: cfg.Renderer.Catalog(), log: log, mux: http.NewServeMux(), cache: map[string]*resource{},
		ix: cfg.Matcher, search: cfg.Search}
	if s.ix == nil {
		s.ix, _ = match.Build(s.cat.Entries)
	}
	a, err := api.New(api.Config{Renderer: s.r, Matcher: s.ix, Search: s.search, Logger: log})
	if err != nil {
		return nil, err
	}
	s.api = a
	s.routes()
	gz, err := gzhttp.NewWrapper(gzhttp.SuffixETag("-gzip"))
	if err != nil {
		return nil, err
	}
	s.handler = s.logRequests(s.recoverPanics(securityHeaders(gz(s.dispatch()))))
	return s, nil
}

// dispatch sends every method under /api/v1 to the API (which answers
// unknown methods and paths with problem documents) and the rest to the
// site's mux.
func (s *Server) dispatch() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; p == "/api/v1" || strings.HasPrefix(p, api.Prefix) {
			s.api.ServeHTTP(w, r)
			return
		}
		s.mux.ServeHTTP(w, r)
	})
}

// Handler returns the server's handler: routes wrapped in request
// logging, panic recovery, security headers and compression (gzip or
// zstd, as the client accepts).
func (s *Server) Handler() http.Handler { return s.handler }

// Handle mounts another handler on the server's mux, for routes added by
// later parts of the product (for example "GET /api/v1/errors/{domain}/{slug}"
// or "POST /mcp"). Patterns follow net/http.ServeMux; a pattern that
// conflicts with an existing route panics, as ServeMux.Handle does.
// Mounted handlers get the same logging, recovery, headers and
// compression as the site's own routes.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// NotFound writes the 404 page in the visitor's language; mounted
// handlers use it to answer unknown resources the way the site does.
func (s *Server) NotFound(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }

func (s *Server) routes() {
	m := s.mux
	m.HandleFunc("GET /{$}", s.page(func(w io.Writer) error { return s.r.HomeHTML(w, render.EN) }, "home:en", render.EN))
	m.HandleFunc("GET /zh.html", s.page(func(w io.Writer) error { return s.r.HomeHTML(w, render.ZH) }, "home:zh", render.ZH))
	m.HandleFunc("GET /errors/{$}", s.listing("", render.EN))
	m.HandleFunc("GET /errors/zh.html", s.listing("", render.ZH))
	m.HandleFunc("GET /errors/{domain}", s.domainNoSlash)
	m.HandleFunc("GET /errors/{domain}/{$}", s.domain)
	m.HandleFunc("GET /errors/{domain}/{file}", s.domainFile)
	m.HandleFunc("GET /errors/{domain}/{slug}/{$}", s.entry)
	m.HandleFunc("GET /errors/{domain}/{slug}/{file}", s.entryFile)
	m.HandleFunc("GET /healthz", s.healthz)
	m.HandleFunc("GET /static/{file}", s.static)
	m.HandleFunc("GET /stats/{$}", s.page(func(w io.Writer) error { return s.r.StatsHTML(w, render.EN) }, "stats:en", render.EN))
	m.HandleFunc("GET /stats/zh.html", s.page(func(w io.Writer) error { return s.r.StatsHTML(w, render.ZH) }, "stats:zh", render.ZH))
	m.HandleFunc("GET /stats", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, render.StatsPath(render.EN), http.StatusMovedPermanently)
	})
	m.HandleFunc("GET /match", s.matchPage)
	m.HandleFunc("POST /match", s.matchPage)
	m.HandleFunc("GET /search", s.searchPage)
	m.HandleFunc("GET /robots.txt", s.file("robots", TypeText, s.r.RobotsTxt))
	m.HandleFunc("GET /llms.txt", s.file("llms", TypeMarkdownText, s.r.LLMsTxt))
	m.HandleFunc("GET /llms-full.txt", s.file("llms-full", TypeMarkdownText, s.r.LLMsFullTxt))
	m.HandleFunc("GET /feed.xml", s.file("feed", TypeAtom, s.r.FeedXML))
	m.HandleFunc("GET /sitemap.xml", s.file("sitemap", TypeXML, s.r.SitemapXML))
	m.HandleFunc("GET /favicon.svg", s.icon)
	m.HandleFunc("GET /favicon.ico", s.icon)
	m.HandleFunc("GET /{file}", s.rootFile)
	// Everything else is a 404 page. Being a GET pattern, it also makes the
	// mux answer other methods on any path with 405 and an Allow header.
	m.HandleFunc("GET /", s.notFound)
}

// page serves a resource that does not depend on the request.
func (s *Server) page(f func(io.Writer) error, key string, l render.Lang) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.serve(w, r, key, TypeHTML, l, f)
	}
}

func (s *Server) domainNoSlash(w http.ResponseWriter, r *http.Request) {
	d := r.PathValue("domain")
	if canon.ValidDomainID(d) && s.r.HasDomain(d) {
		http.Redirect(w, r, render.DomainPath(d, render.EN), http.StatusMovedPermanently)
		return
	}
	s.notFound(w, r)
}

func (s *Server) domain(w http.ResponseWriter, r *http.Request) {
	d := r.PathValue("domain")
	if !canon.ValidDomainID(d) || !s.r.HasDomain(d) {
		s.notFound(w, r)
		return
	}
	s.listing(d, render.EN)(w, r)
}

// domainFile is /errors/{domain}/zh.html, or an entry path missing its
// trailing slash.
func (s *Server) domainFile(w http.ResponseWriter, r *http.Request) {
	d, f := r.PathValue("domain"), r.PathValue("file")
	switch {
	case !canon.ValidDomainID(d) || !s.r.HasDomain(d):
		s.notFound(w, r)
	case f == "zh.html":
		s.listing(d, render.ZH)(w, r)
	case canon.ValidSlug(f) && s.cat.Entry(d+"/"+f) != nil:
		http.Redirect(w, r, render.EntryPaths(d+"/"+f).HTML, http.StatusMovedPermanently)
	default:
		s.notFound(w, r)
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

func (s *Server) entry(w http.ResponseWriter, r *http.Request) {
	e := s.lookup(r)
	if e == nil {
		s.notFound(w, r)
		return
	}
	s.serve(w, r, render.EntryPaths(e.ID).HTML, TypeHTML, render.EN, func(w io.Writer) error { return s.r.EntryHTML(w, e, render.EN) })
}

func (s *Server) entryFile(w http.ResponseWriter, r *http.Request) {
	e := s.lookup(r)
	if e == nil {
		s.notFound(w, r)
		return
	}
	p := render.EntryPaths(e.ID)
	switch r.PathValue("file") {
	case "zh.html":
		s.serve(w, r, p.HTMLZh, TypeHTML, render.ZH, func(w io.Writer) error { return s.r.EntryHTML(w, e, render.ZH) })
	case "index.json":
		s.serve(w, r, p.JSON, TypeJSON, "", func(w io.Writer) error { return s.r.EntryJSON(w, e) })
	case "index.md":
		s.serve(w, r, p.MD, TypeMarkdown, render.EN, func(w io.Writer) error { return s.r.EntryMarkdown(w, e, render.EN) })
	case "zh.md":
		s.serve(w, r, p.MDZh, TypeMarkdown, render.ZH, func(w io.Writer) error { return s.r.EntryMarkdown(w, e, render.ZH) })
	case "index.html":
		// What a static build writes for the entry page.
		http.Redirect(w, r, p.HTML, http.StatusMovedPermanently)
	default:
		s.notFound(w, r)
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", TypeText)
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintf(w, "ok %d entries\n", len(s.cat.Entries))
}

func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	var res *resource
	switch "/static/" + r.PathValue("file") {
	case render.StylesheetPath():
		res = s.resource("static:css", TypeCSS, "", func(w io.Writer) error { _, err := w.Write(render.Stylesheet()); return err })
	case render.ScriptPath():
		res = s.resource("static:js", TypeJS, "", func(w io.Writer) error { _, err := w.Write(render.Script()); return err })
	default:
		s.notFound(w, r)
		return
	}
	s.write(w, r, http.StatusOK, res, staticMaxAge)
}

// notFound answers 404 with the site's page in the visitor's language.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	l := visitorLang(r)
	res := s.resource("404:"+string(l), TypeHTML, l, func(w io.Writer) error { return s.r.NotFoundHTML(w, l) })
	w.Header().Add("Vary", "Accept-Language")
	s.write(w, r, http.StatusNotFound, res, "no-cache")
}

// serve answers a GET or HEAD with a cached resource, rendering it on
// first use. A render error is logged and answered with 500; it means a
// bug, never a bad request.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, key, ctype string, l render.Lang, f func(io.Writer) error) {
	res := s.resource(key, ctype, l, f)
	if res == nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	s.write(w, r, http.StatusOK, res, pageMaxAge)
}

func (s *Server) resource(key, ctype string, l render.Lang, f func(io.Writer) error) *resource {
	s.mu.Lock()
	res, ok := s.cache[key]
	s.mu.Unlock()
	if ok {
		return res
	}
	// Render outside the lock: two first requests may both render, and
	// produce the same bytes.
	var buf bytes.Buffer
	if err := f(&buf); err != nil {
		s.log.Error("render failed", "resource", key, "err", err)
		return nil
	}
	sum := sha256.Sum256(buf.Bytes())
	res = &resource{body: buf.Bytes(), etag: `"` + hex.EncodeToString(sum[:16]) + `"`, ctype: ctype, lang: l}
	s.mu.Lock()
	s.cache[key] = res
	s.mu.Unlock()
	return res
}

// write sends a resource, or 304 when the request's If-None-Match names
// its ETag (in any of its encodings).
func (s *Server) write(w http.ResponseWriter, r *http.Request, status int, res *resource, cacheControl string) {
	if res == nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", res.ctype)
	h.Set("Cache-Control", cacheControl)
	if res.lang != "" {
		h.Set("Content-Language", string(res.lang))
	}
	if status == http.StatusOK {
		h.Set("ETag", res.etag)
		if tag, ok := matchETag(r.Header.Get("If-None-Match"), res.etag); ok {
			// Echo the tag the client holds: compressed responses carry
			// the ETag with an encoding suffix, and a 304 is not compressed.
			h.Set("ETag", tag)
			h.Del("Content-Type")
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(res.body)))
	w.WriteHeader(status)
	// For HEAD, net/http discards the body and keeps Content-Length. (The
	// compression layer leaves HEAD uncompressed, so a HEAD answers with the
	// identity representation's headers.)
	_, _ = w.Write(res.body)
}

// matchETag reports whether an If-None-Match header names etag, compared
// weakly as RFC 9110 asks, ignoring the -gzip/-zstd suffix that the
// compression layer adds. It returns the client's tag.
func matchETag(header, etag string) (string, bool) {
	if header == "" {
		return "", false
	}
	base := strings.Trim(etag, `"`)
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" {
			return etag, true
		}
		opaque := strings.Trim(strings.TrimPrefix(tag, "W/"), `"`)
		for _, suffix := range []string{"", "-gzip", "-zstd"} {
			if opaque == base+suffix {
				return `"` + opaque + `"`, true
			}
		}
	}
	return "", false
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

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panic in a handler into a logged 500, so one bad
// request never takes the server down.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "method", r.Method, "path", r.URL.EscapedPath(), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// logRequests writes one structured record per request.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		level := slog.LevelInfo
		if rec.status >= 500 {
			level = slog.LevelError
		}
		s.log.LogAttrs(r.Context(), level, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.EscapedPath()),
			slog.Int("status", rec.status),
			slog.Int64("bytes", rec.bytes),
			slog.Duration("duration", time.Since(start)),
			slog.String("remote", r.RemoteAddr),
			slog.String("encoding", rec.Header().Get("Content-Encoding")),
		)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush passes flushes through (streaming handlers mounted later).
func (w *statusRecorder) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
