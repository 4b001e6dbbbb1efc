package render

import (
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/errorcanon/errorcanon/internal/browse"
	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/match"
)

// siteCases are the pages and files beyond entries, for the goldens.
func siteCases(r *Renderer, c *catalog.Catalog) map[string]func(io.Writer) error {
	ix, _ := match.Build(c.Entries)
	rs, _ := ix.Match([]byte("2024/01/01 12:00:00 [error] SSL_do_handshake() failed\nHTTP/1.1 502 Bad Gateway"), match.Options{})
	out := map[string]func(io.Writer) error{
		"sitemap.xml":   r.SitemapXML,
		"robots.txt":    r.RobotsTxt,
		"llms.txt":      r.LLMsTxt,
		"llms-full.txt": r.LLMsFullTxt,
		"feed.xml":      r.FeedXML,
	}
	for _, l := range Langs {
		l := l
		out["stats."+string(l)+".html"] = func(w io.Writer) error { return r.StatsHTML(w, l) }
		out["errors-filtered."+string(l)+".html"] = func(w io.Writer) error {
			return r.ListingHTML(w, browse.Query{Resolvable: "true", Sort: browse.SortFixRate, PerPage: 1, Page: 2}, l)
		}
		out["match."+string(l)+".html"] = func(w io.Writer) error {
			return r.MatchHTML(w, MatchForm{Text: "HTTP/1.1 502 Bad Gateway", Results: match.Summarize(rs, string(l), 1)}, l)
		}
		out["search."+string(l)+".html"] = func(w io.Writer) error {
			return r.SearchHTML(w, SearchForm{Query: "502", Filters: browse.Query{Domain: "api", PerPage: 1}, Total: 2, Hits: []SearchHit{{
				ID: seedIDs[0], Snippets: []Snippet{{Field: "signature", Parts: []SnippetPart{{Text: "HTTP "}, {Text: "502", Mark: true}, {Text: " Bad Gateway"}}}},
			}}}, l)
		}
	}
	return out
}

func TestListingFiltersAndPages(t *testing.T) {
	c, _ := fullCatalog(t)
	r := newRenderer(t, c)
	for _, l := range Langs {
		q := browse.Query{Domain: "api", Resolvable: "partial", Sort: browse.SortConfidence, PerPage: 1}
		doc := checkHTML(t, render(t, func(b *bytes.Buffer) error { return r.ListingHTML(b, q, l) }))
		// The form's selects show the query.
		selected := map[string]string{}
		for _, sel := range find(doc, "select") {
			for _, o := range find(sel, "option") {
				for _, a := range o.Attr {
					if a.Key == "selected" {
						selected[attr(sel, "name")] = attr(o, "value")
					}
				}
			}
		}
		if selected["resolvable"] != "partial" || selected["sort"] != "confidence" || selected["category"] != "" {
			t.Errorf("%s selected options %v", l, selected)
		}
		form := find(doc, "form")[1]
		if attr(form, "method") != "get" || attr(form, "action") != DomainPath("api", l) {
			t.Errorf("filter form %v", form.Attr)
		}
		// A filtered listing is not indexed, and the language switch keeps the query.
		text := visibleText(doc)
		if !strings.Contains(render(t, func(b *bytes.Buffer) error { return r.ListingHTML(b, q, l) }), `<meta name="robots" content="noindex">`) {
			t.Errorf("%s filtered listing is indexable", l)
		}
		sw := ""
		for _, a := range find(doc, "a") {
			if strings.Contains(attr(a, "class"), "lang") {
				sw = attr(a, "href")
			}
		}
		if want := DomainPath("api", l.other()) + "?per_page=1&resolvable=partial&sort=confidence"; sw != want {
			t.Errorf("%s language switch %q, want %q", l, sw, want)
		}
		if !strings.Contains(text, mustTf(t, l, "shown_n", 1, 2)) {
			t.Errorf("%s lacks the count of shown entries", l)
		}
	}
	// Pages: two api entries, one per page.
	var next, prev string
	doc := checkHTML(t, render(t, func(b *bytes.Buffer) error {
		return r.ListingHTML(b, browse.Query{Domain: "api", PerPage: 1, Page: 1}, EN)
	}))
	for _, a := range find(doc, "a") {
		switch attr(a, "rel") {
		case "next":
			next = attr(a, "href")
		case "prev":
			prev = attr(a, "href")
		}
	}
	if next != "/errors/api/?page=2&per_page=1" || prev != "" {
		t.Errorf("pager next %q prev %q", next, prev)
	}
	// The default listing is indexable and has no pager.
	out := render(t, func(b *bytes.Buffer) error { return r.DomainHTML(b, "api", EN) })
	if strings.Contains(out, "noindex") || strings.Contains(out, `rel="next"`) {
		t.Error("default listing is noindex or paged")
	}
	// The /errors/ page lists all domains and all entries.
	all := checkHTML(t, render(t, func(b *bytes.Buffer) error { return r.DomainsHTML(b, EN) }))
	hrefs := map[string]bool{}
	for _, a := range find(all, "a") {
		hrefs[attr(a, "href")] = true
	}
	for _, e := range c.Entries {
		if !hrefs[EntryPagePath(e.ID, EN)] {
			t.Errorf("/errors/ lacks %s", e.ID)
		}
	}
}

func TestStatsPage(t *testing.T) {
	c, _ := fullCatalog(t)
	r := newRenderer(t, c)
	s := browse.Compute(c)
	for _, l := range Langs {
		doc := checkHTML(t, render(t, func(b *bytes.Buffer) error { return r.StatsHTML(b, l) }))
		checkHead(t, doc, "https://errorcanon.dev"+StatsPath(l), "/stats/", "/stats/zh.html")
		blocks := findClass(doc, "chart-block")
		if len(blocks) != 6 {
			t.Fatalf("%d charts, want 6", len(blocks))
		}
		for _, b := range blocks {
			svgs, tables := find(b, "svg"), find(b, "table")
			if len(svgs) != 1 || len(tables) != 1 || attr(svgs[0], "role") != "img" || attr(svgs[0], "aria-label") == "" {
				t.Errorf("chart %s: %d svg, %d tables", attr(b, "id"), len(svgs), len(tables))
			}
			// The table's numbers add up to the entries (the domain and
			// category tables leave out zero rows).
			sum := 0
			for _, td := range find(tables[0], "td") {
				if attr(td, "class") == "num" && !strings.Contains(textOf(td), "%") {
					n, err := strconv.Atoi(textOf(td))
					if err != nil {
						t.Errorf("cell %q", textOf(td))
					}
					sum += n
				}
			}
			if sum != s.Entries {
				t.Errorf("chart %s: table sums to %d, want %d", attr(b, "id"), sum, s.Entries)
			}
			// Each bar is drawn with its number.
			if bars, values := findClass(b, "ch-bar"), findClass(b, "ch-value"); len(bars) == 0 || len(values) == 0 {
				t.Errorf("chart %s has no bars or values", attr(b, "id"))
			}
		}
	}
}

func TestSitemapIndexPastTheLimit(t *testing.T) {
	c, _ := fullCatalog(t)
	r := newRenderer(t, c)
	// 3 entries, 3 fixed pages and 2 domains: 8 pages, 16 URLs.
	if r.SitemapParts() != 0 {
		t.Fatalf("a small catalog needs a sitemap index")
	}
	var set struct {
		URLs []struct {
			Loc   string `xml:"loc"`
			Links []struct {
				Rel      string `xml:"rel,attr"`
				Hreflang string `xml:"hreflang,attr"`
				Href     string `xml:"href,attr"`
			} `xml:"http://www.w3.org/1999/xhtml link"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(render(t, func(b *bytes.Buffer) error { return r.SitemapXML(b) })), &set); err != nil {
		t.Fatal(err)
	}
	if len(set.URLs) != 18 {
		t.Errorf("%d URLs, want 18", len(set.URLs))
	}
	for _, u := range set.URLs {
		langs := ""
		for _, l := range u.Links {
			langs += l.Hreflang + " "
		}
		if langs != "en zh x-default " {
			t.Errorf("%s alternates %q", u.Loc, langs)
		}
	}

	r.sitemapMax = 6 // three pages a file
	if r.SitemapParts() != 3 {
		t.Fatalf("parts = %d, want 3", r.SitemapParts())
	}
	var idx struct {
		Sitemaps []struct {
			Loc string `xml:"loc"`
		} `xml:"sitemap"`
	}
	out := render(t, func(b *bytes.Buffer) error { return r.SitemapXML(b) })
	if err := xml.Unmarshal([]byte(out), &idx); err != nil || !strings.Contains(out, "<sitemapindex") {
		t.Fatalf("index: %v\n%s", err, out)
	}
	total := 0
	for i, sm := range idx.Sitemaps {
		if want := "https://errorcanon.dev" + SitemapPartPath(i+1); sm.Loc != want {
			t.Errorf("index names %s, want %s", sm.Loc, want)
		}
		part := render(t, func(b *bytes.Buffer) error { return r.SitemapPartXML(b, i+1) })
		n := strings.Count(part, "<url>")
		if n > 6 {
			t.Errorf("part %d has %d URLs, over the limit", i+1, n)
		}
		total += n
	}
	if len(idx.Sitemaps) != 3 || total != 18 {
		t.Errorf("%d parts with %d URLs, want 3 with 18", len(idx.Sitemaps), total)
	}
	if err := r.SitemapPartXML(io.Discard, 4); err == nil {
		t.Error("part 4 of 3 rendered")
	}
}

func TestFeedAndLLMs(t *testing.T) {
	c, full := fullCatalog(t)
	r := newRenderer(t, c)
	var feed struct {
		Entries []struct {
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(render(t, func(b *bytes.Buffer) error { return r.FeedXML(b) })), &feed); err != nil {
		t.Fatal(err)
	}
	if len(feed.Entries) != 3 || feed.Entries[0].Updated < feed.Entries[2].Updated {
		t.Errorf("feed entries %+v", feed.Entries)
	}
	llms := render(t, func(b *bytes.Buffer) error { return r.LLMsTxt(b) })
	if !strings.HasPrefix(llms, "# ErrorCanon\n\n> ") || !strings.Contains(llms, "\n## API\n") || !strings.Contains(llms, "\n## Optional\n") {
		t.Errorf("llms.txt does not follow the convention:\n%s", llms)
	}
	if !strings.Contains(llms, "(https://errorcanon.dev"+EntryPaths(full.ID).MD+")") {
		t.Error("llms.txt does not link the entries' Markdown")
	}
	fullTxt := render(t, func(b *bytes.Buffer) error { return r.LLMsFullTxt(b) })
	for _, e := range c.Entries {
		if !strings.Contains(fullTxt, "`"+e.ID+"`") {
			t.Errorf("llms-full.txt lacks %s", e.ID)
		}
	}
}

// hostileSite is the seed catalog plus the hostile entry, in a domain
// whose names and descriptions are hostile too.
func hostileSite(t *testing.T) (*Renderer, *canon.Entry) {
	seed := seedCatalog(t)
	e := hostileEntry()
	domains := append([]canon.Domain(nil), seed.Domains...)
	for i := range domains {
		if domains[i].ID == e.Domain {
			domains[i].Name, domains[i].NameZh, domains[i].Description, domains[i].DescriptionZh = hostile, hostile, hostile, hostile
		}
	}
	c := catalog.New(domains, append(append([]*canon.Entry{}, seed.Entries...), e))
	return newRenderer(t, c), e
}

func TestHostileTextIsEscapedOnEveryPageAndFile(t *testing.T) {
	r, e := hostileSite(t)
	sum := match.Summary{ID: e.ID, Kind: match.Matched, Signature: hostile, Domain: e.Domain, Category: e.Category,
		RootCause: hostile, Span: &match.Span{Line: 1, Text: hostile},
		DeadEnds: []match.DeadEnd{{Action: hostile, WhyFails: hostile}}, Workarounds: []match.WorkStep{{Action: hostile, Command: hostile}}}
	hit := SearchHit{ID: e.ID, Snippets: []Snippet{{Field: hostile, Parts: []SnippetPart{{Text: hostile}, {Text: hostile, Mark: true}}}}}
	for _, l := range Langs {
		pages := map[string]func(*bytes.Buffer) error{
			"home":    func(b *bytes.Buffer) error { return r.HomeHTML(b, l) },
			"errors":  func(b *bytes.Buffer) error { return r.DomainsHTML(b, l) },
			"listing": func(b *bytes.Buffer) error { return r.DomainHTML(b, e.Domain, l) },
			"filtered": func(b *bytes.Buffer) error {
				return r.ListingHTML(b, browse.Query{Domain: e.Domain, Sort: browse.SortNewest}, l)
			},
			"stats": func(b *bytes.Buffer) error { return r.StatsHTML(b, l) },
			"match": func(b *bytes.Buffer) error {
				return r.MatchHTML(b, MatchForm{Text: hostile + "</textarea><script>alert(2)</script>", Results: []match.Summary{sum}}, l)
			},
			"match-error": func(b *bytes.Buffer) error { return r.MatchHTML(b, MatchForm{Err: hostile}, l) },
			"search": func(b *bytes.Buffer) error {
				return r.SearchHTML(b, SearchForm{Query: hostile + `"><script>`, Total: 1, Hits: []SearchHit{hit}}, l)
			},
			"entry": func(b *bytes.Buffer) error { return r.EntryHTML(b, e, l) },
		}
		for name, f := range pages {
			out := render(t, f)
			if strings.Contains(out, "<script>alert") || strings.Contains(out, "<img") || strings.Contains(out, "<b onclick") {
				t.Errorf("%s %s: hostile markup is not escaped", l, name)
			}
			checkHTML(t, out)
		}
	}
	for name, f := range map[string]func(io.Writer) error{"feed.xml": r.FeedXML, "sitemap.xml": r.SitemapXML} {
		out := render(t, func(b *bytes.Buffer) error { return f(b) })
		if strings.Contains(out, "<script") {
			t.Errorf("%s holds a raw <script", name)
		}
		dec := xml.NewDecoder(strings.NewReader(out))
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s is not well-formed XML: %v", name, err)
			}
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "script" {
				t.Errorf("%s has a <script> element", name)
			}
		}
	}
	if feed := render(t, func(b *bytes.Buffer) error { return r.FeedXML(b) }); !strings.Contains(feed, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the feed does not carry the hostile title as text")
	}
	for name, f := range map[string]func(io.Writer) error{"llms.txt": r.LLMsTxt, "llms-full.txt": r.LLMsFullTxt} {
		out := render(t, func(b *bytes.Buffer) error { return f(b) })
		if rawTag.MatchString(stripFences(out)) {
			t.Errorf("%s: raw HTML outside code", name)
		}
		if html := string(mdBlock(out)); strings.Contains(html, "<script") || strings.Contains(html, "<img") {
			t.Errorf("%s renders to live HTML", name)
		}
	}
}

func TestScriptIsServedFromTheSite(t *testing.T) {
	if !strings.HasPrefix(ScriptPath(), "/static/app.") || !strings.HasSuffix(ScriptPath(), ".js") || len(Script()) == 0 {
		t.Errorf("script path %q", ScriptPath())
	}
	// The script builds the DOM from text, never from HTML strings.
	for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"} {
		if bytes.Contains(Script(), []byte(bad)) {
			t.Errorf("app.js uses %s", bad)
		}
	}
}
