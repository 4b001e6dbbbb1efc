package render

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/termtext"
)

// entryView is an entry in one language, with every label resolved: the
// HTML page, the Markdown and the text form are all written from it, so
// they carry the same fields. Texts marked "md" are entry Markdown.
type entryView struct {
	Lang, Other Lang
	ID          string
	Title       string // what a person calls the error, in this language
	Signature   string // as the tool prints it
	SignatureZh string
	Regex       string
	Examples    []string

	ErrorCode                      string
	Domain, DomainName             string
	Category, CategoryLabel        string
	Verification, VerifyLabel      string
	Resolvable, ResolvableLabel    string
	FixRate, Confidence            string
	Evidence                       int
	EvidenceItems                  []evidenceView
	FirstSeen, FirstSeenSource     string
	LastVerified                   string
	Record                         *canon.Record // the golden file, when reproduced
	Estimated                      bool          // some rate has no report behind it
	RootCause, RootCauseOther      string        // md
	RootCauseType, RootCauseTypeLb string

	Versions    []versionView
	OS          []osView
	Docs        []string
	Workarounds []workaroundView
	DeadEnds    []deadEndView
	TopFix      *workaroundView
	TopDeadEnd  *deadEndView

	LeadsTo      []relatedView
	PrecededBy   []relatedView
	ConfusedWith []relatedView

	Tags      []string
	Reproduce *canon.Reproduce

	// ReportAction is where the report buttons post; "" for no buttons.
	ReportAction string

	Paths URLs // site paths of the five forms
	URLs  URLs // absolute

	VersionCols versionCols // the versions table's columns with values
	TOC         []tocItem   // nil on a short page
}

type versionView struct {
	Version, Product, Range        string
	Status, StatusLabel            string
	Introduced, Deprecated, Remove string
	Notes, BehaviorChange          string // md
}

type evidenceView struct {
	Kind, KindLabel, URL, Note string
}

type osView struct {
	OS, Label, Note string // Note is md
}

type workaroundView struct {
	N                   int
	Action, How         string // md
	Rate                string // the posterior mean; "est. 85%" until reports exist
	Figure              string // "87% (n=34, 90% interval 78–93%)"
	RateValue           float64
	Reports             int
	Command, Check      string // shell commands, {name} placeholders unfilled
	Tradeoff, Condition string // md
	Sources             []string
}

type deadEndView struct {
	N                        int
	Action, WhyFails         string // md
	Rate                     string
	Figure                   string
	RateValue                float64
	Reports                  int
	Condition, Misconception string // md
	Sources                  []string
}

type relatedView struct {
	ID, Title, Path string
	Probability     string // leads_to, preceded_by
	Note            string // condition or distinction, md
}

// pct formats a rate 0..1 as a whole percentage.
func pct(v float64) string { return fmt.Sprintf("%d%%", int(math.Round(v*100))) }

// ratePct formats a workaround's or dead end's rate: a rate that no
// outcome report has moved is the editor's estimate and says so.
func ratePct(l Lang, v float64, reports int) string {
	if reports > 0 {
		return pct(v)
	}
	return must(tf(l, "est_pct", pct(v)))
}

// must drops the error of a lookup of a key that is known to exist (the
// strings tests check every key in both languages).
func must(s string, _ error) string { return s }

// Title is what a person calls the entry's error, in a language; entries
// without one (tests, imports) fall back to the signature.
func Title(e *canon.Entry, l Lang) string {
	if t := pick(l, e.Title, e.TitleZh); t != "" {
		return t
	}
	return pick(l, e.Signature, e.SignatureZh)
}

func (r *Renderer) view(e *canon.Entry, l Lang) *entryView {
	v := &entryView{
		Lang: l, Other: l.other(), ID: e.ID,
		Title:     Title(e, l),
		Signature: e.Signature, SignatureZh: e.SignatureZh, Regex: e.Regex,
		Examples: e.Examples,
		Domain:   e.Domain, DomainName: r.domainName(e.Domain, l),
		Category: e.Category, CategoryLabel: label(l, "cat_", e.Category),
		Verification: e.Verification, VerifyLabel: label(l, "ver_", e.Verification),
		Resolvable: e.Resolvable, ResolvableLabel: label(l, "res_", e.Resolvable),
		Confidence: pct(e.Confidence), Evidence: e.EvidenceCount,
		FirstSeen: e.FirstSeen, FirstSeenSource: e.FirstSeenSource, LastVerified: e.LastVerified,
		RootCause:      pick(l, e.RootCause, e.RootCauseZh),
		RootCauseOther: pick(l.other(), e.RootCause, e.RootCauseZh),
		RootCauseType:  e.RootCauseType, RootCauseTypeLb: label(l, "rct_", e.RootCauseType),
		Docs:      e.Docs,
		Tags:      e.Tags,
		Reproduce: e.Reproduce,
		Paths:     EntryPaths(e.ID),
		URLs:      r.EntryURLs(e.ID),
	}
	if e.ErrorCode != nil {
		v.ErrorCode = *e.ErrorCode
	}
	if r.forms {
		v.ReportAction = OutcomesPath(e.ID)
	}
	if e.Reproduced() {
		v.Record = e.Record
	}
	for _, ev := range e.Evidence {
		v.EvidenceItems = append(v.EvidenceItems, evidenceView{Kind: ev.Kind, KindLabel: label(l, "ev_", ev.Kind), URL: ev.URL, Note: pick(l, ev.Note, ev.NoteZh)})
	}
	for _, ver := range e.Versions {
		vv := versionView{
			Version: ver.Version, Product: ver.Product, Range: ver.Range,
			Status: ver.Status, StatusLabel: label(l, "st_", ver.Status),
			Notes:          pick(l, ver.Notes, ver.NotesZh),
			BehaviorChange: pick(l, ver.BehaviorChange, ver.BehaviorChangeZh),
		}
		vv.Introduced, vv.Deprecated, vv.Remove = deref(ver.Introduced), deref(ver.Deprecated), deref(ver.Removed)
		v.Versions = append(v.Versions, vv)
	}
	for _, name := range canon.OSNames {
		if n, ok := e.OSSpecific[name]; ok {
			v.OS = append(v.OS, osView{OS: name, Label: label(l, "os_", name), Note: pick(l, n.Note, n.NoteZh)})
		}
	}
	// OS names outside the vocabulary (not valid, but never dropped silently).
	var others []string
	for name := range e.OSSpecific {
		if !contains(canon.OSNames, name) {
			others = append(others, name)
		}
	}
	sort.Strings(others)
	for _, name := range others {
		n := e.OSSpecific[name]
		v.OS = append(v.OS, osView{OS: name, Label: name, Note: pick(l, n.Note, n.NoteZh)})
	}

	st := r.Stats(e)
	v.Estimated = st.Estimated()
	v.Evidence += st.Reports
	// Workarounds in the order of Stats.Order (by the lower bound once
	// reports exist), each keeping its catalog number.
	for _, n := range st.Order {
		w, s := e.Workarounds[n-1], st.Workarounds[n-1]
		v.Workarounds = append(v.Workarounds, workaroundView{
			N: n, Action: pick(l, w.Action, w.ActionZh), How: pick(l, w.How, w.HowZh),
			Rate: ratePct(l, s.Rate, s.Reports), Figure: Figure(l, s), RateValue: s.Rate, Reports: s.Reports,
			Command: w.Command, Check: w.Check,
			Tradeoff:  pick(l, w.Tradeoff, w.TradeoffZh),
			Condition: pick(l, w.Condition, w.ConditionZh),
			Sources:   w.Sources,
		})
	}
	for i, d := range e.DeadEnds {
		s := st.DeadEnds[i]
		v.DeadEnds = append(v.DeadEnds, deadEndView{
			N: i + 1, Action: pick(l, d.Action, d.ActionZh), WhyFails: pick(l, d.WhyFails, d.WhyFailsZh),
			Rate: ratePct(l, s.Rate, s.Reports), Figure: Figure(l, s), RateValue: s.Rate, Reports: s.Reports,
			Condition:     pick(l, d.Condition, d.ConditionZh),
			Misconception: pick(l, d.CommonMisconception, d.CommonMisconceptionZh),
			Sources:       d.Sources,
		})
	}
	// The verdict: the best fix (Stats.best) and the likeliest dead end
	// (first on ties).
	if b := st.best(); b >= 0 {
		for i := range v.Workarounds {
			if v.Workarounds[i].N == b+1 {
				v.TopFix = &v.Workarounds[i]
			}
		}
	}
	// The fix rate is the likeliest fix's rate, labelled like it.
	v.FixRate = "—"
	if v.TopFix != nil {
		v.FixRate = v.TopFix.Rate
	}
	for i := range v.DeadEnds {
		if v.TopDeadEnd == nil || v.DeadEnds[i].RateValue > v.TopDeadEnd.RateValue {
			v.TopDeadEnd = &v.DeadEnds[i]
		}
	}

	for _, x := range e.Related.LeadsTo {
		if rv, ok := r.related(x.ID, l); ok {
			rv.Probability = pct(x.Probability)
			rv.Note = pick(l, x.Condition, x.ConditionZh)
			v.LeadsTo = append(v.LeadsTo, rv)
		}
	}
	for _, x := range e.Related.PrecededBy {
		if rv, ok := r.related(x.ID, l); ok {
			rv.Probability = pct(x.Probability)
			v.PrecededBy = append(v.PrecededBy, rv)
		}
	}
	for _, x := range e.Related.ConfusedWith {
		if rv, ok := r.related(x.ID, l); ok {
			rv.Note = pick(l, x.Distinction, x.DistinctionZh)
			v.ConfusedWith = append(v.ConfusedWith, rv)
		}
	}
	v.VersionCols, v.TOC = columnsOf(v.Versions), toc(v, l)
	return v
}

// related resolves a link to another entry; links to entries that are not
// in the catalog are left out, so nothing points nowhere.
func (r *Renderer) related(id string, l Lang) (relatedView, bool) {
	o := r.entry(id)
	if o == nil {
		return relatedView{}, false
	}
	return relatedView{ID: id, Title: Title(o, l), Path: EntryPagePath(id, l)}, true
}

// HasRelated reports whether the entry links to any other.
func (v *entryView) HasRelated() bool {
	return len(v.LeadsTo)+len(v.PrecededBy)+len(v.ConfusedWith) > 0
}

// OtherPagePath is the path of the page in the other language.
func (v *entryView) OtherPagePath() string { return EntryPagePath(v.ID, v.Other) }

// MarkdownPath is the path of the Markdown in this language.
func (v *entryView) MarkdownPath() string { return EntryMarkdownPath(v.ID, v.Lang) }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func contains(set []string, s string) bool {
	for _, v := range set {
		if v == s {
			return true
		}
	}
	return false
}

// oneLine folds a text onto one line (for headings and list items in
// Markdown and text output). Line breaks between two Chinese characters
// vanish instead of becoming spaces.
func oneLine(s string) string {
	var b strings.Builder
	for _, f := range strings.Fields(s) {
		if b.Len() > 0 {
			last, _ := utf8.DecodeLastRuneInString(b.String())
			first, _ := utf8.DecodeRuneInString(f)
			if !termtext.IsCJK(last) || !termtext.IsCJK(first) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(f)
	}
	return b.String()
}
