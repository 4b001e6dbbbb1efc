package canon

// This file holds Validate: the rules one entry meets on its own, checked
// field by field, each section a method of checker. Rules on texts, on the
// regex and across entries are in rules_text.go, rules_regex.go and
// catalog_rules.go.

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/errorcanon/errorcanon/internal/lazyregexp"
)

// Problem is one broken rule. Field is a path into the entry such as
// "workarounds[1].how_zh"; the catalog loader turns it into a file line.
type Problem struct {
	ID    string // entry id, empty for catalog-wide problems
	Field string
	Msg   string
}

func (p Problem) String() string {
	if p.Field == "" {
		return p.Msg
	}
	return p.Field + ": " + p.Msg
}

type checker struct {
	id       string
	problems []Problem
	// imported: the entry came from another knowledge base (Source set),
	// so its Chinese texts and a workaround's steps may be missing.
	imported bool
}

func (c *checker) add(field, format string, args ...any) {
	c.problems = append(c.problems, Problem{ID: c.id, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// Validate checks one entry against the schema and quality rules 1, 2, 5, 6
// (what can be checked mechanically) and 7. domains is the set of known
// domain ids. Rules that need the whole catalog are in ValidateCatalog.
func Validate(e *Entry, domains map[string]bool) []Problem {
	c := &checker{id: e.ID, imported: e.Source != nil}
	c.identity(e, domains)
	c.source(e.Source)
	c.title(e)
	c.recognition(e)
	c.verdict(e)
	c.explanation(e)
	c.advice(e)
	c.reproduce(e)
	return c.problems
}

func (c *checker) identity(e *Entry, domains map[string]bool) {
	d, slug, ok := SplitID(e.ID)
	switch {
	case e.ID == "":
		c.add("id", "is empty")
	case !ok:
		c.add("id", "%q is not {domain}/{slug} with a slug matching ^[a-z0-9]+(-[a-z0-9]+)*$ of at most %d characters", e.ID, MaxSlugLen)
	case d != e.Domain:
		c.add("id", "domain part %q differs from domain %q", d, e.Domain)
	}
	_ = slug
	if e.Domain == "" {
		c.add("domain", "is empty")
	} else if !domains[e.Domain] {
		c.add("domain", "%q is not in the catalog's domain list", e.Domain)
	}
	if !oneOf(e.Category, Categories) {
		c.add("category", "%q is not one of %s", e.Category, strings.Join(Categories, ", "))
	}
	if e.Subcategory != nil && !snakeRE.MatchString(*e.Subcategory) {
		c.add("subcategory", "%q is not lower_snake_case", *e.Subcategory)
	}
	if e.ErrorCode != nil && strings.TrimSpace(*e.ErrorCode) == "" {
		c.add("error_code", "is blank; omit it or use null")
	}
	for i, t := range e.Tags {
		if !tagRE.MatchString(t) {
			c.add(fmt.Sprintf("tags[%d]", i), "%q is not a lowercase tag", t)
		}
	}
}

// MaxTitle bounds a title, in characters.
const MaxTitle = 120

var markdownRE = lazyregexp.New("`|\\*\\*|__|\\]\\(|^#+ |^> ")

func (c *checker) title(e *Entry) {
	c.text("title", e.Title, "title_zh", e.TitleZh)
	for _, t := range [][2]string{{"title", e.Title}, {"title_zh", e.TitleZh}} {
		switch {
		case len([]rune(t[1])) > MaxTitle:
			c.add(t[0], "is %d characters; at most %d", len([]rune(t[1])), MaxTitle)
		case placeholderRE.MatchString(t[1]):
			c.add(t[0], "holds a <placeholder>; a title names the error in words, the signature shows the text")
		case markdownRE.MatchString(t[1]):
			c.add(t[0], "holds Markdown; titles are plain text on every surface")
		case strings.ContainsAny(t[1], "\n\r"):
			c.add(t[0], "spans lines; keep it on one")
		}
	}
}

func (c *checker) recognition(e *Entry) {
	c.text("signature", e.Signature, "signature_zh", e.SignatureZh)
	if len(e.Examples) == 0 {
		c.add("examples", "needs at least one verbatim error text")
	}
	for i, ex := range e.Examples {
		if strings.TrimSpace(ex) == "" {
			c.add(fmt.Sprintf("examples[%d]", i), "is empty")
		}
	}
	if e.Regex == "" {
		c.add("regex", "is empty")
		return
	}
	re, err := regexp.Compile(e.Regex)
	if err != nil {
		c.add("regex", "does not compile as RE2: %v", err)
		return
	}
	if bareDotStarEnd(e.Regex) {
		c.add("regex", "starts or ends with a bare .*; anchor it on the error's own words")
	}
	for i, ex := range e.Examples {
		if ex != "" && !re.MatchString(ex) {
			c.add(fmt.Sprintf("examples[%d]", i), "is not matched by regex")
		}
	}
	if e.Signature == "" || len(e.Examples) == 0 {
		return
	}
	// The signature must be what a tool prints, not a paraphrase: with its
	// placeholders filled in it must occur in an example, and the regex must
	// match it filled in that way.
	filled, ok := fillSignature(e.Signature, e.Examples)
	if !ok {
		c.add("signature", "with its <placeholders> filled in, occurs in no example; quote the tool's text verbatim")
	} else if !re.MatchString(filled) {
		c.add("regex", "does not match the signature filled in from the examples: %q", filled)
	}
}

func (c *checker) verdict(e *Entry) {
	if !oneOf(e.Resolvable, Resolvables) {
		c.add("resolvable", "%q is not one of \"true\", \"partial\", \"false\"", e.Resolvable)
	}
	c.rate("confidence", e.Confidence)
	// fix_rate is derived from the workarounds, so these rules are about
	// the workarounds' rates agreeing with the verdict.
	if e.Resolvable == "true" && e.FixRate < 0.7 {
		c.add("resolvable", "\"true\" needs a workaround with success_rate >= 0.7; the best has %.2f", e.FixRate)
	}
	if e.Resolvable == "false" && e.FixRate >= 0.2 {
		c.add("resolvable", "\"false\" needs every workaround's success_rate < 0.2; the best has %.2f", e.FixRate)
	}
	if !e.Reproduced() && e.EvidenceCount < 3 && e.Confidence > 0.3 {
		c.add("confidence", "is %.2f; at most 0.3 while the entry is not reproduced and has %d evidence item(s) (3 needed)", e.Confidence, e.EvidenceCount)
	}
	for i, ev := range e.Evidence {
		f := fmt.Sprintf("evidence[%d]", i)
		if !oneOf(ev.Kind, EvidenceKinds) {
			c.add(f+".kind", "%q is not one of %s", ev.Kind, strings.Join(EvidenceKinds, ", "))
		}
		c.url(f+".url", ev.URL)
		c.text(f+".note", ev.Note, f+".note_zh", ev.NoteZh)
	}
	switch {
	case e.FirstSeen != "":
		if _, ok := c.date("first_seen", e.FirstSeen); ok && e.FirstSeenSource == "" {
			c.add("first_seen", "has no first_seen_source; cite the release notes, changelog or commit that introduced the text, or remove the date")
		}
		if e.FirstSeenSource != "" {
			c.url("first_seen_source", e.FirstSeenSource)
		}
	case e.FirstSeenSource != "":
		c.add("first_seen_source", "is set without first_seen")
	}
}

func (c *checker) explanation(e *Entry) {
	c.text("root_cause", e.RootCause, "root_cause_zh", e.RootCauseZh)
	if n := len([]rune(strings.TrimSpace(e.RootCause))); n > 0 && n < 40 {
		c.add("root_cause", "is %d characters; name the mechanism, not just a label", n)
	}
	if !oneOf(e.RootCauseType, RootCauseTypes) {
		c.add("root_cause_type", "%q is not one of %s", e.RootCauseType, strings.Join(RootCauseTypes, ", "))
	}
	for i, v := range e.Versions {
		f := fmt.Sprintf("versions[%d]", i)
		if strings.TrimSpace(v.Version) == "" {
			c.add(f+".version", "is empty")
		}
		if strings.TrimSpace(v.Product) == "" {
			c.add(f+".product", "is empty")
		}
		if err := checkRange(v.Range); err != nil {
			c.add(f+".range", "%v", err)
		}
		if !oneOf(v.Status, VersionStates) {
			c.add(f+".status", "%q is not one of %s", v.Status, strings.Join(VersionStates, ", "))
		}
		c.optText(f+".behavior_change", v.BehaviorChange, f+".behavior_change_zh", v.BehaviorChangeZh)
		c.optText(f+".notes", v.Notes, f+".notes_zh", v.NotesZh)
	}
	for os, n := range e.OSSpecific {
		f := "os_specific." + os
		if !oneOf(os, OSNames) {
			c.add(f, "%q is not one of %s", os, strings.Join(OSNames, ", "))
		}
		c.text(f+".note", n.Note, f+".note_zh", n.NoteZh)
	}
	if len(e.Docs) == 0 {
		c.add("docs", "needs at least one official documentation URL")
	}
	for i, u := range e.Docs {
		c.url(fmt.Sprintf("docs[%d]", i), u)
	}
}

func (c *checker) advice(e *Entry) {
	if len(e.Workarounds) == 0 && e.Resolvable != "false" {
		c.add("workarounds", "needs at least one workaround unless resolvable is \"false\"")
	}
	for i, w := range e.Workarounds {
		f := fmt.Sprintf("workarounds[%d]", i)
		c.text(f+".action", w.Action, f+".action_zh", w.ActionZh)
		if c.imported {
			c.optText(f+".how", w.How, f+".how_zh", w.HowZh)
		} else {
			c.text(f+".how", w.How, f+".how_zh", w.HowZh)
		}
		c.notRepeated(f+".how", w.Action, w.How)
		c.notRepeated(f+".how_zh", w.ActionZh, w.HowZh)
		c.rate(f+".success_rate", w.SuccessRate)
		if i > 0 && w.SuccessRate > e.Workarounds[i-1].SuccessRate {
			c.add(f+".success_rate", "%.2f is higher than the workaround before it; order best first", w.SuccessRate)
		}
		c.command(f+".command", w.Command, e.Regex)
		c.command(f+".check", w.Check, e.Regex)
		c.optText(f+".tradeoff", w.Tradeoff, f+".tradeoff_zh", w.TradeoffZh)
		c.optText(f+".condition", w.Condition, f+".condition_zh", w.ConditionZh)
		for j, u := range w.Sources {
			c.url(fmt.Sprintf("%s.sources[%d]", f, j), u)
		}
	}
	if len(e.DeadEnds) == 0 {
		c.add("dead_ends", "needs at least one dead end")
	}
	for i, d := range e.DeadEnds {
		f := fmt.Sprintf("dead_ends[%d]", i)
		c.text(f+".action", d.Action, f+".action_zh", d.ActionZh)
		c.text(f+".why_fails", d.WhyFails, f+".why_fails_zh", d.WhyFailsZh)
		c.rate(f+".fail_rate", d.FailRate)
		c.optText(f+".condition", d.Condition, f+".condition_zh", d.ConditionZh)
		c.optText(f+".common_misconception", d.CommonMisconception, f+".common_misconception_zh", d.CommonMisconceptionZh)
		for j, u := range d.Sources {
			c.url(fmt.Sprintf("%s.sources[%d]", f, j), u)
		}
	}
	for i, l := range e.Related.LeadsTo {
		f := fmt.Sprintf("related.leads_to[%d]", i)
		c.rate(f+".probability", l.Probability)
		c.optText(f+".condition", l.Condition, f+".condition_zh", l.ConditionZh)
	}
	for i, l := range e.Related.PrecededBy {
		c.rate(fmt.Sprintf("related.preceded_by[%d].probability", i), l.Probability)
	}
	for i, l := range e.Related.ConfusedWith {
		f := fmt.Sprintf("related.confused_with[%d]", i)
		c.text(f+".distinction", l.Distinction, f+".distinction_zh", l.DistinctionZh)
	}
}

func (c *checker) reproduce(e *Entry) {
	r := e.Reproduce
	if r == nil {
		return
	}
	if strings.TrimSpace(r.Script) == "" {
		c.add("reproduce.script", "is empty")
	}
	if len(r.Requires) == 0 {
		c.add("reproduce.requires", "names no command; list the tools the script runs")
	}
	for i, req := range r.Requires {
		if msg := checkRequirement(req); msg != "" {
			c.add(fmt.Sprintf("reproduce.requires[%d]", i), "%s", msg)
		}
	}
	if r.TimeoutS < 1 || r.TimeoutS > MaxReproduceTimeout {
		c.add("reproduce.timeout_s", "is %d; must be 1 to %d", r.TimeoutS, MaxReproduceTimeout)
	}
	c.record(e)
}

// record checks the golden file against the entry: made with this script,
// and showing the error as the examples quote it.
func (c *checker) record(e *Entry) {
	rec := e.Record
	if rec == nil {
		return
	}
	if !e.Reproduced() {
		c.add("reproduce.script", "changed since the golden file was recorded; run errorcanon verify --record %s", e.ID)
		return
	}
	// The regex ran on the raw output (verify checks it); the golden file
	// holds the normalised one, where addresses and durations are tokens.
	if _, ok := ExampleIn(e.Examples, rec.Output); !ok {
		c.add("examples", "none occurs in the recorded output as whole lines; quote what the reproduction prints")
	}
}

// text checks a required pair of English and Chinese texts (rule 1).
func (c *checker) text(fEn, en, fZh, zh string) {
	if strings.TrimSpace(en) == "" {
		c.add(fEn, "is empty")
	}
	if strings.TrimSpace(zh) == "" {
		if !c.imported { // an import is not translated: pages fall back to English
			c.add(fZh, "is empty; every text needs its Chinese form")
		}
		return
	}
	if msg := CheckChinese(zh); msg != "" {
		c.add(fZh, "%s", msg)
	}
}

// source checks an imported entry's origin: named, linked and licensed.
func (c *checker) source(s *Source) {
	if s == nil {
		return
	}
	for _, f := range [][2]string{{"name", s.Name}, {"license", s.License}, {"attribution", s.Attribution}} {
		if strings.TrimSpace(f[1]) == "" {
			c.add("source."+f[0], "is empty; an imported entry names its source, licence and attribution")
		}
	}
	c.url("source.url", s.URL)
	if s.LicenseURL != "" {
		c.url("source.license_url", s.LicenseURL)
	}
}

// optText checks an optional pair: both or neither.
func (c *checker) optText(fEn, en, fZh, zh string) {
	if strings.TrimSpace(en) == "" && strings.TrimSpace(zh) == "" {
		return
	}
	c.text(fEn, en, fZh, zh)
}

func (c *checker) notRepeated(field, action, how string) {
	a, h := normSpace(action), normSpace(how)
	if a == "" || h == "" {
		return
	}
	if h == a || (strings.HasPrefix(h, a) && len(h)-len(a) < 20) {
		c.add(field, "repeats the action; give the steps or commands")
	}
}

func normSpace(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(strings.TrimRight(strings.TrimSpace(s), ".。")), " "))
}

func (c *checker) rate(field string, v float64) {
	if v < 0 || v > 1 || v != v {
		c.add(field, "%v is outside 0..1", v)
	}
}

func (c *checker) date(field, s string) (time.Time, bool) {
	if s == "" {
		c.add(field, "is empty; want YYYY-MM-DD")
		return time.Time{}, false
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil || !dateRE.MatchString(s) {
		c.add(field, "%q is not a date YYYY-MM-DD", s)
		return time.Time{}, false
	}
	return t, true
}

// url checks rule 7: https, a specific page, no private or local address.
func (c *checker) url(field, s string) {
	if msg := checkURL(s); msg != "" {
		c.add(field, "%s", msg)
	}
}

// checkURL returns why s is not an acceptable documentation or source URL,
// or "" when it is.
func checkURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return fmt.Sprintf("%q is not an absolute URL", s)
	}
	if u.Scheme != "https" {
		return fmt.Sprintf("%q is not https", s)
	}
	host := u.Hostname()
	if isLocalHost(host) {
		return fmt.Sprintf("%q points to a private or local address", s)
	}
	if (u.Path == "" || u.Path == "/") && u.RawQuery == "" && u.Fragment == "" {
		return fmt.Sprintf("%q is a site's home page; link the specific page", s)
	}
	return ""
}

func isLocalHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") || strings.HasSuffix(h, ".local") ||
		strings.HasSuffix(h, ".internal") || strings.HasSuffix(h, ".lan") || !strings.Contains(h, ".") && net.ParseIP(h) == nil {
		return true
	}
	if ip := net.ParseIP(h); ip != nil {
		return ip.IsPrivate() || ip.IsLoopback() || ip.IsLinkLocalUnicast() || ip.IsUnspecified() || ip.IsLinkLocalMulticast()
	}
	return false
}
