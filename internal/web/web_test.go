package web

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/testutil"
)

const (
	seedALB = testutil.SeedALB
	seedCF  = testutil.SeedCF
)

// testCatalog is the shipped domain list with the seed entries.
func testCatalog(t testing.TB) *catalog.Catalog { return testutil.SeedCatalog(t) }

// syncBuffer collects the server's logs.
type syncBuffer = testutil.Buffer

func newServer(t testing.TB, logs io.Writer) *Server {
	t.Helper()
	r, err := render.New(testCatalog(t), render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var log *slog.Logger
	if logs != nil {
		log = slog.New(slog.NewJSONHandler(logs, nil))
	}
	ix, _ := match.Build(r.Catalog().Entries)
	s, err := New(Config{Renderer: r, Matcher: ix, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// do sends a request straight to the handler.
func do(h http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestRoutes(t *testing.T) {
	h := newServer(t, nil).Handler()
	entry := "/errors/" + seedALB + "/"
	for _, tc := range []struct {
		path, ctype, lang, contains string
	}{
		{"/", TypeHTML, "en", "Known software errors"},
		{"/zh.html", TypeHTML, "zh", "已知软件错误"},
		{"/errors/", TypeHTML, "en", "Errors by domain"},
		{"/errors/zh.html", TypeHTML, "zh", "按领域浏览错误"},
		{"/errors/api/", TypeHTML, "en", seedALB},
		{"/errors/api/zh.html", TypeHTML, "zh", seedALB},
		{entry, TypeHTML, "en", "Dead ends"},
		{entry + "zh.html", TypeHTML, "zh", "无效尝试"},
		{entry + "index.json", TypeJSON, "", `"signature_zh"`},
		{entry + "index.md", TypeMarkdown, "en", "## Dead ends"},
		{entry + "zh.md", TypeMarkdown, "zh", "## 无效尝试"},
		{"/healthz", TypeText, "", fmt.Sprintf("ok %d entries", len(testCatalog(t).Entries))},
		{render.StylesheetPath(), TypeCSS, "", "--accent"},
	} {
		rec := do(h, "GET", tc.path)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s: %d", tc.path, rec.Code)
			continue
		}
		if got := rec.Header().Get("Content-Type"); got != tc.ctype {
			t.Errorf("GET %s: Content-Type %q, want %q", tc.path, got, tc.ctype)
		}
		if got := rec.Header().Get("Content-Language"); got != tc.lang {
			t.Errorf("GET %s: Content-Language %q, want %q", tc.path, got, tc.lang)
		}
		if !strings.Contains(rec.Body.String(), tc.contains) {
			t.Errorf("GET %s: body lacks %q", tc.path, tc.contains)
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no nosniff", tc.path)
		}
		if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("GET %s: no CSP", tc.path)
		}
	}
	// The JSON is the entry.
	rec := do(h, "GET", entry+"index.json")
	var e canon.Entry
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.ID != seedALB {
		t.Errorf("index.json: %v, id %q", err, e.ID)
	}
	// The stylesheet is cached for good.
	if cc := do(h, "GET", render.StylesheetPath()).Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("stylesheet Cache-Control %q", cc)
	}
}

func TestRedirects(t *testing.T) {
	h := newServer(t, nil).Handler()
	for path, to := range map[string]string{
		"/errors/api":                        "/errors/api/",
		"/errors/" + seedALB:                 "/errors/" + seedALB + "/",
		"/errors/" + seedALB + "/index.html": "/errors/" + seedALB + "/",
	} {
		rec := do(h, "GET", path)
		if rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != to {
			t.Errorf("GET %s: %d to %q, want 301 to %q", path, rec.Code, rec.Header().Get("Location"), to)
		}
	}
}

func TestNotFound(t *testing.T) {
	h := newServer(t, nil).Handler()
	for _, tc := range []struct {
		path, acceptLang string
		zh               bool
	}{
		{"/nope", "", false},
		{"/errors/nope/", "", false},
		{"/errors/python/", "", false}, // declared in domains.yaml, no entries yet: not published
		{"/errors/api/nope/", "", false},
		{"/errors/api/nope/zh.html", "", true},
		{"/errors/api/nope/zh.md", "", true},
		{"/errors/" + seedALB + "/other.json", "", false},
		{"/errors/nope/zh.html", "", true},
		{"/static/style.css", "", false},
		{"/nope", "zh-CN,zh;q=0.9,en;q=0.8", true},
		{"/nope", "en-US,en;q=0.9,zh;q=0.8", false},
		{"/nope", "en;q=0.5, zh-Hans;q=0.9", true},
		{"/nope", "fr, zh;q=0.2", false},
		{"/errors/api/nope/", "zh-TW", true},
	} {
		rec := do(h, "GET", tc.path, "Accept-Language", tc.acceptLang)
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", tc.path, rec.Code)
			continue
		}
		if ct := rec.Header().Get("Content-Type"); ct != TypeHTML {
			t.Errorf("GET %s: 404 Content-Type %q", tc.path, ct)
		}
		body := rec.Body.String()
		zh := strings.Contains(body, "页面不存在")
		en := strings.Contains(body, "Page not found")
		if zh != tc.zh || en == tc.zh {
			t.Errorf("GET %s (Accept-Language %q): zh page %v, want %v", tc.path, tc.acceptLang, zh, tc.zh)
		}
		if rec.Header().Get("ETag") != "" {
			t.Errorf("GET %s: a 404 has an ETag", tc.path)
		}
	}
}

func TestTraversalNeverServesFiles(t *testing.T) {
	h := newServer(t, nil).Handler()
	for _, path := range []string{
		"/errors/../catalog/",
		"/errors/../catalog/domains.yaml",
		"/errors/%2e%2e/x/",
		"/errors/%2e%2e/%2e%2e/go.mod",
		"/errors/api/..%5c/",
		"/errors/api/..%5c..%5cgo.mod/index.json",
		"/errors/api%2f..%2f..%2fetc/passwd/",
		"/errors/api/%00/",
		"/errors/api/slug%0a/index.json",
		"/errors/api/%1b%5b31m/",
		"/errors/api/ok\\..\\x/",
		"/static/..%2fcatalog.go",
		"/errors/api/" + strings.Repeat("a", 5000) + "/",
		"/errors/API/HTTP-502-BAD-GATEWAY-AWS-ALB-SSL-HANDSHAKE/",
	} {
		rec := do(h, "GET", path)
		switch {
		case rec.Code == http.StatusMovedPermanently || rec.Code == http.StatusTemporaryRedirect:
			// The mux cleans dot segments with a redirect; the target must
			// stay on this site and must itself be a 404.
			loc := rec.Header().Get("Location")
			if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") {
				t.Errorf("GET %s: redirect to %q", path, loc)
			}
			if rec2 := do(h, "GET", loc); rec2.Code != http.StatusNotFound {
				t.Errorf("GET %s -> %s: %d, want 404", path, loc, rec2.Code)
			}
		case rec.Code != http.StatusNotFound:
			t.Errorf("GET %q: %d, want 404", path, rec.Code)
		}
		body := rec.Body.String()
		for _, leak := range []string{"domains:", "package catalog", "module github.com", "root:"} {
			if strings.Contains(body, leak) {
				t.Errorf("GET %s: body leaks %q", path, leak)
			}
		}
	}
}

func TestMethods(t *testing.T) {
	h := newServer(t, nil).Handler()
	entry := "/errors/" + seedALB + "/"
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH"} {
		for _, p := range []string{"/", entry, entry + "index.json", "/healthz", "/nope"} {
			rec := do(h, m, p)
			if rec.Code != http.StatusMethodNotAllowed {
				t.Errorf("%s %s: %d, want 405", m, p, rec.Code)
			}
			if allow := rec.Header().Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "HEAD") {
				t.Errorf("%s %s: Allow %q", m, p, allow)
			}
		}
	}
}

func TestHead(t *testing.T) {
	s := newServer(t, nil)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	entry := srv.URL + "/errors/" + seedALB + "/"
	req := func(method, u, enc string) *http.Response {
		r, err := http.NewRequest(method, u, nil)
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Accept-Encoding", enc)
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	for _, u := range []string{entry, entry + "index.json", entry + "zh.md", srv.URL + "/nope", srv.URL + "/healthz"} {
		for _, enc := range []string{"identity", "gzip"} {
			get := req("GET", u, enc)
			body, _ := io.ReadAll(get.Body)
			get.Body.Close()
			head := req("HEAD", u, enc)
			hb, _ := io.ReadAll(head.Body)
			head.Body.Close()
			if head.StatusCode != get.StatusCode || len(hb) != 0 {
				t.Errorf("HEAD %s: %d with %d body bytes; GET %d", u, head.StatusCode, len(hb), get.StatusCode)
			}
			keys := []string{"Content-Type", "Content-Language"}
			if enc == "identity" {
				// HEAD is never compressed (gzhttp works around an nginx bug),
				// so only the identity GET has the same ETag and encoding.
				keys = append(keys, "ETag", "Content-Length", "Content-Encoding")
			}
			for _, k := range keys {
				if head.Header.Get(k) != get.Header.Get(k) {
					t.Errorf("HEAD %s (%s): %s %q, GET has %q", u, enc, k, head.Header.Get(k), get.Header.Get(k))
				}
			}
			if len(body) == 0 {
				t.Errorf("GET %s: empty body", u)
			}
		}
	}
}

func TestETag(t *testing.T) {
	h := newServer(t, nil).Handler()
	for _, p := range []string{"/errors/" + seedALB + "/", "/errors/" + seedCF + "/index.json", "/errors/api/zh.html", render.StylesheetPath()} {
		first := do(h, "GET", p)
		tag := first.Header().Get("ETag")
		if !strings.HasPrefix(tag, `"`) || !strings.HasSuffix(tag, `"`) || strings.HasPrefix(tag, "W/") {
			t.Fatalf("GET %s: ETag %q is not a strong tag", p, tag)
		}
		if again := do(h, "GET", p); again.Header().Get("ETag") != tag || again.Body.String() != first.Body.String() {
			t.Errorf("GET %s: a second request differs", p)
		}
		for _, inm := range []string{tag, `"other", ` + tag, "W/" + tag, "*"} {
			rec := do(h, "GET", p, "If-None-Match", inm)
			if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
				t.Errorf("GET %s If-None-Match %s: %d with %d bytes, want 304", p, inm, rec.Code, rec.Body.Len())
			}
		}
		if rec := do(h, "GET", p, "If-None-Match", `"stale"`); rec.Code != http.StatusOK {
			t.Errorf("GET %s with a stale tag: %d", p, rec.Code)
		}
		// The compressed representation has its own tag, which revalidates too.
		gz := do(h, "GET", p, "Accept-Encoding", "gzip")
		gtag := gz.Header().Get("ETag")
		if gz.Header().Get("Content-Encoding") != "gzip" || gtag == tag || !strings.Contains(gtag, "-gzip") {
			t.Errorf("GET %s gzip: encoding %q ETag %q (identity %q)", p, gz.Header().Get("Content-Encoding"), gtag, tag)
		}
		rec := do(h, "GET", p, "Accept-Encoding", "gzip", "If-None-Match", gtag)
		if rec.Code != http.StatusNotModified || rec.Header().Get("ETag") != gtag {
			t.Errorf("GET %s gzip If-None-Match %s: %d, ETag %q", p, gtag, rec.Code, rec.Header().Get("ETag"))
		}
	}
	// Different resources have different tags.
	a := do(h, "GET", "/errors/"+seedALB+"/").Header().Get("ETag")
	b := do(h, "GET", "/errors/"+seedALB+"/zh.html").Header().Get("ETag")
	if a == b {
		t.Error("English and Chinese pages share an ETag")
	}
}

func TestGzip(t *testing.T) {
	h := newServer(t, nil).Handler()
	p := "/errors/" + seedALB + "/"
	plain := do(h, "GET", p)
	rec := do(h, "GET", p, "Accept-Encoding", "gzip")
	if rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q", rec.Header().Get("Content-Encoding"))
	}
	if !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
		t.Error("no Vary: Accept-Encoding")
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(body, plain.Body.Bytes()) {
		t.Error("gunzipped body differs from the identity body")
	}
	if rec.Body.Len() >= len(body) {
		t.Errorf("compressed %d bytes >= plain %d", rec.Body.Len(), len(body))
	}
	if plain.Header().Get("Content-Encoding") != "" {
		t.Error("identity response is encoded")
	}
}

func TestLogsAndExtraRoutes(t *testing.T) {
	var logs syncBuffer
	s := newServer(t, &logs)
	// A later issue mounts its routes the same way.
	s.Handle("GET /extra/ping", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", TypeJSON)
		_, _ = io.WriteString(w, `{"ok":true}`)
	}))
	s.Handle("GET /extra/missing", http.HandlerFunc(s.NotFound))
	s.Handle("GET /boom", http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	h := s.Handler()
	if rec := do(h, "GET", "/extra/ping"); rec.Code != 200 || rec.Body.String() != `{"ok":true}` {
		t.Errorf("mounted route: %d %q", rec.Code, rec.Body.String())
	}
	if rec := do(h, "GET", "/extra/missing", "Accept-Language", "zh"); rec.Code != 404 || !strings.Contains(rec.Body.String(), "页面不存在") {
		t.Errorf("mounted NotFound: %d", rec.Code)
	}
	if rec := do(h, "GET", "/boom"); rec.Code != http.StatusInternalServerError || rec.Header().Get("Content-Type") != TypeHTML || rec.Header().Get("Content-Security-Policy") == "" {
		t.Errorf("panicking handler: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	// The site keeps working after a panic.
	if rec := do(h, "GET", "/"); rec.Code != 200 {
		t.Errorf("after a panic: %d", rec.Code)
	}
	var found404, found500 bool
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if rec["msg"] == "request" {
			for _, k := range []string{"method", "path", "status", "bytes", "duration", "remote"} {
				if _, ok := rec[k]; !ok {
					t.Errorf("request log lacks %s: %s", k, line)
				}
			}
			if rec["path"] == "/extra/missing" && rec["status"] == float64(404) {
				found404 = true
			}
			if rec["path"] == "/boom" && rec["status"] == float64(500) && rec["level"] == "ERROR" {
				found500 = true
			}
		}
	}
	if !found404 || !found500 {
		t.Errorf("logs lack the 404 or the 500:\n%s", logs.String())
	}
}

func TestConcurrentFirstRequests(t *testing.T) {
	h := newServer(t, nil).Handler()
	paths := []string{"/", "/errors/" + seedALB + "/", "/errors/" + seedALB + "/index.json", "/errors/" + seedCF + "/zh.md", "/nope"}
	var wg sync.WaitGroup
	tags := make([][]string, 8)
	for i := range tags {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for _, p := range paths {
				tags[i] = append(tags[i], do(h, "GET", p).Header().Get("ETag"))
			}
		}(i)
	}
	wg.Wait()
	for i := range tags {
		for j := range paths {
			if tags[i][j] != tags[0][j] {
				t.Errorf("%s: concurrent requests got different ETags", paths[j])
			}
		}
	}
}

func TestPrefersChinese(t *testing.T) {
	for h, want := range map[string]bool{
		"": false, "zh": true, "zh-CN": true, "ZH-hk": true, "zhx": false, "en": false,
		"zh;q=0": false, "en;q=0.1, zh;q=0.2": true, "zh;q=bad, en": false, "*": false,
	} {
		if got := prefersChinese(h); got != want {
			t.Errorf("prefersChinese(%q) = %v", h, got)
		}
	}
}
