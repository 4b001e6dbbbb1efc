// Origin checks: a browser page of another site must not reach an
// endpoint that acts for the local user (MCP's streamable HTTP transport
// requires this, as a defence against DNS rebinding).

package middleware

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// ErrForbiddenOrigin is what CheckOrigin hands to fail.
var ErrForbiddenOrigin = errors.New("forbidden origin")

// CheckOrigin refuses (fail with ErrForbiddenOrigin) a request whose
// Origin header names neither the request's own host (same origin) nor
// one of allowed (origins such as "https://app.example", compared without
// case; a trailing slash is ignored). Requests without Origin, which
// browsers always send on cross-origin POSTs, pass: they come from
// clients that are not web pages.
func CheckOrigin(allowed []string, fail func(http.ResponseWriter, *http.Request, error)) Middleware {
	ok := map[string]bool{}
	for _, a := range allowed {
		if o, good := normalizeOrigin(a); good {
			ok[o] = true
		}
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if origin := r.Header.Get("Origin"); origin != "" && !originAllowed(origin, r.Host, ok) {
				fail(w, r, ErrForbiddenOrigin)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

func originAllowed(origin, host string, allowed map[string]bool) bool {
	o, good := normalizeOrigin(origin)
	if !good {
		return false // "null", or not an origin at all
	}
	if allowed[o] {
		return true
	}
	_, h, _ := strings.Cut(o, "://")
	return h == strings.ToLower(host)
}

// normalizeOrigin returns scheme://host[:port] in lower case, or false for
// what is not an http(s) origin.
func normalizeOrigin(s string) (string, bool) {
	u, err := url.Parse(strings.TrimSuffix(strings.TrimSpace(s), "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" {
		return "", false
	}
	return strings.ToLower(u.Scheme + "://" + u.Host), true
}
