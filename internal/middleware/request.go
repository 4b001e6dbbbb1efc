// Request checks that net/http leaves to the handler: a query string that
// does not parse (url.Values would drop its bad pairs silently) and
// headers over the server's limit, answered by fail like any handler
// error, so the API answers them with problem documents.

package middleware

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// Errors CheckRequest hands to fail.
var (
	ErrBadQuery          = errors.New("bad query string")
	ErrHeaderTooLarge    = errors.New("request headers too large")
	errHeaderTooLargeFmt = "%w: the request line and headers are %d bytes, over the %d-byte limit"
)

// CheckRequest refuses requests whose query string does not parse
// (ErrBadQuery) or whose request line and headers exceed maxHeader bytes
// (ErrHeaderTooLarge). The server's own MaxHeaderBytes must be larger,
// or net/http refuses them first with a plain-text 431.
func CheckRequest(maxHeader int, fail func(http.ResponseWriter, *http.Request, error)) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if n := headerBytes(r); n > maxHeader {
				fail(w, r, fmt.Errorf(errHeaderTooLargeFmt, ErrHeaderTooLarge, n, maxHeader))
				return
			}
			if _, err := url.ParseQuery(r.URL.RawQuery); err != nil {
				fail(w, r, fmt.Errorf("%w: %v; write a literal %% as %%25", ErrBadQuery, err))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// headerBytes approximates the size of the request line and headers as
// sent.
func headerBytes(r *http.Request) int {
	n := len(r.Method) + len(r.RequestURI) + len(r.Proto) + 4 + len(r.Host) + 8
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}
