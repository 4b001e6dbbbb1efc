package importer

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/errorcanon/errorcanon/internal/canon"
)

// peerCanon is a deadends.dev canon file as the peer publishes it; tests
// change one field at a time.
func peerCanon() map[string]any {
	return map[string]any{
		"schema_version": "1.0.0",
		"id":             "python/modulenotfounderror/py311-linux",
		"url":            "https://deadends.dev/python/modulenotfounderror/py311-linux",
		"error": map[string]any{
			"signature": "ModuleNotFoundError: No module named 'requests'",
			"regex":     `ModuleNotFoundError: No module named '([\w.]+)'`,
			"domain":    "python", "category": "module_error",
			"first_seen": "2023-01-01", "last_confirmed": "2026-02-11",
		},
		"environment": map[string]any{"runtime": map[string]any{"name": "python", "version_range": ">=3.11,<3.13"}, "os": "linux"},
		"verdict": map[string]any{"resolvable": "true", "fix_success_rate": 0.9, "confidence": 0.9,
			"summary": "The interpreter that runs the script has no package of that name on its sys.path."},
		"dead_ends": []any{map[string]any{"action": "pip install requests with another pip", "why_fails": "It installs into another interpreter.",
			"fail_rate": 0.7, "sources": []any{"https://docs.python.org/3/installing/index.html"}, "condition": ""}},
		"workarounds": []any{
			map[string]any{"action": "Use a virtual environment", "success_rate": 0.6, "sources": []any{}, "condition": ""},
			map[string]any{"action": "Install with the same interpreter", "how": "python3 -m pip install requests", "success_rate": 0.95,
				"sources": []any{"https://packaging.python.org/en/latest/tutorials/installing-packages/"}, "condition": ""},
		},
		"transition_graph": map[string]any{
			"leads_to":                 []any{map[string]any{"error_id": "python/importerror/py311-linux", "probability": 0.2, "condition": "c"}},
			"preceded_by":              []any{},
			"frequently_confused_with": []any{},
		},
		"metadata": map[string]any{"review_status": "auto_generated"},
	}
}

func set(m map[string]any, path string, v any) {
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		m = m[p].(map[string]any)
	}
	if v == nil {
		delete(m, parts[len(parts)-1])
		return
	}
	m[parts[len(parts)-1]] = v
}

func TestConvertDeadendsRules(t *testing.T) {
	e, s := convert(t, peerCanon())
	if s != nil {
		t.Fatalf("a valid canon was skipped: %s", s)
	}
	for _, c := range []struct{ what, got, want string }{
		{"id", e.ID, "python/modulenotfounderror-py311-linux"},
		{"regex", e.Regex, `(?i)ModuleNotFoundError: No module named '([\w.]+)'`},
		{"example", e.Examples[0], "ModuleNotFoundError: No module named 'requests'"},
		{"title", e.Title, "ModuleNotFoundError: No module named 'requests'"},
		{"category", e.Category, "import_error"},
		{"subcategory", *e.Subcategory, "module_error"},
		{"best workaround first", e.Workarounds[0].Action, "Install with the same interpreter"},
		{"resolvable", e.Resolvable, "true"},
		{"docs", strings.Join(e.Docs, " "), "https://packaging.python.org/en/latest/tutorials/installing-packages/ https://docs.python.org/3/installing/index.html"},
		{"first_seen dropped", e.FirstSeen, ""},
		{"licence", e.Source.License, "CC-BY-4.0"},
		{"source", e.Source.URL, "https://deadends.dev/python/modulenotfounderror/py311-linux"},
		{"attribution on the page", e.Evidence[0].URL, e.Source.URL},
		{"version range", e.Versions[0].Range, ">=3.11,<3.13"},
		{"leads_to", e.Related.LeadsTo[0].ID, "python/importerror-py311-linux"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
		}
	}
	if e.Confidence != 0.3 {
		t.Errorf("confidence = %v; an unverified import is capped at 0.3", e.Confidence)
	}
	if e.Workarounds[1].How != "" || e.TitleZh != "" {
		t.Errorf("a missing how or translation must stay empty, not be invented")
	}

	for _, tc := range []struct {
		name   string
		change func(m map[string]any)
		reason string
	}{
		{"non-software domain", func(m map[string]any) { set(m, "error.domain", "visa"); m["id"] = "visa/x/y" }, ReasonNonSoftware},
		{"no signature", func(m map[string]any) { set(m, "error.signature", nil) }, ReasonMissingField},
		{"no regex", func(m map[string]any) { set(m, "error.regex", "") }, ReasonMissingField},
		{"no dead ends", func(m map[string]any) { m["dead_ends"] = []any{} }, ReasonMissingField},
		{"no workarounds", func(m map[string]any) { delete(m, "workarounds") }, ReasonMissingField},
		{"no summary", func(m map[string]any) { set(m, "verdict.summary", " ") }, ReasonMissingField},
		{"no https source", func(m map[string]any) {
			m["dead_ends"].([]any)[0].(map[string]any)["sources"] = []any{"http://example.com/x"}
			m["workarounds"].([]any)[1].(map[string]any)["sources"] = []any{}
		}, ReasonMissingField},
		{"lookahead", func(m map[string]any) { set(m, "error.regex", `ModuleNotFoundError(?=:)`) }, ReasonRegexUnsupported},
		{"backreference", func(m map[string]any) { set(m, "error.regex", `'(\w+)' \1`) }, ReasonRegexUnsupported},
		{"invalid regex", func(m map[string]any) { set(m, "error.regex", `ModuleNotFoundError: (`) }, ReasonRegexInvalid},
		{"regex matching everything", func(m map[string]any) { set(m, "error.regex", `(x)?`) }, ReasonRegexSlow},
		{"regex missing its signature", func(m map[string]any) { set(m, "error.regex", `ImportError`) }, ReasonRegexNoExample},
		{"signature as a number", func(m map[string]any) { set(m, "error.signature", 42) }, ReasonWrongType},
		{"rates as strings", func(m map[string]any) { m["workarounds"].([]any)[0].(map[string]any)["success_rate"] = "high" }, ReasonWrongType},
		{"rate outside 0..1", func(m map[string]any) { m["dead_ends"].([]any)[0].(map[string]any)["fail_rate"] = 7.0 }, ReasonWrongType},
		{"error as a list", func(m map[string]any) { m["error"] = []any{"x"} }, ReasonWrongType},
		{"a huge string", func(m map[string]any) { set(m, "verdict.summary", strings.Repeat("a", MaxString+1)) }, ReasonTooLarge},
		{"a long signature", func(m map[string]any) { set(m, "error.signature", strings.Repeat("ModuleNotFoundError ", 200)) }, ReasonTooLarge},
		{"an id without a variant", func(m map[string]any) { m["id"] = "python" }, ReasonMissingField},
	} {
		m := peerCanon()
		tc.change(m)
		_, s := convert(t, m)
		if s == nil || s.Reason != tc.reason {
			t.Errorf("%s: skip = %v, want reason %s", tc.name, s, tc.reason)
		}
	}
}

func TestConvertDeadendsNotJSON(t *testing.T) {
	for in, reason := range map[string]string{
		"{":          ReasonNotJSON,
		"not json":   ReasonNotJSON,
		"[1, 2]":     ReasonWrongType,
		"null":       ReasonWrongType,
		`"a string"`: ReasonWrongType,
		"{}":         ReasonMissingField,
	} {
		_, s := convertDeadends("f.json", []byte(in))
		if s == nil || s.Reason != reason {
			t.Errorf("%q: skip = %v, want %s", in, s, reason)
		}
	}
	_, s := convertDeadends("f.json", []byte("{\n\"id\": \"x\",\n\"error\": {]\n}"))
	if s == nil || !strings.Contains(s.Detail, "line 3") {
		t.Errorf("a syntax error names its line: %v", s)
	}
}

// The resolvable verdict follows the best workaround, as our rules ask.
func TestConvertDeadendsResolvable(t *testing.T) {
	for rate, want := range map[float64]string{0.95: "true", 0.5: "partial", 0.1: "false"} {
		m := peerCanon()
		for _, w := range m["workarounds"].([]any) {
			w.(map[string]any)["success_rate"] = rate
		}
		e, s := convert(t, m)
		if s != nil || e.Resolvable != want {
			t.Errorf("best rate %v: resolvable %q (skip %v), want %q", rate, e.Resolvable, s, want)
		}
	}
}

func convert(t *testing.T, m map[string]any) (*canon.Entry, *Skip) {
	t.Helper()
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return convertDeadends("python/modulenotfounderror/py311-linux.json", data)
}
