// The search page, and the index's hits and snippets as the page and the
// API show them.

package render

import (
	"html"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/errorcanon/errorcanon/internal/browse"
	"github.com/errorcanon/errorcanon/internal/lazyregexp"
	"github.com/errorcanon/errorcanon/internal/search"
)

// SearchForm is what the search page shows. The renderer does not search:
// the caller does, with internal/search, and passes the hits (SearchHits
// turns the index's hits into these). The search box is limited to
// search.MaxQueryBytes.
type SearchForm struct {
	Query string
	// Filters narrows the search (Domain, Category, Verification,
	// Resolvable) and pages it (Page, PerPage).
	Filters browse.Query
	Total   int // hits on all pages
	Hits    []SearchHit
	// Err is shown instead of results (a refused query); Unavailable says
	// the server has no search index.
	Err         string
	Unavailable bool
}

// SearchHit is one entry found, with highlighted snippets.
type SearchHit struct {
	ID       string
	Snippets []Snippet
}

// Snippet is a piece of one field's text, with the parts that matched the
// query marked. Parts are plain text: the template escapes them and wraps
// marked ones in <mark>.
type Snippet struct {
	Field string        `json:"field"`
	Parts []SnippetPart `json:"parts"`
}

// SnippetPart is a run of text, matched or not.
type SnippetPart struct {
	Text string `json:"text"`
	Mark bool   `json:"mark,omitempty"`
}

// SearchHits turns the index's hits into the page's.
func SearchHits(hs []search.Hit) []SearchHit {
	var out []SearchHit
	for _, h := range hs {
		out = append(out, SearchHit{ID: h.ID, Snippets: Snippets(h.Snippets)})
	}
	return out
}

// Snippets turns the index's snippets (escaped HTML with <mark> around
// matched words) into plain-text parts, for a page and for JSON.
func Snippets(ss []search.Snippet) []Snippet {
	var out []Snippet
	for _, s := range ss {
		out = append(out, Snippet{Field: s.Field, Parts: markedParts(s.HTML)})
	}
	return out
}

// Snippets are cut from entry Markdown: its code fences and emphasis
// marks are noise in a one-line fragment.
var (
	fenceInfo     = lazyregexp.New("```+[A-Za-z0-9_+-]*")
	markdownMarks = strings.NewReplacer("`", "", "**", "")
)

// markedParts turns a snippet of escaped HTML with <mark> around matched
// words into plain-text parts: the page's template escapes them again and
// draws its own <mark>, so no HTML from the index reaches a page as is.
func markedParts(s string) []SnippetPart {
	var parts []SnippetPart
	add := func(text string, mark bool) {
		if text = markdownMarks.Replace(fenceInfo.ReplaceAllString(html.UnescapeString(text), "")); text != "" {
			parts = append(parts, SnippetPart{Text: text, Mark: mark})
		}
	}
	for s != "" {
		i := strings.Index(s, "<mark>")
		if i < 0 {
			add(s, false)
			break
		}
		add(s[:i], false)
		s = s[i+len("<mark>"):]
		j := strings.Index(s, "</mark>")
		if j < 0 {
			add(s, true)
			break
		}
		add(s[:j], true)
		s = s[j+len("</mark>"):]
	}
	return parts
}

type searchView struct {
	Query, Action, Lang string
	Filters             []filterView
	Count, Err          string
	Hits                []searchHitView
	Pager               *pagerView
	Asked               bool
}

type searchHitView struct {
	listItem
	Snippets []snippetView
}

type snippetView struct {
	Field string
	Parts []SnippetPart
}

// SearchHTML writes a search results page. It is never indexed.
func (r *Renderer) SearchHTML(w io.Writer, f SearchForm, l Lang) error {
	title := ui(l)["search_title"]
	p := r.newPage(l, title+" · ErrorCanon")
	p.NoIndex = true
	p.Script = ScriptPath()
	p.SearchQuery = f.Query
	q := f.Filters.Normalize()
	o := l.other()
	p.Switch = &link{Href: SearchPath + searchQuery(f.Query, q, o, q.Page), Label: autonym[o], Hreflang: string(o), HTMLLang: o.htmlLang()}
	p.Crumbs = []link{{Href: HomePath(l), Label: ui(l)["nav_home"]}}
	sv := &searchView{Query: f.Query, Action: SearchPath, Lang: string(l), Err: f.Err, Asked: f.Query != "" && f.Err == ""}
	if f.Unavailable {
		sv.Err = ui(l)["search_unavailable"]
		sv.Asked = false
	}
	// The domain filter, then the listing's filters without the sort.
	dom := filterView{Name: "domain", Label: ui(l)["badge_domain"], Options: []optionView{{Value: "", Label: ui(l)["filter_any"], Selected: q.Domain == ""}}}
	for _, d := range r.cat.Domains {
		if len(r.cat.InDomain(d.ID)) > 0 || d.ID == q.Domain {
			dom.Options = append(dom.Options, optionView{Value: d.ID, Label: r.domainName(d.ID, l), Selected: d.ID == q.Domain})
		}
	}
	fs := r.filters(q, r.cat.Entries, l)
	sv.Filters = append([]filterView{dom}, fs[:len(fs)-1]...)
	var err error
	if sv.Asked {
		if sv.Count, err = tfn(l, "search_n", f.Total); err != nil {
			return err
		}
	}
	for _, h := range f.Hits {
		e := r.entry(h.ID)
		if e == nil {
			continue
		}
		it, err := r.item(e, l, true)
		if err != nil {
			return err
		}
		hv := searchHitView{listItem: it}
		for _, s := range h.Snippets {
			hv.Snippets = append(hv.Snippets, snippetView{Field: label(l, "field_", strings.TrimSuffix(s.Field, "_zh")), Parts: s.Parts})
		}
		sv.Hits = append(sv.Hits, hv)
	}
	if pages := (f.Total + q.PerPage - 1) / q.PerPage; sv.Asked && pages > 1 {
		pg := &pagerView{}
		if pg.Label, err = tf(l, "page_of", q.Page, pages); err != nil {
			return err
		}
		if q.Page > 1 {
			pg.Prev = SearchPath + searchQuery(f.Query, q, l, q.Page-1)
		}
		if q.Page < pages {
			pg.Next = SearchPath + searchQuery(f.Query, q, l, q.Page+1)
		}
		sv.Pager = pg
	}
	p.Search = sv
	return p.write(w)
}

// searchQuery is the query string of a search page.
func searchQuery(query string, q browse.Query, l Lang, page int) string {
	v := url.Values{}
	if query != "" {
		v.Set("q", query)
	}
	v.Set("lang", string(l))
	for k, s := range map[string]string{"domain": q.Domain, "category": q.Category, "verification": q.Verification, "resolvable": q.Resolvable} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return "?" + v.Encode()
}
