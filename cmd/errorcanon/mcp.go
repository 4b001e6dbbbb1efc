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
	srv, err := newMCP(svc, log, false)
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
// linksFromRequest: see mcpserver.Config.LinksFromRequest (serve without
// a configured --base-url).
func newMCP(svc *services, log *slog.Logger, linksFromRequest bool) (*mcpserver.Server, error) {
	cfg := mcpserver.Config{Catalog: svc.cat, Index: svc.match, Renderer: svc.render, Search: svc.searchFunc(), Logger: log,
		LinksFromRequest: linksFromRequest}
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
//
// Without a configured base URL (linksFromRequest), the links in answers
// point at the server that answered: scheme and Host of the request.
//
// The MCP server itself (its tools' schemas, derived by reflection: about
// 5 ms) is made by the first request that needs it or by the returned
// warm, which serve calls once it listens, so that it does not delay the
// first page.
func mountMCP(srv *web.Server, svc *services, log *slog.Logger, origins []string, linksFromRequest bool) (warm func()) {
	r := svc.render
	var hosts []string
	if u, err := url.Parse(r.BaseURL()); err == nil {
		hosts = append(hosts, u.Host)
		origins = append(origins, u.Scheme+"://"+u.Host)
	}
	type made struct {
		h    http.Handler
		card []byte
	}
	mk := sync.OnceValues(func() (made, error) {
		m, err := newMCP(svc, log, linksFromRequest)
		if err != nil {
			log.Error("mcp", "err", err)
			return made{}, err
		}
		return made{m.Handler(hosts...), m.CardJSON(r.Abs("/mcp"))}, nil
	})
	h := middleware.Chain(
		middleware.CheckOrigin(origins, srv.Fail),
		middleware.LimitBody(mcpserver.MaxHTTPBody, srv.Fail),
	)(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		m, err := mk()
		if err != nil {
			srv.Fail(w, req, err)
			return
		}
		m.h.ServeHTTP(w, req)
	}))
	for _, method := range []string{"POST", "GET", "DELETE"} {
		srv.Handle(method+" /mcp", h)
	}
	srv.Handle("GET /.well-known/mcp/server-card.json", http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		m, err := mk()
		if err != nil {
			srv.Fail(w, req, err)
			return
		}
		w.Header().Set("Content-Type", web.TypeJSON)
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		_, _ = w.Write(m.card)
	}))
	return func() { _, _ = mk() }
}
