// This file builds the links in answers: on the configured base URL, or,
// over HTTP without one, on the address the request reached.

package mcpserver

import (
	"context"
	"net/http"
	"strings"

	"github.com/errorcanon/errorcanon/internal/render"
)

// linkBaseKey carries the base URL of an HTTP request's links.
type linkBaseKey struct{}

// withLinkBase records the scheme and Host the request reached, when the
// server builds links from requests.
func (s *Server) withLinkBase(r *http.Request) *http.Request {
	if !s.linksFromRequest || r.Host == "" {
		return r
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return r.WithContext(context.WithValue(r.Context(), linkBaseKey{}, scheme+"://"+r.Host))
}

// base is the base URL of links in an answer to ctx's request.
func (s *Server) base(ctx context.Context) string {
	if b, ok := ctx.Value(linkBaseKey{}).(string); ok {
		return b
	}
	return s.r.BaseURL()
}

// entryURL is the address of an entry's page in lang.
func (s *Server) entryURL(ctx context.Context, id, lang string) string {
	return s.base(ctx) + render.EntryPagePath(id, render.Lang(lang))
}

// relink points the renderer's absolute links in text at ctx's base URL.
func (s *Server) relink(ctx context.Context, text string) string {
	if b := s.base(ctx); b != s.r.BaseURL() {
		return strings.ReplaceAll(text, s.r.BaseURL()+"/", b+"/")
	}
	return text
}
