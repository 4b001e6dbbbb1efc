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
//   - POST /api/v1/match: a text/plain body of at most match.MaxInput bytes
//     (4 MiB); a JSON body of at most 2*match.MaxInput+64 KiB whose text is
//     at most match.MaxInput bytes; past either, 413 input-too-large.
//   - GET /api/v1/match?q=: as long as the server accepts a request line
//     (about 60 KiB); use POST for logs.
//   - search queries are cut to render.MaxQuery (512) bytes, at a
//     character boundary; the answer says so with "truncated": true.
//   - search pages: 1 to 100.
//   - per_page: 1 to 200 for /errors (default 50), 1 to 50 for /search
//     (default 10); limit: 1 to 50 for /match (default 5).
package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"

	"github.com/errorcanon/errorcanon/internal/browse"
	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
)

// Prefix is where the API lives.
const Prefix = "/api/v1/"

// Searcher is full-text search as the API and the search page use it.
// internal/search provides the implementation; the server adapts it.
type Searcher interface {
	Search(ctx context.Context, q SearchQuery) (SearchResult, error)
}

// SearchQuery is one search: the text, the language of the snippets and
// the filters and page (Filters.Sort is not used: hits come by relevance).
type SearchQuery struct {
	Text    string
	Lang    render.Lang
	Filters browse.Query
}

// SearchResult is one page of hits and the number of hits on all pages.
type SearchResult struct {
	// Query is the text as searched, when the searcher cleaned or cut it
	// further; Truncated says it cut.
	Query     string
	Truncated bool
	Total     int
	Hits      []render.SearchHit
	// Scores holds each hit's relevance, by position in Hits (optional).
	Scores []float64
}

// Config configures the API.
type Config struct {
	Renderer *render.Renderer // required
	Matcher  *match.Index     // required
	Search   Searcher         // nil: /api/v1/search answers 503
	Logger   *slog.Logger
}

// API serves /api/v1/. Create it with New.
type API struct {
	r      *render.Renderer
	cat    *catalog.Catalog
	ix     *match.Index
	search Searcher
	log    *slog.Logger
	mux    *http.ServeMux
	spec   []byte
	// routes maps each GET route pattern to the other methods it accepts.
	routes map[string][]string
}

// New returns the API.
func New(cfg Config) (*API, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &API{r: cfg.Renderer, cat: cfg.Renderer.Catalog(), ix: cfg.Matcher, search: cfg.Search, log: log, mux: http.NewServeMux(), routes: map[string][]string{}}
	spec, err := a.openAPI()
	if err != nil {
		return nil, err
	}
	a.spec = spec
	a.get("/api/v1", a.index)
	a.mux.HandleFunc("GET /api/v1/{$}", a.index) // the same, with a slash
	a.get("/api/v1/openapi.json", a.openAPIDoc)
	a.get("/api/v1/errors", a.listErrors)
	a.get("/api/v1/errors/{domain}/{slug}", a.entry)
	a.get("/api/v1/domains", a.domains)
	a.get("/api/v1/stats", a.stats)
	a.get("/api/v1/search", a.searchHandler)
	a.get("/api/v1/match", a.matchGet)
	a.mux.HandleFunc("POST /api/v1/match", a.matchPost)
	a.routes["/api/v1/match"] = []string{"POST"}
	a.get("/api/v1/problems/{name}", a.problemType)
	a.mux.HandleFunc("/", a.fallback)
	return a, nil
}

func (a *API) get(pattern string, h http.HandlerFunc) {
	a.mux.HandleFunc("GET "+pattern, h)
	if _, ok := a.routes[pattern]; !ok {
		a.routes[pattern] = nil
	}
}

// ServeHTTP adds the CORS headers every answer carries and routes.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "ETag, Link, Content-Language")
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			a.log.Error("api panic", "path", r.URL.EscapedPath(), "panic", v)
			a.problem(w, r, "internal-error", "")
		}
	}()
	a.mux.ServeHTTP(w, r)
}

// fallback answers what no route took: the CORS preflight and other
// methods on a known path, or 404 on an unknown one.
func (a *API) fallback(w http.ResponseWriter, r *http.Request) {
	probe := r.Clone(r.Context())
	probe.Method = http.MethodGet
	_, pattern := a.mux.Handler(probe)
	known := strings.HasPrefix(pattern, "GET ")
	if !known {
		a.problem(w, r, "not-found", "There is no API endpoint at this path; see "+a.r.Abs("/api/v1/openapi.json")+".")
		return
	}
	allow := append([]string{"GET", "HEAD"}, a.routes[strings.TrimPrefix(pattern, "GET ")]...)
	allow = append(allow, "OPTIONS")
	if r.Method == http.MethodOptions {
		h := w.Header()
		h.Set("Allow", joinComma(allow))
		h.Set("Access-Control-Allow-Methods", joinComma(allow))
		h.Set("Access-Control-Allow-Headers", "Content-Type, Accept, Accept-Language, If-None-Match")
		h.Set("Access-Control-Max-Age", "86400")
		h.Set("Cache-Control", "public, max-age=86400")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	a.problem(w, r, "method-not-allowed", "This endpoint accepts "+joinComma(allow)+", not "+sanitizeMethod(r.Method)+".", func(p *Problem) { p.Allow = allow })
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
func (a *API) writeJSON(w http.ResponseWriter, r *http.Request, v any, cacheControl string) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		a.log.Error("api encode", "path", r.URL.EscapedPath(), "err", err)
		a.problem(w, r, "internal-error", "")
		return
	}
	a.writeBytes(w, r, buf.Bytes(), "application/json; charset=utf-8", cacheControl)
}

func (a *API) writeBytes(w http.ResponseWriter, r *http.Request, body []byte, ctype, cacheControl string) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", cacheControl)
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		sum := sha256.Sum256(body)
		etag := `"` + hex.EncodeToString(sum[:16]) + `"`
		h.Set("ETag", etag)
		if noneMatch(r.Header.Get("If-None-Match"), etag) {
			h.Del("Content-Type")
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// noneMatch reports whether If-None-Match names etag (weakly, ignoring
// the compression layer's -gzip/-zstd suffix).
func noneMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	base := strings.Trim(etag, `"`)
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" {
			return true
		}
		opaque := strings.Trim(strings.TrimPrefix(tag, "W/"), `"`)
		if opaque == base || opaque == base+"-gzip" || opaque == base+"-zstd" {
			return true
		}
	}
	return false
}

func (a *API) index(w http.ResponseWriter, r *http.Request) {
	a.writeJSON(w, r, map[string]any{
		"name":    "ErrorCanon API",
		"version": "1",
		"openapi": a.r.Abs("/api/v1/openapi.json"),
		"endpoints": map[string]string{
			"errors":   a.r.Abs("/api/v1/errors"),
			"entry":    a.r.Abs("/api/v1/errors/{domain}/{slug}"),
			"domains":  a.r.Abs("/api/v1/domains"),
			"stats":    a.r.Abs("/api/v1/stats"),
			"search":   a.r.Abs("/api/v1/search?q={query}"),
			"match":    a.r.Abs("/api/v1/match"),
			"problems": a.r.Abs("/api/v1/problems/{name}"),
		},
	}, catalogMaxAge)
}

func (a *API) openAPIDoc(w http.ResponseWriter, r *http.Request) {
	a.writeBytes(w, r, a.spec, "application/json; charset=utf-8", catalogMaxAge)
}

func (a *API) problemType(w http.ResponseWriter, r *http.Request) {
	t, ok := problemTypes[r.PathValue("name")]
	if !ok {
		a.problem(w, r, "not-found", "No such problem type.")
		return
	}
	a.writeJSON(w, r, map[string]any{"type": a.problemURI(t.Name), "title": t.Title, "status": t.Status, "description": t.Description}, catalogMaxAge)
}
