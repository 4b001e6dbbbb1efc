package api

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/reports"
	"github.com/errorcanon/errorcanon/internal/search"
	"github.com/errorcanon/errorcanon/internal/testutil"
)

const (
	seedALB = testutil.SeedALB
	// albGeneric answers a bare ALB 502; seedALB only its TLS case.
	albGeneric = "api/http-502-bad-gateway-aws-alb"
	seedCF     = testutil.SeedCF
)

func testCatalog(t testing.TB) *catalog.Catalog { return testutil.SeedCatalog(t) }

// fakeSearch finds the entries whose signature contains the query.
type fakeSearch struct {
	cat  *catalog.Catalog
	last search.Query
}

func (f *fakeSearch) Search(_ context.Context, q search.Query) (*search.Results, error) {
	f.last = q
	res := &search.Results{}
	for _, e := range f.cat.Entries {
		if strings.Contains(e.Signature+e.SignatureZh, q.Text) && (q.Domain == "" || e.Domain == q.Domain) {
			res.Total++
			res.Hits = append(res.Hits, search.Hit{ID: e.ID, Score: 1, Snippets: []search.Snippet{{Field: "signature", HTML: "<mark>" + html.EscapeString(q.Text) + "</mark>"}}})
		}
	}
	return res, nil
}

func newAPI(t testing.TB, withSearch bool) (*API, *fakeSearch) {
	t.Helper()
	c := testCatalog(t)
	r, err := render.New(c, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix, _ := match.Build(c.Entries)
	cfg := Config{Renderer: r, Matcher: ix, Reports: reports.New(c, openStore(t), reports.Limits{})}
	fs := &fakeSearch{cat: c}
	if withSearch {
		cfg.Search = fs
	}
	a, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return a, fs
}

func do(h http.Handler, method, target, ctype string, body []byte, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func decode(t *testing.T, rec *httptest.ResponseRecorder, v any) {
	t.Helper()
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, rec.Body.String())
	}
}

// problemOf checks that a response is a problem document of a type.
func problemOf(t *testing.T, rec *httptest.ResponseRecorder, status int, typ string) Problem {
	t.Helper()
	if rec.Code != status {
		t.Errorf("status %d, want %d: %s", rec.Code, status, rec.Body.String())
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q", ct)
	}
	var p Problem
	decode(t, rec, &p)
	if p.Type != "https://errorcanon.dev/api/v1/problems/"+typ || p.Status != status || p.Title == "" || p.Instance == "" {
		t.Errorf("problem %+v, want type %s", p, typ)
	}
	return p
}

func TestCatalogEndpoints(t *testing.T) {
	a, _ := newAPI(t, false)
	c := testCatalog(t)
	n, resolvable := len(c.Entries), 0
	for _, e := range c.Entries {
		if e.Resolvable == "true" {
			resolvable++
		}
	}
	rec := do(a, "GET", "/api/v1/errors", "", nil)
	var page ListPage
	decode(t, rec, &page)
	if rec.Code != 200 || page.Total != n || len(page.Items) != n || page.Pages != 1 {
		t.Errorf("errors: %d %+v", rec.Code, page)
	}
	// sort=name, the default, is by title.
	for i := 1; i < len(page.Items); i++ {
		if strings.ToLower(page.Items[i-1].Title) > strings.ToLower(page.Items[i].Title) {
			t.Errorf("not by title: %q before %q", page.Items[i-1].Title, page.Items[i].Title)
		}
	}
	if page.Items[0].URL != "https://errorcanon.dev/errors/"+page.Items[0].ID+"/" || page.Items[0].SignatureZh == "" || page.Items[0].Title == "" {
		t.Errorf("item %+v", page.Items[0])
	}
	rec = do(a, "GET", "/api/v1/errors?per_page=1&sort=fix_rate&resolvable=true", "", nil)
	decode(t, rec, &page)
	if page.Total != resolvable || len(page.Items) != 1 || page.Next == nil || *page.Next != "https://errorcanon.dev/api/v1/errors?page=2&per_page=1&resolvable=true&sort=fix_rate" || page.Prev != nil {
		t.Errorf("paged: %+v", page)
	}
	rec = do(a, "GET", "/api/v1/errors?domain=aws", "", nil)
	decode(t, rec, &page)
	if page.Total != 1 || page.Items[0].ID != seedCF {
		t.Errorf("domain filter: %+v", page)
	}

	rec = do(a, "GET", "/api/v1/errors/"+seedALB, "", nil)
	var entry map[string]any
	decode(t, rec, &entry)
	if rec.Code != 200 || entry["id"] != seedALB || entry["schema_version"] != float64(2) {
		t.Errorf("entry: %d %v", rec.Code, entry["id"])
	}
	etag := rec.Header().Get("ETag")
	if rec := do(a, "GET", "/api/v1/errors/"+seedALB, "", nil, "If-None-Match", etag); rec.Code != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", rec.Code)
	}

	rec = do(a, "GET", "/api/v1/domains", "", nil)
	var ds Envelope[DomainItem]
	decode(t, rec, &ds)
	counts := map[string]int{}
	for _, d := range ds.Items {
		counts[d.ID] = d.Count
	}
	if counts["api"] != len(c.InDomain("api")) || counts["aws"] != 1 || counts["python"] != 0 {
		t.Errorf("domains %v", counts)
	}

	rec = do(a, "GET", "/api/v1/stats", "", nil)
	var st map[string]any
	decode(t, rec, &st)
	if st["entries"] != float64(n) {
		t.Errorf("stats %v", st)
	}
	for _, p := range []string{"/api/v1", "/api/v1/", "/api/v1/openapi.json", "/api/v1/problems/not-found"} {
		if rec := do(a, "GET", p, "", nil); rec.Code != 200 || !json.Valid(rec.Body.Bytes()) {
			t.Errorf("GET %s: %d", p, rec.Code)
		}
	}
}

func TestBadInputIsA4xxProblem(t *testing.T) {
	a, _ := newAPI(t, true)
	for _, tc := range []struct {
		method, target string
		status         int
		typ, param     string
	}{
		{"GET", "/api/v1/nope", 404, "not-found", ""},
		{"GET", "/api/v1/errors/api/no-such-entry", 404, "not-found", ""},
		{"GET", "/api/v1/errors/..%2f..%2fetc/passwd", 404, "not-found", ""},
		{"GET", "/api/v1/errors/API/X", 404, "not-found", ""},
		{"GET", "/api/v1/problems/nope", 404, "not-found", ""},
		{"GET", "/api/v1/errors?category=%3Cscript%3E", 400, "invalid-parameter", "category"},
		{"GET", "/api/v1/errors?domain=nope", 400, "invalid-parameter", "domain"},
		{"GET", "/api/v1/errors?sort=random", 400, "invalid-parameter", "sort"},
		{"GET", "/api/v1/errors?page=0", 400, "invalid-parameter", "page"},
		{"GET", "/api/v1/errors?page=99999999999999999999999", 400, "invalid-parameter", "page"},
		{"GET", "/api/v1/errors?per_page=1000", 400, "invalid-parameter", "per_page"},
		{"GET", "/api/v1/errors?verification=x&resolvable=maybe", 400, "invalid-parameter", "verification"},
		{"GET", "/api/v1/match", 400, "empty-input", "text"},
		{"GET", "/api/v1/match?q=%20%0A", 400, "empty-input", "text"},
		{"GET", "/api/v1/match?q=x&limit=0", 400, "invalid-parameter", "limit"},
		{"GET", "/api/v1/match?q=x&limit=abc", 400, "invalid-parameter", "limit"},
		{"GET", "/api/v1/match?q=x&lang=fr", 400, "invalid-parameter", "lang"},
		{"GET", "/api/v1/match?q=x&domain=nope", 400, "invalid-parameter", "domain"},
		{"GET", "/api/v1/search", 400, "empty-input", "q"},
		{"GET", "/api/v1/search?q=x&lang=de", 400, "invalid-parameter", "lang"},
		{"GET", "/api/v1/search?q=x&per_page=51", 400, "invalid-parameter", "per_page"},
		{"DELETE", "/api/v1/errors", 405, "method-not-allowed", ""},
		{"PUT", "/api/v1/match", 405, "method-not-allowed", ""},
		{"POST", "/api/v1/stats", 405, "method-not-allowed", ""},
	} {
		t.Run(tc.method+" "+tc.target, func(t *testing.T) {
			rec := do(a, tc.method, tc.target, "", nil)
			p := problemOf(t, rec, tc.status, tc.typ)
			if p.Param != tc.param {
				t.Errorf("param %q, want %q", p.Param, tc.param)
			}
			if tc.status == 405 && (rec.Header().Get("Allow") == "" || len(p.Allow) == 0) {
				t.Errorf("405 without Allow")
			}
		})
	}
}

func TestMatch(t *testing.T) {
	a, _ := newAPI(t, false)
	log := "2024/01/01 12:00:00 upstream\nHTTP/1.1 502 Bad Gateway\nServer: awselb/2.0\n"
	check := func(name string, rec *httptest.ResponseRecorder, lang string) {
		t.Helper()
		var res MatchResponse
		decode(t, rec, &res)
		if rec.Code != 200 || res.Total == 0 || res.Items[0].ID != albGeneric || res.Lang != lang {
			t.Fatalf("%s: %d %s", name, rec.Code, rec.Body.String())
		}
		r := res.Items[0]
		if r.Kind != match.Matched || r.Span == nil || r.Span.Line < 2 || r.Span.Text == "" || r.Score.Total <= 0 || r.Score.Specificity <= 0 {
			t.Errorf("%s: kind %s span %+v score %+v", name, r.Kind, r.Span, r.Score)
		}
		if len(r.DeadEnds) == 0 || len(r.Workarounds) == 0 || r.Title == "" {
			t.Errorf("%s: no dead ends, workarounds or title", name)
		}
		if want := "https://errorcanon.dev" + render.EntryPagePath(albGeneric, render.Lang(lang)); r.URL != want {
			t.Errorf("%s: url %q, want %q", name, r.URL, want)
		}
	}
	check("GET", do(a, "GET", "/api/v1/match?q="+url.QueryEscape(log), "", nil), "en")
	check("POST text", do(a, "POST", "/api/v1/match?lang=zh", "text/plain; charset=utf-8", []byte(log)), "zh")
	check("POST bare", do(a, "POST", "/api/v1/match", "", []byte(log)), "en")
	// curl --data-binary @- says application/x-www-form-urlencoded: the
	// body is the piped text, taken as it is.
	check("POST curl", do(a, "POST", "/api/v1/match", "application/x-www-form-urlencoded", []byte(log)), "en")
	body, _ := json.Marshal(MatchRequest{Text: log, Limit: 1, Lang: "zh"})
	rec := do(a, "POST", "/api/v1/match", "application/json", body)
	check("POST JSON", rec, "zh")
	var res MatchResponse
	decode(t, rec, &res)
	if res.Total != 1 || !regexp.MustCompile(`\p{Han}`).MatchString(res.Items[0].Title+res.Items[0].RootCause) {
		t.Errorf("JSON limit/lang ignored: %+v", res)
	}
	if rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("POST answer is cacheable")
	}

	// Nothing matches: 200 with fuzzy results or none, never an error.
	rec = do(a, "POST", "/api/v1/match", "text/plain", []byte("\x00\xff\xfe 完全不相关的文本 🙂"))
	if rec.Code != 200 {
		t.Errorf("unmatched text: %d", rec.Code)
	}
}

func TestMatchBodyLimits(t *testing.T) {
	a, _ := newAPI(t, false)
	big := bytes.Repeat([]byte("x"), match.MaxInput+1)
	p := problemOf(t, do(a, "POST", "/api/v1/match", "text/plain", big), 413, "input-too-large")
	if p.Limit != match.MaxInput {
		t.Errorf("limit %d", p.Limit)
	}
	// Exactly the limit is accepted.
	if rec := do(a, "POST", "/api/v1/match", "text/plain", big[:match.MaxInput]); rec.Code != 200 {
		t.Errorf("a body of exactly MaxInput: %d %s", rec.Code, rec.Body.String()[:min(200, rec.Body.Len())])
	}
	// JSON whose text is over the limit, though the body is under its own.
	body, _ := json.Marshal(MatchRequest{Text: string(big)})
	problemOf(t, do(a, "POST", "/api/v1/match", "application/json", body), 413, "input-too-large")
	// JSON over the body limit.
	huge := append([]byte(`{"text":"`), bytes.Repeat([]byte(`\n`), MaxJSONBody/2+1)...)
	problemOf(t, do(a, "POST", "/api/v1/match", "application/json", append(huge, '"', '}')), 413, "input-too-large")

	for name, tc := range map[string]struct {
		ctype, body string
		status      int
		typ         string
	}{
		"xml":        {"application/xml", "<q>x</q>", 415, "unsupported-media-type"},
		"bad ctype":  {"text/plain; charset=\"", "x", 415, "unsupported-media-type"},
		"not json":   {"application/json", "{text:", 400, "invalid-body"},
		"empty json": {"application/json", "", 400, "invalid-body"},
		"two values": {"application/json", `{"text":"a"}{"text":"b"}`, 400, "invalid-body"},
		"wrong type": {"application/json", `{"text":5}`, 400, "invalid-body"},
		"bad limit":  {"application/json", `{"text":"x","limit":99}`, 400, "invalid-parameter"},
		"bad lang":   {"application/json", `{"text":"x","lang":"xx"}`, 400, "invalid-parameter"},
		"no text":    {"application/json", `{"limit":3}`, 400, "empty-input"},
		"empty text": {"text/plain", "", 400, "empty-input"},
	} {
		t.Run(name, func(t *testing.T) {
			problemOf(t, do(a, "POST", "/api/v1/match", tc.ctype, []byte(tc.body)), tc.status, tc.typ)
		})
	}
}

func TestSearch(t *testing.T) {
	a, fs := newAPI(t, true)
	rec := do(a, "GET", "/api/v1/search?q=awselb&lang=zh&domain=api", "", nil)
	var res SearchResponse
	decode(t, rec, &res)
	if rec.Code != 200 || res.Total != 1 || res.Items[0].ID != albGeneric || res.Lang != "zh" || len(res.Items[0].Snippets) != 1 {
		t.Errorf("search: %d %s", rec.Code, rec.Body.String())
	}
	if fs.last.Lang != "" || fs.last.Domain != "api" || fs.last.PerPage != search.DefaultPerPage {
		t.Errorf("searcher got %+v", fs.last)
	}
	// A long query is cut, not refused.
	long := strings.Repeat("证书", 1000)
	rec = do(a, "GET", "/api/v1/search?q="+url.QueryEscape(long), "", nil)
	decode(t, rec, &res)
	if rec.Code != 200 || !res.Truncated || len(res.Query) > search.MaxQueryBytes || len(res.Query) < search.MaxQueryBytes-3 || !utf8.ValidString(res.Query) {
		t.Errorf("long query: %d truncated=%v len=%d", rec.Code, res.Truncated, len(res.Query))
	}
	problemOf(t, do(a, "GET", "/api/v1/search?q=x&page=101", "", nil), 400, "invalid-parameter")
	// Without a search index: 503, a problem.
	b, _ := newAPI(t, false)
	problemOf(t, do(b, "GET", "/api/v1/search?q=x", "", nil), 503, "search-unavailable")
}

func TestCORS(t *testing.T) {
	a, _ := newAPI(t, false)
	for _, p := range []string{"/api/v1/errors", "/api/v1/nope", "/api/v1/match?q=x"} {
		if rec := do(a, "GET", p, "", nil, "Origin", "https://example.org"); rec.Header().Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("GET %s: no CORS header", p)
		}
	}
	rec := do(a, "OPTIONS", "/api/v1/errors", "", nil, "Origin", "https://example.org", "Access-Control-Request-Method", "GET")
	if rec.Code != http.StatusNoContent || !strings.Contains(rec.Header().Get("Access-Control-Allow-Methods"), "GET") ||
		strings.Contains(rec.Header().Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("preflight /errors: %d %v", rec.Code, rec.Header())
	}
	rec = do(a, "OPTIONS", "/api/v1/match", "", nil, "Origin", "https://example.org", "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type")
	if rec.Code != http.StatusNoContent || !strings.Contains(rec.Header().Get("Access-Control-Allow-Methods"), "POST") ||
		!strings.Contains(rec.Header().Get("Access-Control-Allow-Headers"), "Content-Type") {
		t.Errorf("preflight /match: %d %v", rec.Code, rec.Header())
	}
	problemOf(t, do(a, "OPTIONS", "/api/v1/nope", "", nil), 404, "not-found")
}

// TestOpenAPICoversRoutes keeps openapi.json and the routes in step: every
// path in the document answers something other than 404, every route is
// in the document with its methods, and every problem type is listed.
func TestOpenAPICoversRoutes(t *testing.T) {
	a, _ := newAPI(t, true)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Servers []map[string]string                   `json:"servers"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	decode(t, do(a, "GET", "/api/v1/openapi.json", "", nil), &doc)
	if doc.OpenAPI != "3.1.0" || len(doc.Servers) != 1 || doc.Servers[0]["url"] != "https://errorcanon.dev" {
		t.Errorf("openapi %q servers %v", doc.OpenAPI, doc.Servers)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	var routes []string
	for pattern, extra := range a.routes {
		path := strings.TrimSuffix(pattern, "{$}")
		if !a.postOnly[pattern] {
			routes = append(routes, "GET "+path)
		}
		for _, m := range extra {
			routes = append(routes, m+" "+path)
		}
	}
	sort.Strings(routes)
	var want []string
	for k := range documented {
		want = append(want, k)
	}
	sort.Strings(want)
	if !reflect.DeepEqual(routes, want) {
		t.Errorf("routes and openapi.json differ:\nroutes:  %v\ndocument: %v", routes, want)
	}
	var spec map[string]any
	_ = json.Unmarshal(openAPISpec, &spec)
	enum := spec["paths"].(map[string]any)["/api/v1/problems/{name}"].(map[string]any)["get"].(map[string]any)["parameters"].([]any)[0].(map[string]any)["schema"].(map[string]any)["enum"].([]any)
	var names []string
	for _, n := range enum {
		names = append(names, n.(string))
	}
	var have []string
	for _, pt := range ProblemTypes() {
		have = append(have, pt.Name)
	}
	if !reflect.DeepEqual(names, have) {
		t.Errorf("problem types in openapi.json %v, in code %v", names, have)
	}
}

// FuzzAPINeverFails sends arbitrary query strings and bodies: the answer
// is never a 5xx.
func FuzzAPINeverFails(f *testing.F) {
	a, _ := newAPI(f, true)
	for _, s := range []string{"q=x", "q=%00%ff&limit=-1", "page=1e9&per_page=-5", "sort=%3C", "q=" + strings.Repeat("字", 300)} {
		f.Add(s, []byte("HTTP/1.1 502"))
	}
	f.Fuzz(func(t *testing.T, query string, body []byte) {
		for _, target := range []string{"/api/v1/errors?", "/api/v1/search?", "/api/v1/match?"} {
			req := httptest.NewRequest("GET", "/", nil)
			req.URL.Path = strings.SplitN(target, "?", 2)[0]
			req.URL.RawQuery = query
			rec := httptest.NewRecorder()
			a.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("GET %s%s: %d %s", target, query, rec.Code, rec.Body.String())
			}
		}
		for _, ct := range []string{"text/plain", "application/json"} {
			req := httptest.NewRequest("POST", "/api/v1/match", bytes.NewReader(body))
			req.URL.RawQuery = query
			req.Header.Set("Content-Type", ct)
			rec := httptest.NewRecorder()
			a.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("POST %s %q: %d %s", ct, body, rec.Code, rec.Body.String())
			}
		}
	})
}

const hostile = testutil.Hostile

// TestHostileTextInJSON: an entry with a script tag in every text field,
// served by every endpoint, never puts a raw < or > in the JSON.
func TestHostileTextInJSON(t *testing.T) {
	c := testCatalog(t)
	e := *c.Entry(seedALB)
	matching := e.Examples[0] // text the seed's regex matches, before it is filled
	testutil.FillStrings(reflect.ValueOf(&e).Elem(), hostile, map[string]bool{"ID": true, "Domain": true, "Category": true,
		"Verification": true, "Resolvable": true, "RootCauseType": true, "Status": true, "Regex": true, "Related": true})
	e.Examples = append(e.Examples, matching)
	domains := append([]canon.Domain(nil), c.Domains...)
	for i := range domains {
		testutil.FillStrings(reflect.ValueOf(&domains[i]).Elem(), hostile, map[string]bool{"ID": true})
	}
	hc := catalog.New(domains, []*canon.Entry{&e, c.Entry(seedCF)})
	r, err := render.New(hc, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix, _ := match.Build(hc.Entries)
	a, err := New(Config{Renderer: r, Matcher: ix, Search: &fakeSearch{cat: hc}})
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{
		"/api/v1/errors", "/api/v1/errors/" + seedALB, "/api/v1/domains", "/api/v1/stats",
		"/api/v1/search?q=" + url.QueryEscape(hostile), "/api/v1/match?q=" + url.QueryEscape("HTTP/1.1 502 Bad Gateway\nServer: awselb/2.0\n"+hostile),
		"/api/v1/errors?category=" + url.QueryEscape(hostile), "/api/v1/match?q=x&lang=" + url.QueryEscape(hostile),
	} {
		rec := do(a, "GET", target, "", nil)
		body := rec.Body.String()
		if strings.ContainsAny(body, "<>") {
			t.Errorf("GET %s: raw < or > in the JSON: %.300s", target, body)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Errorf("GET %s: not JSON", target)
		}
	}
	// And the text comes back intact once decoded.
	var entry map[string]any
	decode(t, do(a, "GET", "/api/v1/errors/"+seedALB, "", nil), &entry)
	if entry["root_cause"] != hostile {
		t.Errorf("root_cause = %v", entry["root_cause"])
	}
	var m MatchResponse
	decode(t, do(a, "GET", "/api/v1/match?q="+url.QueryEscape(matching), "", nil), &m)
	if m.Total == 0 || !m.Matched || m.Items[0].RootCause != hostile {
		t.Errorf("match result %+v", m)
	}
}
