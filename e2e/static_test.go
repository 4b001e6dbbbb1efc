package e2e

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/offline"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/static"
	"github.com/errorcanon/errorcanon/internal/testutil"
	"github.com/errorcanon/errorcanon/internal/web"
)

// TestStaticSite builds the static site of the shipped catalog (the home
// pages, an entry's pages and the assets, with the offline search index
// and the matcher compiled to WebAssembly, as errorcanon build writes
// them) and serves the directory with http.FileServer: no ErrorCanon
// server. The paste box explains a Python traceback in the browser, the
// search boxes find 证书, 端口, 锁 and English words, and once loaded the
// site works with the file server gone (the service worker's cache). It
// logs the time to the first answer and the bytes fetched (BENCHMARKS.md).
func TestStaticSite(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("compiling the matcher needs go on PATH")
	}
	if testing.Short() {
		t.Skip("builds the matcher and loads it in chromium: not with -short")
	}
	const entryID = "python/module-not-found-error"
	// The build runs while chromium starts.
	type built struct {
		out string
		err error
	}
	site := make(chan built, 1)
	dir := t.TempDir()
	go func() {
		out, err := buildStatic(dir, entryID)
		site <- built{out, err}
	}()
	defer func() { <-site }() // a test that ends early waits for the build it started

	browserCtx, err := startBrowser(exe)
	useBrowser(t, exe, err)
	res := <-site
	site <- res
	if res.err != nil {
		t.Fatal(res.err)
	}
	out := res.out

	// The policy README tells hosts to send: the server's, plus
	// 'wasm-unsafe-eval' for the matcher.
	files := http.FileServer(http.Dir(out))
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", offline.HostCSP)
		files.ServeHTTP(w, r)
	}))
	defer ts.Close()
	base := ts.URL
	u, _ := url.Parse(base)

	b := &tab{t: t, host: u.Host, dir: artifacts(t)}
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithListener(b.listen))
	defer cancel()
	tctx, tcancel := context.WithTimeout(ctx, 90*time.Second)
	defer tcancel()
	b.ctx = tctx
	b.do("viewport", chromedp.EmulateViewport(1280, 900))

	traceback, err := os.ReadFile(filepath.Join("testdata", "python-modulenotfound.txt"))
	if err != nil {
		t.Fatal(err)
	}
	entryEN := render.EntryPagePath(entryID, render.EN)

	// paste puts the traceback in the box and presses the button, timing
	// the answer from the press to the first result on the page.
	paste := func(what string) {
		t := b.t
		t.Helper()
		b.do("open home", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("#paste-text")))
		eval[bool](b, fmt.Sprintf(`(() => {
			const box = document.querySelector("#paste-text");
			box.value = %s;
			window.__answered = 0;
			window.__loading = "";
			new MutationObserver((_, o) => {
				const st = document.querySelector("#live .live-status");
				if (st && st.textContent.includes("matcher")) window.__loading = st.textContent;
				if (document.querySelector("#live ol.results li a.entry-title")) { window.__answered = performance.now() - window.__asked; o.disconnect(); }
			}).observe(document.querySelector("#live"), {subtree: true, childList: true, characterData: true});
			window.__asked = performance.now();
			document.querySelector("#paste").requestSubmit();
			return true;
		})()`, jsString(string(traceback))))
		b.waitFor(what, `window.__answered > 0`)
		if p := eval[string](b, `location.pathname`); p != "/" {
			t.Errorf("%s: the button left the page for %s", what, p)
		}
		if got := eval[string](b, `document.querySelector("#live ol.results li a.entry-title").getAttribute("href")`); got != entryEN {
			t.Errorf("%s: first result %s, want %s", what, got, entryEN)
		}
		// A match shows its best workaround.
		if !eval[bool](b, `document.querySelector("#live ol.results li.kind-matched p.step.do") !== null`) {
			t.Errorf("%s: the match shows no workaround", what)
		}
	}

	t.Run("paste a traceback into the static site", func(t *testing.T) {
		b.t = t
		paste("results from the WebAssembly matcher")
		if got := eval[string](b, `window.__loading`); !strings.Contains(got, "Loading the matcher") {
			t.Errorf("no visible loading state while the matcher loaded (saw %q)", got)
		}
		ms := eval[float64](b, `window.__answered`)
		fetched := eval[string](b, `performance.getEntriesByType("resource").filter(e => e.name.includes("/offline/")).map(e => e.name.replace(location.origin, "") + " " + e.transferSize + " B").join("; ")`)
		b.shot("static-paste-1280")
		t.Logf("first answer %.0f ms after the button (loads the matcher); fetched %s", ms, fetched)
		// A text no entry explains: look-alikes by title and link, no advice.
		eval[bool](b, `(() => { const box = document.querySelector("#paste-text"); box.value = "docker: permission denied while trying to connect"; document.querySelector("#paste").requestSubmit(); return true; })()`)
		b.waitFor("closest entries", `document.querySelector("#live .live-status").textContent.includes("No known entry") && document.querySelector("#live ol.results li a.entry-title") !== null`)
		if n := eval[int](b, `document.querySelectorAll("#live ol.results li p.step").length`); n != 0 {
			t.Errorf("an unknown error shows %d pieces of advice", n)
		}
		if s := eval[string](b, `document.querySelector("#live .live-status").textContent`); !strings.Contains(s, "No known entry") {
			t.Errorf("status for an unknown error: %q", s)
		}
		b.check()
	})

	search := func(what, page, input, query string) int {
		b.t.Helper()
		if eval[string](b, `location.pathname`) != page {
			b.do("open "+page, chromedp.Navigate(base+page), chromedp.WaitVisible(chromedp.CSS(input)))
		}
		eval[bool](b, fmt.Sprintf(`(() => { const p = document.querySelector(".offline-search .live-status"); if (p) p.textContent = ""; document.querySelector(%q).value = ""; return true; })()`, input))
		b.do(what, chromedp.SendKeys(chromedp.CSS(input), query+kb.Enter))
		b.waitFor(what, `document.querySelector(".offline-search .live-status") !== null && document.querySelector(".offline-search").getAttribute("aria-busy") === null && document.querySelector(".offline-search .live-status").textContent !== ""`)
		return eval[int](b, `document.querySelectorAll(".offline-search ol.results li a.entry-title").length`)
	}

	t.Run("search the static site", func(t *testing.T) {
		b.t = t
		for _, c := range []struct{ page, input, query, want string }{
			{"/zh.html", "#home-q", "证书", "/zh.html"},
			{"/zh.html", "#home-q", "端口", "/zh.html"},
			{"/zh.html", "#home-q", "锁", "/zh.html"},
			{"/", "#home-q", "certificate", "/"},
			{entryEN, "#site-q", "permission denied", "/"},
		} {
			if n := search("search "+c.query, c.page, c.input, c.query); n == 0 {
				t.Errorf("%s on %s: no results", c.query, c.page)
				continue
			}
			href := eval[string](b, `document.querySelector(".offline-search ol.results li a.entry-title").getAttribute("href")`)
			if strings.HasSuffix(href, "zh.html") != (c.want == "/zh.html") || !strings.HasPrefix(href, "/errors/") {
				t.Errorf("%s on %s: first result links %s", c.query, c.page, href)
			}
		}
		if p := eval[string](b, `location.pathname`); p != entryEN {
			t.Errorf("the header's search left the page for %s", p)
		}
		b.shot("static-search-header-1280")
		// What this page fetched for its one query, by size on disk and
		// gzipped (BENCHMARKS.md).
		fetched := eval[[]string](b, `performance.getEntriesByType("resource").map(e => new URL(e.name).pathname).filter(p => p.startsWith("/offline/search/"))`)
		var raw, gz int
		for _, p := range fetched {
			body, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(p)))
			if err != nil {
				t.Fatal(err)
			}
			var z bytes.Buffer
			w := gzip.NewWriter(&z)
			w.Write(body)
			w.Close()
			raw, gz = raw+len(body), gz+z.Len()
		}
		t.Logf("search 'permission denied' on an entry page fetched %d files: %d bytes, %d gzipped", len(fetched), raw, gz)
		b.check()
	})

	t.Run("offline after the first load", func(t *testing.T) {
		b.t = t
		eval[bool](b, `navigator.serviceWorker.ready.then(() => { window.__sw = true; }), true`)
		b.waitFor("an active service worker", `window.__sw === true`)
		// A manifest from the network drops what earlier builds left in the cache.
		b.waitFor("a page the service worker controls", `navigator.serviceWorker.controller !== null`)
		eval[bool](b, `caches.open("errorcanon-v1").then(c => c.put("/offline/match.000000000000.wasm", new Response("stale"))).then(() => fetch("/offline/manifest.json")).then(() => { window.__pruned = false; return true; })`, chromedp.EvalAwaitPromise)
		b.waitFor("the stale file dropped", `(caches.open("errorcanon-v1").then(c => c.match("/offline/match.000000000000.wasm")).then(r => { window.__pruned = !r; }), window.__pruned === true)`)
		if !eval[bool](b, `caches.open("errorcanon-v1").then(c => c.keys()).then(ks => ks.some(r => r.url.includes("/offline/match-data.")))`, chromedp.EvalAwaitPromise) {
			t.Error("the pruning dropped the current match data")
		}
		ts.Close()
		defer func() {
			if t.Failed() {
				t.Logf("status %q; caches: %s", eval[string](b, `(document.querySelector("#live .live-status")||{}).textContent || ""`),
					eval[string](b, `caches.open("errorcanon-v1").then(c => c.keys()).then(ks => ks.map(r => r.url).join(" "))`, chromedp.EvalAwaitPromise))
			}
		}()
		paste("results with the file server gone")
		if n := search("search 证书 offline", "/zh.html", "#home-q", "证书"); n == 0 {
			t.Error("search 证书 offline: no results")
		}
		b.mu.Lock()
		b.problems = nil // the file server is gone: requests that fail are expected
		b.mu.Unlock()
	})
}

// buildStatic writes a static site of the shipped catalog as errorcanon
// build does (internal/static with internal/offline's files), with only
// the pages the test visits, in dir, and returns its directory.
func buildStatic(dir, entryID string) (string, error) {
	type compiled struct {
		m   *offline.Matcher
		err error
	}
	wasm := make(chan compiled, 1)
	go func() {
		m, err := offline.BuildWasm(context.Background())
		wasm <- compiled{m, err}
	}()
	c, _ := testutil.Shipped()
	r, err := render.New(c, render.Options{})
	if err != nil {
		<-wasm
		return "", err
	}
	mix, _ := match.Build(c.Entries)
	srv, err := web.New(web.Config{Renderer: r, Matcher: mix, NoPrecompress: true})
	w := <-wasm
	if err != nil {
		return "", err
	}
	if w.err != nil {
		return "", w.err
	}
	extra, err := offline.Files(c.Entries, w.m)
	if err != nil {
		return "", err
	}
	want := map[string]bool{"/": true, "/zh.html": true, render.EntryPagePath(entryID, render.EN): true, render.EntryPagePath(entryID, render.ZH): true,
		render.StylesheetPath(): true, render.ScriptPath(): true, "/favicon.svg": true, "/favicon.ico": true}
	var pages []static.Page
	for _, p := range static.Pages(r) {
		if want[p.Path] || p.File == static.NotFoundFile {
			pages = append(pages, p)
		}
	}
	out := filepath.Join(dir, "site")
	_, err = static.Build(srv.Handler(), pages, out, static.Options{Extra: extra})
	return out, err
}
