package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/errorcanon/errorcanon/internal/api"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/middleware"
)

// TestServeError: one function answers every handler error, a problem
// document under /api/v1 and a page elsewhere (never plain text), the
// status from the API's error table; internal errors are logged, recovered
// panics once.
func TestServeError(t *testing.T) {
	var logs syncBuffer
	s := newServer(t, &logs)
	for _, tc := range []struct {
		path        string
		err         error
		status      int
		ctype, body string
	}{
		{"/nope", api.ErrNotFound, 404, TypeHTML, "Page not found"},
		{"/nope", fmt.Errorf("wrapped: %w", api.ErrNotFound), 404, TypeHTML, "Page not found"},
		{"/x", errors.New("render x: broken"), 500, TypeHTML, "500 Internal error"},
		{"/zh.html", errors.New("render x: broken"), 500, TypeHTML, "服务器内部错误"},
		{"/x", api.ErrSearchUnavailable, 503, TypeHTML, "503 Search unavailable"},
		{"/x", match.ErrTooLarge, 413, TypeHTML, "413 Input too large"},
		{"/x", fmt.Errorf("%w: boom", middleware.ErrPanic), 500, TypeHTML, "Internal error"},
		{"/api/v1/x", api.ErrNotFound, 404, "application/problem+json", `/problems/not-found"`},
		{"/api/v1/x", errors.New("broken"), 500, "application/problem+json", `/problems/internal-error"`},
		{"/api/v1/x", match.ErrEmpty, 400, "application/problem+json", `/problems/empty-input"`},
	} {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.serveError(w, r, tc.err) })
		rec := do(h, "GET", tc.path)
		if rec.Code != tc.status || rec.Header().Get("Content-Type") != tc.ctype || !strings.Contains(rec.Body.String(), tc.body) {
			t.Errorf("%s %v: %d %q, want %d %q with %q:\n%s", tc.path, tc.err, rec.Code, rec.Header().Get("Content-Type"), tc.status, tc.ctype, tc.body, rec.Body.String())
		}
		if strings.Contains(rec.Body.String(), "broken") {
			t.Errorf("%s %v: the error's text reached the client", tc.path, tc.err)
		}
	}
	if n := strings.Count(logs.String(), "broken"); n != 3 {
		t.Errorf("%d logged internal errors, want 3:\n%s", n, logs.String())
	}
	if strings.Contains(logs.String(), "boom") {
		t.Errorf("a recovered panic was logged again:\n%s", logs.String())
	}
}
