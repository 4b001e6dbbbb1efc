package render

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/catalog"
)

func ptr(s string) *string { return &s }

// fullEntry has every optional field filled, so every section shows.
func fullEntry() *canon.Entry {
	e := &canon.Entry{
		Title: "Connection reset by the peer while reading", TitleZh: "读取时连接被对端重置",
		ID: "api/full-example", Domain: "api", Category: "network_error",
		Subcategory: ptr("proxy_errors"), ErrorCode: ptr("ECONNRESET"), Tags: []string{"proxy", "tls"},
		Signature:   "read ECONNRESET from <host>",
		SignatureZh: "从 <host> 读取时 ECONNRESET（连接被对端重置）",
		Regex:       `read ECONNRESET from (?P<host>[\w.-]+)`,
		Examples:    []string{"read ECONNRESET from api.example.com", "Error: read ECONNRESET from 10.0.0.1\n    at TLSWrap.onStreamRead"},
		Resolvable:  "partial", Confidence: 0.5,
		Evidence: []canon.Evidence{
			{Kind: "docs", URL: "https://nodejs.org/api/errors.html#common-system-errors", Note: "ECONNRESET is a reset by the peer.", NoteZh: "ECONNRESET 表示连接被对端重置。"},
			{Kind: "issue", URL: "https://github.com/nodejs/node/issues/39810", Note: "Keep-alive sockets reset by servers.", NoteZh: "服务器重置了长连接。"},
		},
		FirstSeen: "2019-04-23", FirstSeenSource: "https://nodejs.org/en/blog/release/v12.0.0",
		RootCause:     "The peer closed the connection with a **TCP RST** while the client was reading.",
		RootCauseZh:   "客户端读取时，对端用 **TCP RST** 关闭了连接。",
		RootCauseType: "environment_specific",
		Versions: []canon.Version{{
			Version: "Node.js 18+", Product: "Node.js", Range: ">=18", Status: "fixed",
			Introduced: ptr("18.0.0"), Deprecated: ptr("20.0.0"), Removed: ptr("22.0.0"),
			BehaviorChange: "Keep-alive became the default.", BehaviorChangeZh: "默认开启长连接。",
			Notes: "Idle sockets are reused.", NotesZh: "空闲连接会被复用。",
		}},
		OSSpecific: map[string]canon.OSNote{
			"windows": {Note: "Reported as WSAECONNRESET.", NoteZh: "报告为 WSAECONNRESET。"},
			"linux":   {Note: "Check conntrack limits.", NoteZh: "检查 conntrack 上限。"},
		},
		Docs: []string{"https://nodejs.org/api/errors.html#common-system-errors"},
		Workarounds: []canon.Workaround{{
			Action: "Disable keep-alive on the agent.", ActionZh: "在 agent 上关闭长连接。",
			How: "Set `keepAlive: false`:\n\n```js\nnew http.Agent({ keepAlive: false })\n```", HowZh: "设置 `keepAlive: false`：\n\n```js\nnew http.Agent({ keepAlive: false })\n```",
			SuccessRate: 0.55, Tradeoff: "More TCP handshakes.", TradeoffZh: "TCP 握手次数增加。",
			Command: "curl -sv https://{host}/", Check: "ss -tn state established",
			Condition: "The server closes idle sockets early.", ConditionZh: "服务器提前关闭空闲连接时适用。",
			Sources: []string{"https://nodejs.org/api/http.html#new-agentoptions"},
		}},
		DeadEnds: []canon.DeadEnd{{
			Action: "Raise the client timeout.", ActionZh: "调大客户端超时。",
			WhyFails: "The reset is not a timeout.", WhyFailsZh: "连接重置并不是超时。", FailRate: 0.8,
			Condition: "Always.", ConditionZh: "任何情况下。",
			CommonMisconception: "That ECONNRESET means slow.", CommonMisconceptionZh: "误以为 ECONNRESET 表示慢。",
			Sources: []string{"https://nodejs.org/api/net.html#socketsettimeouttimeout-callback"},
		}},
		Related: canon.Related{
			LeadsTo:      []canon.LeadsTo{{ID: seedIDs[0], Probability: 0.3, Condition: "Behind an ALB.", ConditionZh: "位于 ALB 之后时。"}},
			PrecededBy:   []canon.PrecededBy{{ID: seedIDs[1], Probability: 0.2}},
			ConfusedWith: []canon.ConfusedWith{{ID: seedIDs[0], Distinction: "That one is a 502 page.", DistinctionZh: "那个是 502 页面。"}},
		},
		Reproduce: &canon.Reproduce{Requires: []string{"node"}, Script: "node -e 'process.exit(1)'", TimeoutS: 20},
	}
	e.Derive(&canon.Record{Verified: "2026-10-01", Script: canon.ScriptHash(e.Reproduce.Script),
		Tools: []string{"node: v20.19.2"}, Output: "read ECONNRESET from api.example.com\n"})
	return e
}

// fullCatalog is the seed entries plus fullEntry.
func fullCatalog(t testing.TB) (*catalog.Catalog, *canon.Entry) {
	t.Helper()
	seed := seedCatalog(t)
	full := fullEntry()
	// The two seed entries and the full one: counts in these tests are
	// api 2, aws 1.
	entries := []*canon.Entry{seed.Entry(seedIDs[0]), seed.Entry(seedIDs[1]), full}
	return catalog.New(seed.Domains, entries), full
}

func render(t testing.TB, f func(*bytes.Buffer) error) string {
	t.Helper()
	var buf bytes.Buffer
	if err := f(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// entrySections are the section ids every entry page has; optional ones
// (versions, os, related, reproduce, tags) show when the entry has them.
var entrySections = []string{"verdict", "root-cause", "workarounds", "dead-ends", "signature", "examples", "docs"}
var optionalSections = []string{"versions", "os", "related", "reproduce", "tags"}

func TestEntryPageStructure(t *testing.T) {
	c, full := fullCatalog(t)
	r := newRenderer(t, c)
	for _, e := range []*canon.Entry{c.Entry(seedIDs[0]), c.Entry(seedIDs[1]), full} {
		for _, l := range Langs {
			t.Run(e.ID+"/"+string(l), func(t *testing.T) {
				out := render(t, func(b *bytes.Buffer) error { return r.EntryHTML(b, e, l) })
				doc := checkHTML(t, out)
				if got := attr(find(doc, "html")[0], "lang"); got != l.htmlLang() {
					t.Errorf("html lang = %q, want %q", got, l.htmlLang())
				}
				if n := len(find(doc, "h1")); n != 1 {
					t.Errorf("%d h1 elements, want 1", n)
				}
				paths := EntryPaths(e.ID)
				own := paths.HTML
				if l == ZH {
					own = paths.HTMLZh
				}
				checkHead(t, doc, "https://errorcanon.dev"+own, paths.HTML, paths.HTMLZh)
				ld := ldJSON(t, doc)
				if ld["@type"] != "TechArticle" || ld["identifier"] != e.ID || ld["inLanguage"] != l.htmlLang() {
					t.Errorf("JSON-LD = %v", ld)
				}
				ids := map[string]bool{}
				for _, n := range find(doc, "section") {
					ids[attr(n, "id")] = true
				}
				want := append([]string{}, entrySections...)
				if e == full {
					want = append(want, optionalSections...)
				} else {
					want = append(want, "versions")
				}
				for _, id := range want {
					if !ids[id] {
						t.Errorf("no section #%s", id)
					}
				}
				if n := len(findClass(doc, "tile")); n != 5 {
					t.Errorf("%d tiles, want 5 (fix rate, confidence, evidence, first seen, last verified)", n)
				}
				badges := textOf(findClass(doc, "badges")[0])
				resLabel := ui(l)["res_"+e.Resolvable]
				if !strings.Contains(badges, resLabel) || strings.Contains(badges, " true") {
					t.Errorf("badges %q lack the resolvable label %q", badges, resLabel)
				}
				if e.ErrorCode != nil && !strings.Contains(badges, *e.ErrorCode) {
					t.Errorf("badges %q lack the error code", badges)
				}
				// Links to the other forms and language.
				hrefs := map[string]bool{}
				for _, a := range find(doc, "a") {
					hrefs[attr(a, "href")] = true
				}
				for _, p := range []string{paths.JSON, EntryMarkdownPath(e.ID, l), EntryPagePath(e.ID, l.other())} {
					if !hrefs[p] {
						t.Errorf("no link to %s", p)
					}
				}
				for _, d := range e.Docs {
					if !hrefs[d] {
						t.Errorf("no link to doc %s", d)
					}
				}
				for _, x := range e.Related.ConfusedWith {
					if c.Entry(x.ID) != nil && !hrefs[EntryPagePath(x.ID, l)] {
						t.Errorf("no link to confused_with %s", x.ID)
					}
				}
				// Verdict: top dead end and top workaround.
				verdict := textOf(byID(doc, "verdict"))
				for _, s := range []string{pick(l, e.DeadEnds[0].Action, e.DeadEnds[0].ActionZh), ui(l)["verdict_dont"], ui(l)["verdict_do"]} {
					if e == full && !strings.Contains(verdict, s) {
						t.Errorf("verdict %q lacks %q", verdict, s)
					}
				}
				// Every workaround's and dead end's text, in this language.
				body := textOf(doc)
				for _, w := range e.Workarounds {
					for _, s := range []string{pick(l, w.Action, w.ActionZh), pick(l, w.Condition, w.ConditionZh), pick(l, w.Tradeoff, w.TradeoffZh)} {
						if !strings.Contains(body, oneLine(stripMD(s))) {
							t.Errorf("page lacks %q", s)
						}
					}
				}
				for _, d := range e.DeadEnds {
					for _, s := range []string{pick(l, d.Action, d.ActionZh), pick(l, d.CommonMisconception, d.CommonMisconceptionZh)} {
						if !strings.Contains(body, oneLine(stripMD(s))) {
							t.Errorf("page lacks %q", s)
						}
					}
				}
				if !strings.Contains(body, oneLine(stripMD(pick(l.other(), e.RootCause, e.RootCauseZh)))[:20]) {
					t.Errorf("page lacks the other language's root cause")
				}
				if !strings.Contains(body, e.LastVerified) || !strings.Contains(body, e.FirstSeen) {
					t.Errorf("page lacks first seen / last verified")
				}
			})
		}
	}
}

// stripMD removes the Markdown emphasis used in test texts.
func stripMD(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "**", ""), "`", "") }

func TestListingPages(t *testing.T) {
	c, full := fullCatalog(t)
	r := newRenderer(t, c)
	for _, l := range Langs {
		out := render(t, func(b *bytes.Buffer) error { return r.DomainHTML(b, "api", l) })
		doc := checkHTML(t, out)
		checkHead(t, doc, "https://errorcanon.dev"+DomainPath("api", l), "/errors/api/", "/errors/api/zh.html")
		hrefs := map[string]bool{}
		for _, a := range find(doc, "a") {
			hrefs[attr(a, "href")] = true
		}
		for _, id := range []string{seedIDs[0], full.ID} {
			if !hrefs[EntryPagePath(id, l)] {
				t.Errorf("%s listing lacks a link to %s", l, id)
			}
		}
		if hrefs[EntryPagePath(seedIDs[1], l)] {
			t.Errorf("api listing links to an aws entry")
		}
		if ld := ldJSON(t, doc); ld["@type"] != "CollectionPage" {
			t.Errorf("listing JSON-LD type %v", ld["@type"])
		}

		for _, f := range []func(*bytes.Buffer) error{
			func(b *bytes.Buffer) error { return r.HomeHTML(b, l) },
			func(b *bytes.Buffer) error { return r.DomainsHTML(b, l) },
		} {
			doc := checkHTML(t, render(t, f))
			text := textOf(doc)
			// Both domains with entries are listed with their counts.
			for _, d := range []string{"api", "aws"} {
				name := r.domainName(d, l)
				if !strings.Contains(text, name) {
					t.Errorf("%s page lacks domain %s", l, name)
				}
			}
			if !strings.Contains(text, mustTf(t, l, "entries_n", 2)) || !strings.Contains(text, mustTfn(t, l, "entries_n", 1)) {
				t.Errorf("%s page lacks the counts (api 2, aws 1): %s", l, text)
			}
		}
	}
	if err := r.DomainHTML(&bytes.Buffer{}, "no-such-domain", EN); err == nil {
		t.Error("DomainHTML of an unknown domain did not fail")
	}
}

func mustTf(t testing.TB, l Lang, key string, args ...any) string {
	s, err := tf(l, key, args...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestNotFoundPage(t *testing.T) {
	r := newRenderer(t, seedCatalog(t))
	for _, l := range Langs {
		doc := checkHTML(t, render(t, func(b *bytes.Buffer) error { return r.NotFoundHTML(b, l) }))
		if got := textOf(find(doc, "h1")[0]); got != ui(l)["nf_title"] {
			t.Errorf("404 h1 = %q", got)
		}
		robots := false
		for _, m := range find(doc, "meta") {
			if attr(m, "name") == "robots" && attr(m, "content") == "noindex" {
				robots = true
			}
		}
		if !robots {
			t.Error("404 page is indexable")
		}
		for _, ln := range find(doc, "link") {
			if attr(ln, "rel") == "canonical" {
				t.Error("404 page has a canonical URL")
			}
		}
	}
}

func TestStringTables(t *testing.T) {
	verbs := regexp.MustCompile(`%[sdv]`)
	for k, en := range uiEN {
		zh, ok := uiZH[k]
		if !ok {
			t.Errorf("zh table lacks %q", k)
			continue
		}
		if strings.TrimSpace(en) == "" || strings.TrimSpace(zh) == "" {
			t.Errorf("%q is empty in a table", k)
		}
		if zh == en && k != "id" && !strings.HasPrefix(k, "os_") && !strings.HasSuffix(k, "_one") {
			t.Errorf("%q is not translated: %q in both tables", k, en)
		}
		if a, b := verbs.FindAllString(en, -1), verbs.FindAllString(zh, -1); !reflect.DeepEqual(a, b) {
			t.Errorf("%q: verbs %v in en, %v in zh", k, a, b)
		}
	}
	for k := range uiZH {
		if _, ok := uiEN[k]; !ok {
			t.Errorf("en table lacks %q", k)
		}
	}
	// Every vocabulary value has a label in both languages.
	for prefix, set := range map[string][]string{"cat_": canon.Categories, "ver_": canon.Verifications, "res_": canon.Resolvables,
		"rct_": canon.RootCauseTypes, "st_": canon.VersionStates, "os_": canon.OSNames} {
		for _, v := range set {
			if _, ok := uiEN[prefix+v]; !ok {
				t.Errorf("no label for %s%s", prefix, v)
			}
		}
	}
}

// englishUI returns the fragments of English UI strings that must not
// appear on a Chinese page: the values that differ from the Chinese
// table, split at format verbs, keeping pieces with a word in them.
func englishUI() []string {
	var out []string
	word := regexp.MustCompile(`[A-Za-z]{3,}`)
	for k, en := range uiEN {
		if uiZH[k] == en {
			continue // the same in both languages (ID, Linux, macOS...)
		}
		for _, frag := range regexp.MustCompile(`%[sdv]`).Split(en, -1) {
			if frag = strings.TrimSpace(frag); word.MatchString(frag) {
				out = append(out, frag)
			}
		}
	}
	return out
}

func TestChinesePagesHaveNoEnglishUI(t *testing.T) {
	c, full := fullCatalog(t)
	r := newRenderer(t, c)
	// A Chinese rendering must not contain English interface text. The
	// content of the full entry's Chinese fields is Chinese apart from
	// identifiers; the other-language root cause block (English by design)
	// is removed before the check.
	forms := map[string]string{
		"zh.html": render(t, func(b *bytes.Buffer) error { return r.EntryHTML(b, full, ZH) }),
		"zh.md":   render(t, func(b *bytes.Buffer) error { return r.EntryMarkdown(b, full, ZH) }),
		"zh.txt":  render(t, func(b *bytes.Buffer) error { return r.EntryText(b, full, ZH) }),
		"home":    render(t, func(b *bytes.Buffer) error { return r.HomeHTML(b, ZH) }),
		"errors":  render(t, func(b *bytes.Buffer) error { return r.DomainsHTML(b, ZH) }),
		"domain":  render(t, func(b *bytes.Buffer) error { return r.DomainHTML(b, "api", ZH) }),
		"404":     render(t, func(b *bytes.Buffer) error { return r.NotFoundHTML(b, ZH) }),
	}
	other := oneLine(stripMD(full.RootCause))
	for name, out := range forms {
		text := out
		if strings.HasSuffix(name, "html") || !strings.Contains(name, ".") {
			doc := checkHTML(t, out)
			text = visibleText(doc)
		}
		text = strings.ReplaceAll(oneLine(stripMD(text)), other, "")
		// URLs and entry ids are not interface text.
		text = regexp.MustCompile(`https?://\S+|[a-z0-9]+/[a-z0-9-]+`).ReplaceAllString(text, " ")
		for _, en := range englishUI() {
			if regexp.MustCompile(`\b` + regexp.QuoteMeta(en) + `\b`).MatchString(text) {
				t.Errorf("%s contains the English UI string %q", name, en)
			}
		}
		// And it does contain Chinese UI strings.
		if !strings.Contains(text, uiZH["footer_about"]) && !strings.Contains(text, uiZH["sec_root_cause"]) {
			t.Errorf("%s has neither the Chinese footer nor a Chinese heading", name)
		}
	}
}

func TestJSONCarriesEverySchemaField(t *testing.T) {
	c, full := fullCatalog(t)
	r := newRenderer(t, c)
	for _, e := range []*canon.Entry{full, c.Entry(seedIDs[0]), c.Entry(seedIDs[1])} {
		out := render(t, func(b *bytes.Buffer) error { return r.EntryJSON(b, e) })
		// It decodes back into the same entry.
		var back canon.Entry
		if err := json.Unmarshal([]byte(out), &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(normalize(e), normalize(&back)) {
			t.Errorf("%s: JSON does not round-trip:\n got %+v\nwant %+v", e.ID, normalize(&back), normalize(e))
		}
		var doc map[string]any
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		// Every json field of canon.Entry is present (recursively; the full
		// entry fills every list so elements are checked too).
		if e == full {
			checkKeys(t, reflect.TypeOf(canon.Entry{}), doc, "")
		}
		for _, k := range []string{"schema_version", "url", "urls", "stats"} {
			if _, ok := doc[k]; !ok {
				t.Errorf("JSON lacks %s", k)
			}
		}
		urls := doc["urls"].(map[string]any)
		for _, k := range []string{"html", "html_zh", "json", "md", "md_zh"} {
			if s, _ := urls[k].(string); !strings.HasPrefix(s, "https://errorcanon.dev/errors/"+e.ID+"/") {
				t.Errorf("urls.%s = %v", k, urls[k])
			}
		}
		// Nullable fields are null, not missing, when unset.
		if e.Subcategory == nil {
			if v, ok := doc["subcategory"]; !ok || v != nil {
				t.Errorf("subcategory = %v, %v; want null", v, ok)
			}
		}
	}
	// The seed entry's version has null introduced/deprecated/removed.
	out := render(t, func(b *bytes.Buffer) error { return r.EntryJSON(b, c.Entry(seedIDs[0])) })
	if !strings.Contains(out, `"introduced": null`) || !strings.Contains(out, `"reproduce": null`) {
		t.Error("null schema fields are not null in the seed entry's JSON")
	}
}

// normalize makes nil and empty slices and maps equal for comparison.
func normalize(e *canon.Entry) canon.Entry {
	b, _ := json.Marshal(e)
	var m any
	_ = json.Unmarshal(b, &m)
	m = dropEmpty(m)
	b, _ = json.Marshal(m)
	var out canon.Entry
	_ = json.Unmarshal(b, &out)
	return out
}

func dropEmpty(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			x = dropEmpty(x)
			switch y := x.(type) {
			case []any:
				if len(y) == 0 {
					delete(v, k)
					continue
				}
			case map[string]any:
				if len(y) == 0 {
					delete(v, k)
					continue
				}
			case string:
				if y == "" {
					delete(v, k)
					continue
				}
			}
			v[k] = x
		}
		return v
	case []any:
		for i := range v {
			v[i] = dropEmpty(v[i])
		}
	}
	return v
}

// checkKeys checks that doc has a key for every json-tagged field of typ.
func checkKeys(t *testing.T, typ reflect.Type, doc map[string]any, path string) {
	t.Helper()
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		name := strings.Split(f.Tag.Get("json"), ",")[0]
		if name == "" || name == "-" {
			continue
		}
		v, ok := doc[name]
		if !ok && path == "" && name == "source" {
			continue // only imported entries have one (internal/importer checks it)
		}
		if !ok {
			t.Errorf("JSON lacks %s%s", path, name)
			continue
		}
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch ft.Kind() {
		case reflect.Struct:
			if m, ok := v.(map[string]any); ok {
				checkKeys(t, ft, m, path+name+".")
			} else {
				t.Errorf("%s%s is %T, want an object", path, name, v)
			}
		case reflect.Slice:
			if ft.Elem().Kind() == reflect.Struct {
				if a, ok := v.([]any); ok && len(a) > 0 {
					checkKeys(t, ft.Elem(), a[0].(map[string]any), path+name+"[0].")
				} else {
					t.Errorf("%s%s is empty in the full entry", path, name)
				}
			}
		case reflect.Map:
			m, _ := v.(map[string]any)
			for k, x := range m {
				checkKeys(t, ft.Elem(), x.(map[string]any), path+name+"."+k+".")
				break
			}
		}
	}
}

type fakeOutcomes map[string]EntryCounts

func (f fakeOutcomes) Counts(id string) EntryCounts { return f[id] }

func TestStatsPosterior(t *testing.T) {
	c, full := fullCatalog(t)
	// Without reports, each rate is the estimate, labelled so.
	r := newRenderer(t, c)
	var doc struct {
		Stats         Stats `json:"stats"`
		EvidenceCount int   `json:"evidence_count"`
	}
	out := render(t, func(b *bytes.Buffer) error { return r.EntryJSON(b, full) })
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Stats.Reports != 0 || len(doc.Stats.Workarounds) != 1 || len(doc.Stats.DeadEnds) != 1 || doc.Stats.PriorStrength != PriorStrength {
		t.Fatalf("stats = %+v", doc.Stats)
	}
	if w := doc.Stats.Workarounds[0]; w.Estimate != 0.55 || w.Rate != 0.55 || w.Reports != 0 || !(w.Interval[0] < 0.55 && w.Interval[1] > 0.55) {
		t.Errorf("workaround stat without reports = %+v", w)
	}
	evidence := doc.EvidenceCount
	page := render(t, func(b *bytes.Buffer) error { return r.EntryHTML(b, full, EN) })
	if !strings.Contains(page, "est. 55%, no reports yet") || strings.Contains(page, `<form class="report"`) {
		t.Error("page without reports must label the estimate and, without ReportForms, show no buttons")
	}

	// With reports: 10 tries of the workaround, 8 worked (2 of them with
	// changes), 2 did not; 10 of the dead end, none fixed.
	rr, err := New(c, Options{ReportForms: true, Outcomes: fakeOutcomes{full.ID: {
		Workarounds: []Tally{{Worked: 6, WorkedWithChanges: 2, DidNotWork: 2}},
		DeadEnds:    []Tally{{DidNotWork: 10}},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	out = render(t, func(b *bytes.Buffer) error { return rr.EntryJSON(b, full) })
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	w, d := doc.Stats.Workarounds[0], doc.Stats.DeadEnds[0]
	// Beta(4·0.55 + 8, 4·0.45 + 2): mean 10.2/14.
	if wantW := round4(10.2 / 14); doc.Stats.Reports != 20 || w.Reports != 10 || w.Worked != 6 || w.WorkedWithChanges != 2 || w.Rate != wantW {
		t.Errorf("workaround stat = %+v, want rate %.4f", w, wantW)
	}
	if !(w.Interval[0] < w.Rate && w.Rate < w.Interval[1]) || w.Interval[1]-w.Interval[0] > 0.45 {
		t.Errorf("workaround interval %v around %v", w.Interval, w.Rate)
	}
	if wantD := round4((4*0.8 + 10) / 14); d.Rate != wantD {
		t.Errorf("dead end stat = %+v, want rate %.4f", d, wantD)
	}
	if doc.EvidenceCount != evidence+20 {
		t.Errorf("evidence_count = %d, want %d + 20 reports", doc.EvidenceCount, evidence)
	}
	// The page shows the figure in full, and the report buttons.
	page = render(t, func(b *bytes.Buffer) error { return rr.EntryHTML(b, full, EN) })
	fig := Figure(EN, w)
	if !strings.Contains(page, fig) || !strings.HasPrefix(fig, pct(w.Rate)+" (n=10, 90% interval ") {
		t.Errorf("page does not show %q", fig)
	}
	if n := strings.Count(page, `<form class="report" method="post" action="`+OutcomesPath(full.ID)+`">`); n != 2 {
		t.Errorf("%d report forms, want one per workaround and dead end (2)", n)
	}
	md := render(t, func(b *bytes.Buffer) error { return rr.EntryMarkdown(b, full, ZH) })
	if !strings.Contains(md, Figure(ZH, w)) {
		t.Errorf("Chinese Markdown lacks %q", Figure(ZH, w))
	}
}

func TestFigureText(t *testing.T) {
	// 30 of 34 worked against an 85% estimate.
	s := posterior(0.85, Tally{Worked: 30, DidNotWork: 4}, fixed)
	if got := Figure(EN, s); got != "88% (n=34, 90% interval 78–95%)" {
		t.Errorf("Figure = %q", got)
	}
	if got := Figure(EN, posterior(0.85, Tally{}, fixed)); got != "est. 85%, no reports yet" {
		t.Errorf("Figure without reports = %q", got)
	}
}

func TestBetaQuantile(t *testing.T) {
	// Beta(1,1) is uniform; Beta(2,2) has CDF 3x²−2x³.
	if q := betaQuantile(0.05, 1, 1); !near3(q, 0.05) {
		t.Errorf("uniform 5%% quantile = %v", q)
	}
	q := betaQuantile(0.05, 2, 2)
	if cdf := 3*q*q - 2*q*q*q; !near3(cdf, 0.05) {
		t.Errorf("Beta(2,2) 5%% quantile %v has CDF %v", q, cdf)
	}
	// Symmetry: the 95% quantile of Beta(a,b) is 1 − the 5% of Beta(b,a).
	if a, b := betaQuantile(0.95, 3.4, 0.6), betaQuantile(0.05, 0.6, 3.4); !near3(a, 1-b) {
		t.Errorf("asymmetric: %v vs %v", a, 1-b)
	}
}

func TestOrderByLowerBound(t *testing.T) {
	c, full := fullCatalog(t)
	e := *full
	e.Workarounds = []canon.Workaround{full.Workarounds[0], full.Workarounds[0]}
	e.Workarounds[0].SuccessRate, e.Workarounds[1].SuccessRate = 0.9, 0.5
	rr, err := New(c, Options{Outcomes: fakeOutcomes{e.ID: {Workarounds: []Tally{{DidNotWork: 5}, {Worked: 20}}}}})
	if err != nil {
		t.Fatal(err)
	}
	st := rr.Stats(&e)
	if len(st.Order) != 2 || st.Order[0] != 2 || st.FixRate() != st.Workarounds[1].Rate {
		t.Errorf("order %v, fix rate %v: the workaround with the higher lower bound comes first", st.Order, st.FixRate())
	}
	if st := r0(t, c).Stats(&e); st.Order[0] != 1 || st.FixRate() != 0.9 {
		t.Errorf("without reports the editor's order stays: %v", st.Order)
	}
}

func r0(t *testing.T, c *catalog.Catalog) *Renderer { return newRenderer(t, c) }

func near3(a, b float64) bool { return a-b < 1e-3 && b-a < 1e-3 }

func TestBaseURL(t *testing.T) {
	c := seedCatalog(t)
	r, err := New(c, Options{BaseURL: "http://localhost:8080/"})
	if err != nil {
		t.Fatal(err)
	}
	out := render(t, func(b *bytes.Buffer) error { return r.EntryHTML(b, c.Entry(seedIDs[0]), EN) })
	if !strings.Contains(out, `<link rel="canonical" href="http://localhost:8080/errors/`+seedIDs[0]+`/">`) {
		t.Error("canonical URL does not use the base URL")
	}
	if strings.Contains(out, DefaultBaseURL) {
		t.Error("page still mentions the default base URL")
	}
	for _, bad := range []string{"ftp://x", "/relative", "https://", "https://a.example/kb", "https://a.example/?q=1"} {
		if _, err := New(c, Options{BaseURL: bad}); err == nil {
			t.Errorf("base URL %q accepted", bad)
		}
	}
}

// ---- HTML helpers ----

// checkHTML parses a page and checks what every page must satisfy: a
// doctype, no inline style or event handlers, no script but JSON-LD data
// blocks, nothing loaded from another host, unique ids, and in-page
// anchors that exist.
func checkHTML(t *testing.T, s string) *html.Node {
	t.Helper()
	if !strings.HasPrefix(s, "<!DOCTYPE html>\n") {
		t.Error("page does not start with <!DOCTYPE html>")
	}
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	var anchors []string
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		for _, a := range n.Attr {
			switch {
			case a.Key == "style":
				t.Errorf("<%s> has an inline style attribute", n.Data)
			case strings.HasPrefix(a.Key, "on"):
				t.Errorf("<%s> has an event handler %s", n.Data, a.Key)
			case a.Key == "id":
				if ids[a.Val] {
					t.Errorf("duplicate id %q", a.Val)
				}
				ids[a.Val] = true
			case a.Key == "href" && strings.HasPrefix(a.Val, "#"):
				anchors = append(anchors, a.Val[1:])
			case (a.Key == "href" || a.Key == "src") && strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:"):
				t.Errorf("<%s %s=%q>", n.Data, a.Key, a.Val)
			}
		}
		switch n.Data {
		case "style", "iframe", "img", "object", "embed":
			t.Errorf("page has a <%s> element", n.Data)
		case "form":
			// Forms go to this site's own pages, with GET or POST.
			if a := attr(n, "action"); !strings.HasPrefix(a, "/") || strings.HasPrefix(a, "//") {
				t.Errorf("form action %q is not a path of this site", a)
			}
			if m := attr(n, "method"); m != "get" && m != "post" {
				t.Errorf("form method %q", m)
			}
		case "script":
			// JSON-LD data blocks, and the site's own script file.
			switch {
			case attr(n, "src") == ScriptPath() && n.FirstChild == nil:
			case attr(n, "type") == "application/ld+json" && attr(n, "src") == "":
			default:
				t.Errorf("page has a script that is neither a JSON-LD data block nor %s", ScriptPath())
			}
		case "link":
			if attr(n, "rel") == "stylesheet" && attr(n, "href") != StylesheetPath() {
				t.Errorf("stylesheet %q, want %q", attr(n, "href"), StylesheetPath())
			}
		}
	})
	for _, a := range anchors {
		if !ids[a] {
			t.Errorf("link to #%s, which does not exist", a)
		}
	}
	return doc
}

// checkHead checks canonical, hreflang alternates and Open Graph.
func checkHead(t *testing.T, doc *html.Node, canonical, enPath, zhPath string) {
	t.Helper()
	alts := map[string]string{}
	var canon string
	for _, ln := range find(doc, "link") {
		switch attr(ln, "rel") {
		case "canonical":
			canon = attr(ln, "href")
		case "alternate":
			if h := attr(ln, "hreflang"); h != "" {
				alts[h] = attr(ln, "href")
			}
		}
	}
	if canon != canonical {
		t.Errorf("canonical = %q, want %q", canon, canonical)
	}
	base := "https://errorcanon.dev"
	want := map[string]string{"en": base + enPath, "zh": base + zhPath, "x-default": base + enPath}
	if !reflect.DeepEqual(alts, want) {
		t.Errorf("hreflang alternates = %v, want %v", alts, want)
	}
	og := map[string]string{}
	for _, m := range find(doc, "meta") {
		if p := attr(m, "property"); p != "" {
			og[p] = attr(m, "content")
		}
	}
	for _, p := range []string{"og:title", "og:description", "og:type", "og:url", "og:locale", "og:site_name"} {
		if og[p] == "" {
			t.Errorf("no %s", p)
		}
	}
	if og["og:url"] != canonical {
		t.Errorf("og:url = %q, want %q", og["og:url"], canonical)
	}
}

func ldJSON(t *testing.T, doc *html.Node) map[string]any {
	t.Helper()
	var scripts []*html.Node
	for _, s := range find(doc, "script") {
		if attr(s, "type") == "application/ld+json" {
			scripts = append(scripts, s)
		}
	}
	if len(scripts) != 1 || scripts[0].FirstChild == nil {
		t.Fatalf("want one JSON-LD block, have %d", len(scripts))
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(scripts[0].FirstChild.Data), &v); err != nil {
		t.Fatalf("JSON-LD does not parse: %v", err)
	}
	if v["@context"] != "https://schema.org" {
		t.Errorf("JSON-LD @context = %v", v["@context"])
	}
	return v
}

func walk(n *html.Node, f func(*html.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func find(doc *html.Node, tag string) []*html.Node {
	var out []*html.Node
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag {
			out = append(out, n)
		}
	})
	return out
}

func findClass(doc *html.Node, class string) []*html.Node {
	var out []*html.Node
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, c := range strings.Fields(attr(n, "class")) {
				if c == class {
					out = append(out, n)
				}
			}
		}
	})
	return out
}

func byID(doc *html.Node, id string) *html.Node {
	var out *html.Node
	walk(doc, func(n *html.Node) {
		if out == nil && n.Type == html.ElementNode && attr(n, "id") == id {
			out = n
		}
	})
	if out == nil {
		return &html.Node{Type: html.DocumentNode}
	}
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// textOf is the text content of a node.
func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode && (c.Parent == nil || c.Parent.Data != "script") {
			b.WriteString(c.Data)
		}
	})
	return oneLine(b.String())
}

// visibleText is what a reader sees or hears: text nodes plus title,
// aria-label, alt and the document title.
func visibleText(doc *html.Node) string {
	var b strings.Builder
	walk(doc, func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			if n.Parent == nil || n.Parent.Data != "script" {
				b.WriteString(n.Data + " ")
			}
		case html.ElementNode:
			for _, k := range []string{"title", "aria-label", "alt"} {
				if v := attr(n, k); v != "" {
					b.WriteString(v + " ")
				}
			}
			if n.Data == "meta" && (attr(n, "name") == "description" || strings.HasPrefix(attr(n, "property"), "og:")) {
				b.WriteString(attr(n, "content") + " ")
			}
		}
	})
	return b.String()
}

func TestMarkdownCarriesEveryField(t *testing.T) {
	c, full := fullCatalog(t)
	r := newRenderer(t, c)
	for _, l := range Langs {
		md := render(t, func(b *bytes.Buffer) error { return r.EntryMarkdown(b, full, l) })
		p := func(en, zh string) string { return oneLine(pick(l, en, zh)) }
		w, d, v := full.Workarounds[0], full.DeadEnds[0], full.Versions[0]
		want := []string{
			"`" + full.ID + "`", "**ECONNRESET**", ui(l)["res_partial"], ui(l)["ver_reproduced"], ui(l)["cat_network_error"],
			"| " + mustTf(t, l, "est_pct", "55%") + " | 50% | [3](#" + anchor(ui(l)["sec_evidence"]) + ") | 2019-04-23 | 2026-10-01 |", // fix rate, confidence, evidence, first seen, last verified
			"# " + p(full.Title, full.TitleZh), "```sh\ncurl -sv https://{host}/\n```", "ss -tn state established", full.Evidence[1].URL, ui(l)["est_note"], "read ECONNRESET from api.example.com\n",
			ui(l)["rct_environment_specific"], p(full.RootCause, full.RootCauseZh), p(full.RootCauseZh, full.RootCause),
			full.Signature, full.Regex, full.Examples[0], full.Examples[1],
			p(w.Action, w.ActionZh), "new http.Agent({ keepAlive: false })", p(w.Tradeoff, w.TradeoffZh), p(w.Condition, w.ConditionZh), w.Sources[0],
			p(d.Action, d.ActionZh), p(d.WhyFails, d.WhyFailsZh), p(d.Condition, d.ConditionZh), p(d.CommonMisconception, d.CommonMisconceptionZh), d.Sources[0],
			v.Version, v.Product, "`>=18`", ui(l)["st_fixed"], "18.0.0", "20.0.0", "22.0.0", p(v.Notes, v.NotesZh), p(v.BehaviorChange, v.BehaviorChangeZh),
			p(full.OSSpecific["linux"].Note, full.OSSpecific["linux"].NoteZh), p(full.OSSpecific["windows"].Note, full.OSSpecific["windows"].NoteZh),
			"https://errorcanon.dev" + EntryPagePath(seedIDs[0], l), "https://errorcanon.dev" + EntryPagePath(seedIDs[1], l),
			"30%", "20%", p(full.Related.LeadsTo[0].Condition, full.Related.LeadsTo[0].ConditionZh),
			p(full.Related.ConfusedWith[0].Distinction, full.Related.ConfusedWith[0].DistinctionZh),
			"<" + full.Docs[0] + ">", "`node`", full.Reproduce.Script, "`proxy` `tls`",
			"https://errorcanon.dev" + EntryPaths(full.ID).JSON, "https://errorcanon.dev" + EntryMarkdownPath(full.ID, l.other()),
		}
		for _, s := range want {
			if !strings.Contains(md, s) {
				t.Errorf("%s Markdown lacks %q", l, s)
			}
		}
		for _, key := range []string{"verdict", "sec_root_cause", "sec_workarounds", "sec_dead_ends", "sec_signature", "sec_examples",
			"sec_versions", "sec_os", "sec_related", "sec_docs", "sec_reproduce", "sec_tags"} {
			if !strings.Contains(md, "\n## "+ui(l)[key]+"\n") {
				t.Errorf("%s Markdown lacks the section %q", l, ui(l)[key])
			}
		}
		// The action is the heading; the text under it is the how, never
		// the action again.
		action := p(w.Action, w.ActionZh)
		i := strings.Index(md, "### 1. "+action)
		if i < 0 {
			t.Fatalf("%s Markdown has no workaround heading", l)
		}
		body := md[i+len("### 1. "+action):]
		body = body[:strings.Index(body, "\n## ")]
		if strings.Contains(body, action) {
			t.Errorf("%s Markdown repeats the action under its heading", l)
		}
	}
}

func mustTfn(t testing.TB, l Lang, key string, n int) string {
	s, err := tfn(l, key, n)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
