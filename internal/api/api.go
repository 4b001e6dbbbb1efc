// Package api is ErrorCanon's REST API under /api/v1/: entries (listed,
// filtered, one by one), domains, figures, full-text search and matching
// of error texts and logs. It is described by /api/v1/openapi.json
// (OpenAPI 3.1, embedded in this package).
//
// Every error is an RFC 9457 problem document (application/problem+json)
// with a type from ProblemTypes; bad input is always a 4xx, never a 500.
// GET, HEAD and OPTIONS (the CORS preflight) are open to every origin; so
// is POST /api/v1/match, which only reads.
//
// Limits (also in openapi.json and README.md):
//   - POST /api/v1/match: a text/plain body of at most [match.MaxInput]
//     bytes; a JSON body of at most [MaxJSONBody] bytes whose text is at
//     most match.MaxInput bytes; past either, 413 input-too-large.
//   - GET /api/v1/match?q=: as long as the server accepts a request line
//     (about 60 KiB); use POST for logs.
//   - search: the query is cut to [search.MaxQueryBytes] at a character
//     boundary (the answer says so with "truncated": true); page and
//     per_page are the index's ([search.MaxPage], [search.MaxPerPage],
//     default [search.DefaultPerPage]).
//   - per_page (or limit): up to [browse.MaxPerPage] for /errors; limit
//     up to [match.MaxLimit] for /match (default [match.DefaultLimit]),
//     as on every surface.
//
// Every collection answer (/errors, /search, /match, /domains) opens with
// [Envelope], and every entry in one carries [Links] (envelope.go).
//
// Handlers return errors; [API.WriteError] answers them through one table
// from sentinel errors to problem types (problem.go).
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/middleware"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/reports"
	"github.com/errorcanon/errorcanon/internal/search"
)

// Prefix is where the API lives.
const Prefix = "/api/v1/"

// SearchIndex is full-text search as the API and the site use it, in the
// index's own terms: *search.Index implements it; tests fake it.
type SearchIndex interface {
	Search(ctx context.Context, q search.Query) (*search.Results, error)
}

// Config configures the API.
type Config struct {
	Renderer *render.Renderer // required
	Matcher  *match.Index     // required
	Search   SearchIndex      // nil: /api/v1/search answers 503
	// Reports takes outcome reports; nil leaves POST .../outcomes out.
	Reports *reports.Service
	// Misses, when set, is given every input that matched no entry
	// (misses.Recorder.Record: redacted, grouped, stored in the
	// background).
	Misses func(text string)
	Logger *slog.Logger
}

// API serves /api/v1/. Create it with New.
type API struct {
	r       *render.Renderer
	cat     *catalog.Catalog
	ix      *match.Index
	search  SearchIndex
	reports *reports.Service
	misses  func(string)
	log     *slog.Logger
	mux     *http.ServeMux
	spec    func() ([]byte, error)
	// routes maps each GET route pattern to the other methods it accepts;
	// postOnly lists the patterns that have no GET.
	routes   map[string][]string
	postOnly map[string]bool
}

// New returns the API.
func New(cfg Config) (*API, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &API{r: cfg.Renderer, cat: cfg.Renderer.Catalog(), ix: cfg.Matcher, search: cfg.Search, reports: cfg.Reports, misses: cfg.Misses, log: log, mux: http.NewServeMux(), routes: map[string][]string{}, postOnly: map[string]bool{}}
	// The description is made on first use: decoding and re-encoding it
	// would cost every start a few milliseconds.
	a.spec = sync.OnceValues(a.openAPI)
	a.get("/api/v1", a.index)
	a.mux.HandleFunc("GET /api/v1/{$}", a.handle(a.index)) // the same, with a slash
	a.get("/api/v1/openapi.json", a.openAPIDoc)
	a.get("/api/v1/errors", a.listErrors)
	a.get("/api/v1/errors/{domain}/{slug}", a.entry)
	a.get("/api/v1/domains", a.domains)
	a.get("/api/v1/stats", a.stats)
	a.get("/api/v1/search", a.searchHandler)
	a.get("/api/v1/match", a.matchGet)
	a.mux.HandleFunc("POST /api/v1/match", a.handle(a.matchPost))
	a.routes["/api/v1/match"] = []string{"POST"}
	a.get("/api/v1/problems/{name}", a.problemType)
	if a.reports != nil {
		a.mux.HandleFunc("POST /api/v1/errors/{domain}/{slug}/outcomes", a.handle(a.postOutcome))
		a.routes["/api/v1/errors/{domain}/{slug}/outcomes"] = []string{"POST"}
		a.postOnly["/api/v1/errors/{domain}/{slug}/outcomes"] = true
		a.mux.HandleFunc("POST /api/v1/submissions", a.handle(a.postSubmission))
		a.routes["/api/v1/submissions"] = []string{"POST"}
		a.postOnly["/api/v1/submissions"] = true
	}
	a.mux.HandleFunc("/", a.handle(a.fallback))
	return a, nil
}

func (a *API) get(pattern string, h func(http.ResponseWriter, *http.Request) error) {
	a.mux.HandleFunc("GET "+pattern, a.handle(h))
	if _, ok := a.routes[pattern]; !ok {
		a.routes[pattern] = nil
	}
}

// ServeHTTP adds the CORS headers every answer carries and routes. Panics
// are left to the server's middleware.Recover, which answers them with
// WriteError.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "ETag, Link, Content-Language")
	a.mux.ServeHTTP(w, r)
}

// fallback answers what no route took: the CORS preflight and other
// methods on a known path, or 404 on an unknown one.
func (a *API) fallback(w http.ResponseWriter, r *http.Request) error {
	probe := r.Clone(r.Context())
	probe.Method = http.MethodGet
	_, pattern := a.mux.Handler(probe)
	known := strings.HasPrefix(pattern, "GET ")
	if !known {
		return &Error{Err: ErrNotFound, Detail: "There is no API endpoint at this path; see " + a.links(r).Link("/api/v1/openapi.json") + "."}
	}
	allow := append([]string{"GET", "HEAD"}, a.routes[strings.TrimPrefix(pattern, "GET ")]...)
	allow = append(allow, "OPTIONS")
	if r.Method == http.MethodOptions {
		h := w.Header()
		h.Set("Allow", strings.Join(allow, ", "))
		h.Set("Access-Control-Allow-Methods", strings.Join(allow, ", "))
		h.Set("Access-Control-Allow-Headers", "Content-Type, Accept, Accept-Language, If-None-Match")
		h.Set("Access-Control-Max-Age", "86400")
		h.Set("Cache-Control", "public, max-age=86400")
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	return &Error{Err: ErrMethodNotAllowed, Detail: "This endpoint accepts " + strings.Join(allow, ", ") + ", not " + sanitizeMethod(r.Method) + ".", Allow: allow}
}

// sanitizeMethod keeps a method name printable in a detail.
func sanitizeMethod(m string) string {
	if len(m) > 20 {
		m = m[:20]
	}
	return strings.Map(func(r rune) rune {
		if r < 0x21 || r > 0x7e {
			return '?'
		}
		return r
	}, m)
}

// Cache lifetimes of answers.
const (
	catalogMaxAge = "public, max-age=300"
	queryMaxAge   = "public, max-age=60"
)

// writeJSON answers 200 with a JSON document, its strong ETag, and 304
// when the client has it.
func (a *API) writeJSON(w http.ResponseWriter, r *http.Request, v any, cacheControl string) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode %s: %w", r.URL.EscapedPath(), err)
	}
	a.writeBytes(w, r, buf.Bytes(), "application/json; charset=utf-8", cacheControl)
	return nil
}

// writeBytes answers 200 with body; a GET or HEAD gets its ETag, and 304
// when the client has it.
func (a *API) writeBytes(w http.ResponseWriter, r *http.Request, body []byte, ctype, cacheControl string) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", cacheControl)
	if (r.Method == http.MethodGet || r.Method == http.MethodHead) && middleware.NotModified(w, r, middleware.ETag(body)) {
		return
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

func (a *API) index(w http.ResponseWriter, r *http.Request) error {
	lr := a.links(r)
	return a.writeJSON(w, r, map[string]any{
		"name":    "ErrorCanon API",
		"version": "1",
		"openapi": lr.Link("/api/v1/openapi.json"),
		"endpoints": map[string]string{
			"errors":   lr.Link("/api/v1/errors"),
			"entry":    lr.Link("/api/v1/errors/{domain}/{slug}"),
			"domains":  lr.Link("/api/v1/domains"),
			"stats":    lr.Link("/api/v1/stats"),
			"search":   lr.Link("/api/v1/search?q={query}"),
			"match":    lr.Link("/api/v1/match"),
			"problems": lr.Link("/api/v1/problems/{name}"),
		},
	}, catalogMaxAge)
}

// OpenAPI returns the OpenAPI description the API serves, for the site's
// rendered API reference. The caller must not change it.
func (a *API) OpenAPI() []byte {
	b, _ := a.spec()
	return b
}

func (a *API) openAPIDoc(w http.ResponseWriter, r *http.Request) error {
	spec, err := a.spec()
	if err != nil {
		return err
	}
	a.writeBytes(w, r, spec, "application/json; charset=utf-8", catalogMaxAge)
	return nil
}

func (a *API) problemType(w http.ResponseWriter, r *http.Request) error {
	t, ok := problemType(r.PathValue("name"))
	if !ok {
		return &Error{Err: ErrNotFound, Detail: "No such problem type."}
	}
	return a.writeJSON(w, r, map[string]any{"type": a.problemURI(r, t.Name), "title": t.Title, "status": t.Status, "description": t.Description}, catalogMaxAge)
}
