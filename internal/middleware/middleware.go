// Package middleware is the HTTP plumbing shared by the site (internal/web)
// and the REST API (internal/api): request logging, panic recovery,
// security headers, compression, and the strong ETags with If-None-Match
// handling that every cached answer uses.
//
// # Usage
//
// A server composes the middleware once, outermost first, with [Chain]:
//
//	h := middleware.Chain(
//		middleware.Log(log),
//		middleware.Recover(log, serveError),
//		middleware.SecurityHeaders,
//		middleware.Compress,
//	)(routes)
//
// Handlers that write a body they can hash call [ETag] for its tag and
// [NotModified] before writing it.
package middleware

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/gzhttp"
)

// Middleware wraps a handler.
type Middleware func(http.Handler) http.Handler

// Chain returns a middleware applying ms in order, the first outermost:
// Chain(a, b)(h) is a(b(h)).
func Chain(ms ...Middleware) Middleware {
	return func(h http.Handler) http.Handler {
		for i := len(ms) - 1; i >= 0; i-- {
			h = ms[i](h)
		}
		return h
	}
}

// ContentSecurityPolicy is sent with every response. Pages load the site's
// own stylesheet and script and nothing from elsewhere; no inline script
// or style runs (JSON-LD blocks are data, not script), nothing may frame
// the site, and forms post only to it.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// SecurityHeaders sets ContentSecurityPolicy and the other security
// headers on every response.
func SecurityHeaders(next http.Handler) http.Handler {
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

// gz is the compression wrapper: gzip or zstd, as the client accepts, with
// the encoding's suffix added to a strong ETag ("-gzip"), so the encoded
// and identity representations never share a tag. HEAD stays uncompressed.
var gz = func() func(http.Handler) http.HandlerFunc {
	w, err := gzhttp.NewWrapper(gzhttp.SuffixETag("-gzip"))
	if err != nil {
		panic(err) // only bad options fail, and these are fixed
	}
	return w
}()

// Compress compresses response bodies; see gz.
func Compress(next http.Handler) http.Handler { return gz(next) }

// ErrPanic is wrapped by the error Recover hands to its fail function.
var ErrPanic = errors.New("panic")

// Recover turns a panic in a handler into a logged error answered by fail
// (with an error wrapping ErrPanic, which fail need not log again), so one
// bad request never takes the server down. http.ErrAbortHandler passes
// through, as net/http expects.
func Recover(log *slog.Logger, fail func(http.ResponseWriter, *http.Request, error)) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if v := recover(); v != nil {
					if v == http.ErrAbortHandler {
						panic(v)
					}
					log.Error("panic", "method", r.Method, "path", r.URL.EscapedPath(), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
					fail(w, r, fmt.Errorf("%w: %v", ErrPanic, v))
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// Log writes one structured record per request ("request": method, path,
// status, bytes, duration, remote, encoding), at level Error for a 5xx.
func Log(log *slog.Logger) Middleware { return LogSampled(log, 1) }

// SlowRequest is the duration past which a request is always logged.
const SlowRequest = time.Second

// LogSampled is Log keeping one record in every of the successful
// requests (status below 400, faster than SlowRequest), with "sample":
// every in it so counts can be scaled back; failed and slow requests are
// always logged. every <= 1 logs every request.
//
// Sampling is the choice for a busy site: one line per request costs a
// write to standard error each, as much as serving a cached page, and the
// lines that matter (errors, refusals, slow requests) are all kept.
func LogSampled(log *slog.Logger, every int) Middleware {
	var n atomic.Uint64
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := &statusRecorder{ResponseWriter: w}
			next.ServeHTTP(rec, r)
			if rec.status == 0 {
				rec.status = http.StatusOK
			}
			took := time.Since(start)
			sampled := every > 1 && rec.status < 400 && took < SlowRequest
			if sampled && n.Add(1)%uint64(every) != 0 {
				return
			}
			level := slog.LevelInfo
			if rec.status >= 500 {
				level = slog.LevelError
			}
			attrs := []slog.Attr{
				slog.String("method", r.Method),
				slog.String("path", r.URL.EscapedPath()),
				slog.Int("status", rec.status),
				slog.Int64("bytes", rec.bytes),
				slog.Duration("duration", took),
				slog.String("remote", r.RemoteAddr),
				slog.String("encoding", rec.Header().Get("Content-Encoding")),
			}
			if sampled {
				attrs = append(attrs, slog.Int("sample", every))
			}
			log.LogAttrs(r.Context(), level, "request", attrs...)
		})
	}
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

// Flush passes flushes through (streaming handlers such as MCP's).
func (w *statusRecorder) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
