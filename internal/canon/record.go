package canon

// This file holds the verification record: the golden file that
// `errorcanon verify --record` writes beside an entry, and the fields
// computed from it and from the entry (Derive).

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/errorcanon/errorcanon/internal/lazyregexp"
)

// GoldenExt is the extension of the golden file beside an entry's file:
// catalog/git/not-a-git-repository.golden.
const GoldenExt = ".golden"

// Record is what a passing reproduction proved: when it ran, which tools
// answered, which script it ran and what the script printed (normalised).
type Record struct {
	Verified string   // YYYY-MM-DD
	Script   string   // ScriptHash of the script that ran
	Tools    []string // first line of each required command's --version
	Output   string   // Normalize'd combined output
}

const goldenHeader = "# errorcanon verify --record: the normalised output of the last passing run"

// ScriptHash identifies a reproduction script; a record made with another
// script proves nothing about this one.
func ScriptHash(script string) string {
	sum := sha256.Sum256([]byte(script))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Marshal writes the record in the golden file format: a short header of
// "# key: value" lines, a "# ---" line, then the output byte for byte.
func (r *Record) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString(goldenHeader + "\n")
	fmt.Fprintf(&b, "# verified: %s\n# script: %s\n", r.Verified, r.Script)
	for _, t := range r.Tools {
		fmt.Fprintf(&b, "# tool: %s\n", oneLine(t))
	}
	b.WriteString("# ---\n")
	b.WriteString(r.Output)
	return b.Bytes()
}

// ParseRecord reads a golden file. Errors name the line.
func ParseRecord(data []byte) (*Record, error) {
	r := &Record{}
	rest := string(data)
	for n := 1; ; n++ {
		line, tail, ok := strings.Cut(rest, "\n")
		if !ok {
			return nil, fmt.Errorf("line %d: header ends without a \"# ---\" line", n)
		}
		rest = tail
		switch {
		case line == "# ---":
			r.Output = rest
			if r.Verified == "" || r.Script == "" {
				return nil, fmt.Errorf("line %d: header lacks \"# verified:\" or \"# script:\"", n)
			}
			return r, nil
		case n == 1:
			if line != goldenHeader {
				return nil, fmt.Errorf("line 1: not a golden file; want %q", goldenHeader)
			}
		case strings.HasPrefix(line, "# verified: "):
			r.Verified = strings.TrimPrefix(line, "# verified: ")
			if _, err := time.Parse(time.DateOnly, r.Verified); err != nil {
				return nil, fmt.Errorf("line %d: %q is not a date YYYY-MM-DD", n, r.Verified)
			}
		case strings.HasPrefix(line, "# script: "):
			r.Script = strings.TrimPrefix(line, "# script: ")
		case strings.HasPrefix(line, "# tool: "):
			r.Tools = append(r.Tools, strings.TrimPrefix(line, "# tool: "))
		default:
			return nil, fmt.Errorf("line %d: %q is not a header line", n, line)
		}
	}
}

func oneLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return strings.TrimSpace(s)
}

// Normalisation: what differs between two runs of the same reproduction
// and says nothing about the error is replaced by a fixed token, so golden
// files compare equal across runs and machines.
var normalizers = []struct {
	re   *lazyregexp.Regexp
	with string
}{
	{lazyregexp.New(`\x1b\[[0-9;?]*[ -/]*[@-~]`), ""},
	// mktemp names under /tmp (the script's own directory is always
	// ReproDir, which stays as it is).
	{lazyregexp.New(`/tmp/tmp\.[A-Za-z0-9]{6,}`), "/tmp/<tmp>"},
	// Python's tempfile names: /tmp/tmpab12_x9z, pip's pip-build-env-ab12_x9z.
	{lazyregexp.New(`/tmp/tmp[a-z0-9_]{8}\b`), "/tmp/<tmp>"},
	{lazyregexp.New(`\b(pip-[a-z]+(?:-[a-z]+)*-)[a-z0-9_]{8}\b`), "${1}<tmp>"},
	// ISO 8601 timestamps, also with _ for : as in npm's log names.
	{lazyregexp.New(`\d{4}-\d\d-\d\d[T ]\d\d[:_]\d\d[:_]\d\d(?:[.,_]\d+)?(?:Z|[+-]\d\d:?\d\d)?`), "<time>"},
	// ctime and syslog-style clocks: Sat Dec  5 07:19:02 UTC 2026.
	{lazyregexp.New(`\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? +(?:\d\d? +)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d\d? +\d\d:\d\d:\d\d(?: +[A-Z]{3,4})?(?: +\d{4})?`), "<time>"},
	{lazyregexp.New(`\b\d\d:\d\d:\d\d(?:\.\d+)?\b`), "<clock>"},
	// Pointers and other long hex numbers.
	{lazyregexp.New(`0x[0-9a-fA-F]{6,16}\b`), "0x<addr>"},
	// Process ids in the forms tools print them.
	{lazyregexp.New(`\b(pid[ =:]?|PID[ =:]?|process )\d+`), "${1}<pid>"},
	{lazyregexp.New(`\b([a-z][\w.-]*)\[\d+\]: `), "${1}[<pid>]: "},
	// Durations: "in 0.53s", "took 12 ms", "Total time: 1.234 s".
	{lazyregexp.New(`\b\d+(?:\.\d+)?(?: ?(?:ms|µs|us|ns|s|sec|seconds|secs|m)\b)`), "<duration>"},
}

// Normalize makes a reproduction's output comparable between runs: ANSI
// escapes go, CRLF and lone CR become LF, trailing spaces go, and
// timestamps, temp names, addresses, process ids and durations become
// tokens. Examples are compared after the same treatment.
func Normalize(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	for _, n := range normalizers {
		s = n.re.ReplaceAllString(s, n.with)
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.Join(lines, "\n")
}

// ExampleIn reports whether some example, normalised, occurs in the
// normalised output as whole consecutive lines, and returns its index.
func ExampleIn(examples []string, output string) (int, bool) {
	out := "\n" + strings.Trim(Normalize(output), "\n") + "\n"
	for i, ex := range examples {
		ex = strings.Trim(Normalize(ex), "\n")
		if ex != "" && strings.Contains(out, "\n"+ex+"\n") {
			return i, true
		}
	}
	return -1, false
}

// Derive computes the fields an author never writes: fix_rate from the
// workarounds, verification and last_verified from the record, and
// evidence_count from both. rec may be nil. A record made with another
// script than the entry's is kept (validation reports it) but proves
// nothing.
func (e *Entry) Derive(rec *Record) {
	e.Record = rec
	e.FixRate = 0
	for _, w := range e.Workarounds {
		e.FixRate = max(e.FixRate, w.SuccessRate)
	}
	e.Verification, e.LastVerified = "ai_generated", ""
	if e.Reproduced() {
		e.Verification, e.LastVerified = "reproduced", rec.Verified
	}
	e.EvidenceCount = len(e.Evidence)
	if e.Verification == "reproduced" {
		e.EvidenceCount++
	}
}

// Reproduced reports whether the entry's record was made with its current
// reproduction script.
func (e *Entry) Reproduced() bool {
	return e.Record != nil && e.Reproduce != nil && e.Record.Script == ScriptHash(e.Reproduce.Script)
}
