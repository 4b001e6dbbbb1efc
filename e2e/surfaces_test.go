package e2e

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/errorcanon/errorcanon/internal/render"
)

// surfaceTests are issue 12's browser checks, run by TestBrowser on its
// browser: Chinese search from the English site, the methodology page
// reached from a figure's label, the entry page's versions table, table
// of contents, copy buttons and Markdown links, and the results page's
// language switch keeping the pasted text.
func surfaceTests(t *testing.T, base string, newTab func(*testing.T, int64) *tab, traceback, entryID string) {
	entryEN := render.EntryPagePath(entryID, render.EN)
	entryZH := render.EntryPagePath(entryID, render.ZH)

	t.Run("Chinese search from the English site", func(t *testing.T) {
		t.Parallel()
		if newSearcher == nil {
			t.Skip("this build has no search index to serve")
		}
		b := newTab(t, 1280)
		b.do("open the English home", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("#home-q")))
		b.do("search 证书", chromedp.SendKeys(chromedp.CSS("#home-q"), "证书"), chromedp.Click(chromedp.CSS(".home-search button")))
		b.waitFor("search results", `location.pathname === "/search" && document.querySelector("ol.hits li a.entry-title") !== null`)
		if q := eval[string](b, `new URLSearchParams(location.search).get("lang")`); q != "en" {
			t.Errorf("the English search box asked lang=%q", q)
		}
		if href := eval[string](b, `document.querySelector("ol.hits li a.entry-title").getAttribute("href")`); strings.HasSuffix(href, "/zh.html") {
			t.Errorf("the English site links a hit to %s", href)
		}
		// The API, as the page's own script would call it.
		total := eval[int](b, `fetch("/api/v1/search?q="+encodeURIComponent("证书")).then(r => r.json()).then(j => j.total)`, chromedp.EvalAwaitPromise)
		if total == 0 {
			t.Error("/api/v1/search?q=证书 finds nothing")
		}
		b.check()
	})

	t.Run("figure labels lead to the methodology page", func(t *testing.T) {
		t.Parallel()
		b := newTab(t, 1280)
		b.do("open the entry", chromedp.Navigate(base+entryEN), chromedp.WaitVisible(chromedp.CSS("ul.tiles")))
		b.do("follow the fix rate's label", chromedp.Click(chromedp.CSS("ul.tiles a.tile-label")))
		b.waitFor("the methodology page", `location.pathname === "/about/" && location.hash === "#fix-rate" && document.getElementById("fix-rate") !== null`)
		for _, id := range []string{"entry", "verification", "figures", "report", "contribute", "licence"} {
			if !eval[bool](b, fmt.Sprintf(`document.getElementById(%q) !== null`, id)) {
				t.Errorf("/about/ has no #%s section", id)
			}
		}
		b.do("open the Chinese home", chromedp.Navigate(base+"/zh.html"), chromedp.WaitVisible(chromedp.CSS("ul.figures")))
		if n := eval[int](b, `[...document.querySelectorAll("ul.figures li")].filter(li => !li.querySelector("a.fig-label[href^='/about/zh.html#']")).length`); n != 0 {
			t.Errorf("%d figures on the Chinese home have no label linking /about/zh.html", n)
		}
		b.do("follow a figure's label", chromedp.Click(chromedp.CSS("ul.figures a.fig-label")))
		b.waitFor("the Chinese methodology page", `location.pathname === "/about/zh.html" && document.documentElement.lang === "zh-Hans"`)
		b.check()
	})

	t.Run("entry page: versions, contents, copy, Markdown", func(t *testing.T) {
		t.Parallel()
		b := newTab(t, 1280)
		b.do("open the entry", chromedp.Navigate(base+entryZH), chromedp.WaitVisible(chromedp.CSS("article.entry h1")))
		// The versions table, if any, comes right after the figures
		// (and their note), before the verdict; no column is all dashes.
		if eval[bool](b, `document.getElementById("versions") !== null`) {
			order := eval[string](b, `[...document.querySelectorAll("article.entry > ul.tiles, article.entry > #versions, article.entry > #verdict")].map(e => e.id || e.className).join(",")`)
			if order != "tiles,versions,verdict" {
				t.Errorf("order of figures, versions and verdict: %s", order)
			}
			empty := eval[int](b, `(() => { const rows = [...document.querySelectorAll("table.versions tbody tr")]; const n = rows[0].children.length; let e = 0; for (let i = 0; i < n; i++) if (rows.every(r => r.children[i].textContent.trim() === "—")) e++; return e })()`)
			if empty != 0 {
				t.Errorf("%d column(s) of the versions table have no value", empty)
			}
		}
		// Every contents line leads to a section of the page.
		if bad := eval[[]string](b, `[...document.querySelectorAll("nav.toc a")].map(a => a.getAttribute("href")).filter(h => !document.getElementById(h.slice(1)))`); len(bad) > 0 {
			t.Errorf("contents links without a section: %v", bad)
		}
		// The other formats line names the English Markdown, and it is served.
		md := eval[string](b, `document.querySelector("p.forms a[hreflang=en][type='text/markdown']").getAttribute("href")`)
		if md != render.EntryMarkdownPath(entryID, render.EN) {
			t.Errorf("the Chinese page's English Markdown link is %q", md)
		}
		if st := eval[int](b, `fetch(`+jsString(md)+`).then(r => r.status)`, chromedp.EvalAwaitPromise); st != 200 {
			t.Errorf("GET %s: %d", md, st)
		}
		// Each code block has a copy button that copies its text.
		if n := eval[int](b, `[...document.querySelectorAll("article.entry pre > code")].filter(c => !c.parentNode.querySelector("button.copy")).length`); n != 0 {
			t.Errorf("%d code blocks without a copy button", n)
		}
		eval[bool](b, `(() => { window.__copied = null; Object.defineProperty(navigator, "clipboard", {value: {writeText: t => { window.__copied = t; return Promise.resolve(); }}, configurable: true}); return true })()`)
		b.do("copy the first block", chromedp.Click(chromedp.CSS("article.entry pre.has-copy > button.copy")))
		b.waitFor("copied", `document.querySelector("article.entry pre.has-copy > button.copy").textContent === "已复制"`)
		want := eval[string](b, `document.querySelector("article.entry pre.has-copy > code").textContent`)
		if got := eval[string](b, `window.__copied`); got != want || got == "" {
			t.Errorf("copied %q, want the block's text %q", got, want)
		}
		b.check()
	})

	t.Run("the results page's language switch keeps the text", func(t *testing.T) {
		t.Parallel()
		b := newTab(t, 1280)
		b.do("open home", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("#paste-text")))
		eval[bool](b, `(() => { document.getElementById("paste-text").value = `+jsString(traceback)+`; return true })()`)
		b.do("submit", chromedp.Click(chromedp.CSS("#paste button[type=submit]")))
		b.waitFor("results page", `location.pathname === "/match" && document.querySelector("ol.results li a.entry-title") !== null`)
		b.do("switch to Chinese", chromedp.Click(chromedp.CSS("header.site a.lang")))
		b.waitFor("the Chinese results page", `location.pathname === "/match" && document.documentElement.lang === "zh-Hans" && document.querySelector("ol.results li a.entry-title") !== null`)
		if got := eval[string](b, `document.getElementById("paste-text").value`); strings.TrimSpace(got) != strings.TrimSpace(traceback) {
			t.Errorf("the box holds %q after the switch", got)
		}
		if href := eval[string](b, `document.querySelector("ol.results li a.entry-title").getAttribute("href")`); href != entryZH {
			t.Errorf("first result %s, want %s", href, entryZH)
		}
		// Without the script the switch is a link holding the text.
		if href := eval[string](b, `document.querySelector("header.site a.lang").getAttribute("href")`); !strings.HasPrefix(href, "/match?") {
			t.Errorf("the switch links %s", href)
		} else if u, err := url.Parse(href); err != nil || !strings.Contains(u.Query().Get("q"), "pandas") || u.Query().Get("lang") != "en" {
			t.Errorf("the switch's link %s does not carry the text", href)
		}
		b.check()
	})
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return "`" + strings.NewReplacer("\\", "\\\\", "`", "\\`", "${", "\\${").Replace(s) + "`"
}
