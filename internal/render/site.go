package render

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"sync"

	"github.com/errorcanon/errorcanon/internal/browse"
	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/match"
)

// Paths of the site's other pages. The match and search pages take their
// input from the request; the others exist in a static build as well.
const (
	MatchPath  = "/match"
	SearchPath = "/search"
)

// StatsPath is the path of the figures page in a language.
func StatsPath(l Lang) string { return langPath("/stats/", l) }

//go:embed assets/app.js
var script []byte

//go:embed assets/icon.svg
var icon []byte

// IconPath is the site's icon (also served at /favicon.ico).
const IconPath = "/favicon.svg"

// Icon returns the SVG served at IconPath.
func Icon() []byte { return icon }

var scriptPath = sync.OnceValue(func() string {
	sum := sha256.Sum256(script)
	return "/static/app." + hex.EncodeToString(sum[:])[:12] + ".js"
})

// ScriptPath is the versioned path of the site's one script (the home
// page's as-you-type matching and the listings' auto-submitting filters).
// Pages work without it.
func ScriptPath() string { return scriptPath() }

// Script returns the JavaScript served at ScriptPath.
func Script() []byte { return script }

// Home page sizes.
const (
	homeRecent = 8
)

// figure is a headline number: its value links to what it counts, its
// label to the methodology page's section that says how it is computed.
type figure struct{ Label, Value, Href, About string }

type homeView struct {
	Domains []domainView
	Example string
	Figures []figure
	Recent  []listItem
	Paste   pasteForm
}

// pasteForm is the box that takes an error or a log.
type pasteForm struct {
	Action, Lang, Text string
	MaxBytes           int
}

type filterView struct {
	Name, Label string
	Options     []optionView
}

type optionView struct {
	Value, Label string
	Selected     bool
}

type pagerView struct {
	Prev, Next, Label string
}

func (r *Renderer) item(e *canon.Entry, l Lang, withDomain bool) (listItem, error) {
	it := listItem{
		ID: e.ID, Title: Title(e, l), Path: EntryPagePath(e.ID, l),
		Category: label(l, "cat_", e.Category), Resolvable: e.Resolvable, ResolvableLabel: label(l, "res_", e.Resolvable),
		Verification: e.Verification, VerifyLabel: label(l, "ver_", e.Verification),
		FirstSeen: e.FirstSeen, LastVerified: e.LastVerified,
		CategoryID: e.Category, FixRateValue: e.FixRate, ConfidenceValue: e.Confidence,
	}
	var err error
	if it.FixRate, err = tf(l, "list_fix_rate", r.fixRateText(e, l)); err != nil {
		return it, err
	}
	if it.Confidence, err = tf(l, "list_confidence", pct(e.Confidence)); err != nil {
		return it, err
	}
	if e.ErrorCode != nil {
		it.ErrorCode = *e.ErrorCode
	}
	if withDomain {
		it.DomainName = r.domainName(e.Domain, l)
	}
	return it, nil
}

// ListingHTML writes a listing: one domain's entries (q.Domain set) or
// all domains with all entries (/errors/), filtered, sorted and paged by
// q. Unknown filter values select nothing; the server checks them first.
func (r *Renderer) ListingHTML(w io.Writer, q browse.Query, l Lang) error {
	all := q.Domain == ""
	if !all && r.cat.Domain(q.Domain) == nil {
		return fmt.Errorf("render: no domain %q", q.Domain)
	}
	res := browse.SelectBy(r.cat, q, r.FixRate)
	q = res.Query
	var heading, path, enPath, zhPath string
	var err error
	if all {
		heading, err = t(l, "errors_title")
		enPath, zhPath = DomainsPath(EN), DomainsPath(ZH)
	} else {
		heading, err = tf(l, "domain_title", r.domainName(q.Domain, l))
		enPath, zhPath = DomainPath(q.Domain, EN), DomainPath(q.Domain, ZH)
	}
	if err != nil {
		return err
	}
	path = pick(l, enPath, zhPath)
	p := r.newPage(l, heading+" · ErrorCanon")
	p.Script = ScriptPath()
	if all {
		p.Description = ui(l)["errors_lead"]
		if p.DomainList, err = r.domainViews(l); err != nil {
			return err
		}
		if p.Total, err = r.total(l); err != nil {
			return err
		}
		p.Crumbs = []link{{Href: HomePath(l), Label: ui(l)["nav_home"]}}
	} else {
		p.Description = r.domainDescription(q.Domain, l)
		p.Crumbs = r.crumbs(l, "")
	}
	var scope []*canon.Entry
	if all {
		scope = r.cat.Entries
	} else {
		scope = r.cat.InDomain(q.Domain)
	}
	lv := &listingView{Title: heading, Description: p.Description, All: all, Action: path, Filtered: q.Filtered()}
	if lv.Count, err = tfn(l, "entries_n", len(scope)); err != nil {
		return err
	}
	if lv.Filtered {
		if lv.Shown, err = tf(l, "shown_n", res.Total, len(scope)); err != nil {
			return err
		}
	}
	lv.Filters = r.filters(q, scope, l)
	for _, e := range res.Entries {
		it, err := r.item(e, l, all)
		if err != nil {
			return err
		}
		lv.Entries = append(lv.Entries, it)
	}
	if res.Pages > 1 {
		pg := &pagerView{}
		if pg.Label, err = tf(l, "page_of", q.Page, res.Pages); err != nil {
			return err
		}
		if q.Page > 1 {
			pg.Prev = path + listQuery(q, q.Page-1)
		}
		if q.Page < res.Pages {
			pg.Next = path + listQuery(q, q.Page+1)
		}
		lv.Pager = pg
	}
	p.Listing = lv
	r.alternates(p, enPath, zhPath, "website")
	if lv.Filtered {
		// A filtered, reordered or later page is the same content as the
		// canonical listing: keep it out of indexes, keep the filters when
		// switching language.
		p.NoIndex = true
		p.Switch.Href += listQuery(q, q.Page)
	}
	if p.JSONLD, err = jsonLD(r.collectionLD(p, res.Entries, l)); err != nil {
		return err
	}
	return p.write(w)
}

// listQuery is the query string of a listing page, without the defaults.
func listQuery(q browse.Query, page int) string {
	v := url.Values{}
	for k, s := range map[string]string{"category": q.Category, "verification": q.Verification, "resolvable": q.Resolvable} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if q.Sort != "" && q.Sort != browse.SortName {
		v.Set("sort", string(q.Sort))
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if q.PerPage != 0 && q.PerPage != browse.DefaultPerPage {
		v.Set("per_page", strconv.Itoa(q.PerPage))
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// filters builds the filter form's selects; a filter offers the values
// that occur in scope, and the selected one even when it does not.
func (r *Renderer) filters(q browse.Query, scope []*canon.Entry, l Lang) []filterView {
	present := map[string]bool{}
	for _, e := range scope {
		present["category:"+e.Category] = true
		present["verification:"+e.Verification] = true
		present["resolvable:"+e.Resolvable] = true
	}
	mk := func(name, labelKey, prefix, selected string, set []string) filterView {
		f := filterView{Name: name, Label: ui(l)[labelKey], Options: []optionView{{Value: "", Label: ui(l)["filter_any"], Selected: selected == ""}}}
		for _, v := range set {
			if present[name+":"+v] || v == selected {
				f.Options = append(f.Options, optionView{Value: v, Label: label(l, prefix, v), Selected: v == selected})
			}
		}
		return f
	}
	out := []filterView{
		mk("category", "filter_category", "cat_", q.Category, canon.Categories),
		mk("verification", "filter_verification", "ver_", q.Verification, canon.Verifications),
		mk("resolvable", "filter_resolvable", "res_", q.Resolvable, canon.Resolvables),
	}
	s := filterView{Name: "sort", Label: ui(l)["filter_sort"]}
	for _, v := range browse.Sorts {
		s.Options = append(s.Options, optionView{Value: string(v), Label: ui(l)["sort_"+string(v)], Selected: v == q.Sort})
	}
	return append(out, s)
}

// figures are the home page's headline numbers.
func (r *Renderer) figures(l Lang) []figure {
	s := browse.ComputeWith(r.cat, r.FixRate)
	stats := StatsPath(l)
	return []figure{
		{ui(l)["fig_entries"], strconv.Itoa(s.Entries), DomainsPath(l), aboutHref(l, AboutEntry)},
		{ui(l)["fig_domains"], strconv.Itoa(s.Domains), DomainsPath(l), aboutHref(l, AboutEntry)},
		{ui(l)["fig_reproduced"], strconv.Itoa(s.Reproduced), DomainsPath(l) + "?verification=reproduced", aboutHref(l, AboutVerification)},
		{ui(l)["fig_workarounds"], strconv.Itoa(s.Workarounds), stats, aboutHref(l, AboutEntry)},
		{ui(l)["fig_dead_ends"], strconv.Itoa(s.DeadEnds), stats, aboutHref(l, AboutEntry)},
		{ui(l)["fig_mean_fix"], pct(s.MeanFixRate), stats, aboutHref(l, "fix-rate")},
	}
}

// MatchForm is what the results page shows: the text that was matched
// (or refused) and its results.
type MatchForm struct {
	Text    string
	Results []match.Summary
	// Err is a message for the visitor when the text was refused (empty,
	// too large); it is shown instead of results.
	Err string
	// SubmitMax, when above zero, offers to send a text nothing explains
	// to the moderators (the server keeps submissions); a longer text is
	// cut to its last SubmitMax bytes, where a log's failure usually is.
	SubmitMax int
}

type resultsView struct {
	Paste   pasteForm
	Err     string
	Count   string
	Results []resultView
	Asked   bool
	// Known: the results explain the text (a regex matched). Otherwise
	// they are look-alikes, listed by title and link only.
	Known bool
	// Submit is the submission form's path, offered when nothing is
	// known, with the text it is sent (SubmitText); empty when the
	// server keeps no submissions.
	Submit, SubmitText string
}

type resultView struct {
	ID, Title, Path, Kind, KindLabel string
	Domain, Category                 string
	Line                             int
	Text                             string // the matched text
	Score, FixRate                   string
	DeadEnd, DeadEndRate             string
	Fix, FixRateStep, Command        string
}

// maxSwitchText is the longest text the results page's language switch
// carries in its link (GET /match?q=, well inside a request line); the
// script posts longer texts, and without it a longer text is dropped.
const maxSwitchText = 8 << 10

// switchHref is the results page's language switch: the same text
// matched in language o, or o's home page when there is no text or it is
// too long for a link.
func switchHref(text string, o Lang) string {
	if text == "" || len(text) > maxSwitchText {
		return HomePath(o)
	}
	return MatchPath + "?" + url.Values{"q": {text}, "lang": {string(o)}}.Encode()
}

// MatchHTML writes the results page of the paste box: the box again,
// holding the text, and the entries that explain it. It is never indexed.
func (r *Renderer) MatchHTML(w io.Writer, f MatchForm, l Lang) error {
	title := ui(l)["results_title"]
	p := r.newPage(l, title+" · ErrorCanon")
	p.Script = ScriptPath()
	p.NoIndex = true
	o := l.other()
	p.Switch = &link{Href: switchHref(f.Text, o), Label: autonym[o], Hreflang: string(o), HTMLLang: o.htmlLang(), Keep: true}
	p.Crumbs = []link{{Href: HomePath(l), Label: ui(l)["nav_home"]}}
	rv := &resultsView{Paste: pasteForm{Action: MatchPath, Lang: string(l), Text: f.Text, MaxBytes: match.MaxInput}, Err: f.Err, Asked: f.Err == ""}
	var err error
	rv.Known = match.KnownSummaries(f.Results)
	if f.SubmitMax > 0 && !rv.Known && f.Err == "" {
		rv.Submit, rv.SubmitText = SubmitPath(EN), Tail(f.Text, f.SubmitMax)
	}
	if f.Err == "" {
		if rv.Count, err = tfn(l, "results_n", len(f.Results)); err != nil {
			return err
		}
	}
	for _, s := range f.Results {
		v := resultView{
			ID: s.ID, Path: EntryPagePath(s.ID, l), Kind: string(s.Kind), KindLabel: label(l, "kind_", string(s.Kind)),
			Domain: r.domainName(s.Domain, l), Category: label(l, "cat_", s.Category),
			Score: pct(s.Score.Total), FixRate: pct(s.FixRate),
		}
		e := r.entry(s.ID)
		if e != nil {
			v.Title = Title(e, l)
			v.FixRate = r.fixRateText(e, l)
		} else {
			v.Title = s.Signature
		}
		if s.Span != nil {
			v.Line, v.Text = s.Span.Line, s.Span.Text
		}
		if len(s.DeadEnds) > 0 {
			v.DeadEnd, v.DeadEndRate = s.DeadEnds[0].Action, ratePct(l, s.DeadEnds[0].FailRate, 0)
		}
		if len(s.Workarounds) > 0 {
			v.Fix, v.FixRateStep, v.Command = s.Workarounds[0].Action, ratePct(l, s.Workarounds[0].SuccessRate, 0), s.Workarounds[0].Command
		}
		if e != nil {
			r.liveSteps(&v, e, l)
		}
		rv.Results = append(rv.Results, v)
	}
	p.Results = rv
	return p.write(w)
}

// StatsHTML writes the figures page: charts of the catalog with their
// numbers in tables.
func (r *Renderer) StatsHTML(w io.Writer, l Lang) error {
	title := ui(l)["stats_title"]
	p := r.newPage(l, title+" · ErrorCanon")
	p.Description = ui(l)["stats_lead"]
	p.Crumbs = []link{{Href: HomePath(l), Label: ui(l)["nav_home"]}}
	s := browse.ComputeWith(r.cat, r.FixRate)
	p.Stats = r.statsView(s, l)
	var err error
	if p.Total, err = r.total(l); err != nil {
		return err
	}
	r.alternates(p, StatsPath(EN), StatsPath(ZH), "website")
	ld := map[string]any{
		"@context": "https://schema.org", "@type": "Dataset",
		"name": title + " · ErrorCanon", "description": p.Description, "url": p.Canonical, "inLanguage": l.htmlLang(),
		"creator":          map[string]any{"@type": "Organization", "name": "ErrorCanon", "url": r.base + "/"},
		"distribution":     map[string]any{"@type": "DataDownload", "encodingFormat": "application/json", "contentUrl": r.Abs("/api/v1/stats")},
		"variableMeasured": []string{"entries per domain", "entries per category", "fix rate", "confidence", "verification level"},
	}
	if p.JSONLD, err = jsonLD(ld); err != nil {
		return err
	}
	return p.write(w)
}
