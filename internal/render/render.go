// Package render turns catalog entries into what people and programs read:
// entry pages in English and Chinese, JSON, Markdown in both languages,
// plain text for the terminal, domain listings, the home page and the 404
// page. It writes to an io.Writer and knows nothing of HTTP, so the web
// server and a static build produce the same bytes for the same path.
//
// URL layout (paths are site-relative; canonical URLs use Options.BaseURL):
//
//	/                                   home            /zh.html
//	/errors/                            all domains     /errors/zh.html
//	/errors/{domain}/                   domain listing  /errors/{domain}/zh.html
//	/errors/{domain}/{slug}/            entry page      .../zh.html
//	/errors/{domain}/{slug}/index.json  entry JSON
//	/errors/{domain}/{slug}/index.md    entry Markdown  .../zh.md
//	/static/style.{hash}.css            the stylesheet (StylesheetPath)
package render

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/catalog"
)

// Lang is a language the site is written in.
type Lang string

// The two languages of every page.
const (
	EN Lang = "en"
	ZH Lang = "zh"
)

// Langs lists the languages, English first.
var Langs = []Lang{EN, ZH}

// ParseLang accepts "en" and "zh".
func ParseLang(s string) (Lang, error) {
	switch Lang(s) {
	case EN, ZH:
		return Lang(s), nil
	}
	return "", fmt.Errorf("unknown language %q (want en or zh)", s)
}

func (l Lang) other() Lang {
	if l == ZH {
		return EN
	}
	return ZH
}

// htmlLang is the value of <html lang> and JSON-LD inLanguage.
func (l Lang) htmlLang() string {
	if l == ZH {
		return "zh-Hans"
	}
	return "en"
}

func (l Lang) ogLocale() string {
	if l == ZH {
		return "zh_CN"
	}
	return "en_US"
}

// DefaultBaseURL is where the public site lives.
const DefaultBaseURL = "https://errorcanon.dev"

// SchemaVersion is the version of entry-schema.md the JSON form follows.
const SchemaVersion = 2

// Options configure a Renderer.
type Options struct {
	// BaseURL is the absolute http(s) URL the site is served under, used for
	// canonical links, hreflang alternates, Open Graph, JSON-LD and the
	// JSON form's urls. Default DefaultBaseURL. Pages link to each other
	// with root-relative paths, so the base URL has no path (a trailing
	// slash is ignored).
	BaseURL string
	// LinksFromRequest is set when no base URL was configured (errorcanon
	// serve without --base-url): BaseURL is then only the canonical
	// address (canonical links, hreflang, sitemaps, the feed, JSON-LD),
	// and every link a client follows (the JSON form's urls, Markdown
	// links, llms.txt) is a root-relative path, so a server on 127.0.0.1
	// links to itself. A server builds absolute links from the request
	// with WithLinkBase.
	LinksFromRequest bool
	// Outcomes supplies outcome reports for the JSON form's stats and the
	// rates shown on pages. Nil means no reports.
	Outcomes Outcomes
	// ReportForms puts "Worked / Didn't work" buttons on every workaround
	// and dead end of entry pages, posting to the entry's OutcomesPath: for
	// a server with a report store, never for a static build.
	ReportForms bool
}

// Renderer renders one catalog. It is safe for concurrent use; the
// catalog must not change while it is in use.
type Renderer struct {
	cat      *catalog.Catalog
	base     string // no trailing slash
	link     string // prefix of followable links: base, "" or the request's
	fromReq  bool   // Options.LinksFromRequest
	outcomes Outcomes
	forms    bool
	// sitemapMax overrides MaxSitemapURLs in tests.
	sitemapMax int
}

// New returns a renderer for the catalog.
func New(c *catalog.Catalog, o Options) (*Renderer, error) {
	if c == nil {
		return nil, errors.New("render: nil catalog")
	}
	base, err := NormalizeBaseURL(o.BaseURL)
	if err != nil {
		return nil, err
	}
	out := o.Outcomes
	if out == nil {
		out = NoOutcomes{}
	}
	link := base
	if o.LinksFromRequest {
		link = ""
	}
	return &Renderer{cat: c, base: base, link: link, fromReq: o.LinksFromRequest, outcomes: out, forms: o.ReportForms}, nil
}

// NormalizeBaseURL checks a base URL and strips its trailing slash; ""
// gives DefaultBaseURL.
func NormalizeBaseURL(s string) (string, error) {
	if s == "" {
		s = DefaultBaseURL
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("render: base URL %q is not an absolute http(s) URL of a host, like %s", s, DefaultBaseURL)
	}
	return strings.TrimRight(s, "/"), nil
}

// BaseURL returns the normalized base URL.
func (r *Renderer) BaseURL() string { return r.base }

// Catalog returns the catalog being rendered.
func (r *Renderer) Catalog() *catalog.Catalog { return r.cat }

// Abs makes a site path absolute under the base URL: the canonical
// address, for canonical links, hreflang, sitemaps and the feed.
func (r *Renderer) Abs(path string) string { return r.base + path }

// Link is a site path as a link a client follows: absolute under the
// base URL, or root-relative when the links come from the request
// (Options.LinksFromRequest), unless WithLinkBase gave a base.
func (r *Renderer) Link(path string) string { return r.link + path }

// LinksFromRequest reports whether Options.LinksFromRequest is set.
func (r *Renderer) LinksFromRequest() bool { return r.fromReq }

// WithLinkBase returns a renderer whose Link puts base (an origin such
// as http://127.0.0.1:8080, no trailing slash) before paths: a server
// answering one request with links built from it. The copy shares
// everything else; it is cheap.
func (r *Renderer) WithLinkBase(base string) *Renderer {
	c := *r
	c.link = base
	return &c
}

// URLs are the five forms of one entry.
type URLs struct {
	HTML   string `json:"html"`
	HTMLZh string `json:"html_zh"`
	JSON   string `json:"json"`
	MD     string `json:"md"`
	MDZh   string `json:"md_zh"`
}

// EntryPaths returns the site paths of an entry's forms.
func EntryPaths(id string) URLs {
	p := "/errors/" + id + "/"
	return URLs{HTML: p, HTMLZh: p + "zh.html", JSON: p + "index.json", MD: p + "index.md", MDZh: p + "zh.md"}
}

// EntryURLs returns the canonical (absolute) URLs of an entry's forms.
func (r *Renderer) EntryURLs(id string) URLs {
	p := EntryPaths(id)
	return URLs{HTML: r.Abs(p.HTML), HTMLZh: r.Abs(p.HTMLZh), JSON: r.Abs(p.JSON), MD: r.Abs(p.MD), MDZh: r.Abs(p.MDZh)}
}

// EntryLinks returns an entry's forms as links a client follows (Link).
func (r *Renderer) EntryLinks(id string) URLs {
	p := EntryPaths(id)
	return URLs{HTML: r.Link(p.HTML), HTMLZh: r.Link(p.HTMLZh), JSON: r.Link(p.JSON), MD: r.Link(p.MD), MDZh: r.Link(p.MDZh)}
}

// OutcomesPath is where an entry page's report buttons post.
func OutcomesPath(id string) string { return "/errors/" + id + "/outcomes" }

// EntryPagePath is the path of an entry's page in a language.
func EntryPagePath(id string, l Lang) string {
	p := EntryPaths(id)
	if l == ZH {
		return p.HTMLZh
	}
	return p.HTML
}

// EntryMarkdownPath is the path of an entry's Markdown in a language.
func EntryMarkdownPath(id string, l Lang) string {
	p := EntryPaths(id)
	if l == ZH {
		return p.MDZh
	}
	return p.MD
}

// DomainPath is the path of a domain's listing in a language.
func DomainPath(domain string, l Lang) string { return langPath("/errors/"+domain+"/", l) }

// DomainsPath is the path of the list of all domains.
func DomainsPath(l Lang) string { return langPath("/errors/", l) }

// HomePath is the path of the home page.
func HomePath(l Lang) string { return langPath("/", l) }

func langPath(dir string, l Lang) string {
	if l == ZH {
		return dir + "zh.html"
	}
	return dir
}

//go:embed assets/style.css
var stylesheet []byte

var stylesheetPath = sync.OnceValue(func() string {
	sum := sha256.Sum256(stylesheet)
	return "/static/style." + hex.EncodeToString(sum[:])[:12] + ".css"
})

// StylesheetPath is the versioned path of the stylesheet: it changes
// whenever the CSS does, so it can be cached forever.
func StylesheetPath() string { return stylesheetPath() }

// Stylesheet returns the CSS served at StylesheetPath.
func Stylesheet() []byte { return stylesheet }

// entry looks an id up in the catalog.
func (r *Renderer) entry(id string) *canon.Entry { return r.cat.Entry(id) }

// domainName is a domain's display name in a language.
func (r *Renderer) domainName(id string, l Lang) string {
	d := r.cat.Domain(id)
	switch {
	case d == nil:
		return id
	case l == ZH && d.NameZh != "":
		return d.NameZh
	}
	return d.Name
}

func (r *Renderer) domainDescription(id string, l Lang) string {
	d := r.cat.Domain(id)
	switch {
	case d == nil:
		return ""
	case l == ZH:
		return d.DescriptionZh
	}
	return d.Description
}

// pick returns the text in a language; an imported entry's untranslated
// Chinese text falls back to English.
func pick(l Lang, en, zh string) string {
	if l == ZH && strings.TrimSpace(zh) != "" {
		return zh
	}
	return en
}
