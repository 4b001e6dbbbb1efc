package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/errorcanon/errorcanon/internal/metrics"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/reports"
	"github.com/errorcanon/errorcanon/internal/web"
)

func runServe(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "serve", "")
	addr := fs.String("addr", e.envDefault("ERRORCANON_ADDR", "127.0.0.1:8080"), "listen `address` (env ERRORCANON_ADDR)")
	dir := catalogFlag(e, fs)
	base := fs.String("base-url", e.getenv("ERRORCANON_BASE_URL"), "public `URL` of the site, for canonical links, hreflang and every link in pages and answers (env ERRORCANON_BASE_URL); without it, canonical links name "+render.DefaultBaseURL+" and the links a client follows name the server it asked")
	skip := fs.Bool("skip-invalid", envBool(e, "ERRORCANON_SKIP_INVALID"), "serve the valid entries of a catalog that has problems, logging what is skipped (env ERRORCANON_SKIP_INVALID)")
	logFormat := fs.String("log-format", e.envDefault("ERRORCANON_LOG_FORMAT", "text"), "log `format`: text or json (env ERRORCANON_LOG_FORMAT)")
	grace := fs.Duration("shutdown-timeout", 10*time.Second, "how long to let requests finish on SIGTERM or SIGINT")
	sample := fs.Int("log-sample", 1, "log one in `N` successful requests (errors and requests slower than 1s are always logged); 1 logs every request (env ERRORCANON_LOG_SAMPLE)")
	lim := addLimitFlags(fs)
	if err := setFromEnv(e, fs, map[string]string{"log-sample": "ERRORCANON_LOG_SAMPLE"}); err != nil {
		fmt.Fprintf(e.stderr, "errorcanon serve: %v\n", err)
		return 2
	}
	if err := setFromEnv(e, fs, limitEnv); err != nil {
		fmt.Fprintf(e.stderr, "errorcanon serve: %v\n", err)
		return 2
	}
	db := dbFlag(e, fs)
	rate := fs.Float64("report-rate", reports.DefaultLimits.PerMinute, "outcome reports accepted per minute from one reporter and from one client address, after a burst of --report-burst; 0: no limit")
	noMisses := fs.Bool("no-misses", envBool(e, "ERRORCANON_NO_MISSES"), "do not record inputs that matched no entry (they are stored redacted and grouped; env ERRORCANON_NO_MISSES)")
	burst := fs.Int("report-burst", reports.DefaultLimits.Burst, "outcome reports accepted at once from one reporter or address")
	retention := fs.Int("retention-days", 180, "delete misses not seen and submissions decided more than `N` days ago (checked every hour; reports are kept); 0 keeps them")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "errorcanon serve: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	var handler slog.Handler
	switch *logFormat {
	case "text":
		handler = slog.NewTextHandler(e.stderr, nil)
	case "json":
		handler = slog.NewJSONHandler(e.stderr, nil)
	default:
		fmt.Fprintf(e.stderr, "errorcanon serve: --log-format must be text or json, not %q\n", *logFormat)
		return 2
	}
	log := slog.New(handler)
	baseURL, err := render.NormalizeBaseURL(*base)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon serve: --base-url: %v\n", err)
		return 2
	}

	svc, err := openServices(*dir, render.Options{BaseURL: baseURL, LinksFromRequest: *base == ""}, log)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon serve: %v\n", err)
		return 2
	}
	defer svc.close()
	dsn, err := resolveDB(e, *db)
	switch {
	case err != nil:
		log.Warn("no report store: the site is read-only", "reason", err.Error())
	case dsn == "":
		log.Info("no report store (--db none): the site is read-only")
	default:
		if *retention < 0 {
			fmt.Fprintf(e.stderr, "errorcanon serve: --retention-days must be 0 or more, not %d\n", *retention)
			return 2
		}
		if err := svc.openStore(ctx, dsn, reports.Limits{PerMinute: *rate, Burst: *burst}, log); err != nil {
			fmt.Fprintf(e.stderr, "errorcanon serve: --db: %v\n", err)
			return 1
		}
		log.Info("report store", "backend", svc.store.Backend(), "db", svc.store.Location())
		if *retention > 0 {
			go prune(ctx, svc.store, time.Duration(*retention)*24*time.Hour, log)
		}
	}
	c, problems := svc.cat, svc.problems
	if len(problems) > 0 {
		if !*skip {
			fmt.Fprintf(e.stderr, "errorcanon serve: not starting: the catalog has %d problem(s) (fix them, or use --skip-invalid to serve the %d valid entries):\n", len(problems), len(c.Entries))
			for _, p := range problems {
				fmt.Fprintln(e.stderr, p.String())
			}
			return 1
		}
		for _, p := range problems {
			log.Warn("catalog problem", "problem", p.String())
		}
		log.Warn("serving a catalog with problems", "problems", len(problems), "entries", len(c.Entries))
	}
	// One full-text index for /search, /api/v1/search and MCP's
	// search_errors, built once serve listens (it takes about half a
	// second): the first searches wait for it.
	searching := newPendingSearch()
	wc := web.Config{Renderer: svc.render, Logger: log, Matcher: svc.match, Search: searching, Limits: lim.limits(), LogSample: *sample}
	if svc.reports != nil {
		wc.Reports, wc.Refresh = svc.reports, svc.figures.Reload
		if !*noMisses {
			svc.recordMisses(log)
			wc.Misses = svc.misses.Record
		}
	}
	srv, err := web.New(wc)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon serve: %v\n", err)
		return 1
	}
	reg := metrics.NewRegistry()
	if svc.figures != nil {
		svc.figures.OnChange(srv.Invalidate)
		reloads := reg.Counter("errorcanon_figure_reloads_total", "Reloads of the live figures after reports (this replica's or, on PostgreSQL, another's).")
		svc.figures.OnChange(func() { reloads.Inc() })
		svc.reports.Instrument(reg)
	}
	// Prometheus metrics: counts and latencies only, nothing about who
	// reported what.
	srv.Handle("GET /metrics", reg)
	// MCP's links follow the request unless a public address was given.
	baseGiven := e.getenv("ERRORCANON_BASE_URL") != ""
	fs.Visit(func(f *flag.Flag) { baseGiven = baseGiven || f.Name == "base-url" })
	warmMCP := mountMCP(srv, svc, log, lim.originList(), !baseGiven)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon serve: %v\n", err)
		return 1
	}
	hs := &http.Server{
		// The site, the API and /mcp behind one middleware chain (log,
		// recover, security headers, compression), composed in web.Server.chain.
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    web.ServerMaxHeaderBytes, // web.MaxHeaderBytes past which requests get a problem document
		ErrorLog:          slog.NewLogLogger(handler, slog.LevelWarn),
	}
	log.Info("listening", "addr", ln.Addr().String(), "url", "http://"+ln.Addr().String()+"/",
		"entries", len(c.Entries), "domains", len(c.Domains), "base_url", baseURL)
	if e.listening != nil {
		e.listening(ln.Addr())
	}

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	go warmMCP()
	searching.start(svc, log)
	select {
	case err := <-errc:
		log.Error("server stopped", "err", err)
		return 1
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", grace.String())
	sctx, cancel := context.WithTimeout(context.Background(), *grace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		log.Error("shutdown did not finish in time", "err", err)
		_ = hs.Close()
		return 1
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("server stopped", "err", err)
		return 1
	}
	log.Info("stopped")
	return 0
}

// envBool reads a boolean environment twin ("1", "true", ...); anything
// unparsable counts as false.
func envBool(e *env, name string) bool {
	b, _ := strconv.ParseBool(e.getenv(name))
	return b
}
