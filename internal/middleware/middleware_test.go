package middleware

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestChainOrder(t *testing.T) {
	var order []string
	mark := func(name string) Middleware {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				order = append(order, name)
				next.ServeHTTP(w, r)
			})
		}
	}
	h := Chain(mark("a"), mark("b"), mark("c"))(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { order = append(order, "h") }))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if got := strings.Join(order, ""); got != "abch" {
		t.Errorf("order %q, want abch", got)
	}
}

func TestNotModified(t *testing.T) {
	etag := ETag([]byte("body"))
	if !strings.HasPrefix(etag, `"`) || len(etag) != 34 || etag == ETag([]byte("other")) {
		t.Fatalf("ETag %s", etag)
	}
	base := strings.Trim(etag, `"`)
	for _, tc := range []struct {
		header string
		want   bool
		echo   string
	}{
		{"", false, etag},
		{etag, true, etag},
		{`"other", ` + etag, true, etag},
		{"W/" + etag, true, etag},
		{"*", true, etag},
		{`"` + base + `-gzip"`, true, `"` + base + `-gzip"`},
		{`W/"` + base + `-zstd"`, true, `"` + base + `-zstd"`},
		{`"stale"`, false, etag},
		{`"` + base + `-br"`, false, etag},
	} {
		req := httptest.NewRequest("GET", "/", nil)
		if tc.header != "" {
			req.Header.Set("If-None-Match", tc.header)
		}
		rec := httptest.NewRecorder()
		rec.Header().Set("Content-Type", "text/plain")
		got := NotModified(rec, req, etag)
		if got != tc.want || rec.Header().Get("ETag") != tc.echo {
			t.Errorf("If-None-Match %q: %v, ETag %q; want %v, %q", tc.header, got, rec.Header().Get("ETag"), tc.want, tc.echo)
		}
		if got && (rec.Code != http.StatusNotModified || rec.Header().Get("Content-Type") != "") {
			t.Errorf("If-None-Match %q: %d, Content-Type %q", tc.header, rec.Code, rec.Header().Get("Content-Type"))
		}
	}
}

func TestRecoverAndLog(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	var failed error
	fail := func(w http.ResponseWriter, _ *http.Request, err error) {
		failed = err
		w.WriteHeader(http.StatusInternalServerError)
	}
	h := Chain(Log(log), Recover(log, fail), SecurityHeaders)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/boom", nil))
	if rec.Code != 500 || !errors.Is(failed, ErrPanic) || !strings.Contains(failed.Error(), "boom") {
		t.Errorf("panic: %d, fail got %v", rec.Code, failed)
	}
	if rec.Header().Get("Content-Security-Policy") != ContentSecurityPolicy || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("headers %v", rec.Header())
	}
	if s := logs.String(); !strings.Contains(s, `"msg":"panic"`) || !strings.Contains(s, `"stack"`) || !strings.Contains(s, `"level":"ERROR","msg":"request"`) || !strings.Contains(s, `"status":500`) {
		t.Errorf("logs:\n%s", s)
	}
	// http.ErrAbortHandler passes through, as net/http expects.
	abort := Recover(log, fail)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) }))
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler", v)
		}
	}()
	abort.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	t.Error("ErrAbortHandler was swallowed")
}

// TestLogSampled: one in every successful request is logged, with the
// sample size; every failed one is.
func TestLogSampled(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	status := 200
	h := LogSampled(log, 4)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(status) }))
	for range 12 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	}
	status = 404
	for range 3 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	}
	s := logs.String()
	if ok, failed := strings.Count(s, `"status":200,`), strings.Count(s, `"status":404,`); ok != 3 || failed != 3 || strings.Count(s, `"sample":4`) != 3 {
		t.Errorf("12 successes and 3 failures logged as %d and %d:\n%s", ok, failed, s)
	}
}

// FuzzIfNoneMatch parses arbitrary If-None-Match headers: no panic, and a
// match answers with a tag that is the entity's or one of its encodings'.
func FuzzIfNoneMatch(f *testing.F) {
	etag := ETag([]byte("body"))
	for _, s := range []string{etag, "*", `W/` + etag, `"x", ` + etag, strings.TrimSuffix(etag, `"`) + `-gzip"`, `""`, `W/`, `,,,`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		tag, ok := matchETag(header, etag)
		if ok && tag != etag && tag != strings.TrimSuffix(etag, `"`)+`-gzip"` && tag != strings.TrimSuffix(etag, `"`)+`-zstd"` {
			t.Errorf("%q matched as %q", header, tag)
		}
	})
}
