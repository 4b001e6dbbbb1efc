package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/errorcanon/errorcanon/internal/offline"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/static"
	"github.com/errorcanon/errorcanon/internal/web"
)

// runBuild writes the whole site as static files: every page the server
// publishes for a static host, with the bytes `serve --db none` answers
// for the same path and base URL (internal/static).
func runBuild(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "build", "--out DIR")
	out := fs.String("out", "", "`directory` to write the site to (replaced atomically: a failed build leaves the previous one)")
	dir := catalogFlag(e, fs)
	base := fs.String("base-url", e.envDefault("ERRORCANON_BASE_URL", render.DefaultBaseURL), "public `URL` the site will be served under, for canonical links, hreflang, sitemap and JSON urls (env ERRORCANON_BASE_URL)")
	pre := fs.Bool("precompressed", false, "also write each page's gzip and zstd forms as FILE.gz and FILE.zst, for hosts that serve precompressed files")
	noWasm := fs.Bool("no-wasm", false, "leave the WebAssembly matcher out (it is compiled with the go on PATH): the static paste box then needs a server; search works either way")
	skip := fs.Bool("skip-invalid", envBool(e, "ERRORCANON_SKIP_INVALID"), "build the valid entries of a catalog that has problems (env ERRORCANON_SKIP_INVALID)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	baseURL, err := render.NormalizeBaseURL(*base)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon build: --base-url: %v\n", err)
		return 2
	}
	svc, err := openServices(*dir, render.Options{BaseURL: baseURL}, slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelError})))
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon build: %v\n", err)
		return 1
	}
	defer svc.close()
	if len(svc.problems) > 0 && !*skip {
		fmt.Fprintf(e.stderr, "errorcanon build: not building: the catalog has %d problem(s) (fix them, or use --skip-invalid to build the %d valid entries):\n%s\n",
			len(svc.problems), len(svc.cat.Entries), svc.problems.Error())
		return 1
	}
	// The server compresses each page ahead of time for its clients; the
	// build needs those forms only for --precompressed.
	srv, err := web.New(web.Config{Renderer: svc.render, Matcher: svc.match, NoPrecompress: !*pre})
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon build: %v\n", err)
		return 1
	}
	// What only the static build has: the search index, and the matcher
	// compiled to WebAssembly with its data (internal/offline).
	var m *offline.Matcher
	if !*noWasm {
		if m, err = offline.BuildWasm(ctx); err != nil {
			fmt.Fprintf(e.stderr, "errorcanon build: %v\n", err)
			if errors.Is(err, offline.ErrNoToolchain) {
				fmt.Fprintln(e.stderr, "errorcanon build: install Go (https://go.dev/dl/), or pass --no-wasm to build a site whose paste box needs errorcanon serve")
			}
			return 1
		}
	}
	extra, err := offline.Files(svc.cat.Entries, m)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon build: %v\n", err)
		return 1
	}
	if *pre {
		extra = append(extra, offline.Precompressed(extra)...)
	}
	pages := static.Pages(svc.render)
	opts := static.Options{AfterEach: srv.Invalidate, AfterEvery: 2000, Precompressed: *pre, Extra: extra}
	if isTerminal(e.stderr) {
		opts.Progress = progressBar(e.stderr)
	}
	sum, err := static.Build(srv.Handler(), pages, *out, opts)
	if opts.Progress != nil {
		fmt.Fprintln(e.stderr)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon build: %v (the previous output, if any, is unchanged)\n", err)
		return 1
	}
	fmt.Fprintf(e.stdout, "wrote %s to %s: %d entries, %.2f ms per entry, base URL %s\n", sum, *out, len(svc.cat.Entries),
		float64(sum.Elapsed.Microseconds())/1e3/float64(max(1, len(svc.cat.Entries))), baseURL)
	return 0
}

// isTerminal reports whether w is a terminal, where a progress bar helps.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressBar redraws one line: a bar, the count and the percentage.
func progressBar(w io.Writer) func(done, total int) {
	last := -1
	return func(done, total int) {
		pct := 100 * done / max(1, total)
		if pct == last && done != total {
			return
		}
		last = pct
		n := 30 * done / max(1, total)
		fmt.Fprintf(w, "\r[%s%s] %d/%d pages %3d%%", strings.Repeat("#", n), strings.Repeat(" ", 30-n), done, total, pct)
	}
}
