package match

// This file calibrates the fuzzy threshold (FuzzyThreshold) on data and
// keeps it honest: look-alikes are shown only when they are likely right.
//
//	go test ./internal/match/ -run TestFuzzyCalibration -v   # the sweep table
//
// Positives are the shipped catalog's own examples, cut the way people
// paste them (tool prefix gone, punctuation gone, last line only) where
// the cut text no longer matches any regex: the right answer is the entry
// they came from. Negatives are real error output of tools and situations
// the catalog does not cover, and ordinary output of successful runs
// (testdata/corpus): any suggestion for them is wrong.

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/testutil"
)

// shippedIndex is the shipped catalog's index, built once per test binary
// (ShippedIndex for the external tests), with its automaton, as serve
// warms it: the tests that use it match thousands of short texts, which
// a cold index searches pattern by pattern, several times slower.
// TestDirectHitsEqualAutomaton and TestMatchSameWithAndWithoutAutomaton
// check that both ways give the same answers.
var shippedIndex = sync.OnceValues(func() (*Index, []*canon.Entry) {
	c, _ := testutil.Shipped()
	ix, _ := Build(c.Entries)
	ix.Warm()
	return ix, c.Entries
})

var ShippedIndex = shippedIndex

type sample struct {
	text string
	want string // entry id; "" for a negative
	from string // where it came from, for the report
}

var (
	toolPrefixRE = regexp.MustCompile(`^(?:[\w.\-]+(?:\[[\w.-]+\])?: ?)+`)
	punctRE      = regexp.MustCompile(`[.:;,'"()\[\]{}<>]+`)
)

// positives cuts each example the ways people paste errors, keeping the
// cuts that no regex matches any more (those need the fuzzy path).
func positives(ix *Index, entries []*canon.Entry) []sample {
	var out []sample
	seen := map[string]bool{}
	for _, e := range entries {
		for i, ex := range e.Examples {
			lines := strings.Split(strings.TrimSpace(ex), "\n")
			last := strings.TrimSpace(lines[len(lines)-1])
			first := strings.TrimSpace(lines[0])
			for _, v := range []string{
				toolPrefixRE.ReplaceAllString(first, ""),
				toolPrefixRE.ReplaceAllString(last, ""),
				punctRE.ReplaceAllString(first, " "),
				punctRE.ReplaceAllString(last, " "),
				strings.ToLower(punctRE.ReplaceAllString(toolPrefixRE.ReplaceAllString(last, ""), " ")),
			} {
				v = strings.Join(strings.Fields(v), " ")
				if len(v) < 12 || seen[v] {
					continue
				}
				seen[v] = true
				rs, _ := ix.Match([]byte(v), Options{Limit: 1, NoFuzzy: true})
				if len(rs) > 0 {
					continue // still matched exactly: not a fuzzy case
				}
				out = append(out, sample{text: v, want: e.ID, from: fmt.Sprintf("%s examples[%d]", e.ID, i)})
			}
		}
	}
	return out
}

// negatives reads the corpus: each unknown error whole, and ordinary
// output in windows of 20 lines, the way a log is pasted.
func negatives(t *testing.T) []sample {
	var out []sample
	files, _ := filepath.Glob("testdata/corpus/unknown-errors/*")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, sample{text: string(b), from: filepath.Base(f)})
	}
	logs, _ := filepath.Glob("testdata/corpus/normal-output/*")
	for _, f := range logs {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(b), "\n")
		for n := 0; n < len(lines); n += 20 {
			w := strings.Join(lines[n:min(n+20, len(lines))], "\n")
			if strings.TrimSpace(w) != "" {
				out = append(out, sample{text: w, from: fmt.Sprintf("%s:%d", filepath.Base(f), n+1)})
			}
		}
	}
	return out
}

type outcome struct {
	sim     float64
	correct bool
}

// suggest runs the fuzzy path with no threshold and returns the best
// look-alike's similarity and whether it is the wanted entry.
func suggest(ix *Index, s sample) (outcome, bool) {
	rs, err := ix.Match([]byte(s.text), Options{Limit: 1, anySimilarity: true})
	if err != nil || len(rs) == 0 {
		return outcome{}, false
	}
	if rs[0].Kind == Matched {
		// An exact match on a negative is the catalog's false positive,
		// reported by TestNegativeCorpus, not a fuzzy matter.
		return outcome{}, false
	}
	return outcome{sim: rs[0].Score.Similarity, correct: s.want != "" && rs[0].ID == s.want}, true
}

// score counts, at threshold th, the suggestions shown and how many were
// right: precision = right / shown, recall = right / positives, false
// alarms = negatives given a suggestion / negatives.
func score(pos, neg []outcome, negTotal int, th float64) (precision, recall, falseAlarm float64, shown int) {
	right := 0
	for _, o := range pos {
		if o.sim >= th {
			shown++
			if o.correct {
				right++
			}
		}
	}
	alarms := 0
	for _, o := range neg {
		if o.sim >= th {
			shown++
			alarms++
		}
	}
	if shown > 0 {
		precision = float64(right) / float64(shown)
	}
	if len(pos) > 0 {
		recall = float64(right) / float64(len(pos))
	}
	if negTotal > 0 {
		falseAlarm = float64(alarms) / float64(negTotal)
	}
	return precision, recall, falseAlarm, shown
}

// The gates: nine in ten look-alikes shown are right, and at most one
// error in five that the catalog does not cover gets a look-alike at all.
const (
	minPrecision  = 0.9
	maxFalseAlarm = 0.2
)

func TestFuzzyCalibration(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the matcher over the whole calibration corpus")
	}
	ix, entries := shippedIndex()
	var pos, neg []outcome
	for _, s := range positives(ix, entries) {
		if o, ok := suggest(ix, s); ok {
			pos = append(pos, o)
		} else {
			pos = append(pos, outcome{}) // nothing suggested: a miss
		}
	}
	negs := negatives(t)
	if len(negs) < 100 {
		t.Fatalf("the negative corpus has %d samples; testdata/corpus is missing", len(negs))
	}
	for _, s := range negs {
		if o, ok := suggest(ix, s); ok {
			neg = append(neg, o)
		}
	}
	t.Logf("%d positives (cut examples no regex matches), %d negatives (%d with any suggestion)", len(pos), len(negs), len(neg))
	t.Logf("%-9s %-9s %-7s %-11s %s", "threshold", "precision", "recall", "false-alarm", "shown")
	ths := []float64{0.2, 0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9}
	sort.Float64s(ths)
	for _, th := range ths {
		p, r, fa, n := score(pos, neg, len(negs), th)
		mark := ""
		if th == FuzzyThreshold {
			mark = "  <- FuzzyThreshold"
		}
		t.Logf("%-9.2f %-9.3f %-7.3f %-11.3f %d%s", th, p, r, fa, n, mark)
	}
	p, r, fa, _ := score(pos, neg, len(negs), FuzzyThreshold)
	if fa > maxFalseAlarm {
		t.Errorf("at FuzzyThreshold %.2f, %.1f%% of errors the catalog does not cover get a look-alike (> %.0f%%); raise the threshold", FuzzyThreshold, 100*fa, 100*maxFalseAlarm)
	}
	if p < minPrecision {
		t.Errorf("at FuzzyThreshold %.2f, %.1f%% of look-alikes shown are wrong (precision %.3f < %.2f); raise the threshold", FuzzyThreshold, 100*(1-p), p, minPrecision)
	}
	if r == 0 {
		t.Errorf("at FuzzyThreshold %.2f no cut example finds its entry: the fuzzy path is dead", FuzzyThreshold)
	}
}
