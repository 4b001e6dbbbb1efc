package catalog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/errorcanon/errorcanon/internal/canon"
)

const domains = `domains:
  - id: python
    name: Python
    name_zh: Python
    description: The Python interpreter.
    description_zh: Python 解释器。
`

const good = `id: python/key-error
domain: python
category: runtime_error
subcategory: null
error_code: null
tags: [dict]
signature: "KeyError: '<key>'"
signature_zh: "KeyError：字典里没有键 '<key>'"
regex: "KeyError: '[^']*'"
examples:
  - "KeyError: 'user_id'"
resolvable: "true"
title: A dictionary has no such key
confidence: 0.3
title_zh: 字典里没有这个键
evidence: []
first_seen: "2000-10-16"
first_seen_source: https://docs.python.org/2.0/lib/module-exceptions.html
root_cause: A dict lookup with d[key] raised because the key is not in the mapping at that moment.
root_cause_zh: 用 d[key] 取值时，字典里此刻没有这个键，于是抛出异常。
root_cause_type: usage
versions: []
os_specific: {}
docs: ["https://docs.python.org/3/library/exceptions.html#KeyError"]
workarounds:
  - action: Use dict.get with a default.
    action_zh: 改用带默认值的 dict.get。
    how: "` + "```python\\nvalue = d.get('user_id')\\n```" + `"
    how_zh: "` + "```python\\nvalue = d.get('user_id')\\n```" + `\n键不存在时返回 None。"
    success_rate: 0.9
dead_ends:
  - action: Wrap the whole function in try/except Exception.
    action_zh: 用 try/except Exception 包住整个函数。
    why_fails: It hides the missing key and the next line fails instead.
    why_fails_zh: 这只是把缺失的键藏起来，下一行照样出错。
    fail_rate: 0.8
related:
  leads_to: []
  preceded_by: []
  confused_with: []
`

func TestLoadGood(t *testing.T) {
	c, ps := Load(fstest.MapFS{
		"domains.yaml":          {Data: []byte(domains)},
		"python/key-error.yaml": {Data: []byte(good)},
		"README.md":             {Data: []byte("not an entry")},
	})
	if len(ps) != 0 {
		t.Fatalf("problems: %v", ps)
	}
	if e := c.Entry("python/key-error"); e == nil || e.Slug() != "key-error" || len(c.InDomain("python")) != 1 || c.Domain("python").NameZh != "Python" {
		t.Fatalf("catalog not indexed: %+v", c)
	}
}

func TestLoadJSON(t *testing.T) {
	js := `{"id": "python/x", "domain": "python", "nope": 1}`
	_, ps := Load(fstest.MapFS{"domains.yaml": {Data: []byte(domains)}, "python/x.json": {Data: []byte(js)}})
	if len(ps) != 1 || ps[0].File != "python/x.json" || ps[0].Field != "nope" {
		t.Fatalf("got %v", ps)
	}
}

// A broken catalog names file, line and field for each problem.
func TestLoadBroken(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		edit    func(string) string
		want    string // file:line: field: message prefix
		wantMsg string
	}{
		{"bad regex", "python/key-error.yaml", func(s string) string {
			return strings.Replace(s, `regex: "KeyError: '[^']*'"`, `regex: "KeyError: '[^'*"`, 1)
		}, "python/key-error.yaml:9: regex", "does not compile"},
		{"empty action", "python/key-error.yaml", func(s string) string {
			return strings.Replace(s, "  - action: Wrap the whole function in try/except Exception.", "  - action: \"\"", 1)
		}, "python/key-error.yaml:32: dead_ends[0].action", "is empty"},
		{"missing chinese", "python/key-error.yaml", func(s string) string {
			return strings.Replace(s, "    why_fails_zh: 这只是把缺失的键藏起来，下一行照样出错。\n", "", 1)
		}, "python/key-error.yaml:32: dead_ends[0].why_fails_zh", "Chinese form"},
		{"unknown field", "python/key-error.yaml", func(s string) string {
			return strings.Replace(s, "tags: [dict]", "tags: [dict]\nseverity: high", 1)
		}, "python/key-error.yaml:7: severity", "not a field of the schema"},
		{"dangling related id", "python/key-error.yaml", func(s string) string {
			return strings.Replace(s, "  leads_to: []", "  leads_to:\n    - id: python/nowhere\n      probability: 0.5", 1)
		}, "python/key-error.yaml:39: related.leads_to[0].id", "not in the catalog"},
		{"regex misses example", "python/key-error.yaml", func(s string) string {
			return strings.Replace(s, `  - "KeyError: 'user_id'"`, "  - \"KeyError: 'user_id'\"\n  - \"KeyError: 42\"", 1)
		}, "python/key-error.yaml:12: examples[1]", "not matched by regex"},
		{"id differs from path", "python/other.yaml", func(s string) string { return s }, "python/other.yaml:1: id", "must equal the file's path"},
		{"wrong type", "python/key-error.yaml", func(s string) string {
			return strings.Replace(s, "confidence: 0.3", "confidence: high", 1)
		}, "python/key-error.yaml:14: ", "cannot unmarshal"},
		// Schema v2: what is computed is never written.
		{"computed fix rate", "python/key-error.yaml", func(s string) string {
			return strings.Replace(s, "confidence: 0.3", "confidence: 0.3\nfix_rate: 0.9", 1)
		}, "python/key-error.yaml:15: fix_rate", "is computed, never written"},
		{"computed verification", "python/key-error.yaml", func(s string) string {
			return strings.Replace(s, "confidence: 0.3", "confidence: 0.3\nverification: reproduced", 1)
		}, "python/key-error.yaml:15: verification", "verify --record"},
		{"computed evidence count", "python/key-error.yaml", func(s string) string {
			return strings.Replace(s, "confidence: 0.3", "confidence: 0.3\nevidence_count: 4", 1)
		}, "python/key-error.yaml:15: evidence_count", "is computed"},
		{"computed last verified", "python/key-error.yaml", func(s string) string {
			return strings.Replace(s, "confidence: 0.3", "confidence: 0.3\nlast_verified: \"2026-11-22\"", 1)
		}, "python/key-error.yaml:15: last_verified", "golden file"},
		{"two documents", "python/key-error.yaml", func(s string) string { return s + "---\nid: x\n" }, "python/key-error.yaml:41: ", "more than one document"},
		{"syntax error", "python/key-error.yaml", func(s string) string { return "id: [unclosed\n" + s }, "python/key-error.yaml", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ps := Load(fstest.MapFS{
				"domains.yaml": {Data: []byte(domains)},
				tt.file:        {Data: []byte(tt.edit(good))},
			})
			for _, p := range ps {
				if strings.HasPrefix(p.String(), tt.want) && strings.Contains(p.Msg, tt.wantMsg) {
					if c.Entry("python/key-error") != nil && tt.name != "dangling related id" {
						t.Errorf("broken entry was kept")
					}
					return
				}
			}
			t.Fatalf("want %q ...%s..., got:\n%v", tt.want, tt.wantMsg, ps)
		})
	}
}

func TestLoadDomainProblems(t *testing.T) {
	bad := "domains:\n  - id: Bad Id\n    name: X\n    name_zh: X\n    description: d\n    description_zh: plain english\n"
	_, ps := Load(fstest.MapFS{"domains.yaml": {Data: []byte(bad)}})
	s := ps.Error()
	for _, want := range []string{"domains.yaml:2: domains[0].id", "domains.yaml:6: domains[0].description_zh: holds no Chinese"} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q in:\n%s", want, s)
		}
	}
	if _, ps := Load(fstest.MapFS{}); len(ps) == 0 || ps[0].File != "domains.yaml" {
		t.Errorf("missing domains.yaml not reported: %v", ps)
	}
}

func TestFileTooLarge(t *testing.T) {
	_, ps := Load(fstest.MapFS{
		"domains.yaml":  {Data: []byte(domains)},
		"python/x.yaml": {Data: make([]byte, MaxFileSize+1)},
	})
	if len(ps) != 1 || !strings.Contains(ps[0].Msg, "larger than") {
		t.Fatalf("got %v", ps)
	}
}

func TestTrailingCommentCutsText(t *testing.T) {
	broken := strings.Replace(good, "    action_zh: 改用带默认值的 dict.get。", "    action_zh: 改用 #[derive] 之外的 dict.get", 1)
	_, ps := Load(fstest.MapFS{"domains.yaml": {Data: []byte(domains)}, "python/key-error.yaml": {Data: []byte(broken)}})
	if len(ps) != 1 || ps[0].Line != 27 || !strings.Contains(ps[0].Msg, "quote the whole value") {
		t.Fatalf("got %v", ps)
	}
}

// A golden file beside an entry makes it reproduced, and a broken one is
// reported with its line.
func TestGoldenFile(t *testing.T) {
	script := "python3 -c \"{}['user_id']\""
	withScript := good + "reproduce:\n  requires: [python3]\n  timeout_s: 10\n  script: |\n    " + script + "\n"
	rec := &canon.Record{Verified: "2026-12-05", Script: canon.ScriptHash(script + "\n"), Output: "KeyError: 'user_id'\n"}
	c, ps := Load(fstest.MapFS{
		"domains.yaml":            {Data: []byte(domains)},
		"python/key-error.yaml":   {Data: []byte(withScript)},
		"python/key-error.golden": {Data: rec.Marshal()},
	})
	if len(ps) != 0 {
		t.Fatalf("problems: %v", ps)
	}
	e := c.Entry("python/key-error")
	if e.Verification != "reproduced" || e.LastVerified != "2026-12-05" || e.EvidenceCount != 1 || e.FixRate != 0.9 {
		t.Errorf("computed fields: %s %s %d %v", e.Verification, e.LastVerified, e.EvidenceCount, e.FixRate)
	}
	_, ps = Load(fstest.MapFS{
		"domains.yaml":            {Data: []byte(domains)},
		"python/key-error.yaml":   {Data: []byte(withScript)},
		"python/key-error.golden": {Data: []byte(strings.Replace(string(rec.Marshal()), "2026-12-05", "yesterday", 1))},
	})
	if len(ps) == 0 || ps[0].String() != `python/key-error.golden:2: "yesterday" is not a date YYYY-MM-DD` {
		t.Errorf("broken golden: %v", ps)
	}
}

func TestStrayGoldenFile(t *testing.T) {
	_, ps := Load(fstest.MapFS{
		"domains.yaml":          {Data: []byte(domains)},
		"python/key-error.yaml": {Data: []byte(good)},
		"python/renamed.golden": {Data: []byte("x")},
	})
	if len(ps) != 1 || ps[0].File != "python/renamed.golden" || !strings.Contains(ps[0].Msg, "without an entry") {
		t.Fatalf("got %v", ps)
	}
}

func TestWriteRecord(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "python"), 0o755); err != nil {
		t.Fatal(err)
	}
	rec := &canon.Record{Verified: "2026-12-05", Script: "sha256:ab", Output: "x\n"}
	if err := WriteRecord(dir, "python/key-error.yaml", rec); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "python", "key-error.golden"))
	if err != nil || string(b) != string(rec.Marshal()) {
		t.Fatalf("golden file: %v %q", err, b)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "python", ".golden-*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
