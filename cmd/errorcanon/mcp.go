package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"

	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/mcpserver"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/search"
	"github.com/errorcanon/errorcanon/internal/web"
)

// runMCP serves the MCP tools over standard input and output, for Claude
// Desktop, Claude Code, Cursor, VS Code and other clients that start the
// binary. Standard output carries the protocol only: every log line goes to
// standard error.
func runMCP(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "mcp", "(speaks MCP on standard input and output)")
	dir := catalogFlag(e, fs)
	base := fs.String("base-url", e.envDefault("ERRORCANON_BASE_URL", render.DefaultBaseURL), "site `URL` for the links in answers (env ERRORCANON_BASE_URL)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "errorcanon mcp: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

	c, problems, err := loadCatalog(*dir, false)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon mcp: %v\n", err)
		return 2
	}
	if len(problems) > 0 {
		log.Warn("catalog has problems; serving its valid entries (run 'errorcanon validate')", "problems", len(problems), "entries", len(c.Entries))
	}
	r, err := render.New(c, render.Options{BaseURL: *base})
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon mcp: --base-url: %v\n", err)
		return 2
	}
	ix, _ := match.Build(c.Entries)
	srv, err := mcpserver.New(mcpserver.Config{Catalog: c, Index: ix, Renderer: r, Search: lazySearch(c, nil), Logger: log})
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon mcp: %v\n", err)
		return 1
	}
	if err := srv.ServeStdio(ctx, e.stdin, e.stdout); err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, io.EOF) {
		fmt.Fprintf(e.stderr, "errorcanon mcp: %v\n", err)
		return 1
	}
	return 0
}

// mountMCP adds the MCP endpoint (streamable HTTP at /mcp) and its server
// card to the web server. The endpoint accepts the base URL's host besides
// loopback names, for a reverse proxy in front of a server on 127.0.0.1.
// It shares the server's match index ix; search_errors uses six, or an
// index built on its first call when six is nil.
func mountMCP(srv *web.Server, c *catalog.Catalog, r *render.Renderer, ix *match.Index, six *search.Index, log *slog.Logger) error {
	m, err := mcpserver.New(mcpserver.Config{Catalog: c, Index: ix, Renderer: r, Search: lazySearch(c, six), Logger: log})
	if err != nil {
		return err
	}
	var hosts []string
	if u, err := url.Parse(r.BaseURL()); err == nil {
		hosts = append(hosts, u.Host)
	}
	h := m.Handler(hosts...)
	for _, method := range []string{"POST", "GET", "DELETE"} {
		srv.Handle(method+" /mcp", h)
	}
	card := m.CardJSON(r.Abs("/mcp"))
	srv.Handle("GET /.well-known/mcp/server-card.json", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", web.TypeJSON)
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		_, _ = w.Write(card)
	}))
	return nil
}

// lazySearch gives search_errors the full-text index: six when given, else
// one built on the first search, so `errorcanon mcp` starts without the
// index's build time (about 0.4 s for the shipped catalog).
func lazySearch(c *catalog.Catalog, six *search.Index) func(context.Context, search.Query) (*search.Results, error) {
	if six != nil {
		return six.Search
	}
	build := sync.OnceValues(func() (*search.Index, error) {
		six, err := search.Build(c.Entries)
		if err != nil {
			return nil, fmt.Errorf("the search index could not be built (%v); use match_error or list_errors", err)
		}
		return six, nil
	})
	return func(ctx context.Context, q search.Query) (*search.Results, error) {
		six, err := build()
		if err != nil {
			return nil, err
		}
		return six.Search(ctx, q)
	}
}
