package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runImportCmd(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := run(context.Background(), e, append([]string{"import"}, args...))
	return code, out.String(), errb.String()
}

// The command prints every skip and the counts, and what it writes is a
// catalog serve and build accept.
func TestImportCommand(t *testing.T) {
	src := t.TempDir()
	os.MkdirAll(filepath.Join(src, "data", "canons", "visa"), 0o755)
	os.WriteFile(filepath.Join(src, "data", "canons", "visa", "x.json"), []byte(`{"id":"visa/x/y","error":{"signature":"s","regex":"s","domain":"visa"},"verdict":{"summary":"s"},"workarounds":[{}],"dead_ends":[{}]}`), 0o644)
	os.WriteFile(filepath.Join(src, "data", "canons", "bad.json"), []byte(`{`), 0o644)
	out := filepath.Join(t.TempDir(), "imported")
	code, stdout, stderr := runImportCmd("--from", "deadends", "--out", out, src)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"skip bad.json: not-json: line 1", "skip visa/x.json (visa/x/y): non-software-domain", "2 file(s) read: 0 entries imported, 2 skipped", "errorcanon serve --catalog " + out} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "import-report.json")); err != nil {
		t.Error(err)
	}
	for _, args := range [][]string{
		{"--from", "nosuch", "--out", out, src},
		{"--from", "deadends", "--out", out, filepath.Join(src, "missing")},
	} {
		if code, _, stderr := runImportCmd(args...); code != 1 || !strings.Contains(stderr, "errorcanon import:") {
			t.Errorf("%v: exit %d, %s", args, code, stderr)
		}
	}
	if code, _, _ := runImportCmd("--from", "deadends", src); code != 2 {
		t.Errorf("without --out: exit %d, want 2", code)
	}
}
