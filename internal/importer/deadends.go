package importer

// This file converts deadends.dev's canon files (data/canons/**/*.json,
// schema_version 1.0.0) into v2 entries. The rules, each tested in
// deadends_test.go:
//
//   - id "python/assertionerror/py311-linux" becomes
//     "python/assertionerror-py311-linux";
//   - domains about people rather than software (visas, etiquette,
//     medicine: nonSoftware) are skipped;
//   - the regex is converted to RE2 (regex.go) and made case-insensitive,
//     as the peer matches; the peer's signature, which the regex must
//     match, becomes the one example;
//   - the peer's category maps onto ours (category.go), and is kept as
//     the subcategory;
//   - workarounds are ordered best first; resolvable follows the best
//     success rate (0.7 and up "true", under 0.2 "false");
//   - confidence is capped at 0.3: nothing imported has been verified
//     here and the peer cites no evidence we can count;
//   - docs are the https sources the workarounds and dead ends cite;
//   - first_seen is dropped (the peer gives no source for it);
//   - the entry's source, licence (CC BY 4.0) and attribution are kept in
//     source and as its one evidence item, so every page shows them.

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/lazyregexp"
)

// The licence of deadends.dev's data and the attribution it asks for.
const (
	deadendsName        = "deadends.dev"
	deadendsLicense     = "CC-BY-4.0"
	deadendsLicenseURL  = "https://creativecommons.org/licenses/by/4.0/"
	deadendsAttribution = "deadends.dev by YuJin Hong and contributors (https://github.com/dbwls99706/deadends.dev), CC BY 4.0; converted to ErrorCanon's format, not verified by ErrorCanon"
)

// nonSoftware lists deadends.dev's domains about people rather than
// software: travel, law, culture, health. They are out of this catalog's
// scope.
var nonSoftware = map[string]bool{
	"banking": true, "communication": true, "culture": true, "disaster": true,
	"emergency": true, "food-safety": true, "legal": true, "medical": true,
	"mental-health": true, "pet-safety": true, "policy": true, "safety": true,
	"visa": true, "travel": true, "etiquette": true, "immigration": true,
}

type deCanon struct {
	ID    string `json:"id"`
	URL   string `json:"url"`
	Error struct {
		Signature string `json:"signature"`
		Regex     string `json:"regex"`
		Domain    string `json:"domain"`
		Category  string `json:"category"`
	} `json:"error"`
	Environment struct {
		Runtime struct {
			Name         string `json:"name"`
			VersionRange string `json:"version_range"`
		} `json:"runtime"`
		OS string `json:"os"`
	} `json:"environment"`
	Verdict struct {
		Resolvable string   `json:"resolvable"`
		Confidence *float64 `json:"confidence"`
		Summary    string   `json:"summary"`
	} `json:"verdict"`
	DeadEnds []struct {
		Action              string   `json:"action"`
		WhyFails            string   `json:"why_fails"`
		FailRate            *float64 `json:"fail_rate"`
		Sources             []string `json:"sources"`
		Condition           string   `json:"condition"`
		CommonMisconception string   `json:"common_misconception"`
	} `json:"dead_ends"`
	Workarounds []struct {
		Action      string   `json:"action"`
		How         string   `json:"how"`
		SuccessRate *float64 `json:"success_rate"`
		Sources     []string `json:"sources"`
		Condition   string   `json:"condition"`
		Tradeoff    string   `json:"tradeoff"`
	} `json:"workarounds"`
	TransitionGraph struct {
		LeadsTo      []deLink `json:"leads_to"`
		PrecededBy   []deLink `json:"preceded_by"`
		ConfusedWith []deLink `json:"frequently_confused_with"`
	} `json:"transition_graph"`
}

type deLink struct {
	ErrorID     string   `json:"error_id"`
	Probability *float64 `json:"probability"`
	Condition   string   `json:"condition"`
	Distinction string   `json:"distinction"`
}

// convertDeadends converts one canon file. A nil entry comes with the
// skip that says why.
func convertDeadends(file string, data []byte) (*canon.Entry, *Skip) {
	var c deCanon
	if s := decodeJSON(file, data, &c); s != nil {
		return nil, s
	}
	skip := func(reason, format string, args ...any) (*canon.Entry, *Skip) {
		return nil, &Skip{File: file, PeerID: c.ID, Reason: reason, Detail: fmt.Sprintf(format, args...)}
	}
	if n := len(c.Error.Signature); n > MaxSignature {
		return skip(ReasonTooLarge, "error.signature is %d bytes; at most %d", n, MaxSignature)
	}
	for _, f := range [][2]string{{"id", c.ID}, {"error.signature", c.Error.Signature}, {"error.regex", c.Error.Regex}, {"error.domain", c.Error.Domain}, {"verdict.summary", c.Verdict.Summary}} {
		if strings.TrimSpace(f[1]) == "" {
			return skip(ReasonMissingField, "%s is missing or empty", f[0])
		}
	}
	if len(c.Workarounds) == 0 {
		return skip(ReasonMissingField, "workarounds is missing or empty")
	}
	if len(c.DeadEnds) == 0 {
		return skip(ReasonMissingField, "dead_ends is missing or empty")
	}
	domain := strings.ToLower(strings.TrimSpace(c.Error.Domain))
	if nonSoftware[domain] {
		return skip(ReasonNonSoftware, "domain %q is not about software", domain)
	}
	id, ok := deadendsID(c.ID, domain)
	if !ok {
		return skip(ReasonMissingField, "id %q does not make a {domain}/{slug} id in domain %q", c.ID, domain)
	}
	rx, rp := convertRegex(c.Error.Regex, true)
	if rp != nil {
		return skip(rp.reason, "error.regex %s", rp.detail)
	}
	sig := strings.TrimSpace(c.Error.Signature)
	if !regexp.MustCompile(rx).MatchString(sig) {
		return skip(ReasonRegexNoExample, "error.regex does not match the entry's own signature %q, so it has no example to show", cut(sig, 80))
	}
	pageURL := c.URL
	if checkHTTPS(pageURL) != "" {
		pageURL = "https://deadends.dev/" + strings.Trim(c.ID, "/")
	}
	e := &canon.Entry{
		ID: id, Domain: domain,
		Title:         titleOf(sig),
		Category:      mapCategory(c.Error.Category),
		Tags:          tagsOf(domain, c.Environment.Runtime.Name, c.Environment.OS),
		Signature:     sig,
		Regex:         rx,
		Examples:      []string{sig},
		RootCause:     strings.TrimSpace(c.Verdict.Summary),
		RootCauseType: "generic",
		Confidence:    0.3,
		Evidence: []canon.Evidence{{
			Kind: "article", URL: pageURL,
			Note:   "Imported from deadends.dev (CC BY 4.0), where this entry was written; converted to ErrorCanon's format and not verified here.",
			NoteZh: "本条目导入自 deadends.dev（CC BY 4.0 许可），已转换为 ErrorCanon 的格式，未经本站验证。",
		}},
		Source: &canon.Source{Name: deadendsName, URL: pageURL, License: deadendsLicense, LicenseURL: deadendsLicenseURL, Attribution: deadendsAttribution},
	}
	if conf := c.Verdict.Confidence; conf != nil && *conf >= 0 && *conf < 0.3 {
		e.Confidence = *conf
	}
	if sub := snake(c.Error.Category); sub != "" && sub != e.Category {
		e.Subcategory = &sub
	}
	if v, ok := versionOf(c.Environment.Runtime.Name, c.Environment.Runtime.VersionRange); ok {
		e.Versions = []canon.Version{v}
	}
	var docs []string
	addDocs := func(srcs []string) []string {
		var kept []string
		for _, u := range srcs {
			u = strings.TrimSpace(u)
			if checkHTTPS(u) != "" {
				continue
			}
			kept = append(kept, u)
			if !slices.Contains(docs, u) {
				docs = append(docs, u)
			}
		}
		return kept
	}
	for i, w := range c.Workarounds {
		if strings.TrimSpace(w.Action) == "" {
			return skip(ReasonMissingField, "workarounds[%d].action is empty", i)
		}
		if w.SuccessRate == nil || !isRate(*w.SuccessRate) {
			return skip(ReasonWrongType, "workarounds[%d].success_rate is missing or outside 0..1", i)
		}
		how := strings.TrimSpace(w.How)
		if normSpace(how) == normSpace(w.Action) {
			how = ""
		}
		e.Workarounds = append(e.Workarounds, canon.Workaround{
			Action: strings.TrimSpace(w.Action), How: how, SuccessRate: *w.SuccessRate,
			Condition: strings.TrimSpace(w.Condition), Tradeoff: strings.TrimSpace(w.Tradeoff),
			Sources: addDocs(w.Sources),
		})
	}
	sort.SliceStable(e.Workarounds, func(i, j int) bool { return e.Workarounds[i].SuccessRate > e.Workarounds[j].SuccessRate })
	for i, d := range c.DeadEnds {
		if strings.TrimSpace(d.Action) == "" || strings.TrimSpace(d.WhyFails) == "" {
			return skip(ReasonMissingField, "dead_ends[%d] has no action or why_fails", i)
		}
		if d.FailRate == nil || !isRate(*d.FailRate) {
			return skip(ReasonWrongType, "dead_ends[%d].fail_rate is missing or outside 0..1", i)
		}
		e.DeadEnds = append(e.DeadEnds, canon.DeadEnd{
			Action: strings.TrimSpace(d.Action), WhyFails: strings.TrimSpace(d.WhyFails), FailRate: *d.FailRate,
			Condition: strings.TrimSpace(d.Condition), CommonMisconception: strings.TrimSpace(d.CommonMisconception),
			Sources: addDocs(d.Sources),
		})
	}
	if len(docs) == 0 {
		return skip(ReasonMissingField, "no workaround or dead end cites an https source, and an entry needs a documentation link")
	}
	e.Docs = docs
	best := e.Workarounds[0].SuccessRate
	switch {
	case best >= 0.7:
		e.Resolvable = "true"
	case best < 0.2:
		e.Resolvable = "false"
	default:
		e.Resolvable = "partial"
	}
	for _, l := range c.TransitionGraph.LeadsTo {
		if lid, ok := deadendsID(l.ErrorID, ""); ok {
			p := 0.5
			if l.Probability != nil && isRate(*l.Probability) {
				p = *l.Probability
			}
			e.Related.LeadsTo = append(e.Related.LeadsTo, canon.LeadsTo{ID: lid, Probability: p, Condition: strings.TrimSpace(l.Condition)})
		}
	}
	for _, l := range c.TransitionGraph.PrecededBy {
		if lid, ok := deadendsID(l.ErrorID, ""); ok {
			p := 0.5
			if l.Probability != nil && isRate(*l.Probability) {
				p = *l.Probability
			}
			e.Related.PrecededBy = append(e.Related.PrecededBy, canon.PrecededBy{ID: lid, Probability: p})
		}
	}
	for _, l := range c.TransitionGraph.ConfusedWith {
		if lid, ok := deadendsID(l.ErrorID, ""); ok && strings.TrimSpace(l.Distinction) != "" {
			e.Related.ConfusedWith = append(e.Related.ConfusedWith, canon.ConfusedWith{ID: lid, Distinction: strings.TrimSpace(l.Distinction)})
		}
	}
	return e, nil
}

// deadendsID maps the peer's "domain/name/variant" id to ours, with the
// domain checked against want when it is set.
func deadendsID(peer, want string) (string, bool) {
	parts := strings.Split(strings.Trim(strings.ToLower(peer), "/"), "/")
	if len(parts) < 2 {
		return "", false
	}
	if want != "" && parts[0] != want {
		return "", false
	}
	slug := slugify(strings.Join(parts[1:], "-"))
	id := parts[0] + "/" + slug
	_, _, ok := canon.SplitID(id)
	return id, ok
}

var nonSlug = lazyregexp.New(`[^a-z0-9]+`)

func slugify(s string) string {
	s = strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if len(s) > canon.MaxSlugLen {
		s = strings.TrimRight(s[:canon.MaxSlugLen], "-")
	}
	return s
}

func snake(s string) string {
	return strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(s), "_"), "_")
}

var placeholderRE = lazyregexp.New(`<[^<>\n]{1,40}>`)

// titleOf makes a title from the signature: its first line, placeholders
// as "…", no Markdown, at most canon.MaxTitle characters.
func titleOf(sig string) string {
	t, _, _ := strings.Cut(sig, "\n")
	t = placeholderRE.ReplaceAllString(t, "…")
	t = strings.NewReplacer("`", "'", "**", "*", "__", "_", "](", "] (").Replace(t)
	t = strings.TrimLeft(t, "#> ")
	return cut(strings.TrimSpace(t), canon.MaxTitle)
}

func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

var tagRE = lazyregexp.New(`^[a-z0-9][a-z0-9.+#_-]*$`)

func tagsOf(vals ...string) []string {
	tags := []string{"imported", "deadends"}
	for _, v := range vals {
		v = strings.ToLower(strings.TrimSpace(v))
		if tagRE.MatchString(v) && !slices.Contains(tags, v) {
			tags = append(tags, v)
		}
	}
	return tags
}

// versionOf makes the version row from the peer's runtime and range,
// when the range is one programs can compare.
func versionOf(name, rng string) (canon.Version, bool) {
	name, rng = strings.TrimSpace(name), strings.TrimSpace(rng)
	if name == "" || rng == "" {
		return canon.Version{}, false
	}
	v := canon.Version{Version: name + " " + rng, Product: name, Range: rng, Status: "active"}
	probe := &canon.Entry{Versions: []canon.Version{v}}
	for _, p := range canon.Validate(probe, nil) {
		if strings.HasPrefix(p.Field, "versions[0]") {
			return canon.Version{}, false
		}
	}
	return v, true
}

func isRate(v float64) bool { return v >= 0 && v <= 1 }

func normSpace(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(strings.TrimRight(strings.TrimSpace(s), ".")), " "))
}

// checkHTTPS returns why u is not an https link to a specific page, or "".
func checkHTTPS(u string) string {
	p, err := url.Parse(u)
	switch {
	case err != nil || p.Host == "":
		return "not an absolute URL"
	case p.Scheme != "https":
		return "not https"
	case (p.Path == "" || p.Path == "/") && p.RawQuery == "":
		return "a home page"
	}
	return ""
}
