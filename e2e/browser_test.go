// Package e2e drives the web site in a real browser (Debian's chromium,
// through chromedp) against an httptest server on 127.0.0.1 serving the
// shipped catalog: paste a Python traceback, search in Chinese, switch
// language, filter and sort a listing, and take screenshots at phone and
// desktop widths. Every page visited must log no console error and make
// no failed request and no request to another host.
//
// Run alone with: go test ./e2e/ -v -count=1
//
// The tests skip when chromium is absent (so `go test ./...` passes on a
// machine with only Go), except under CI=true, where they fail: CI
// installs chromium (scripts/browser-test.sh installs it when asked).
// Screenshots are taken only when $ERRORCANON_ARTIFACTS names a directory
// (CI sets it); without it the pages are still visited and checked at
// both widths, which is most of what the screenshots would show.
package e2e

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/errorcanon/errorcanon/internal/api"
	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/testutil"
	"github.com/errorcanon/errorcanon/internal/web"
)

// chromiumPath is $ERRORCANON_CHROMIUM, else Debian's chromium-headless-shell,
// else Debian's chromium. The headless shell is Chromium's own headless
// build of the same version (the same Blink, V8 and network stack, without
// the browser's window layer); with it the package's tests used about
// 21 s of CPU instead of 39 s and took 12 s instead of 21 s (BENCHMARKS.md,
// test suite time). ERRORCANON_CHROMIUM=/usr/bin/chromium runs them in the
// full browser.
func chromiumPath(t *testing.T) string {
	p := os.Getenv("ERRORCANON_CHROMIUM")
	if p == "" {
		p = "/usr/bin/chromium"
		if _, err := os.Stat("/usr/bin/chromium-headless-shell"); err == nil {
			p = "/usr/bin/chromium-headless-shell"
		}
	}
	if _, err := os.Stat(p); err != nil {
		msg := fmt.Sprintf("browser tests need chromium at %s (Debian package chromium-headless-shell or chromium; scripts/browser-test.sh installs them, or set ERRORCANON_CHROMIUM)", p)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + ": CI must install it")
		}
		t.Skip(msg)
	}
	return p
}

// newSearcher builds the search index the site uses, as errorcanon serve
// does; search_index_test.go sets it.
var newSearcher func([]*canon.Entry) (api.SearchIndex, func(), error)

// site serves the shipped catalog on 127.0.0.1, as errorcanon serve does.
func site(t *testing.T) *httptest.Server {
	t.Helper()
	c, problems := testutil.Shipped()
	if len(problems) > 0 {
		t.Logf("the shipped catalog has %d problem(s); serving its %d valid entries", len(problems), len(c.Entries))
	}
	r, err := render.New(c, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mix, _ := match.Build(c.Entries)
	cfg := web.Config{Renderer: r, Matcher: mix}
	if newSearcher != nil {
		s, closeIndex, err := newSearcher(c.Entries)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(closeIndex)
		cfg.Search = s
	}
	srv, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

// artifacts is where screenshots go, or "" when none are wanted.
func artifacts(t *testing.T) string {
	dir := os.Getenv("ERRORCANON_ARTIFACTS")
	if dir == "" {
		return ""
	}
	dir = filepath.Join(dir, "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// tab is one browser tab and what it saw go wrong.
type tab struct {
	t    *testing.T
	ctx  context.Context
	host string // the test server's host:port
	dir  string

	mu       sync.Mutex
	problems []string
}

func (b *tab) note(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.problems = append(b.problems, fmt.Sprintf(format, args...))
}

// listen records console errors, exceptions, failed and foreign requests.
func (b *tab) listen(ev any) {
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, string(a.Value)+a.Description)
			}
			b.note("console.%s: %s", ev.Type, strings.Join(parts, " "))
		}
	case *runtime.EventExceptionThrown:
		b.note("uncaught exception: %s", ev.ExceptionDetails.Text)
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			b.note("log %s: %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		u, err := url.Parse(ev.Request.URL)
		if err != nil || (u.Scheme != "data" && u.Host != b.host) {
			b.note("request to another host: %s", ev.Request.URL)
		}
	case *network.EventLoadingFailed:
		// The page aborts a stale as-you-type request on purpose, and
		// leaving the page aborts one in flight.
		if !ev.Canceled && !(ev.Type == network.ResourceTypeFetch && ev.ErrorText == "net::ERR_ABORTED") {
			b.note("request failed: %s %s", ev.ErrorText, ev.BlockedReason)
		}
	case *network.EventResponseReceived:
		if ev.Response.Status >= 400 {
			b.note("HTTP %d for %s", ev.Response.Status, ev.Response.URL)
		}
	}
}

// check fails the test with every problem the tab saw.
func (b *tab) check() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		b.t.Error(p)
	}
	b.problems = nil
}

// do runs actions, failing the test (with a screenshot) on error.
func (b *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.shot("failure-" + strings.NewReplacer(" ", "-", "/", "-").Replace(b.t.Name()))
		b.t.Fatalf("%s: %v", what, err)
	}
}

// insertText puts text in the focused element as the browser's text input
// does (Input.insertText): trusted beforeinput and input events, as for a
// paste, in one round trip.
func insertText(text string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: text})
		return err
	})
}

func eval[T any](b *tab, expr string, opts ...chromedp.EvaluateOption) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitFor polls a JavaScript condition until it holds on a page that has
// finished loading. Evaluation errors while a page navigates (its context
// goes away) are expected: it polls again, on the new page.
func (b *tab) waitFor(what, expr string) {
	b.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.readyState === "complete" && (`+expr+`)`))
		if err == nil && ok {
			return
		}
		last = err
		if b.ctx.Err() != nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	href, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string]("location.href"))
	b.shot("failure-" + strings.NewReplacer(" ", "-", "/", "-").Replace(b.t.Name()))
	b.t.Fatalf("waiting for %s (%s): last error %v; at %s", what, expr, last, href)
}

func (b *tab) shot(name string) {
	if b.dir == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	p := filepath.Join(b.dir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		b.t.Errorf("write %s: %v", p, err)
	}
}

func TestBrowser(t *testing.T) {
	exe := chromiumPath(t)
	dir := artifacts(t)

	// Chromium starts while the site builds its indexes. The two browser
	// tests share it and run side by side.
	t.Parallel()
	started := make(chan error, 1)
	var browserCtx context.Context
	go func() {
		var err error
		browserCtx, err = startBrowser(exe)
		started <- err
	}()
	ts := site(t)
	base := ts.URL
	u, _ := url.Parse(base)
	useBrowser(t, exe, <-started)

	// newTab opens a tab that records problems; the subtest checks them.
	newTab := func(t *testing.T, width int64) *tab {
		b := &tab{t: t, host: u.Host, dir: dir}
		ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithListener(b.listen))
		tctx, tcancel := context.WithTimeout(ctx, 90*time.Second)
		t.Cleanup(func() { tcancel(); cancel() })
		b.ctx = tctx
		b.do("viewport", chromedp.EmulateViewport(width, 900))
		return b
	}

	traceback, err := os.ReadFile(filepath.Join("testdata", "python-modulenotfound.txt"))
	if err != nil {
		t.Fatal(err)
	}
	const entryID = "python/module-not-found-error"
	entryEN := render.EntryPagePath(entryID, render.EN)
	entryZH := render.EntryPagePath(entryID, render.ZH)

	// The listener must see what it is there to catch, or the checks
	// below could never fail.
	t.Run("the problem listener catches errors", func(t *testing.T) {
		t.Parallel()
		b := newTab(t, 1280)
		b.do("open a missing page", chromedp.Navigate(base+"/no-such-page"))
		eval[bool](b, `console.error("deliberate"), true`)
		b.waitFor("the 404 page", `document.querySelector("h1") !== null`)
		b.mu.Lock()
		got := strings.Join(b.problems, "\n")
		b.problems = nil
		b.mu.Unlock()
		if !strings.Contains(got, "HTTP 404") || !strings.Contains(got, "deliberate") {
			t.Errorf("the listener missed the 404 or the console error; it saw:\n%s", got)
		}
	})

	t.Run("paste a Python traceback and reach its entry", func(t *testing.T) {
		t.Parallel()
		b := newTab(t, 1280)
		b.do("open home", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("#paste-text")))
		// Typing matches as you type, through /api/v1/match. The traceback
		// arrives as text input (what a paste or an input method sends: one
		// round trip, where a key press per character took hundreds and
		// seconds of the browser's CPU), its last word as key presses.
		text := string(traceback)
		cut := strings.LastIndex(strings.TrimRight(text, "\n"), " ") + 1
		b.do("type the traceback", chromedp.Focus(chromedp.CSS("#paste-text")), insertText(text[:cut]), chromedp.SendKeys(chromedp.CSS("#paste-text"), text[cut:]))
		// Results appear while typing, for the text typed so far: wait for
		// those of the whole traceback (its last line matched).
		b.waitFor("live results", `(document.querySelector("#live ol.results li pre.matched code") || {}).textContent?.includes("No module named 'pandas'")`)
		if got := eval[string](b, `document.querySelector("#live ol.results li a.entry-title").getAttribute("href")`); got != entryEN {
			t.Errorf("first live result %s, want %s", got, entryEN)
		}
		if got := eval[string](b, `document.querySelector("#live ol.results li pre.matched code").textContent`); !strings.Contains(got, "No module named 'pandas'") {
			t.Errorf("live result shows the matched line %q", got)
		}
		b.shot("home-live-results-1280")
		// The button posts the form (what works without JavaScript).
		b.do("submit", chromedp.Click(chromedp.CSS("#paste button[type=submit]")))
		b.waitFor("results page", `location.pathname === "/match" && document.querySelector("ol.results li a.entry-title") !== null`)
		if got := eval[string](b, `document.querySelector("ol.results li a.entry-title").getAttribute("href")`); got != entryEN {
			t.Errorf("first result %s, want %s", got, entryEN)
		}
		b.do("open the entry", chromedp.Click(chromedp.CSS("ol.results li a.entry-title")))
		b.waitFor("entry page", fmt.Sprintf(`location.pathname === %q && document.querySelector("article.entry h1") !== null`, entryEN))
		if h1 := eval[string](b, `document.querySelector("h1").textContent`); !strings.Contains(h1, "ModuleNotFoundError") {
			t.Errorf("entry h1 %q", h1)
		}
		b.check()
	})

	t.Run("search in Chinese and open a result", func(t *testing.T) {
		t.Parallel()
		if newSearcher == nil {
			t.Skip("this build has no search index to serve")
		}
		b := newTab(t, 1280)
		b.do("open the Chinese home", chromedp.Navigate(base+"/zh.html"), chromedp.WaitVisible(chromedp.CSS("#home-q")))
		b.do("type a two-character query", chromedp.SendKeys(chromedp.CSS("#home-q"), "证书"), chromedp.Click(chromedp.CSS(".home-search button")))
		b.waitFor("search results", `location.pathname === "/search" && document.querySelector("ol.hits li a.entry-title") !== null`)
		q := eval[string](b, `new URLSearchParams(location.search).get("q") + "|" + new URLSearchParams(location.search).get("lang")`)
		if q != "证书|zh" {
			t.Errorf("search URL query %q", q)
		}
		if n := eval[int](b, `document.querySelectorAll("ol.hits mark").length`); n == 0 {
			t.Error("no highlighted words in the snippets")
		}
		href := eval[string](b, `document.querySelector("ol.hits li a.entry-title").getAttribute("href")`)
		if !strings.HasSuffix(href, "/zh.html") {
			t.Errorf("a Chinese search links to %s", href)
		}
		b.do("open the first result", chromedp.Click(chromedp.CSS("ol.hits li a.entry-title")))
		b.waitFor("entry page", fmt.Sprintf(`location.pathname === %q && document.querySelector("article.entry h1") !== null`, href))
		if lang := eval[string](b, `document.documentElement.lang`); lang != "zh-Hans" {
			t.Errorf("result page lang %q", lang)
		}
		// A one-character query finds entries too.
		b.do("one character", chromedp.Navigate(base+"/search?lang=zh&q="+url.QueryEscape("包")))
		b.waitFor("one-character results", `document.querySelector("ol.hits li") !== null`)
		b.check()
	})

	t.Run("switch language on an entry page", func(t *testing.T) {
		t.Parallel()
		b := newTab(t, 412)
		b.do("open the entry", chromedp.Navigate(base+entryEN), chromedp.WaitVisible(chromedp.CSS("article.entry h1")))
		b.do("switch to Chinese", chromedp.Click(chromedp.CSS("header.site a.lang")))
		b.waitFor("the Chinese page of the same entry", fmt.Sprintf(`location.pathname === %q && document.documentElement.lang === "zh-Hans"`, entryZH))
		if h1 := eval[string](b, `document.querySelector("h1").textContent`); !strings.Contains(h1, "找不到") {
			t.Errorf("Chinese h1 %q", h1)
		}
		b.do("switch back", chromedp.Click(chromedp.CSS("header.site a.lang")))
		b.waitFor("the English page", fmt.Sprintf(`location.pathname === %q && document.documentElement.lang === "en"`, entryEN))
		b.check()
	})

	t.Run("filter and sort a domain listing", func(t *testing.T) {
		t.Parallel()
		b := newTab(t, 1280)
		b.do("open the Python listing", chromedp.Navigate(base+"/errors/python/"), chromedp.WaitVisible(chromedp.CSS("form.filters")))
		total := eval[int](b, `document.querySelectorAll("ul.entries > li").length`)
		// Without JavaScript's help: choose and press Apply.
		// (chromedp.SetValue fires change, which the site's script answers by
		// submitting: with the click that made two navigations, and the
		// checks below could read the second one's page half-loaded.)
		eval[bool](b, `(() => { document.querySelector("select[name=category]").value = "import_error"; return true })()`)
		b.do("filter by category", chromedp.Click(chromedp.CSS("form.filters button")))
		// The URL changes before the new page is parsed: wait for the page too.
		b.waitFor("filtered listing", `new URLSearchParams(location.search).get("category") === "import_error" && document.readyState === "complete" && document.querySelector("footer.site") !== null`)
		cats := eval[[]string](b, `[...document.querySelectorAll("ul.entries > li")].map(li => li.dataset.category)`)
		if len(cats) == 0 || len(cats) >= total {
			t.Errorf("%d entries after filtering, %d before", len(cats), total)
		}
		for _, c := range cats {
			if c != "import_error" {
				t.Errorf("filtered listing shows a %s entry", c)
			}
		}
		// With it: changing the sort submits the form, leaving empty filters out of the URL.
		eval[bool](b, `(() => { const s = document.querySelector("select[name=sort]"); s.value = "fix_rate"; s.dispatchEvent(new Event("change", {bubbles: true})); return true })()`)
		b.waitFor("sorted listing", `new URLSearchParams(location.search).get("sort") === "fix_rate" && document.readyState === "complete" && document.querySelector("footer.site") !== null`)
		if q := eval[string](b, `location.search`); strings.Contains(q, "verification=") || !strings.Contains(q, "category=import_error") {
			t.Errorf("query string %q", q)
		}
		rates := eval[[]float64](b, `[...document.querySelectorAll("ul.entries > li")].map(li => parseFloat(li.dataset.fixRate))`)
		for i := 1; i < len(rates); i++ {
			if rates[i] > rates[i-1] {
				t.Errorf("not sorted by fix rate: %v", rates)
				break
			}
		}
		if len(rates) != len(cats) {
			t.Errorf("sorting changed the filtered set: %d then %d", len(cats), len(rates))
		}
		b.check()
	})

	surfaceTests(t, base, newTab, string(traceback), entryID)

	// Each page is loaded once and looked at in both widths: the site's
	// layout is its stylesheet's (no script reads the width), which
	// follows the viewport when it changes. Loading every page again at
	// the second width took seconds of the browser's CPU.
	t.Run("screenshots", func(t *testing.T) {
		t.Parallel()
		b := newTab(t, 1280)
		for _, p := range []struct{ name, path string }{
			{"home", "/"}, {"home-zh", "/zh.html"},
			{"entry-en", entryEN}, {"entry-zh", entryZH},
			{"stats", "/stats/"}, {"stats-zh", "/stats/zh.html"},
			{"listing", "/errors/python/?sort=fix_rate"},
			{"match", "/match?q=" + url.QueryEscape(string(traceback))},
			{"search-zh", "/search?lang=zh&q=" + url.QueryEscape("证书")},
		} {
			if newSearcher == nil && strings.HasPrefix(p.path, "/search") {
				continue
			}
			b.do("open "+p.path, chromedp.Navigate(base+p.path), chromedp.WaitVisible(chromedp.CSS("footer.site")))
			for _, width := range []int64{412, 1280} {
				b.do(fmt.Sprintf("viewport %d", width), chromedp.EmulateViewport(width, 900))
				if w := eval[int](b, `window.innerWidth`); w != int(width) {
					t.Fatalf("%s: the viewport is %dpx wide, want %d", p.path, w, width)
				}
				b.shot(fmt.Sprintf("%s-%d", p.name, width))
				// Nothing is wider than the screen.
				if w := eval[int](b, `document.documentElement.scrollWidth`); w > int(width) {
					t.Errorf("%s at %dpx is %dpx wide", p.path, width, w)
				}
			}
		}
		b.check()
		if dir != "" {
			t.Cleanup(func() { t.Logf("screenshots in %s", dir) })
		}
	})
}
