package verify

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/errorcanon/errorcanon/internal/canon"
)

func repro(id, re, script string, requires ...string) *canon.Entry {
	if requires == nil {
		requires = []string{"sh"}
	}
	return &canon.Entry{ID: id, Regex: re, Reproduce: &canon.Reproduce{Requires: requires, Script: script, TimeoutS: 5}}
}

func TestRun(t *testing.T) {
	entries := []*canon.Entry{
		repro("t/pass", `ls: cannot access '[^']+': No such file or directory`, "ls does-not-exist"),
		repro("t/fail", `fatal: something else`, "echo all good"),
		repro("t/skip", `x`, "x", "sh", "no-such-command-errorcanon"),
		repro("t/timeout", `never`, "sleep 30"),
		repro("t/empty-dir", `^0\n?$`, "ls -A | wc -l"),
		repro("t/no-git-identity", `Author identity unknown`, "git init -q . && git commit -q --allow-empty -m x", "git"),
		{ID: "t/none", Regex: "x"},
	}
	got := map[string]Result{}
	reported := 0
	r := &Runner{Jobs: 3, Isolate: Probe(context.Background())}
	for _, res := range r.Run(context.Background(), entries, func(Result) { reported++ }) {
		got[res.ID] = res
	}
	if len(got) != 6 || reported != 6 {
		t.Fatalf("ran %d, reported %d, want 6 (the entry without a script is not run)", len(got), reported)
	}
	want := map[string]Status{"t/pass": Pass, "t/fail": Fail, "t/skip": Skip, "t/timeout": Fail, "t/empty-dir": Pass}
	if _, err := exec.LookPath("git"); err == nil {
		want["t/no-git-identity"] = Pass
	}
	for id, st := range want {
		if got[id].Status != st {
			t.Errorf("%s: %s (%s) output %q, want %s", id, got[id].Status, got[id].Reason, got[id].Output, st)
		}
	}
	if !strings.Contains(got["t/timeout"].Reason, "timed out") || got["t/timeout"].Duration.Seconds() > 15 {
		t.Errorf("timeout: %+v", got["t/timeout"])
	}
	if got["t/skip"].Reason != "missing no-such-command-errorcanon" {
		t.Errorf("skip reason %q", got["t/skip"].Reason)
	}
}

func TestNoNetwork(t *testing.T) {
	if !Probe(context.Background()) {
		t.Skip("unshare -n is not permitted here; scripts run with the network")
	}
	// A new network namespace has only a loopback interface: proof without
	// sending a packet anywhere.
	e := repro("t/net", `^lo\n?$`, "awk -F: 'NR>2{gsub(/ /,\"\",$1); print $1}' /proc/net/dev")
	rs := (&Runner{Isolate: true}).Run(context.Background(), []*canon.Entry{e}, nil)
	if rs[0].Status != Pass {
		t.Errorf("script sees network interfaces: %q", rs[0].Output)
	}
}
