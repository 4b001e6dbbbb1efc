package verify

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/errorcanon/errorcanon/internal/canon"
)

// sandbox returns the real sandbox, or skips where bwrap cannot run
// (except in CI, which installs it).
func sandbox(t *testing.T) *Sandbox {
	t.Helper()
	s, err := NewSandbox(context.Background())
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI needs the sandbox: %v", err)
		}
		t.Skip(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func repro(id, re, script string, requires ...string) *canon.Entry {
	if requires == nil {
		requires = []string{"sh"}
	}
	ex := strings.TrimPrefix(strings.TrimSuffix(re, "$"), "(?m)^")
	return &canon.Entry{ID: id, Regex: re, Examples: []string{ex}, Reproduce: &canon.Reproduce{Requires: requires, Script: script, TimeoutS: 5}}
}

func TestRun(t *testing.T) {
	sb := sandbox(t)
	// The smallest timeout an entry may have, so the run waits 1 s for it.
	timeout := repro("t/timeout", `never`, "sleep 30")
	timeout.Reproduce.TimeoutS = 1
	entries := []*canon.Entry{
		repro("t/pass", `ls: cannot access 'does-not-exist': No such file or directory`, "ls does-not-exist"),
		repro("t/fail", `fatal: something else`, "echo all good"),
		repro("t/skip", `x`, "x", "sh", "no-such-command-errorcanon"),
		repro("t/skip-file", `x`, "x", "sh", "file:/no/such/errorcanon/file"),
		repro("t/skip-locale", `x`, "x", "sh", "locale:xx_XX.UTF-8"),
		timeout,
		repro("t/empty-dir", `(?m)^0$`, "ls -A | wc -l"),
		repro("t/cwd", `(?m)^/tmp/repro$`, "pwd"),
		{ID: "t/none", Regex: "x"},
	}
	// No example in the output: the regex alone does not make a pass.
	noExample := repro("t/no-example", `cannot access`, "ls does-not-exist")
	noExample.Examples = []string{"ls: cannot access 'elsewhere': No such file or directory"}
	entries = append(entries, noExample)

	got := map[string]Result{}
	reported := 0
	r := &Runner{Sandbox: sb, Jobs: 3, Record: true, Today: func() string { return "2026-12-05" }}
	for _, res := range r.Run(context.Background(), entries, func(Result) { reported++ }) {
		got[res.ID] = res
	}
	if len(got) != 9 || reported != 9 {
		t.Fatalf("ran %d, reported %d, want 9 (the entry without a script is not run)", len(got), reported)
	}
	want := map[string]Status{
		"t/pass": Pass, "t/fail": Fail, "t/skip": Skip, "t/skip-file": Skip, "t/skip-locale": Skip,
		"t/timeout": Fail, "t/empty-dir": Pass, "t/cwd": Pass, "t/no-example": Fail,
	}
	for id, st := range want {
		if got[id].Status != st {
			t.Errorf("%s: %s (%s) output %q, want %s", id, got[id].Status, got[id].Reason, got[id].Output, st)
		}
	}
	if !strings.Contains(got["t/timeout"].Reason, "timed out") || got["t/timeout"].Duration > 15*time.Second {
		t.Errorf("timeout: %+v", got["t/timeout"])
	}
	for id, reason := range map[string]string{
		"t/skip":        "missing no-such-command-errorcanon",
		"t/skip-file":   "missing file:/no/such/errorcanon/file",
		"t/skip-locale": "missing locale:xx_XX.UTF-8",
	} {
		if got[id].Reason != reason {
			t.Errorf("%s: reason %q, want %q", id, got[id].Reason, reason)
		}
	}
	if !strings.Contains(got["t/no-example"].Reason, "no example") {
		t.Errorf("no-example: reason %q", got["t/no-example"].Reason)
	}
	rec := got["t/pass"].Record
	if rec == nil || rec.Verified != "2026-12-05" || rec.Script != canon.ScriptHash("ls does-not-exist") ||
		rec.Output != "ls: cannot access 'does-not-exist': No such file or directory\n" {
		t.Errorf("record of t/pass: %+v", rec)
	}
}

// TestGolden: without --record a run passes only when its output equals
// the golden file, and a script edited after recording fails.
func TestGolden(t *testing.T) {
	sb := sandbox(t)
	const script = "ls does-not-exist"
	fresh := func() *canon.Entry {
		return repro("t/golden", `ls: cannot access 'does-not-exist': No such file or directory`, script)
	}
	rec := &canon.Record{Verified: "2026-12-01", Script: canon.ScriptHash(script), Output: "ls: cannot access 'does-not-exist': No such file or directory\n"}
	cases := []struct {
		name   string
		entry  func() *canon.Entry
		status Status
		reason string
	}{
		{"matches", func() *canon.Entry { e := fresh(); e.Derive(rec); return e }, Pass, ""},
		{"no golden", func() *canon.Entry { e := fresh(); e.Derive(nil); return e }, Fail, "no golden file; run errorcanon verify --record t/golden"},
		{"golden edited", func() *canon.Entry {
			e := fresh()
			edited := *rec
			edited.Output = "ls: cannot access 'does-not-exist': No such file or directory (edited)\n"
			e.Derive(&edited)
			return e
		}, Fail, `output differs from the golden file: line 1 is "ls: cannot access 'does-not-exist': No such file or directory", golden has "ls: cannot access 'does-not-exist': No such file or directory (edited)"`},
		{"script edited", func() *canon.Entry {
			e := fresh()
			e.Derive(rec)
			e.Reproduce.Script = script + " 2>&1"
			return e
		}, Fail, "the script changed since the golden file was recorded; run errorcanon verify --record t/golden"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := (&Runner{Sandbox: sb}).Run(context.Background(), []*canon.Entry{c.entry()}, nil)[0]
			if res.Status != c.status || res.Reason != c.reason {
				t.Errorf("got %s %q, want %s %q", res.Status, res.Reason, c.status, c.reason)
			}
		})
	}
}

// TestSandbox proves the sandbox's promises with scripts that try to break
// them: a secret of the caller, a file outside the script's directory, the
// network, root's powers, and a process that outlives the script.
func TestSandbox(t *testing.T) {
	sb := sandbox(t)
	t.Setenv("ERRORCANON_TEST_SECRET", "hunter2")
	outside := t.TempDir()
	marker := "313.25" // a unique argument to find the leftover sleep by
	script := strings.Join([]string{
		`echo "secret=[$ERRORCANON_TEST_SECRET]"`,
		`echo "home=$HOME"`,
		`touch ` + outside + `/escaped 2>/dev/null && echo wrote-outside || echo cannot-write-outside`,
		`touch /etc/errorcanon-escaped 2>/dev/null && echo wrote-etc || echo cannot-write-etc`,
		`touch inside && echo wrote-inside`,
		`echo "uid=$(id -u)"`,
		`awk -F: 'NR>2{gsub(/ /,"",$1); printf "iface=%s\n", $1}' /proc/net/dev`,
		`setsid sleep ` + marker + ` >/dev/null 2>&1 &`,
		`echo started`,
	}, "\n")
	out, timedOut, err := sb.Run(context.Background(), script, 20*time.Second)
	if err != nil || timedOut {
		t.Fatalf("run: %v timedOut=%v output %q", err, timedOut, out)
	}
	for _, want := range []string{"secret=[]", "home=" + ReproDir, "cannot-write-outside", "cannot-write-etc", "wrote-inside", "uid=1000", "iface=lo", "started"} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "iface=") != 1 {
		t.Errorf("the script sees network interfaces besides lo:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(outside, "escaped")); err == nil {
		t.Errorf("the script wrote outside its directory")
	}
	// Give the kernel a moment to tear the namespace down, then look for
	// the sleep in every process's command line.
	deadline := time.Now().Add(5 * time.Second)
	for {
		left := processesWith("sleep\x00" + marker)
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("processes left behind: %v", left)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func processesWith(cmdline string) []string {
	dirs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	var found []string
	for _, f := range dirs {
		b, err := os.ReadFile(f)
		if err == nil && bytes.Contains(b, []byte(cmdline)) {
			found = append(found, f)
		}
	}
	return found
}

func TestScriptEnv(t *testing.T) {
	env := map[string]string{"PATH": "/usr/bin:/bin", "HOME": "/nonexistent-home", "AWS_SECRET_ACCESS_KEY": "x", "RUSTUP_HOME": "/opt/rustup"}
	got := strings.Join(scriptEnv(func(k string) string { return env[k] }), "\n")
	for _, want := range []string{"PATH=/usr/bin:/bin", "HOME=" + ReproDir, "LANG=C.UTF-8", "RUSTUP_HOME=/opt/rustup"} {
		if !strings.Contains(got, want) {
			t.Errorf("env lacks %s:\n%s", want, got)
		}
	}
	if strings.Contains(got, "AWS_") || strings.Contains(got, "nonexistent-home") {
		t.Errorf("env leaks the caller's:\n%s", got)
	}
}

func TestPresentMajorVersion(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	v := version(context.Background(), "git") // "git version 2.39.5"
	major := majorRE.FindString(v)
	if got := Present(canon.Requirement{Kind: "command", Name: "git", Major: major}); got != "" {
		t.Errorf("git@%s: %q, want present", major, got)
	}
	if got := Present(canon.Requirement{Kind: "command", Name: "git", Major: "999"}); !strings.HasPrefix(got, "git@999 (found ") {
		t.Errorf("git@999: %q, want missing with the version found", got)
	}
}

// A script that changes a device node the sandbox shares with the machine
// (possible when verify runs as root, as in CI) fails, and the node's mode
// is put back. /dev/full, because nothing else on a machine uses it.
func TestSandboxDeviceNodes(t *testing.T) {
	sb := sandbox(t)
	fi, err := os.Stat("/dev/full")
	if err != nil {
		t.Skip(err)
	}
	out, _, err := sb.Run(context.Background(), "chmod 600 /dev/full 2>/dev/null; echo done", 10*time.Second)
	after, serr := os.Stat("/dev/full")
	if serr != nil || after.Mode() != fi.Mode() {
		_ = os.Chmod("/dev/full", fi.Mode().Perm())
		t.Fatalf("/dev/full's mode is %v after the script, was %v", after.Mode(), fi.Mode())
	}
	if os.Geteuid() != 0 {
		// Not root: the script's uid maps to ours, which does not own
		// /dev/full, so the chmod failed and nothing changed.
		if err != nil {
			t.Errorf("run: %v (%q)", err, out)
		}
		return
	}
	if err == nil || !strings.Contains(err.Error(), "/dev/full") {
		t.Errorf("a script that chmod'ed /dev/full: err = %v, want one naming /dev/full", err)
	}
}
