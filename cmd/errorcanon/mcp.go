package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/errorcanon/errorcanon/internal/mcpserver"
	"github.com/errorcanon/errorcanon/internal/middleware"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/reports"
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
	db := dbFlag(e, fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "errorcanon mcp: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

	svc, err := openServices(*dir, render.Options{BaseURL: *base}, log)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon mcp: %v\n", err)
		return 2
	}
	defer svc.close()
	// report_outcome is offered when the store opens; without it the
	// other tools still work.
	if dsn, err := resolveDB(e, *db); err != nil {
		log.Info("no report store: report_outcome is off", "reason", err.Error())
	} else if dsn != "" {
		if err := svc.openStore(ctx, dsn, reports.DefaultLimits, log); err != nil {
			log.Warn("no report store: report_outcome is off", "err", err)
		}
	}
	if len(svc.problems) > 0 {
		log.Warn("catalog has problems; serving its valid entries (run 'errorcanon validate')", "problems", len(svc.problems), "entries", len(svc.cat.Entries))
	}
	srv, err := newMCP(svc, log)
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

// newMCP builds the MCP server over the services.
func newMCP(svc *services, log *slog.Logger) (*mcpserver.Server, error) {
	cfg := mcpserver.Config{Catalog: svc.cat, Index: svc.match, Renderer: svc.render, Search: svc.searchFunc(), Logger: log}
	if svc.reports != nil {
		cfg.Outcomes = mcpRecorder{svc.reports}
		cfg.Submissions = mcpSubmitter{svc.reports}
	}
	if svc.misses != nil {
		cfg.Misses = svc.misses.Record
	}
	return mcpserver.New(cfg)
}

// mountMCP adds the MCP endpoint (streamable HTTP at /mcp) and its server
// card to the web server. The endpoint accepts the base URL's host besides
// loopback names, for a reverse proxy in front of a server on 127.0.0.1;
// browser pages of other origins than its own, the base URL's and
// origins are refused (403), and so is a body over mcpserver.MaxHTTPBody
// (413), before it is read. Rate limits and the cap on concurrent
// matches are the web server's (web.Limits).
func mountMCP(srv *web.Server, svc *services, log *slog.Logger, origins []string) error {
	m, err := newMCP(svc, log)
	if err != nil {
		return err
	}
	r := svc.render
	var hosts []string
	if u, err := url.Parse(r.BaseURL()); err == nil {
		hosts = append(hosts, u.Host)
		origins = append(origins, u.Scheme+"://"+u.Host)
	}
	h := middleware.Chain(
		middleware.CheckOrigin(origins, srv.Fail),
		middleware.LimitBody(mcpserver.MaxHTTPBody, srv.Fail),
	)(m.Handler(hosts...))
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
