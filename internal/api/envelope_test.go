package api

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/reports"
)

// TestCollectionEnvelope asks every collection endpoint, and checks that
// each answers the same envelope (items, total, next, prev, nothing
// missing) and that entries carry the same link fields everywhere.
func TestCollectionEnvelope(t *testing.T) {
	a, _ := newAPI(t, true)
	log := "HTTP/1.1 502 Bad Gateway\nServer: awselb/2.0\n"
	for _, tc := range []struct {
		method, target, body string
		entries              bool // items are entries
	}{
		{"GET", "/api/v1/errors", "", true},
		{"GET", "/api/v1/errors?per_page=1&page=2", "", true},
		{"GET", "/api/v1/search?q=awselb", "", true},
		{"GET", "/api/v1/match?q=" + url.QueryEscape(log), "", true},
		{"POST", "/api/v1/match", log, true},
		{"GET", "/api/v1/domains", "", false},
	} {
		rec := do(a, tc.method, tc.target, "", []byte(tc.body))
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || rec.Code != 200 {
			t.Errorf("%s %s: %d %v", tc.method, tc.target, rec.Code, err)
			continue
		}
		for _, k := range []string{"items", "total", "next", "prev"} {
			if _, ok := doc[k]; !ok {
				t.Errorf("%s %s: no %q", tc.method, tc.target, k)
			}
		}
		var items []map[string]json.RawMessage
		var total int
		if json.Unmarshal(doc["items"], &items) != nil || json.Unmarshal(doc["total"], &total) != nil || len(items) == 0 || total < len(items) {
			t.Errorf("%s %s: items %s, total %s", tc.method, tc.target, doc["items"], doc["total"])
			continue
		}
		for _, k := range []string{"next", "prev"} {
			var link *string
			if err := json.Unmarshal(doc[k], &link); err != nil || (link != nil && !strings.HasPrefix(*link, "https://errorcanon.dev/api/v1/")) {
				t.Errorf("%s %s: %s %s", tc.method, tc.target, k, doc[k])
			}
		}
		if !tc.entries {
			continue
		}
		for _, k := range []string{"id", "title", "url", "urls", "api"} {
			if _, ok := items[0][k]; !ok {
				t.Errorf("%s %s: an item has no %q", tc.method, tc.target, k)
			}
		}
		for _, k := range []string{"page", "path", "results", "count"} {
			if _, ok := items[0][k]; ok {
				t.Errorf("%s %s: an item has %q, not one of the shared fields", tc.method, tc.target, k)
			}
		}
	}
	// A middle page links both ways.
	var page ListPage
	decode(t, do(a, "GET", "/api/v1/errors?limit=1&page=2", "", nil), &page)
	if page.Next == nil || page.Prev == nil || page.PerPage != 1 || !strings.Contains(*page.Next, "page=3") {
		t.Errorf("limit=1&page=2: next %v prev %v per_page %d", page.Next, page.Prev, page.PerPage)
	}
	// One limit everywhere: the matcher's.
	problemOf(t, do(a, "GET", "/api/v1/match?q=x&limit=11", "", nil), 400, "invalid-parameter")
}

// TestLinksFromRequest serves the API without a configured base URL:
// every link a client follows names the server that answered, and the
// OpenAPI description's server is that one.
func TestLinksFromRequest(t *testing.T) {
	c := testCatalog(t)
	r, err := render.New(c, render.Options{LinksFromRequest: true})
	if err != nil {
		t.Fatal(err)
	}
	ix, _ := match.Build(c.Entries)
	a, err := New(Config{Renderer: r, Matcher: ix, Reports: reports.New(c, openStore(t), reports.Limits{})})
	if err != nil {
		t.Fatal(err)
	}
	get := func(target string) string {
		req := httptest.NewRequest("GET", target, nil)
		req.Host = "127.0.0.1:8080"
		rec := httptest.NewRecorder()
		a.ServeHTTP(rec, req)
		return rec.Body.String()
	}
	for _, target := range []string{"/api/v1/errors?per_page=1", "/api/v1/errors/" + seedALB, "/api/v1/domains", "/api/v1/match?q=" + url.QueryEscape("HTTP/1.1 502 Bad Gateway\nServer: awselb/2.0\n"), "/api/v1", "/api/v1/nope"} {
		body := get(target)
		if strings.Contains(body, "errorcanon.dev") || !strings.Contains(body, "http://127.0.0.1:8080/") {
			t.Errorf("%s: links are not this server's:\n%s", target, body[:min(len(body), 600)])
		}
	}
	if body := get("/api/v1/openapi.json"); !strings.Contains(body, `"url": "/"`) {
		t.Errorf("openapi servers: %s", body[:min(len(body), 300)])
	}
}
