package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	catalogdata "github.com/errorcanon/errorcanon/catalog"
)

// searchCLI runs errorcanon search in-process.
func searchCLI(t *testing.T, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}
	code = run(context.Background(), e, append([]string{"search"}, args...))
	return code, out.String(), errb.String()
}

func TestSearchCommand(t *testing.T) {
	for _, tc := range []struct {
		name     string
		vars     map[string]string
		args     []string
		code     int
		stdout   []string // substrings of stdout
		notOut   []string
		stderr   string // substring of stderr
		allInDom string // every hit's id starts with this
	}{
		{name: "english", args: []string{"index.lock", "file", "exists"}, code: 0,
			stdout: []string{"git/index-lock-file-exists", "fatal: Unable to create '<repo>/.git/index.lock': File exists.", "errorcanon show ID"}},
		{name: "words in one argument", args: []string{"borrow of moved value"}, code: 0, stdout: []string{"rust/e0382-borrow-of-moved-value"}},
		{name: "typo", args: []string{"externaly", "managed"}, code: 0, stdout: []string{"python/pip-externally-managed-environment"}},
		{name: "chinese one character shows chinese", args: []string{"锁", "--domain", "git"}, code: 0,
			stdout: []string{"git/index-lock-file-exists", "索引锁文件已存在", "根因"}},
		{name: "flags after the words", args: []string{"锁", "--domain", "git", "--limit", "50"}, code: 0, allInDom: "git/"},
		{name: "lang en shows english", args: []string{"--lang", "en", "lock"}, code: 0, stdout: []string{"cause:"}, notOut: []string{"根因"}},
		{name: "env language", vars: map[string]string{"ERRORCANON_LANG": "zh"}, args: []string{"ECONNREFUSED"}, code: 0,
			stdout: []string{"node/econnrefused-connection-refused", "连接"}},
		{name: "category", args: []string{"--category", "network_error", "refused"}, code: 0, stdout: []string{"refused"}},
		{name: "query syntax is text", args: []string{"--", "+permission", "-denied", "(publickey)"}, code: 0, stdout: []string{"git/permission-denied-publickey"}},
		{name: "partial", args: []string{"index.lock", "kubernetesx"}, code: 0, stdout: []string{"No entry has every word", "git/index-lock-file-exists"}},
		{name: "nothing found", args: []string{"zzqqxxyy"}, code: 1, stdout: []string{"No entry matches \"zzqqxxyy\"", "errorcanon match"}},
		{name: "nothing in domain", args: []string{"index.lock", "--domain", "python"}, code: 1},
		{name: "page past the end", args: []string{"index.lock", "--page", "2"}, code: 0},
		{name: "long query is cut", args: []string{strings.Repeat("lock ", 300)}, code: 0, stderr: "cut to its first 512 bytes"},
		{name: "control characters", args: []string{"lock\x1b[31m\x00"}, code: 0, notOut: []string{"\x1b[31m", "\x00"}},
		{name: "no words", args: nil, code: 2, stderr: "what to look for"},
		{name: "only flags", args: []string{"--lang", "zh"}, code: 2, stderr: "what to look for"},
		{name: "bad lang", args: []string{"--lang", "fr", "lock"}, code: 2, stderr: "--lang must be en or zh"},
		{name: "bad limit", args: []string{"--limit", "0", "lock"}, code: 2, stderr: "--limit must be 1 to 50"},
		{name: "limit too high", args: []string{"--limit", "51", "lock"}, code: 2, stderr: "--limit must be 1 to 50"},
		{name: "page too deep", args: []string{"--page", "101", "lock"}, code: 2, stderr: "--page must be 1 to 100"},
		{name: "unknown flag", args: []string{"--nope", "lock"}, code: 2, stderr: "flag provided but not defined"},
		{name: "bad color", args: []string{"--color", "pink", "lock"}, code: 2, stderr: "--color"},
		{name: "missing catalog", args: []string{"--catalog", "/nonexistent/dir", "lock"}, code: 2, stderr: "nonexistent"},
		{name: "help", args: []string{"-h"}, code: 0, stderr: "usage: errorcanon search"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, out, errs := searchCLI(t, tc.vars, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errs)
			}
			for _, s := range tc.stdout {
				if !strings.Contains(out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tc.notOut {
				if strings.Contains(out, s) {
					t.Errorf("stdout has %q:\n%s", s, out)
				}
			}
			if !strings.Contains(errs, tc.stderr) {
				t.Errorf("stderr lacks %q: %s", tc.stderr, errs)
			}
			if code == 0 && (strings.Contains(out, "<mark>") || strings.Contains(out, "&lt;") || strings.Contains(out, "&#39;")) {
				t.Errorf("HTML in terminal output:\n%s", out)
			}
			if tc.allInDom != "" {
				for _, line := range strings.Split(out, "\n") {
					if line != "" && !strings.HasPrefix(line, " ") && strings.Contains(line, "/") && !strings.Contains(line, "errorcanon show") && !strings.HasPrefix(line, tc.allInDom) {
						t.Errorf("hit outside %s: %q", tc.allInDom, line)
					}
				}
			}
		})
	}
}

func TestSearchCommandColor(t *testing.T) {
	_, out, _ := searchCLI(t, nil, "--color", "always", "index.lock")
	if !strings.Contains(out, "\x1b[1mindex.lock\x1b[0m") {
		t.Errorf("no bold match:\n%q", out)
	}
	_, out, _ = searchCLI(t, map[string]string{"NO_COLOR": "1"}, "index.lock")
	if strings.Contains(out, "\x1b[") {
		t.Errorf("colour without a terminal:\n%q", out)
	}
}

func TestSearchCommandJSON(t *testing.T) {
	code, out, errs := searchCLI(t, nil, "--json", "--lang", "zh", "ECONNREFUSED 连接被拒绝")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var res struct {
		Query string `json:"query"`
		Total int    `json:"total"`
		Hits  []struct {
			ID, Signature, Path string
			Fields              []string
			Snippets            []struct{ Field, HTML string }
		} `json:"hits"`
		Facets struct {
			Domain []struct {
				Value string
				Count int
			}
		} `json:"facets"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if res.Query != "ECONNREFUSED 连接被拒绝" || res.Total == 0 || len(res.Hits) == 0 || len(res.Facets.Domain) == 0 {
		t.Fatalf("results: %+v", res)
	}
	found := false
	for _, h := range res.Hits {
		if h.ID == "node/econnrefused-connection-refused" {
			found = true
			if !strings.HasSuffix(h.Path, "/zh.html") || !strings.Contains(h.Signature, "没有进程在监听") || len(h.Snippets) == 0 ||
				!strings.Contains(h.Snippets[0].HTML, "<mark>") {
				t.Errorf("hit %+v", h)
			}
		}
	}
	if !found {
		t.Errorf("node/econnrefused-connection-refused not among %d hits", len(res.Hits))
	}
	code, out, _ = searchCLI(t, nil, "--json", "zzqqxxyy")
	if code != 1 || !strings.Contains(out, `"hits": []`) {
		t.Errorf("exit %d, empty results %s", code, out)
	}
}

// --catalog reads a directory; hostile text in it reaches the terminal
// without markup or escape sequences.
func TestSearchCommandCatalogDir(t *testing.T) {
	dir := t.TempDir()
	domains, err := fs.ReadFile(catalogdata.FS, "domains.yaml")
	if err != nil {
		t.Fatal(err)
	}
	entry, err := fs.ReadFile(catalogdata.FS, "git/index-lock-file-exists.yaml")
	if err != nil {
		t.Fatal(err)
	}
	golden, err := fs.ReadFile(catalogdata.FS, "git/index-lock-file-exists.golden")
	if err != nil {
		t.Fatal(err)
	}
	hostile := strings.Replace(string(entry), "Before changing the index", `Before <script>alert(1)</script> changing the index`, 1)
	for p, s := range map[string]string{"domains.yaml": string(domains), "git/index-lock-file-exists.yaml": hostile, "git/index-lock-file-exists.golden": string(golden)} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := searchCLI(t, nil, "--catalog", dir, "alert", "changing")
	if code != 0 || !strings.Contains(out, "<script>alert(1)</script> changing") || strings.Contains(out, "&lt;") {
		t.Errorf("exit %d\n%s\n%s", code, out, errs)
	}
	code, _, _ = searchCLI(t, map[string]string{"ERRORCANON_CATALOG": dir}, "ECONNREFUSED")
	if code != 1 {
		t.Errorf("ERRORCANON_CATALOG not used: exit %d", code)
	}
}
