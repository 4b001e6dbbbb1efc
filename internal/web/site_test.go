package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/search"
	"github.com/errorcanon/errorcanon/internal/testutil"
)

func TestSiteRoutes(t *testing.T) {
	h := newServer(t, nil).Handler()
	for _, tc := range []struct {
		path, ctype, contains string
		status                int
	}{
		{"/stats/", TypeHTML, "Entries per domain", 200},
		{"/stats/zh.html", TypeHTML, "各领域条目数", 200},
		{"/robots.txt", TypeText, "Sitemap: https://errorcanon.dev/sitemap.xml", 200},
		{"/sitemap.xml", TypeXML, `hreflang="x-default"`, 200},
		{"/feed.xml", TypeAtom, `<feed xmlns="http://www.w3.org/2005/Atom"`, 200},
		{"/llms.txt", TypeMarkdownText, "# ErrorCanon", 200},
		{"/llms-full.txt", TypeMarkdownText, seedCF, 200},
		{render.ScriptPath(), TypeJS, "/api/v1/match", 200},
		{"/api/v1/errors", "application/json; charset=utf-8", seedALB, 200},
		{"/api/v1/openapi.json", "application/json; charset=utf-8", `"openapi": "3.1.0"`, 200},
		{"/errors/?sort=fix_rate", TypeHTML, `<option value="fix_rate" selected>`, 200},
		// Unknown filter values are dropped, never an error.
		{"/errors/api/?category=%3Cscript%3E&sort=x&page=-3&per_page=9999", TypeHTML, seedALB, 200},
		{"/match?q=" + url.QueryEscape("HTTP/1.1 502 Bad Gateway\nServer: awselb/2.0"), TypeHTML, testutil.SeedGeneric, 200},
		{"/search?q=502", TypeHTML, "Search is not available", 503},
		{"/sitemap-1.xml", TypeHTML, "Page not found", 404},
		{"/api/v1/nope", "application/problem+json", "not-found", 404},
	} {
		rec := do(h, "GET", tc.path)
		if rec.Code != tc.status {
			t.Errorf("GET %s: %d, want %d", tc.path, rec.Code, tc.status)
		}
		if got := rec.Header().Get("Content-Type"); got != tc.ctype {
			t.Errorf("GET %s: Content-Type %q, want %q", tc.path, got, tc.ctype)
		}
		if !strings.Contains(rec.Body.String(), tc.contains) {
			t.Errorf("GET %s: body lacks %q", tc.path, tc.contains)
		}
	}
	if rec := do(h, "GET", "/stats"); rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != "/stats/" {
		t.Errorf("/stats: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	if rec := do(h, "GET", "/match?lang=zh"); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/zh.html" {
		t.Errorf("/match without text: %d %q", rec.Code, rec.Header().Get("Location"))
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	s := newServer(t, nil)
	h := s.Handler()
	for _, tc := range []struct{ method, path string }{
		{"GET", "/"}, {"GET", "/nope"}, {"GET", "/api/v1/errors"}, {"GET", "/api/v1/nope"}, {"DELETE", "/api/v1/errors"},
		{"OPTIONS", "/api/v1/errors"}, {"GET", render.StylesheetPath()}, {"GET", render.ScriptPath()}, {"GET", "/feed.xml"},
		{"POST", "/"}, {"GET", "/healthz"}, {"POST", "/match"},
	} {
		rec := do(h, tc.method, tc.path)
		hd := rec.Header()
		csp := hd.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s %s: CSP %q lacks %s", tc.method, tc.path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-") || strings.Contains(csp, "*") || strings.Contains(csp, "http") {
			t.Errorf("%s %s: CSP %q allows too much", tc.method, tc.path, csp)
		}
		if hd.Get("X-Content-Type-Options") != "nosniff" || hd.Get("Referrer-Policy") == "" {
			t.Errorf("%s %s: headers %v", tc.method, tc.path, hd)
		}
		if rec.Code >= 500 {
			t.Errorf("%s %s: %d", tc.method, tc.path, rec.Code)
		}
	}
}

func postForm(h http.Handler, path string, form url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestPasteBoxWithoutJavaScript(t *testing.T) {
	h := newServer(t, nil).Handler()
	log := "upstream said\nHTTP/1.1 502 Bad Gateway\nServer: awselb/2.0\n"
	rec := postForm(h, "/match", url.Values{"q": {log}, "lang": {"zh"}})
	body := rec.Body.String()
	if rec.Code != 200 || rec.Header().Get("Content-Language") != "zh" || rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("POST /match: %d %v", rec.Code, rec.Header())
	}
	if !strings.Contains(body, render.EntryPagePath(testutil.SeedGeneric, render.ZH)) || !strings.Contains(body, ">\n"+log+"</textarea>") {
		t.Errorf("results page lacks the entry link or the text:\n%s", body)
	}
	if !strings.Contains(body, `<meta name="robots" content="noindex">`) {
		t.Error("results page is indexable")
	}
	// Text no regex matches: the closest entries by title and link, no
	// advice, and no "matching entries" wording.
	rec = postForm(h, "/match", url.Values{"q": {"HTTP 502 server awselb 2.0"}})
	body = rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, "No known entry for this error.") || !strings.Contains(body, render.EntryPagePath(testutil.SeedGeneric, render.EN)) {
		t.Errorf("not-known page:\n%s", body)
	}
	for _, advice := range []string{`class="step dont"`, `class="step do"`, "matching entr"} {
		if strings.Contains(body, advice) {
			t.Errorf("not-known page shows %q", advice)
		}
	}
	// Empty and oversized texts are refused with the page, not a 500.
	if rec := postForm(h, "/match", url.Values{"q": {"  \n"}}); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "Paste an error message") {
		t.Errorf("empty: %d", rec.Code)
	}
	big := strings.Repeat("x", match.MaxInput+1)
	if rec := postForm(h, "/match", url.Values{"q": {big}}); rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "4 MiB") {
		t.Errorf("too large: %d", rec.Code)
	}
	// A body beyond the form limit is cut off by MaxBytesReader: 413.
	huge := strings.Repeat("%25", match.MaxInput+2000)
	req := httptest.NewRequest("POST", "/match", strings.NewReader("q="+huge))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("huge form body: %d", rec.Code)
	}
}

type oneHit struct {
	got   search.Query
	calls int
}

func (o *oneHit) Search(_ context.Context, q search.Query) (*search.Results, error) {
	o.got = q
	o.calls++
	return &search.Results{Total: 1, Hits: []search.Hit{{ID: seedCF, Snippets: []search.Snippet{{Field: "signature", HTML: "<mark>证书</mark>"}}}}}, nil
}

func TestSearchPage(t *testing.T) {
	r, err := render.New(testCatalog(t), render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	se := &oneHit{}
	mix, _ := match.Build(r.Catalog().Entries)
	s, err := New(Config{Renderer: r, Matcher: mix, Search: se})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	rec := do(h, "GET", "/search?q="+url.QueryEscape("证书")+"&lang=zh&domain=aws&category=nope&page=1")
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, render.EntryPagePath(seedCF, render.ZH)) || !strings.Contains(body, "<mark>证书</mark>") {
		t.Errorf("search page: %d\n%s", rec.Code, body)
	}
	if se.got.Text != "证书" || se.got.Lang != "" || se.got.Domain != "aws" || se.got.Category != "" {
		t.Errorf("searcher got %+v", se.got)
	}
	// The same normalised query is answered from the page cache; another
	// page of it is not.
	calls := se.calls
	again := do(h, "GET", "/search?q="+url.QueryEscape(" 证书\u200b")+"&lang=zh&domain=aws&page=1", "Accept-Encoding", "gzip")
	if se.calls != calls || again.Code != 200 || again.Header().Get("Content-Encoding") != "gzip" ||
		strings.TrimSuffix(again.Header().Get("ETag"), `-gzip"`) != strings.TrimSuffix(rec.Header().Get("ETag"), `"`) {
		t.Errorf("cached search page: %d searches, %d %v", se.calls-calls, again.Code, again.Header())
	}
	if do(h, "GET", "/search?q="+url.QueryEscape("证书")+"&lang=zh&domain=aws&page=2"); se.calls != calls+1 {
		t.Error("page 2 was answered from page 1's cache")
	}
	// The language of the page follows Accept-Language when lang is absent.
	if rec := do(h, "GET", "/search?q=x", "Accept-Language", "zh-CN"); rec.Header().Get("Content-Language") != "zh" {
		t.Errorf("search page language %q", rec.Header().Get("Content-Language"))
	}
	// The API uses the same searcher.
	if rec := do(h, "GET", "/api/v1/search?q=abc"); rec.Code != 200 || !strings.Contains(rec.Body.String(), seedCF) {
		t.Errorf("api search: %d", rec.Code)
	}
}
