package render

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/errorcanon/errorcanon/internal/browse"
	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/search"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages are parsed on first use, not at init: a command that prints one
// verdict should not pay for the site's templates.
var pages = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("").Funcs(template.FuncMap{
		"md":  mdBlock,
		"mdi": mdInline,
		"web": isWebURL,
		"T":   func(lang, key string) (string, error) { return t(Lang(lang), key) },
	}).ParseFS(templateFS, "templates/*.html"))
})

// page is what the layout template gets.
type page struct {
	lang        Lang
	HTMLLang    string
	Title       string
	Description string
	Canonical   string // absolute; empty for the 404 page
	Alternates  []link // hreflang alternates
	Formats     []link // the entry's other media types
	CSS         string
	OG          *openGraph
	JSONLD      template.JS
	NoIndex     bool
	Switch      *link // the same page in the other language
	Crumbs      []link

	HomePath, ErrorsPath, DomainPath, StatsPath, SearchAction, AboutPath, DocsPath string

	Entry      *entryView
	Listing    *listingView
	DomainList []domainView
	Home       *homeView
	Stats      *statsView
	Results    *resultsView
	Search     *searchView
	Submit     *submitView
	About      *aboutView
	APIRef     *apiRefView
	Total      string

	// Script is the path of the site's script, on the pages that use it.
	Script string
	// SiteOrigin is the site's address in the home page's examples.
	SiteOrigin string
	// SearchQuery fills the search box in the site bar.
	SearchQuery string
}

type link struct {
	Href, Label, Hreflang, HTMLLang, Type string
	// Keep marks the results page's language switch: the script posts
	// the pasted text again in the other language.
	Keep bool
}

type openGraph struct {
	Type, Title, Description, URL, Locale, LocaleAlt string
}

type domainView struct {
	ID, Name, Description, Path, CountLabel string
	Count                                   int
}

type listingView struct {
	Title, Description, Count string
	Shown                     string // "n of m entries" when filtered
	All                       bool   // all domains (/errors/)
	Action                    string // the filter form's action
	Filtered                  bool
	Filters                   []filterView
	Pager                     *pagerView
	Entries                   []listItem
}

type listItem struct {
	ID, Title, Path, ErrorCode, Category, Resolvable, ResolvableLabel, FixRate string
	Verification, VerifyLabel, Confidence, FirstSeen, LastVerified, DomainName string
	CategoryID                                                                 string
	FixRateValue, ConfidenceValue                                              float64
}

// T returns a UI string of the page's language.
func (p *page) T(key string) (string, error) { return t(p.lang, key) }

// Tf formats a UI string of the page's language.
func (p *page) Tf(key string, args ...any) (string, error) { return tf(p.lang, key, args...) }

// MaxQuery is the search box's length limit.
func (p *page) MaxQuery() int { return search.MaxQueryBytes }

// Lang is the page's language code.
func (p *page) Lang() string { return string(p.lang) }

// OtherName is the name of the other language, in that language.
func (p *page) OtherName() string { return autonym[p.lang.other()] }

// OtherHTMLLang is the lang attribute of the other language.
func (p *page) OtherHTMLLang() string { return p.lang.other().htmlLang() }

// OtherPagePath and MarkdownPath serve the entry template.
func (p *page) OtherPagePath() string { return p.Entry.OtherPagePath() }

// OtherMarkdownPath is the entry's Markdown in the other language.
func (p *page) OtherMarkdownPath() string { return EntryMarkdownPath(p.Entry.ID, p.Entry.Other) }

// MarkdownPath is the entry's Markdown in the page's language.
func (p *page) MarkdownPath() string { return p.Entry.MarkdownPath() }

func (r *Renderer) newPage(l Lang, title string) *page {
	return &page{
		lang: l, HTMLLang: l.htmlLang(), Title: title, CSS: StylesheetPath(),
		HomePath: HomePath(l), ErrorsPath: DomainsPath(l), StatsPath: StatsPath(l),
		SearchAction: SearchPath, AboutPath: AboutPath(l), DocsPath: DocsPath(l),
	}
}

// alternates fills the canonical URL, hreflang links, the language switch
// and Open Graph for a page that exists at enPath and zhPath.
func (r *Renderer) alternates(p *page, enPath, zhPath, ogType string) {
	own, other := enPath, zhPath
	if p.lang == ZH {
		own, other = zhPath, enPath
	}
	p.Canonical = r.Abs(own)
	p.Alternates = []link{
		{Hreflang: "en", Href: r.Abs(enPath)},
		{Hreflang: "zh", Href: r.Abs(zhPath)},
		{Hreflang: "x-default", Href: r.Abs(enPath)},
	}
	o := p.lang.other()
	p.Switch = &link{Href: other, Label: autonym[o], Hreflang: string(o), HTMLLang: o.htmlLang()}
	p.OG = &openGraph{Type: ogType, Title: p.Title, Description: p.Description, URL: p.Canonical, Locale: p.lang.ogLocale(), LocaleAlt: o.ogLocale()}
}

func (p *page) write(w io.Writer) error {
	var buf bytes.Buffer
	if err := pages().ExecuteTemplate(&buf, "page", p); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// jsonLD marshals a JSON-LD object for a <script type="application/ld+json">
// data block. encoding/json escapes <, > and & as \u003c..., so nothing in
// it can close the element.
func jsonLD(v any) (template.JS, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return template.JS(b), nil
}

// EntryHTML writes an entry's page.
func (r *Renderer) EntryHTML(w io.Writer, e *canon.Entry, l Lang) error {
	v := r.view(e, l)
	title := fmt.Sprintf("%s · %s · ErrorCanon", clip(oneLine(v.Title), 90), v.DomainName)
	p := r.newPage(l, title)
	p.Description = clip(oneLine(v.RootCause), 200)
	p.Entry = v
	p.Script = ScriptPath() // the code blocks' copy buttons
	p.DomainPath = DomainPath(e.Domain, l)
	r.alternates(p, v.Paths.HTML, v.Paths.HTMLZh, "article")
	p.OG.Title = clip(oneLine(v.Title), 90)
	p.Formats = []link{
		{Type: "application/json", Href: v.Paths.JSON, Label: "JSON"},
		{Type: "text/markdown", Href: v.MarkdownPath(), Label: "Markdown"},
	}
	p.Crumbs = r.crumbs(l, e.Domain)
	ld := map[string]any{
		"@context":         "https://schema.org",
		"@type":            "TechArticle",
		"headline":         clip(oneLine(v.Title), 110),
		"name":             oneLine(v.Title),
		"description":      p.Description,
		"inLanguage":       l.htmlLang(),
		"url":              p.Canonical,
		"mainEntityOfPage": p.Canonical,
		"identifier":       e.ID,
		"dateModified":     e.LastVerified,
		"about":            map[string]any{"@type": "Thing", "name": v.DomainName},
		"articleSection":   v.CategoryLabel,
		"isPartOf":         map[string]any{"@type": "WebSite", "name": "ErrorCanon", "url": r.base + "/"},
		"publisher":        map[string]any{"@type": "Organization", "name": "ErrorCanon", "url": r.base + "/"},
		"encoding": []map[string]any{
			{"@type": "MediaObject", "encodingFormat": "application/json", "contentUrl": v.URLs.JSON},
			{"@type": "MediaObject", "encodingFormat": "text/markdown", "contentUrl": r.Abs(v.MarkdownPath())},
		},
	}
	if len(e.Tags) > 0 {
		ld["keywords"] = strings.Join(e.Tags, ", ")
	}
	var cites []string
	for _, d := range e.Docs {
		if isWebURL(d) {
			cites = append(cites, d)
		}
	}
	if len(cites) > 0 {
		ld["citation"] = cites
	}
	var err error
	if p.JSONLD, err = jsonLD(ld); err != nil {
		return err
	}
	return p.write(w)
}

func (r *Renderer) crumbs(l Lang, domain string) []link {
	c := []link{{Href: HomePath(l), Label: ui(l)["nav_home"]}, {Href: DomainsPath(l), Label: ui(l)["nav_errors"]}}
	if domain != "" {
		c = append(c, link{Href: DomainPath(domain, l), Label: r.domainName(domain, l)})
	}
	return c
}

// HasDomain reports whether the catalog lists a domain.
func (r *Renderer) HasDomain(id string) bool { return r.cat.Domain(id) != nil }

// DomainHTML writes the default listing of one domain's entries.
func (r *Renderer) DomainHTML(w io.Writer, domain string, l Lang) error {
	return r.ListingHTML(w, browse.Query{Domain: domain}, l)
}

func (r *Renderer) collectionLD(p *page, entries []*canon.Entry, l Lang) map[string]any {
	items := make([]map[string]any, len(entries))
	for i, e := range entries {
		items[i] = map[string]any{"@type": "ListItem", "position": i + 1, "url": r.Abs(EntryPagePath(e.ID, l)), "name": oneLine(Title(e, l))}
	}
	return map[string]any{
		"@context": "https://schema.org", "@type": "CollectionPage",
		"name": p.Title, "url": p.Canonical, "inLanguage": l.htmlLang(),
		"mainEntity": map[string]any{"@type": "ItemList", "numberOfItems": len(entries), "itemListElement": items},
	}
}

func (r *Renderer) domainViews(l Lang) ([]domainView, error) {
	var out []domainView
	for _, d := range r.cat.Domains {
		n := len(r.cat.InDomain(d.ID))
		cl, err := tfn(l, "entries_n", n)
		if err != nil {
			return nil, err
		}
		out = append(out, domainView{
			ID: d.ID, Name: r.domainName(d.ID, l), Description: r.domainDescription(d.ID, l),
			Path: DomainPath(d.ID, l), Count: n, CountLabel: cl,
		})
	}
	// Domains with entries first, each group in the catalog's order.
	var with, without []domainView
	for _, d := range out {
		if d.Count > 0 {
			with = append(with, d)
		} else {
			without = append(without, d)
		}
	}
	return append(with, without...), nil
}

func (r *Renderer) total(l Lang) (string, error) {
	n := 0
	for _, d := range r.cat.Domains {
		if len(r.cat.InDomain(d.ID)) > 0 {
			n++
		}
	}
	return tf(l, "total", len(r.cat.Entries), n)
}

// DomainsHTML writes the default /errors/ page: all domains, then all
// entries.
func (r *Renderer) DomainsHTML(w io.Writer, l Lang) error {
	return r.ListingHTML(w, browse.Query{}, l)
}

// HomeHTML writes the home page.
func (r *Renderer) HomeHTML(w io.Writer, l Lang) error {
	title, err := t(l, "home_title")
	if err != nil {
		return err
	}
	p := r.newPage(l, "ErrorCanon · "+title)
	p.Description, _ = t(l, "site_tagline")
	p.Script = ScriptPath()
	ds, err := r.domainViews(l)
	if err != nil {
		return err
	}
	p.SiteOrigin = r.base
	if r.link != "" {
		p.SiteOrigin = r.link
	}
	p.Home = &homeView{Domains: ds, Figures: r.figures(l), Paste: pasteForm{Action: MatchPath, Lang: string(l), MaxBytes: match.MaxInput}}
	for _, e := range browse.Recent(r.cat, homeRecent) {
		it, err := r.item(e, l, true)
		if err != nil {
			return err
		}
		p.Home.Recent = append(p.Home.Recent, it)
	}
	if len(r.cat.Entries) > 0 {
		p.Home.Example = r.cat.Entries[0].ID
	}
	if p.Total, err = r.total(l); err != nil {
		return err
	}
	r.alternates(p, HomePath(EN), HomePath(ZH), "website")
	ld := map[string]any{
		"@context": "https://schema.org", "@type": "WebSite",
		"name": "ErrorCanon", "url": r.base + "/", "inLanguage": l.htmlLang(), "description": p.Description,
		"potentialAction": map[string]any{
			"@type":       "SearchAction",
			"target":      map[string]any{"@type": "EntryPoint", "urlTemplate": r.Abs(SearchPath) + "?q={search_term_string}&lang=" + string(l)},
			"query-input": "required name=search_term_string",
		},
	}
	if p.JSONLD, err = jsonLD(ld); err != nil {
		return err
	}
	return p.write(w)
}

// NotFoundHTML writes the 404 page. It has no canonical URL and asks not
// to be indexed.
func (r *Renderer) NotFoundHTML(w io.Writer, l Lang) error {
	title, err := t(l, "nf_title")
	if err != nil {
		return err
	}
	p := r.newPage(l, title+" · ErrorCanon")
	p.NoIndex = true
	o := l.other()
	p.Switch = &link{Href: HomePath(o), Label: autonym[o], Hreflang: string(o), HTMLLang: o.htmlLang()}
	return p.write(w)
}

// isWebURL reports whether a URL from an entry may be a link: only
// absolute http(s) URLs are (the validator requires https for shipped
// entries; anything else is shown as text).
func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// clip shortens s to at most n runes, ending with an ellipsis when cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	cut := string(rs[:n-1])
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}
