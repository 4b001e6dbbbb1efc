package web

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// TestBadInputIsAProblem: input that used to slip through (invisible-only
// text, query strings that do not parse, oversized headers) gets a 4xx
// problem document under /api/v1 and a 4xx page on the site.
func TestBadInputIsAProblem(t *testing.T) {
	h := newServer(t, nil).Handler()
	invisible := url.QueryEscape("\u200b\u3164\u2800 \ufeff\u034f")
	for _, c := range []struct {
		path   string
		header []string
		status int
		typ    string
	}{
		{"/api/v1/match?q=" + invisible, nil, 400, "empty-input"},
		{"/api/v1/search?q=" + invisible, nil, 400, "empty-input"},
		{"/api/v1/errors?domain=%zz", nil, 400, "invalid-parameter"},
		{"/api/v1/search?q=x&page=%", nil, 400, "invalid-parameter"},
		{"/api/v1/stats", []string{"X-Big", strings.Repeat("a", MaxHeaderBytes)}, 431, "headers-too-large"},
	} {
		rec := do(h, "GET", c.path, c.header...)
		var p struct {
			Type   string
			Status int
			Detail string
		}
		if rec.Code != c.status || rec.Header().Get("Content-Type") != "application/problem+json" ||
			json.Unmarshal(rec.Body.Bytes(), &p) != nil || !strings.HasSuffix(p.Type, "/"+c.typ) || p.Detail == "" {
			t.Errorf("%.60s: %d %s %s", c.path, rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
		}
	}
	for path, status := range map[string]int{
		"/match?q=" + invisible:       400,
		"/errors/?category=%zz":       400,
		"/search?q=a%zz":              400,
		"/errors/?category=not-known": 200, // known-good syntax, unknown value: dropped, as before
	} {
		if rec := do(h, "GET", path); rec.Code != status || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			t.Errorf("%s: %d %s", path, rec.Code, rec.Header().Get("Content-Type"))
		}
	}
}
