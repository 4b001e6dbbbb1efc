package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/errorcanon/errorcanon/internal/browse"
	"github.com/errorcanon/errorcanon/internal/canon"
)

// Discovery files: /sitemap.xml, /robots.txt, /llms.txt, /llms-full.txt
// and /feed.xml. All of them are written with the catalog's texts escaped
// for their format (XML by encoding/xml, Markdown by escInline and
// EntryMarkdown), so an entry cannot inject markup into them.

// MaxSitemapURLs is the sitemap protocol's limit of URLs in one file;
// past it /sitemap.xml becomes a sitemap index of /sitemap-{n}.xml files.
const MaxSitemapURLs = 50000

// FeedEntries is how many entries /feed.xml carries.
const FeedEntries = 50

// llmsPerDomain bounds the entries /llms.txt lists under each domain.
const llmsPerDomain = 100

// sitemapPage is one page of the site in both languages.
type sitemapPage struct {
	en, zh  string // site paths
	lastmod string
}

func (r *Renderer) sitemapPages() []sitemapPage {
	ps := []sitemapPage{
		{HomePath(EN), HomePath(ZH), ""},
		{DomainsPath(EN), DomainsPath(ZH), ""},
		{StatsPath(EN), StatsPath(ZH), ""},
		{AboutPath(EN), AboutPath(ZH), ""},
	}
	for _, d := range r.cat.Domains {
		if len(r.cat.InDomain(d.ID)) > 0 {
			ps = append(ps, sitemapPage{DomainPath(d.ID, EN), DomainPath(d.ID, ZH), ""})
		}
	}
	for _, e := range r.cat.Entries {
		p := EntryPaths(e.ID)
		ps = append(ps, sitemapPage{p.HTML, p.HTMLZh, e.LastVerified})
	}
	return ps
}

func (r *Renderer) sitemapLimit() int {
	if r.sitemapMax > 0 {
		return r.sitemapMax
	}
	return MaxSitemapURLs
}

// SitemapParts returns how many /sitemap-{n}.xml files the site has: 0
// while /sitemap.xml holds every URL itself.
func (r *Renderer) SitemapParts() int {
	per := r.sitemapLimit() / 2 // two URLs, English and Chinese, per page
	n := len(r.sitemapPages())
	if 2*n <= r.sitemapLimit() {
		return 0
	}
	return (n + per - 1) / per
}

// SitemapPartPath is the path of the n-th sitemap file (from 1).
func SitemapPartPath(n int) string { return fmt.Sprintf("/sitemap-%d.xml", n) }

type xmlURLSet struct {
	XMLName xml.Name `xml:"urlset"`
	NS      string   `xml:"xmlns,attr"`
	XHTML   string   `xml:"xmlns:xhtml,attr"`
	URLs    []xmlURL `xml:"url"`
}

type xmlURL struct {
	Loc     string     `xml:"loc"`
	LastMod string     `xml:"lastmod,omitempty"`
	Links   []xmlXLink `xml:"xhtml:link"`
}

type xmlXLink struct {
	Rel      string `xml:"rel,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

type xmlIndex struct {
	XMLName  xml.Name     `xml:"sitemapindex"`
	NS       string       `xml:"xmlns,attr"`
	Sitemaps []xmlSitemap `xml:"sitemap"`
}

type xmlSitemap struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

func writeXML(w io.Writer, v any) error {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	buf.WriteByte('\n')
	_, err := w.Write(buf.Bytes())
	return err
}

func (r *Renderer) urlset(ps []sitemapPage) xmlURLSet {
	set := xmlURLSet{NS: sitemapNS, XHTML: "http://www.w3.org/1999/xhtml"}
	for _, p := range ps {
		links := []xmlXLink{
			{"alternate", "en", r.Abs(p.en)},
			{"alternate", "zh", r.Abs(p.zh)},
			{"alternate", "x-default", r.Abs(p.en)},
		}
		set.URLs = append(set.URLs,
			xmlURL{Loc: r.Abs(p.en), LastMod: p.lastmod, Links: links},
			xmlURL{Loc: r.Abs(p.zh), LastMod: p.lastmod, Links: links})
	}
	return set
}

// SitemapXML writes /sitemap.xml: every page in both languages, each with
// its hreflang alternates, or, past MaxSitemapURLs, the index of the
// sitemap files.
func (r *Renderer) SitemapXML(w io.Writer) error {
	parts := r.SitemapParts()
	if parts == 0 {
		return writeXML(w, r.urlset(r.sitemapPages()))
	}
	idx := xmlIndex{NS: sitemapNS}
	ps := r.sitemapPages()
	per := r.sitemapLimit() / 2
	for i := 0; i < parts; i++ {
		idx.Sitemaps = append(idx.Sitemaps, xmlSitemap{Loc: r.Abs(SitemapPartPath(i + 1)), LastMod: latest(ps[i*per : min(len(ps), (i+1)*per)])})
	}
	return writeXML(w, idx)
}

// SitemapPartXML writes /sitemap-{n}.xml, n from 1 to SitemapParts.
func (r *Renderer) SitemapPartXML(w io.Writer, n int) error {
	if n < 1 || n > r.SitemapParts() {
		return fmt.Errorf("render: no sitemap part %d", n)
	}
	ps := r.sitemapPages()
	per := r.sitemapLimit() / 2
	return writeXML(w, r.urlset(ps[(n-1)*per:min(len(ps), n*per)]))
}

func latest(ps []sitemapPage) string {
	m := ""
	for _, p := range ps {
		m = max(m, p.lastmod)
	}
	return m
}

// RobotsTxt writes /robots.txt.
func (r *Renderer) RobotsTxt(w io.Writer) error {
	_, err := fmt.Fprintf(w, `# ErrorCanon
User-agent: *
Allow: /
Disallow: %s
Disallow: %s
Disallow: /api/
Allow: /api/v1/openapi.json

Sitemap: %s
`, SearchPath, MatchPath, r.Abs("/sitemap.xml"))
	return err
}

// LLMsTxt writes /llms.txt after the llms.txt convention: a title, a
// one-paragraph summary in a quote, notes, then sections of links to
// Markdown with a note each.
func (r *Renderer) LLMsTxt(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# ErrorCanon\n\n")
	b.WriteString("> A knowledge base of known software errors, in English and Chinese. Each entry explains one error: its root cause, the workarounds that fix it (with success rates), the dead ends people try that fail (with fail rates), the versions it affects and the official documentation.\n\n")
	b.WriteString("Every entry has a page, Markdown (`index.md`, Chinese `zh.md`) and JSON (`index.json`) under `/errors/{domain}/{slug}/`. ")
	b.WriteString("To find the entry that explains an error message, a stack trace or a whole log, send it to the match API: `POST " + r.Link("/api/v1/match") + "` with the text as the body. ")
	b.WriteString("The same server speaks MCP at `/mcp`.\n\n")
	b.WriteString("## API\n\n")
	fmt.Fprintf(&b, "- [OpenAPI description](%s): every /api/v1 endpoint, its parameters and limits\n", r.Link("/api/v1/openapi.json"))
	fmt.Fprintf(&b, "- [Match an error text](%s): GET with ?q= or POST the text; returns the entries that explain it, best first\n", r.Link("/api/v1/match"))
	fmt.Fprintf(&b, "- [Search](%s): full-text search in English and Chinese\n", r.Link("/api/v1/search?q=ECONNRESET"))
	fmt.Fprintf(&b, "- [List entries](%s): paged, filterable by domain, category, verification and verdict\n", r.Link("/api/v1/errors"))
	fmt.Fprintf(&b, "- [Every entry in one file](%s): the English Markdown of all entries\n", r.Link("/llms-full.txt"))
	for _, d := range r.cat.Domains {
		es := r.cat.InDomain(d.ID)
		if len(es) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n## %s\n\n", escInline(oneLine(d.Name)))
		if d.Description != "" {
			fmt.Fprintf(&b, "%s\n\n", escInline(oneLine(d.Description)))
		}
		for i, e := range es {
			if i == llmsPerDomain {
				fmt.Fprintf(&b, "- [All %d %s entries](%s)\n", len(es), escInline(oneLine(d.Name)), r.Link(DomainPath(d.ID, EN)))
				break
			}
			fmt.Fprintf(&b, "- [%s](%s): %s\n", escInline(clip(oneLine(Title(e, EN)), 120)), r.Link(EntryPaths(e.ID).MD), escInline(clip(plainOneLine(e.RootCause), 160)))
		}
	}
	b.WriteString("\n## Optional\n\n")
	fmt.Fprintf(&b, "- [Chinese home page](%s): the site in Chinese\n", r.Link(HomePath(ZH)))
	fmt.Fprintf(&b, "- [Figures](%s): entries per domain and category, fix-rate and confidence distributions\n", r.Link(StatsPath(EN)))
	fmt.Fprintf(&b, "- [How it works](%s): what an entry is, verification levels, how the figures are computed, how to report and contribute\n", r.Link(AboutPath(EN)))
	fmt.Fprintf(&b, "- [Atom feed](%s): recently verified entries\n", r.Link("/feed.xml"))
	fmt.Fprintf(&b, "- [Sitemap](%s): every page in both languages\n", r.Link("/sitemap.xml"))
	_, err := io.WriteString(w, b.String())
	return err
}

// plainOneLine drops the Markdown emphasis and code marks of an entry
// text and folds it onto one line.
func plainOneLine(s string) string {
	return oneLine(strings.NewReplacer("**", "", "`", "", "__", "").Replace(s))
}

// LLMsFullTxt writes /llms-full.txt: a short preamble, then the English
// Markdown of every entry, separated by rules.
func (r *Renderer) LLMsFullTxt(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# ErrorCanon: every entry\n\n> The English Markdown of all %d entries of %s, one after another. Each is also served alone at its `index.md`; Chinese at `zh.md`.\n", len(r.cat.Entries), r.base)
	for _, e := range r.cat.Entries {
		b.WriteString("\n---\n\n")
		if err := r.EntryMarkdown(&b, e, EN); err != nil {
			return err
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

type atomFeed struct {
	XMLName   xml.Name    `xml:"feed"`
	NS        string      `xml:"xmlns,attr"`
	Lang      string      `xml:"xml:lang,attr"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle"`
	ID        string      `xml:"id"`
	Links     []atomLink  `xml:"link"`
	Updated   string      `xml:"updated"`
	Author    atomAuthor  `xml:"author"`
	Generator string      `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel      string `xml:"rel,attr"`
	Type     string `xml:"type,attr,omitempty"`
	Hreflang string `xml:"hreflang,attr,omitempty"`
	Href     string `xml:"href,attr"`
}

type atomAuthor struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomEntry struct {
	Title      atomText       `xml:"title"`
	ID         string         `xml:"id"`
	Links      []atomLink     `xml:"link"`
	Updated    string         `xml:"updated"`
	Categories []atomCategory `xml:"category"`
	Summary    atomText       `xml:"summary"`
}

func atomDate(d string) string {
	if d == "" {
		return "1970-01-01T00:00:00Z"
	}
	return d + "T00:00:00Z"
}

// FeedXML writes /feed.xml, an Atom feed of the FeedEntries entries
// verified most recently.
func (r *Renderer) FeedXML(w io.Writer) error {
	es := browse.Recent(r.cat, FeedEntries)
	f := atomFeed{
		NS: "http://www.w3.org/2005/Atom", Lang: "en",
		Title:    "ErrorCanon: recently verified errors",
		Subtitle: ui(EN)["site_tagline"],
		ID:       r.base + "/",
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: r.Abs("/feed.xml")},
			{Rel: "alternate", Type: "text/html", Hreflang: "en", Href: r.Abs(HomePath(EN))},
			{Rel: "alternate", Type: "text/html", Hreflang: "zh", Href: r.Abs(HomePath(ZH))},
		},
		Updated:   atomDate(""),
		Author:    atomAuthor{Name: "ErrorCanon", URI: r.base + "/"},
		Generator: "ErrorCanon",
	}
	for _, e := range es {
		f.Updated = max(f.Updated, atomDate(e.LastVerified))
		f.Entries = append(f.Entries, r.atomEntry(e))
	}
	return writeXML(w, f)
}

func (r *Renderer) atomEntry(e *canon.Entry) atomEntry {
	u := r.EntryURLs(e.ID)
	return atomEntry{
		Title: atomText{"text", oneLine(Title(e, EN))},
		ID:    u.HTML,
		Links: []atomLink{
			{Rel: "alternate", Type: "text/html", Hreflang: "en", Href: u.HTML},
			{Rel: "alternate", Type: "text/html", Hreflang: "zh", Href: u.HTMLZh},
			{Rel: "alternate", Type: "application/json", Href: u.JSON},
			{Rel: "alternate", Type: "text/markdown", Href: u.MD},
		},
		Updated:    atomDate(e.LastVerified),
		Categories: []atomCategory{{Term: e.Domain, Label: r.domainName(e.Domain, EN)}, {Term: e.Category, Label: label(EN, "cat_", e.Category)}},
		Summary:    atomText{"text", plainOneLine(e.RootCause)},
	}
}
