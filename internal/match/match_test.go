package match

import (
	"bytes"
	"errors"
	"fmt"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"

	"github.com/errorcanon/errorcanon/internal/canon"
)

func entry(id, re string, examples ...string) *canon.Entry {
	d, _, _ := canon.SplitID(id)
	return &canon.Entry{ID: id, Domain: d, Regex: re, Signature: id, Examples: examples, Confidence: 0.5}
}

func testIndex(t testing.TB, es ...*canon.Entry) *Index {
	t.Helper()
	ix, warns := Build(es)
	for _, w := range warns {
		if !strings.HasPrefix(w.Msg, "slow") {
			t.Fatalf("Build: %s: %s", w.ID, w.Msg)
		}
	}
	return ix
}

func TestRequiredLiterals(t *testing.T) {
	tests := []struct {
		re   string
		want []string // the clause bestClause picks; nil: none usable
	}{
		{`ModuleNotFoundError: No module named '[^']+'`, []string{"modulenotfounderror: no module named '"}},
		{`(?i)permission denied`, []string{"permission denied"}},
		{`error\[E0382\]: borrow of moved value`, []string{"error[e0382]: borrow of moved value"}},
		{`(?:ENOENT|EACCES): no such file`, []string{"enoent: no such file", "eacces: no such file"}},
		{`panic: runtime error: index out of range \[\d+\] with length \d+`, []string{"panic: runtime error: index out of range ["}},
		{`fatal: not a git repository.*`, []string{"fatal: not a git repository"}},
		{`[Ee]rror: cannot find symbol`, []string{"error: cannot find symbol"}},
		{`\w+Error: (?:foo|bar)baz`, []string{"error: foobaz", "error: barbaz"}},
		{`\d+ \w+`, nil},
		{`(?:ab)?\d`, nil},
		{`x(?:abc|de)y`, []string{"xabcy", "xdey"}},
		{`(?:hello|hi) world`, []string{"hello world", "hi world"}},
		{`[a-z]+ failed: .+ timed out`, []string{" timed out"}},
	}
	for _, tt := range tests {
		tree, err := syntax.Parse(tt.re, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		got := bestClause(toCNF(analyze(tree.Simplify())), nil)
		slices.Sort(got)
		want := slices.Clone(tt.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: clause %q, want %q", tt.re, got, want)
		}
	}
}

// The prefilter must never drop a true match: whatever a regex matches
// contains one of its clause's literals (case-insensitively).
func TestClauseIsNecessary(t *testing.T) {
	cases := map[string][]string{
		`ModuleNotFoundError: No module named '[^']+'`: {"ModuleNotFoundError: No module named 'x'"},
		`(?i)PERMISSION denied`:                        {"Permission Denied", "permission denied"},
		`(?:ENOENT|EACCES): no such file`:              {"EACCES: no such file"},
		`x(?:abc|def)+y`:                               {"xabcdefy", "xdefabcy"},
		`error(?:\[E\d+\])?: aborting`:                 {"error: aborting", "error[E0001]: aborting"},
		`(?s)Traceback.*KeyError`:                      {"Traceback\n  x\nKeyError"},
	}
	for re, inputs := range cases {
		tree, _ := syntax.Parse(re, syntax.Perl)
		clause := bestClause(toCNF(analyze(tree.Simplify())), nil)
		if clause == nil {
			t.Errorf("%s: no clause", re)
			continue
		}
		for _, in := range inputs {
			low := strings.ToLower(in)
			if !slices.ContainsFunc(clause, func(l string) bool { return strings.Contains(low, l) }) {
				t.Errorf("%s: %q contains none of %q", re, in, clause)
			}
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain\n", "plain\n"},
		{"a\r\nb\r\n", "a\nb\n"},
		{"10%\r50%\r100%\nerror", "10%\n50%\n100%\nerror"},
		{"\x1b[31merror\x1b[0m: x", "error: x"},
		{"\x1b[1;31mE\x1b[0m\x1b]8;;https://x\x07link\x1b]8;;\x07", "Elink"},
		{"bad \x1b[12", "bad "},
		{"esc at end \x1b", "esc at end \x1b"},
		{"\x1b[31\nnext", "\nnext"},
	}
	for _, tt := range tests {
		if got := string(normalize([]byte(tt.in))); got != tt.want {
			t.Errorf("normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

var pyEntries = []*canon.Entry{
	entry("python/module-not-found", `ModuleNotFoundError: No module named '[\w.]+'`),
	entry("python/key-error", `KeyError: '[^'\n]*'`),
	entry("python/file-not-found", `FileNotFoundError: \[Errno 2\] No such file or directory: '[^']*'`),
	entry("python/import-frame", `File "[^"]+", line \d+, in <module>\n\s+import`),
}

const traceback = `Traceback (most recent call last):
  File "/srv/app/main.py", line 3, in <module>
    import yaml
  File "/srv/venv/lib/python3.12/site-packages/loader.py", line 9, in load
    cfg = open('settings.yaml')
FileNotFoundError: [Errno 2] No such file or directory: 'settings.yaml'
`

func TestFinalExceptionRanksFirst(t *testing.T) {
	ix := testIndex(t, pyEntries...)
	rs, err := ix.Match([]byte(traceback), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) == 0 || rs[0].ID != "python/file-not-found" {
		t.Fatalf("first result %v, want python/file-not-found", ids(rs))
	}
	sp := rs[0].Span
	if sp.Line != 6 || !strings.HasPrefix(sp.Text, "FileNotFoundError") || traceback[sp.Start:sp.End] != sp.Text {
		t.Errorf("span %+v does not locate the final exception", sp)
	}
	if rs[0].Kind != Matched {
		t.Errorf("kind %s", rs[0].Kind)
	}
}

func TestBuriedInNoise(t *testing.T) {
	ix := testIndex(t, pyEntries...)
	var b strings.Builder
	for i := 0; i < 500; i++ {
		b.WriteString("INFO 2024-05-01 worker[12]: processed batch 17 in 12ms, queue=3\n")
	}
	b.WriteString("\x1b[31mERROR\x1b[0m job failed\r\n")
	b.WriteString("KeyError: 'user_id'\r\n")
	for i := 0; i < 300; i++ {
		b.WriteString("DEBUG heartbeat ok\n")
	}
	rs, err := ix.Match([]byte(b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) == 0 || rs[0].ID != "python/key-error" || rs[0].Span.Line != 502 {
		t.Fatalf("got %v (span %+v), want python/key-error on line 502", ids(rs), first(rs).Span)
	}
}

func TestRepeatedLineVerifiedOnce(t *testing.T) {
	ix := testIndex(t, pyEntries...)
	line := "KeyError: 'user_id'\n"
	runs := func(in []byte) *matcher {
		v := &view{text: in, lines: newLineIndex(in)}
		m := &matcher{ix: ix, in: v, v: v, best: map[int32]*Result{},
			tried: map[triedKey]verdict{}, runs: map[int32]int{}}
		m.scan(v)
		return m
	}
	once := runs([]byte("worker started\n" + line))
	m := runs([]byte(strings.Repeat("worker started\n"+line, 1000)))
	if m.total != once.total || m.total == 0 {
		t.Errorf("%d regex runs for 1000 copies of a line, %d for one: want the same", m.total, once.total)
	}
	r := m.best[1]
	if r == nil || r.Span.Line != 2000 {
		t.Errorf("result %+v, want the last occurrence (line 2000)", r)
	}
}

func TestMultilineRegexWindow(t *testing.T) {
	ix := testIndex(t, pyEntries...)
	rs, err := ix.Match([]byte(traceback), Options{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(ids(rs), "python/import-frame") {
		t.Errorf("multi-line regex not matched: %v", ids(rs))
	}
}

func TestBadInput(t *testing.T) {
	ix := testIndex(t, pyEntries...)
	if _, err := ix.Match(nil, Options{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty: %v", err)
	}
	if _, err := ix.Match([]byte(" \n\t "), Options{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("blank: %v", err)
	}
	if _, err := ix.Match(make([]byte, MaxInput+1), Options{}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("too large: %v", err)
	}
	// Binary, NUL bytes, invalid UTF-8 and one 4 MiB line: answers, no panic.
	odd := [][]byte{
		{0, 1, 2, 0xff, 0xfe, 0, 'K', 'e', 'y'},
		append([]byte("KeyError: '\xff\xfe'\x00\n"), 0),
		bytes.Repeat([]byte("KeyError: 'a' "), MaxInput/16),
	}
	var rs []Result
	for i, in := range odd {
		var err error
		rs, err = ix.Match(in, Options{})
		if err != nil {
			t.Errorf("input %d: %v", i, err)
		}
		for _, r := range rs {
			if r.Span != nil && !utf8Valid(r.Span.Text) {
				t.Errorf("input %d: span text is not valid UTF-8", i)
			}
		}
	}
	// rs: the 4 MiB line's (matching it again took a second).
	if len(rs) == 0 || rs[0].ID != "python/key-error" {
		t.Errorf("4 MiB line: %v", ids(rs))
	}
}

func TestFuzzySuggestion(t *testing.T) {
	es := []*canon.Entry{
		entry("python/module-not-found", `ModuleNotFoundError: No module named '[\w.]+'`, "ModuleNotFoundError: No module named 'yaml'"),
		entry("git/not-a-repo", `fatal: not a git repository`, "fatal: not a git repository (or any of the parent directories): .git"),
	}
	ix := testIndex(t, es...)
	// Pasted without its punctuation: no regex matches, but it is close.
	// (In a two-entry index every word is common, so similarity stays
	// low: look at the look-alikes whatever their score, then check that
	// the threshold hides those below it.)
	q := []byte("ModuleNotFoundError No module named 'yaml'")
	rs, err := ix.Match(q, Options{anySimilarity: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) == 0 || rs[0].ID != "python/module-not-found" || rs[0].Kind != Fuzzy {
		t.Fatalf("got %+v, want a fuzzy python/module-not-found", rs)
	}
	if shown, _ := ix.Match(q, Options{}); rs[0].Score.Similarity < FuzzyThreshold && len(shown) != 0 {
		t.Errorf("a look-alike of similarity %.2f < %.2f is shown", rs[0].Score.Similarity, FuzzyThreshold)
	}
	rs, _ = ix.Match([]byte("completely unrelated words here"), Options{})
	if len(rs) != 0 {
		t.Errorf("unrelated text suggested %v", ids(rs))
	}
	rs, _ = ix.Match([]byte("No module named yaml"), Options{NoFuzzy: true})
	if len(rs) != 0 {
		t.Errorf("NoFuzzy returned %v", ids(rs))
	}
}

func TestDomainAndLimit(t *testing.T) {
	es := append(slices.Clone(pyEntries), entry("git/key-error-lookalike", `KeyError: 'git[^']*'`))
	ix := testIndex(t, es...)
	in := []byte("KeyError: 'gitdir'\nFileNotFoundError: [Errno 2] No such file or directory: 'x'")
	rs, _ := ix.Match(in, Options{Domain: "git", NoFuzzy: true})
	if len(rs) != 1 || rs[0].ID != "git/key-error-lookalike" {
		t.Errorf("domain filter: %v", ids(rs))
	}
	rs, _ = ix.Match(in, Options{Limit: 1})
	if len(rs) != 1 {
		t.Errorf("limit 1 gave %d", len(rs))
	}
}

// A more specific entry beats a general one on the same line.
func TestSpecificBeatsGeneral(t *testing.T) {
	ix := testIndex(t,
		entry("python/import-error", `ImportError: [^\n]+`),
		entry("python/circular-import", `ImportError: cannot import name '\w+' from partially initialized module '[\w.]+'`),
	)
	rs, _ := ix.Match([]byte("ImportError: cannot import name 'app' from partially initialized module 'web' (most likely due to a circular import)"), Options{})
	if len(rs) < 2 || rs[0].ID != "python/circular-import" {
		t.Fatalf("got %v", ids(rs))
	}
	if rs[0].Score.Specificity <= rs[1].Score.Specificity {
		t.Errorf("specificity %v <= %v", rs[0].Score.Specificity, rs[1].Score.Specificity)
	}
}

func TestSlowRegexStillRuns(t *testing.T) {
	ix, warns := Build([]*canon.Entry{entry("shell/numbers", `\d{3}-\d{4}`)})
	if len(warns) != 1 || !strings.HasPrefix(warns[0].Msg, "slow") || !slices.Equal(ix.Slow(), []string{"shell/numbers"}) {
		t.Fatalf("warnings %v, slow %v", warns, ix.Slow())
	}
	rs, _ := ix.Match([]byte("call 555-1234"), Options{})
	if len(rs) != 1 || rs[0].Kind != Matched {
		t.Errorf("got %+v", rs)
	}
}

func ids(rs []Result) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func first(rs []Result) Result {
	if len(rs) == 0 {
		return Result{}
	}
	return rs[0]
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "") == s }

// A wrapper ("make: *** ... Error 1") ranks below the error that explains
// it, though it comes later in the log.
func TestWrapperRanksLast(t *testing.T) {
	wrap := entry("make/recipe-failed", `make: \*\*\* \[[^\]\n]+\] Error \d+`)
	wrap.Tags = []string{"wrapper"}
	wrap.Confidence = 0.9
	ix := testIndex(t, wrap, entry("c/undefined-reference", `undefined reference to `+"`"+`\w+'`))
	log := "cc -o app main.o\n/usr/bin/ld: main.o: in function `main':\nmain.c:(.text+0x9): undefined reference to `helper'\ncollect2: error: ld returned 1 exit status\nmake: *** [Makefile:2: app] Error 1\n"
	rs, _ := ix.Match([]byte(log), Options{})
	if got := ids(rs); len(got) != 2 || got[0] != "c/undefined-reference" {
		t.Fatalf("got %v", got)
	}
	rs, _ = ix.Match([]byte("make: *** [Makefile:2: app] Error 1"), Options{})
	if len(rs) != 1 || rs[0].ID != "make/recipe-failed" {
		t.Errorf("wrapper alone: %v", ids(rs))
	}
}

// The window keeps the rare part of a literal: codes and punctuation
// rather than common words.
func TestRareWindow(t *testing.T) {
	tests := []struct {
		lit  string
		n    int
		want string // must lie inside the window
	}{
		{"short", 16, "short"},
		{"error[e0382]: borrow of moved value", 12, "[e0382]"},
		{"the the the the xq_z[1] the the", 8, "xq_z[1]"},
	}
	for _, tt := range tests {
		got := rareWindow(tt.lit, tt.n)
		if !strings.Contains(tt.lit, got) || len(got) != min(tt.n, len(tt.lit)) || !strings.Contains(got, tt.want) {
			t.Errorf("rareWindow(%q, %d) = %q, want a window holding %q", tt.lit, tt.n, got, tt.want)
		}
	}
}

// A pathological regex in a catalog entry is refused at Build (RE2 has no
// backtracking, and its size limit rejects exploding repetition); the
// rest of the catalog still matches.
func TestPathologicalRegex(t *testing.T) {
	es := []*canon.Entry{
		entry("x/huge", `(?:abc{1000}){1000}`),
		entry("x/nested", `(a+)+$ timeout marker`),
		pyEntries[1],
	}
	ix, warns := Build(es)
	if len(warns) == 0 || warns[0].ID != "x/huge" || !strings.Contains(warns[0].Msg, "does not compile") {
		t.Fatalf("warnings %v", warns)
	}
	in := []byte(strings.Repeat("a", 100_000) + "! timeout marker\nKeyError: 'k'")
	rs, err := ix.Match(in, Options{NoFuzzy: true, Limit: 5})
	if err != nil || len(rs) != 1 || rs[0].ID != "python/key-error" {
		t.Fatalf("got %v, %v", ids(rs), err)
	}
}

// Many near-identical decoys early in a log use up an entry's budget of
// regex runs; the real error at the end is still found, because the
// latest candidates are kept and tried last.
func TestBudgetFavoursTheEnd(t *testing.T) {
	ix := testIndex(t, entry("python/module-not-found", `ModuleNotFoundError: No module named '(?P<module>[A-Za-z][\w.]*)'`, "ModuleNotFoundError: No module named 'yaml'"))
	var b strings.Builder
	for i := range 3 * maxRunsPerEntry {
		fmt.Fprintf(&b, "ModuleNotFoundError: No module named -%d\n", i)
	}
	b.WriteString("ModuleNotFoundError: No module named 'yaml'\n")
	rs, err := ix.Match([]byte(b.String()), Options{NoFuzzy: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || rs[0].ID != "python/module-not-found" || rs[0].Span.Line != 3*maxRunsPerEntry+1 || rs[0].Groups["module"] != "yaml" {
		t.Fatalf("the real error after %d decoys was not found: %+v", 3*maxRunsPerEntry, rs)
	}
}

// TestInvisibleIsEmpty: text of only invisible characters is empty input,
// not a search of nothing.
func TestInvisibleIsEmpty(t *testing.T) {
	ix, _ := Build(nil)
	for _, s := range []string{"", " \n", "\u200b\u200d\ufeff", "\u3164\u2800\u034f"} {
		if _, err := ix.Match([]byte(s), Options{}); !errors.Is(err, ErrEmpty) {
			t.Errorf("%q: %v, want ErrEmpty", s, err)
		}
	}
}
