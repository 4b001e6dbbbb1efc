package mcpserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	catalogdata "github.com/errorcanon/errorcanon/catalog"
	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/search"
)

// The shipped catalog, loaded once for every test.
var (
	loadOnce sync.Once
	testCat  *catalog.Catalog
	testIx   *match.Index
	testR    *render.Renderer
)

func shipped(t testing.TB) (*catalog.Catalog, *match.Index) {
	t.Helper()
	loadOnce.Do(func() {
		testCat, _ = catalog.Load(catalogdata.FS)
		testIx, _ = match.Build(testCat.Entries)
		testR, _ = render.New(testCat, render.Options{})
	})
	if len(testCat.Entries) == 0 {
		t.Fatal("the embedded catalog has no valid entries")
	}
	return testCat, testIx
}

// connect builds a server over the shipped catalog, adjusted by cfg, and
// returns a client session talking to it in memory.
func connect(t *testing.T, adjust func(*Config)) (*Server, *mcp.ClientSession) {
	t.Helper()
	c, ix := shipped(t)
	cfg := Config{Catalog: c, Index: ix, Renderer: testR, Version: "test", Logger: slog.New(slog.NewTextHandler(testWriter{t}, nil))}
	if adjust != nil {
		adjust(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, ct := mcp.NewInMemoryTransports()
	ss, err := s.MCP().Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test-client", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close(); ss.Wait() })
	return s, cs
}

// testWriter sends the server's log to the test's log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// call calls a tool and fails the test on a protocol error.
func call(t *testing.T, cs *mcp.ClientSession, name string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res
}

// ok calls a tool that must succeed and returns its text and decodes its
// structured content into out.
func ok(t *testing.T, cs *mcp.ClientSession, name string, args map[string]any, out any) string {
	t.Helper()
	res := call(t, cs, name, args)
	txt := textOf(t, res)
	if res.IsError {
		t.Fatalf("%s(%v) failed: %s", name, args, txt)
	}
	if out != nil {
		b, err := json.Marshal(res.StructuredContent)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s: structured content %s: %v", name, b, err)
		}
	}
	return txt
}

// toolError calls a tool that must fail and returns the message.
func toolError(t *testing.T, cs *mcp.ClientSession, name string, args map[string]any) string {
	t.Helper()
	res := call(t, cs, name, args)
	txt := textOf(t, res)
	if !res.IsError {
		t.Fatalf("%s(%v) succeeded, want an error; got %s", name, args, clip(txt, 300))
	}
	if res.StructuredContent != nil {
		t.Errorf("%s: an error result carries structured content %v", name, res.StructuredContent)
	}
	return txt
}

func textOf(t *testing.T, res *mcp.CallToolResult) string {
	t.Helper()
	if len(res.Content) != 1 {
		t.Fatalf("want one content block, got %d", len(res.Content))
	}
	tc, ok := res.Content[0].(*mcp.TextContent)
	if !ok {
		t.Fatalf("content is %T, want text", res.Content[0])
	}
	return tc.Text
}

func wantContains(t *testing.T, what, got string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(got, s) {
			t.Errorf("%s lacks %q:\n%s", what, s, got)
		}
	}
}

// pythonTrace is a typical 40-line failure: a pytest run whose import
// fails, with the frames and log noise around the error.
const pythonTrace = `$ python -m pytest tests/test_api.py -x
============================= test session starts ==============================
platform linux -- Python 3.12.3, pytest-8.2.0, pluggy-1.5.0
rootdir: /home/dev/project
configfile: pyproject.toml
plugins: anyio-4.3.0, cov-5.0.0
collected 0 items / 1 error

==================================== ERRORS ====================================
_____________________ ERROR collecting tests/test_api.py ______________________
ImportError while importing test module '/home/dev/project/tests/test_api.py'.
Hint: make sure your test modules/packages have valid Python names.
Traceback:
/usr/lib/python3.12/importlib/__init__.py:90: in import_module
    return _bootstrap._gcd_import(name[level:], package, level)
tests/test_api.py:3: in <module>
    from project.api import create_app
project/api/__init__.py:1: in <module>
    from .app import create_app
project/api/app.py:5: in <module>
    from .routes import register
project/api/routes.py:2: in <module>
    import requests
E   ModuleNotFoundError: No module named 'requests'
=========================== short test summary info ============================
ERROR tests/test_api.py
!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!
=============================== 1 error in 0.12s ===============================
Traceback (most recent call last):
  File "/home/dev/project/scripts/run.py", line 12, in <module>
    main()
  File "/home/dev/project/scripts/run.py", line 8, in main
    from project.api import create_app
  File "/home/dev/project/project/api/__init__.py", line 1, in <module>
    from .app import create_app
  File "/home/dev/project/project/api/app.py", line 5, in <module>
    from .routes import register
  File "/home/dev/project/project/api/routes.py", line 2, in <module>
    import requests
ModuleNotFoundError: No module named 'requests'
make: *** [Makefile:14: test] Error 1`

const pythonID = "python/module-not-found-error"

func TestToolsAreDescribedForAModel(t *testing.T) {
	_, cs := connect(t, nil)
	res, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range res.Tools {
		names = append(names, tool.Name)
		if len(tool.Description) < 80 {
			t.Errorf("%s: description too thin for a model: %q", tool.Name, tool.Description)
		}
		if tool.Annotations == nil || !tool.Annotations.ReadOnlyHint {
			t.Errorf("%s: want readOnlyHint", tool.Name)
		}
		for what, sch := range map[string]any{"input": tool.InputSchema, "output": tool.OutputSchema} {
			b, _ := json.Marshal(sch)
			var s jsonschema.Schema
			if err := json.Unmarshal(b, &s); err != nil || s.Type != "object" {
				t.Errorf("%s: %s schema is not an object schema: %s", tool.Name, what, b)
				continue
			}
			for name, p := range s.Properties {
				if strings.TrimSpace(p.Description) == "" {
					t.Errorf("%s: %s property %q has no description", tool.Name, what, name)
				}
			}
		}
	}
	want := []string{"match_error", "batch_match", "get_error", "list_domains", "list_errors", "get_related", "get_stats"}
	if !slices.Equal(names, want) && !slices.Equal(sorted(names), sorted(want)) {
		t.Errorf("tools = %v, want %v (search_errors, report_outcome and submit_error only with their services)", names, want)
	}
}

func sorted(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }

func TestMatchErrorAnswersDeadEndsFirst(t *testing.T) {
	_, cs := connect(t, nil)
	var out matchOutput
	md := ok(t, cs, "match_error", map[string]any{"text": pythonTrace}, &out)
	if !out.Matched || len(out.Results) == 0 || out.Results[0].ID != pythonID {
		t.Fatalf("want %s matched first, got %+v", pythonID, out)
	}
	top := out.Results[0]
	if top.Line != 40 || !strings.Contains(top.MatchedText, "requests") {
		t.Errorf("span: line %d %q, want the last ModuleNotFoundError line (40)", top.Line, top.MatchedText)
	}
	if len(top.DeadEnds) == 0 || len(top.Workarounds) == 0 {
		t.Fatalf("top result lacks dead ends or workarounds: %+v", top)
	}
	dont, do := strings.Index(md, top.DeadEnds[0].Action), strings.Index(md, top.Workarounds[0].Action)
	if dont < 0 || do < 0 || dont > do {
		t.Errorf("the Markdown must show the dead ends, then the workarounds:\n%s", md)
	}
	var cmd string
	for _, w := range top.Workarounds {
		if w.Command != "" {
			cmd = w.Command
			break
		}
	}
	if cmd == "" {
		t.Fatal("no workaround of the entry has a command; pick an entry with one")
	}
	wantContains(t, "answer", md, "`"+pythonID+"` · matched", "`"+cmd+"`", "get_error", "https://errorcanon.dev/errors/"+pythonID+"/")
	if len(out.Results) > 3 {
		t.Errorf("default limit is 3, got %d results", len(out.Results))
	}
}

func TestMatchErrorInChinese(t *testing.T) {
	_, cs := connect(t, nil)
	var out matchOutput
	md := ok(t, cs, "match_error", map[string]any{"text": pythonTrace, "lang": "zh", "limit": 1}, &out)
	e := testCat.Entry(pythonID)
	wantContains(t, "Chinese answer", md, "别做", "去做", e.DeadEnds[0].ActionZh, "/errors/"+pythonID+"/zh.html")
	if len(out.Results) != 1 || out.Results[0].Workarounds[0].Action != e.Workarounds[0].ActionZh {
		t.Errorf("structured content is not in Chinese or ignores limit: %+v", out.Results)
	}
}

func TestMatchErrorWithoutAMatch(t *testing.T) {
	// The hint names search_errors only when the server has it.
	for _, c := range []struct {
		name     string
		adjust   func(*Config)
		want     []string
		dontWant string
	}{
		{"with search", func(c *Config) { c.Search = fakeSearch{}.Search }, []string{"No entry", "search_errors"}, "list_errors"},
		{"without search", nil, []string{"No entry", "list_errors"}, "search_errors"},
	} {
		_, cs := connect(t, c.adjust)
		var out matchOutput
		md := ok(t, cs, "match_error", map[string]any{"text": "qwzx vbnm plokij 1234"}, &out)
		if out.Matched || len(out.Results) != 0 {
			t.Errorf("%s: gibberish matched: %+v", c.name, out)
		}
		wantContains(t, c.name+": no-match answer", md, c.want...)
		if strings.Contains(md, c.dontWant) {
			t.Errorf("%s: no-match answer names %s:\n%s", c.name, c.dontWant, md)
		}
	}

	_, cs := connect(t, nil)
	var out matchOutput

	// A domain filter that excludes the right entry leaves, at most, look-alikes.
	md := ok(t, cs, "match_error", map[string]any{"text": pythonTrace, "domain": "rust"}, &out)
	for _, r := range out.Results {
		if r.Domain != "rust" {
			t.Errorf("domain filter ignored: %s", r.ID)
		}
	}
	if out.Matched {
		t.Errorf("a Python traceback matched a rust entry exactly: %s", md)
	}
}

// TestMatchErrorNotKnown: look-alikes are named as such, by title and
// link, and the agent is told plainly the error is not in the catalog;
// no dead end, workaround or command of theirs reaches it.
func TestMatchErrorNotKnown(t *testing.T) {
	_, cs := connect(t, nil)
	var out matchOutput
	md := ok(t, cs, "match_error", map[string]any{"text": "fatal not a git repository or any of the parent directories git"}, &out)
	if out.Matched || len(out.Results) == 0 {
		t.Fatalf("want look-alikes and matched=false, got %+v\n%s", out, md)
	}
	wantContains(t, "not-known answer", md, "not in the ErrorCanon catalog", "Closest entries (not matches)", out.Results[0].URL)
	for _, advice := range []string{"Don't", "Do (best first)", "✗", "✓", "run:", "Cause:"} {
		if strings.Contains(md, advice) {
			t.Errorf("a look-alike comes with %q:\n%s", advice, md)
		}
	}
	for _, r := range out.Results {
		if r.Kind != "fuzzy" || len(r.DeadEnds)+len(r.Workarounds) > 0 || r.RootCause != "" {
			t.Errorf("look-alike carries advice in structured content: %+v", r)
		}
	}
}

// TestTokenEconomy: a typical 40-line traceback answers in under 1,500
// tokens (characters / 4) and still carries the top entry's dead ends and
// workarounds.
func TestTokenEconomy(t *testing.T) {
	if n := strings.Count(pythonTrace, "\n") + 1; n != 42 && n != 40 && n != 41 {
		t.Fatalf("the trace has %d lines; keep it about 40", n)
	}
	_, cs := connect(t, nil)
	for _, lang := range []string{"en", "zh"} {
		var out matchOutput
		md := ok(t, cs, "match_error", map[string]any{"text": pythonTrace, "lang": lang}, &out)
		tokens := len(md) / 4
		t.Logf("%s: %d chars, about %d tokens, %d results", lang, len(md), tokens, len(out.Results))
		if tokens >= 1500 {
			t.Errorf("%s: answer is about %d tokens, want < 1500:\n%s", lang, tokens, md)
		}
		top := out.Results[0]
		if len(top.DeadEnds) < 2 || len(top.Workarounds) < 2 {
			t.Fatalf("want at least two dead ends and workarounds in the answer, got %d and %d", len(top.DeadEnds), len(top.Workarounds))
		}
		for _, d := range top.DeadEnds {
			wantContains(t, lang+" answer", md, oneLine(d.Action))
		}
		for _, w := range top.Workarounds {
			wantContains(t, lang+" answer", md, oneLine(w.Action))
		}
	}
}

func TestBatchMatch(t *testing.T) {
	_, cs := connect(t, nil)
	var out batchOutput
	md := ok(t, cs, "batch_match", map[string]any{"texts": []string{
		pythonTrace,
		"   ",
		"fatal: not a git repository (or any of the parent directories): .git",
	}}, &out)
	if len(out.Items) != 3 {
		t.Fatalf("want 3 items, got %+v", out)
	}
	if it := out.Items[0]; !it.Matched || it.Results[0].ID != pythonID || len(it.Results) != 1 {
		t.Errorf("item 0: %+v", it)
	}
	if it := out.Items[1]; it.Error == "" || it.Matched {
		t.Errorf("item 1 (blank) should carry an error: %+v", it)
	}
	if it := out.Items[2]; !it.Matched || !strings.HasPrefix(it.Results[0].ID, "git/") {
		t.Errorf("item 2: %+v", it)
	}
	wantContains(t, "batch answer", md, "# Text 0", "# Text 1", "# Text 2", pythonID)

	msg := toolError(t, cs, "batch_match", map[string]any{"texts": slices.Repeat([]string{"x"}, maxBatch+1)})
	wantContains(t, "too many texts", msg, "texts", "batch_match takes:")
	msg = toolError(t, cs, "batch_match", map[string]any{"texts": []string{strings.Repeat("a", maxText/2+1), strings.Repeat("b", maxText/2+1)}})
	wantContains(t, "oversize batch", msg, "4 MiB", "fewer or shorter")
}

func TestGetError(t *testing.T) {
	_, cs := connect(t, nil)
	var out getOutput
	md := ok(t, cs, "get_error", map[string]any{"id": pythonID}, &out)
	e := testCat.Entry(pythonID)
	if out.ID != pythonID || out.Entry == nil || out.Entry.Signature != e.Signature || len(out.Entry.Workarounds) != len(e.Workarounds) {
		t.Errorf("structured entry: %+v", out)
	}
	wantContains(t, "Markdown", md, e.Signature, e.Workarounds[len(e.Workarounds)-1].Action, e.DeadEnds[len(e.DeadEnds)-1].Action)

	zh := ok(t, cs, "get_error", map[string]any{"id": pythonID, "lang": "zh"}, &out)
	wantContains(t, "Chinese Markdown", zh, e.Workarounds[0].ActionZh)
	if !strings.HasSuffix(out.URL, "/zh.html") {
		t.Errorf("zh url %q", out.URL)
	}

	js := ok(t, cs, "get_error", map[string]any{"id": pythonID, "format": "json"}, nil)
	var doc map[string]any
	if err := json.Unmarshal([]byte(js), &doc); err != nil || doc["id"] != pythonID || doc["stats"] == nil {
		t.Errorf("format json is not the site's JSON form (%v): %.300s", err, js)
	}

	// The forms people paste work as ids.
	for _, id := range []string{"https://errorcanon.dev/errors/" + pythonID + "/", "errorcanon://errors/" + pythonID, " /" + pythonID + "/index.json ", "PYTHON/Module-Not-Found-Error"} {
		ok(t, cs, "get_error", map[string]any{"id": id}, nil)
	}
}

func TestUnknownIDsSuggestAlternatives(t *testing.T) {
	_, cs := connect(t, nil)
	msg := toolError(t, cs, "get_error", map[string]any{"id": "python/module-not-found"})
	wantContains(t, "unknown id", msg, `no entry "python/module-not-found"`, pythonID, "match_error")
	msg = toolError(t, cs, "get_related", map[string]any{"id": "../../etc/passwd"})
	wantContains(t, "hostile id", msg, "no entry", "domain/slug")
	msg = toolError(t, cs, "get_error", map[string]any{"id": ""})
	wantContains(t, "empty id", msg, "id is empty")
}

func TestListDomains(t *testing.T) {
	_, cs := connect(t, nil)
	var out domainsOutput
	// nil arguments travel as "arguments": null, which must work too.
	md := ok(t, cs, "list_domains", nil, &out)
	sum := 0
	for _, d := range out.Domains {
		sum += d.Entries
		wantContains(t, "domains", md, "- "+d.ID+" (")
	}
	if len(out.Domains) != len(testCat.Domains) || sum != len(testCat.Entries) || out.Entries != sum {
		t.Errorf("domains %d (want %d), entries %d and %d (want %d)", len(out.Domains), len(testCat.Domains), sum, out.Entries, len(testCat.Entries))
	}
	ok(t, cs, "list_domains", map[string]any{"lang": "zh"}, &out)
	if out.Domains[0].Description != testCat.Domains[0].DescriptionZh {
		t.Errorf("zh description: %q", out.Domains[0].Description)
	}
}

func TestListErrorsPagesThroughEverything(t *testing.T) {
	_, cs := connect(t, nil)
	for _, sort := range []string{"fix_rate", "confidence", "name", "newest"} {
		seen := map[string]bool{}
		cursor := ""
		var prev *listItem
		for pages := 0; ; pages++ {
			if pages > 100 {
				t.Fatal("paging does not end")
			}
			args := map[string]any{"domain": "python", "sort": sort, "limit": 7}
			if cursor != "" {
				args["cursor"] = cursor
			}
			var out listOutput
			ok(t, cs, "list_errors", args, &out)
			for i, e := range out.Errors {
				if seen[e.ID] {
					t.Fatalf("%s: %s on two pages", sort, e.ID)
				}
				seen[e.ID] = true
				if prev != nil && !inOrder(*prev, e, sort) {
					t.Errorf("%s: %s before %s", sort, prev.ID, e.ID)
				}
				prev = &out.Errors[i]
			}
			if out.Total != len(testCat.InDomain("python")) {
				t.Fatalf("total %d", out.Total)
			}
			if cursor = out.NextCursor; cursor == "" {
				break
			}
		}
		if len(seen) != len(testCat.InDomain("python")) {
			t.Errorf("%s: paged through %d of %d entries", sort, len(seen), len(testCat.InDomain("python")))
		}
	}

	var out listOutput
	ok(t, cs, "list_errors", map[string]any{"category": "import_error", "resolvable": "true"}, &out)
	for _, e := range out.Errors {
		if e.Category != "import_error" || e.Resolvable != "true" {
			t.Errorf("filters ignored: %+v", e)
		}
	}
	ok(t, cs, "list_errors", map[string]any{"domain": "python", "limit": 2}, &out)
	msg := toolError(t, cs, "list_errors", map[string]any{"domain": "go", "limit": 2, "cursor": out.NextCursor})
	wantContains(t, "cursor of another listing", msg, "same filters")
	msg = toolError(t, cs, "list_errors", map[string]any{"cursor": "not-a-cursor!"})
	wantContains(t, "bad cursor", msg, "leave cursor out")
}

func inOrder(a, b listItem, by string) bool {
	switch by {
	case "fix_rate":
		return a.FixRate > b.FixRate || a.FixRate == b.FixRate && a.ID < b.ID
	case "confidence":
		return a.Confidence > b.Confidence || a.Confidence == b.Confidence && a.ID < b.ID
	case "newest":
		return a.FirstSeen > b.FirstSeen || a.FirstSeen == b.FirstSeen && a.ID < b.ID
	}
	ta, tb := strings.ToLower(a.Title), strings.ToLower(b.Title) // name: by title
	return ta < tb || ta == tb && a.ID < b.ID
}

func TestGetRelatedFollowsLinksBothWays(t *testing.T) {
	_, cs := connect(t, nil)
	// An entry that another one leads to.
	var from, to string
	for _, e := range testCat.Entries {
		if len(e.Related.LeadsTo) > 0 {
			from, to = e.ID, e.Related.LeadsTo[0].ID
			break
		}
	}
	if from == "" {
		t.Skip("no entry of the shipped catalog has a leads_to link")
	}
	var out relatedOutput
	md := ok(t, cs, "get_related", map[string]any{"id": from}, &out)
	if !hasLink(out, from, "leads_to", to) {
		t.Errorf("%s: missing leads_to %s: %+v", from, to, out)
	}
	wantContains(t, "related answer", md, from+" leads_to "+to)
	ok(t, cs, "get_related", map[string]any{"id": to}, &out)
	if !hasLink(out, to, "preceded_by", from) {
		t.Errorf("%s: the inverse link preceded_by %s is missing: %+v", to, from, out)
	}
	var deep relatedOutput
	ok(t, cs, "get_related", map[string]any{"id": to, "depth": 3}, &deep)
	if len(deep.Related) < len(out.Related) {
		t.Errorf("depth 3 found fewer entries (%d) than depth 1 (%d)", len(deep.Related), len(out.Related))
	}
	for _, r := range deep.Related {
		if r.Depth < 1 || r.Depth > 3 || r.ID == to {
			t.Errorf("bad node %+v", r)
		}
	}
	msg := toolError(t, cs, "get_related", map[string]any{"id": to, "depth": 4})
	wantContains(t, "depth 4", msg, "depth", "1 to 3")
}

func hasLink(out relatedOutput, from, rel, to string) bool {
	for _, r := range out.Related {
		if r.From == from && r.Relation == rel && r.ID == to {
			return true
		}
	}
	return false
}

func TestGetStats(t *testing.T) {
	_, cs := connect(t, nil)
	var out statsOutput
	md := ok(t, cs, "get_stats", nil, &out)
	domains := 0 // with at least one entry
	for _, d := range testCat.Domains {
		if len(testCat.InDomain(d.ID)) > 0 {
			domains++
		}
	}
	if out.Entries != len(testCat.Entries) || out.Domains != domains {
		t.Errorf("entries %d domains %d, want %d and %d", out.Entries, out.Domains, len(testCat.Entries), domains)
	}
	for name, rows := range map[string][]countRow{"domain": out.ByDomain, "category": out.ByCategory, "verification": out.ByVerification, "resolvable": out.ByResolvable} {
		sum := 0
		for _, c := range rows {
			sum += c.Count
		}
		if sum != out.Entries {
			t.Errorf("by %s adds up to %d, want %d", name, sum, out.Entries)
		}
	}
	if out.MeanFixRate <= 0 || out.MeanFixRate > 1 {
		t.Errorf("mean fix rate %v", out.MeanFixRate)
	}
	wantContains(t, "stats", md, fmt.Sprintf("%d entries", out.Entries), "By domain: ")
}

// TestBadInput: every kind of bad input gets an error that says what to
// send instead, and the session keeps working afterwards.
func TestBadInput(t *testing.T) {
	_, cs := connect(t, nil)
	ctx := context.Background()

	_, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "match_errors", Arguments: map[string]any{"text": "x"}})
	if err == nil {
		t.Fatal("unknown tool: no error")
	}
	wantContains(t, "unknown tool", err.Error(), `unknown tool "match_errors"`, "match_error, batch_match", `{"text"`)

	cases := []struct {
		tool string
		args map[string]any
		want []string
	}{
		{"match_error", map[string]any{}, []string{"invalid arguments for match_error", "text", "text (string, required)"}},
		{"match_error", map[string]any{"text": 42}, []string{"invalid arguments", "text (string, required)"}},
		{"match_error", map[string]any{"text": "x", "limit": "three"}, []string{"limit", "1 to 10"}},
		{"match_error", map[string]any{"text": "x", "limit": 0}, []string{"limit", "1 to 10"}},
		{"match_error", map[string]any{"text": "x", "lang": "fr"}, []string{"lang", "one of en|zh"}},
		{"match_error", map[string]any{"text": "x", "domain": "cobol"}, []string{"domain", "python"}},
		{"match_error", map[string]any{"txt": "x"}, []string{"txt", "Send these names only"}},
		{"match_error", map[string]any{"text": strings.Repeat("x", maxText+1)}, []string{"4 MiB", "last 200 lines"}},
		{"match_error", map[string]any{"text": " \n\t "}, []string{"text is empty"}},
		{"batch_match", map[string]any{"texts": "one text"}, []string{"texts (string[], required"}},
		{"batch_match", map[string]any{"texts": []string{}}, []string{"texts"}},
		{"get_error", map[string]any{"id": "python/nope", "format": "xml"}, []string{"format", "markdown|json"}},
		{"get_error", map[string]any{"id": []string{pythonID}}, []string{"id (string, required)"}},
		{"list_errors", map[string]any{"sort": "popularity"}, []string{"sort", "fix_rate|confidence|name|newest"}},
		{"list_errors", map[string]any{"limit": 1000}, []string{"limit", "1 to 100"}},
		{"get_stats", map[string]any{"x": 1}, []string{"get_stats takes no arguments"}},
	}
	for _, c := range cases {
		msg := toolError(t, cs, c.tool, c.args)
		wantContains(t, fmt.Sprintf("%s(%.60v)", c.tool, c.args), msg, c.want...)
	}

	// Still serving.
	var out matchOutput
	ok(t, cs, "match_error", map[string]any{"text": pythonTrace}, &out)
	if !out.Matched {
		t.Error("the session stopped matching after bad input")
	}
}

func TestResourceTemplate(t *testing.T) {
	_, cs := connect(t, nil)
	ctx := context.Background()
	lt, err := cs.ListResourceTemplates(ctx, nil)
	if err != nil || len(lt.ResourceTemplates) != 2 || lt.ResourceTemplates[0].URITemplate != "errorcanon://errors/{domain}/{slug}" || lt.ResourceTemplates[1].URITemplate != "errorcanon://errors/{domain}/{slug}/zh" {
		t.Fatalf("templates: %+v, %v", lt, err)
	}
	res, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: EntryURI(pythonID)})
	if err != nil {
		t.Fatal(err)
	}
	e := testCat.Entry(pythonID)
	if len(res.Contents) != 1 || res.Contents[0].MIMEType != "text/markdown" || !strings.Contains(res.Contents[0].Text, e.Workarounds[0].Action) {
		t.Errorf("resource: %+v", res.Contents)
	}
	res, err = cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: EntryURI(pythonID) + "/zh"})
	if err != nil || !strings.Contains(res.Contents[0].Text, e.Workarounds[0].ActionZh) {
		t.Errorf("Chinese resource: %v %v", res, err)
	}
	for _, uri := range []string{EntryURI("python/no-such-entry"), EntryURI("python/no-such-entry/zh"), EntryURI(pythonID + "/en"), EntryURI("../catalog/domains"), "errorcanon://errors/python", "file:///etc/passwd"} {
		if _, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: uri}); err == nil {
			t.Errorf("%s: read succeeded", uri)
		}
	}
}

func TestDebugErrorPrompt(t *testing.T) {
	_, cs := connect(t, nil)
	ctx := context.Background()
	lp, err := cs.ListPrompts(ctx, nil)
	if err != nil || len(lp.Prompts) != 1 || lp.Prompts[0].Name != "debug_error" {
		t.Fatalf("prompts: %+v, %v", lp, err)
	}
	res, err := cs.GetPrompt(ctx, &mcp.GetPromptParams{Name: "debug_error", Arguments: map[string]string{"error": pythonTrace, "context": "running the tests"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Messages) != 2 {
		t.Fatalf("want the instructions and the embedded entry, got %d messages", len(res.Messages))
	}
	txt := res.Messages[0].Content.(*mcp.TextContent).Text
	e := testCat.Entry(pythonID)
	wantContains(t, "prompt", txt, "ModuleNotFoundError: No module named 'requests'", "running the tests", e.DeadEnds[0].Action, "Do not try the dead ends")
	emb, isEmb := res.Messages[1].Content.(*mcp.EmbeddedResource)
	if !isEmb || emb.Resource.URI != EntryURI(pythonID) {
		t.Errorf("second message: %+v", res.Messages[1].Content)
	}

	res, err = cs.GetPrompt(ctx, &mcp.GetPromptParams{Name: "debug_error", Arguments: map[string]string{"error": "zzqv unknown thing"}})
	if err != nil || len(res.Messages) != 1 || !strings.Contains(res.Messages[0].Content.(*mcp.TextContent).Text, "search_errors") {
		t.Errorf("no-match prompt: %+v %v", res, err)
	}
	for _, c := range []struct {
		args map[string]string
		want string
	}{
		{map[string]string{}, "error argument is empty"},
		{map[string]string{"error": "x", "lang": "de"}, "lang must be en or zh"},
		{map[string]string{"error": strings.Repeat("x", maxText+1)}, "last 200 lines"},
	} {
		if _, err := cs.GetPrompt(ctx, &mcp.GetPromptParams{Name: "debug_error", Arguments: c.args}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("debug_error(%.40v): %v", c.args, err)
		}
	}
	if _, err := cs.GetPrompt(ctx, &mcp.GetPromptParams{Name: "no_such_prompt"}); err == nil {
		t.Error("unknown prompt: no error")
	}
}

// ---- the seams for the store and the search index ----

type fakeStore struct {
	mu          sync.Mutex
	outcomes    []Outcome
	submissions []Submission
}

func (f *fakeStore) RecordOutcome(_ context.Context, o Outcome) (Receipt, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.outcomes = append(f.outcomes, o)
	return Receipt{ID: fmt.Sprint(len(f.outcomes)), Message: "thanks"}, nil
}

func (f *fakeStore) SubmitError(_ context.Context, s Submission) (Receipt, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if strings.Contains(s.Text, "fail") {
		return Receipt{}, errors.New("store unavailable; try again later")
	}
	f.submissions = append(f.submissions, s)
	return Receipt{ID: "s1", Message: "queued for review"}, nil
}

type fakeSearch struct{ ids []string }

func (f fakeSearch) Search(_ context.Context, q search.Query) (*search.Results, error) {
	res := &search.Results{Query: q.Text, Total: len(f.ids), Page: q.Page, PerPage: q.PerPage, Hits: []search.Hit{}}
	for i := (q.Page - 1) * q.PerPage; i < len(f.ids) && len(res.Hits) < q.PerPage; i++ {
		res.Hits = append(res.Hits, search.Hit{ID: f.ids[i], Score: 1, Snippets: []search.Snippet{{Field: "signature", HTML: "…" + q.Text + "…"}}})
	}
	return res, nil
}

func TestSeamsRegisterToolsOnlyWithTheirServices(t *testing.T) {
	store := &fakeStore{}
	ids := []string{pythonID, "python/import-error-cannot-import-name", "python/no-longer-in-catalog", "python/name-error-name-is-not-defined"}
	s, cs := connect(t, func(c *Config) {
		c.Outcomes, c.Submissions, c.Search = store, store, fakeSearch{ids}.Search
	})
	for _, n := range []string{"search_errors", "report_outcome", "submit_error"} {
		if s.tool(n) == nil {
			t.Errorf("%s not registered with its service", n)
		}
	}
	var rc Receipt
	ok(t, cs, "report_outcome", map[string]any{"id": pythonID, "workaround": 1, "outcome": "worked_with_changes", "os": "linux", "reporter": "agent-1"}, &rc)
	if len(store.outcomes) != 1 || store.outcomes[0] != (Outcome{ID: pythonID, Workaround: 1, Outcome: "worked_with_changes", OS: "linux", Reporter: "agent-1"}) || rc.ID != "1" {
		t.Errorf("outcome: %+v, receipt %+v", store.outcomes, rc)
	}
	wantContains(t, "both", toolError(t, cs, "report_outcome", map[string]any{"id": pythonID, "workaround": 1, "dead_end": 1, "outcome": "did_not_work"}), "exactly one")
	wantContains(t, "range", toolError(t, cs, "report_outcome", map[string]any{"id": pythonID, "workaround": 99, "outcome": "did_not_work"}), "workaround must be 1 to")
	wantContains(t, "dead end range", toolError(t, cs, "report_outcome", map[string]any{"id": pythonID, "dead_end": 50, "outcome": "did_not_work"}), "dead_end must be 1 to")
	wantContains(t, "unknown id", toolError(t, cs, "report_outcome", map[string]any{"id": "python/nope", "workaround": 1, "outcome": "worked"}), "no entry")
	wantContains(t, "long note", toolError(t, cs, "report_outcome", map[string]any{"id": pythonID, "workaround": 1, "outcome": "worked", "note": strings.Repeat("n", 5000)}), "note is longer")
	wantContains(t, "missing outcome", toolError(t, cs, "report_outcome", map[string]any{"id": pythonID, "workaround": 1}), "outcome")
	wantContains(t, "wrong outcome", toolError(t, cs, "report_outcome", map[string]any{"id": pythonID, "workaround": 1, "outcome": "fixed"}), "worked|worked_with_changes|did_not_work")
	if len(store.outcomes) != 1 {
		t.Errorf("rejected reports reached the store: %+v", store.outcomes)
	}
	ok(t, cs, "submit_error", map[string]any{"text": "new error", "solution": "restart"}, &rc)
	if len(store.submissions) != 1 || store.submissions[0] != (Submission{Text: "new error", Solution: "restart"}) {
		t.Errorf("submission: %+v", store.submissions)
	}
	wantContains(t, "empty submission", toolError(t, cs, "submit_error", map[string]any{"text": " "}), "text is empty")
	wantContains(t, "big submission", toolError(t, cs, "submit_error", map[string]any{"text": strings.Repeat("x", 65<<10)}), "64 KiB")
	wantContains(t, "store failure", toolError(t, cs, "submit_error", map[string]any{"text": "this will fail"}), "try again later")

	var out searchOutput // reset before each call: absent fields do not overwrite
	md := ok(t, cs, "search_errors", map[string]any{"query": "no module", "limit": 2}, &out)
	if out.Total != 4 || len(out.Hits) != 2 || out.Hits[0].ID != pythonID || out.NextCursor == "" {
		t.Fatalf("search page 1: %+v", out)
	}
	wantContains(t, "search answer", md, pythonID, "cursor=")
	next := out.NextCursor
	out = searchOutput{}
	ok(t, cs, "search_errors", map[string]any{"query": "no module", "limit": 2, "cursor": next}, &out)
	if len(out.Hits) != 1 || out.Hits[0].ID != "python/name-error-name-is-not-defined" || out.NextCursor != "" {
		t.Errorf("search page 2 (an id the catalog lacks is skipped): %+v", out)
	}
	wantContains(t, "empty query", toolError(t, cs, "search_errors", map[string]any{"query": "  "}), "query is empty")

	// Without the services the tools are absent, not stubs.
	s, _ = connect(t, nil)
	for _, n := range []string{"search_errors", "report_outcome", "submit_error"} {
		if s.tool(n) != nil {
			t.Errorf("%s registered without its service", n)
		}
	}
}

// ---- streamable HTTP ----

func TestStreamableHTTP(t *testing.T) {
	c, ix := shipped(t)
	s, err := New(Config{Catalog: c, Index: ix, Renderer: testR})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	ctx := context.Background()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "http-client", Version: "1"}, nil).Connect(ctx, &mcp.StreamableClientTransport{Endpoint: hs.URL}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	var out matchOutput
	ok(t, cs, "match_error", map[string]any{"text": pythonTrace}, &out)
	if !out.Matched || out.Results[0].ID != pythonID {
		t.Errorf("over HTTP: %+v", out)
	}
	toolError(t, cs, "match_error", map[string]any{"text": 1})
	if _, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "nope"}); err == nil || !strings.Contains(err.Error(), "match_error") {
		t.Errorf("unknown tool over HTTP: %v", err)
	}

	// Raw requests: malformed JSON and a GET get HTTP errors; the server
	// goes on serving.
	for _, r := range []struct {
		method, body string
		want         int
	}{
		{"POST", `{"jsonrpc":"2.0","id":1,"method":`, http.StatusBadRequest},
		{"GET", "", http.StatusMethodNotAllowed},
	} {
		req, _ := http.NewRequest(r.method, hs.URL, strings.NewReader(r.body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != r.want {
			t.Errorf("%s %q: status %d, want %d", r.method, r.body, resp.StatusCode, r.want)
		}
	}
	ok(t, cs, "get_stats", nil, nil)
}

func TestDNSRebindingProtection(t *testing.T) {
	c, ix := shipped(t)
	s, err := New(Config{Catalog: c, Index: ix, Renderer: testR})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler("errorcanon.dev"))
	defer hs.Close()
	body := `{"jsonrpc":"2.0","id":1,"method":"ping"}`
	for host, want := range map[string]int{"evil.example": http.StatusForbidden, "errorcanon.dev": http.StatusOK, "errorcanon.dev:443": http.StatusOK, "localhost:1": http.StatusOK} {
		req, _ := http.NewRequest("POST", hs.URL, strings.NewReader(body))
		req.Host = host
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %s: status %d, want %d", host, resp.StatusCode, want)
		}
	}
}

func TestServerCard(t *testing.T) {
	s, _ := connect(t, nil)
	var card map[string]any
	if err := json.Unmarshal(s.CardJSON("https://errorcanon.dev/mcp"), &card); err != nil {
		t.Fatal(err)
	}
	if card["name"] != CardName || card["version"] != "test" || card["description"] == "" {
		t.Errorf("identity: %v", card)
	}
	remotes, _ := card["remotes"].([]any)
	if len(remotes) != 1 || remotes[0].(map[string]any)["url"] != "https://errorcanon.dev/mcp" || remotes[0].(map[string]any)["type"] != "streamable-http" {
		t.Errorf("remotes: %v", card["remotes"])
	}
	tools, _ := card["_meta"].(map[string]any)["dev.errorcanon/tools"].([]any)
	if len(tools) != len(s.Tools()) {
		t.Fatalf("card lists %d tools, server has %d", len(tools), len(s.Tools()))
	}
	for i, tool := range tools {
		m := tool.(map[string]any)
		if m["name"] != s.Tools()[i].Name || m["inputSchema"] == nil || m["description"] == "" {
			t.Errorf("card tool %d: %v", i, m)
		}
	}
}

func TestCompletion(t *testing.T) {
	_, cs := connect(t, nil)
	ctx := context.Background()
	complete := func(ref *mcp.CompleteReference, name, value string, ctxArgs map[string]string) []string {
		t.Helper()
		p := &mcp.CompleteParams{Ref: ref, Argument: mcp.CompleteParamsArgument{Name: name, Value: value}}
		if ctxArgs != nil {
			p.Context = &mcp.CompleteContext{Arguments: ctxArgs}
		}
		res, err := cs.Complete(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		return res.Completion.Values
	}
	tmpl := &mcp.CompleteReference{Type: "ref/resource", URI: EntryTemplate}
	if got := complete(tmpl, "domain", "pyth", nil); !slices.Equal(got, []string{"python"}) {
		t.Errorf("domain pyth: %v", got)
	}
	got := complete(tmpl, "slug", "module-", map[string]string{"domain": "python"})
	if !slices.Contains(got, "module-not-found-error") {
		t.Errorf("slug module- in python: %v", got)
	}
	for _, s := range got {
		if testCat.Entry("python/"+s) == nil {
			t.Errorf("%s is not a python slug", s)
		}
	}
	if got := complete(&mcp.CompleteReference{Type: "ref/prompt", Name: "debug_error"}, "lang", "", nil); !slices.Equal(got, []string{"en", "zh"}) {
		t.Errorf("prompt lang: %v", got)
	}
	if got := complete(&mcp.CompleteReference{Type: "ref/resource", URI: "file:///x"}, "domain", "", nil); len(got) != 0 {
		t.Errorf("foreign template: %v", got)
	}
}
