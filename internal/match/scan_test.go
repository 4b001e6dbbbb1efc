package match

import (
	"slices"
	"strings"
	"testing"

	catalogdata "github.com/errorcanon/errorcanon/catalog"
	"github.com/errorcanon/errorcanon/internal/catalog"
)

// The direct search (short inputs, automaton not built) reports exactly
// the occurrences the automaton does, in the same order, on every
// example of the shipped catalog, upper-cased too and with noise.
func TestDirectHitsEqualAutomaton(t *testing.T) {
	c, _, ok := catalog.LoadSnapshot(catalogdata.FS)
	if !ok {
		t.Fatal("stale snapshot: go generate ./catalog")
	}
	ix, _ := Build(c.Entries)
	n := 0
	for _, e := range c.Entries {
		for _, ex := range e.Examples {
			for _, text := range []string{ex, strings.ToUpper(ex), "x " + ex + "\n" + ex} {
				if len(text) > directMax {
					continue
				}
				var want []litHit
				iter := ix.ac().IterOverlappingByte([]byte(text))
				for h := iter.Next(); h != nil; h = iter.Next() {
					want = append(want, litHit{h.Pattern(), h.Start(), h.End()})
				}
				got := ix.directHits([]byte(text))
				sortHits(want)
				if !slices.Equal(got, want) {
					t.Fatalf("%s: %q\ndirect    %v\nautomaton %v", e.ID, text, got, want)
				}
				n++
			}
		}
	}
	if n < 1000 {
		t.Fatalf("only %d texts compared", n)
	}
}

// An index answers the same before and after its automaton is built.
func TestMatchSameWithAndWithoutAutomaton(t *testing.T) {
	c, _, ok := catalog.LoadSnapshot(catalogdata.FS)
	if !ok {
		t.Fatal("stale snapshot: go generate ./catalog")
	}
	cold, _ := Build(c.Entries)
	warm, _ := Build(c.Entries)
	warm.Warm()
	for _, e := range c.Entries[:min(len(c.Entries), 300)] {
		for _, ex := range e.Examples {
			a, errA := cold.Match([]byte(ex), Options{Limit: 5})
			b, errB := warm.Match([]byte(ex), Options{Limit: 5})
			if (errA == nil) != (errB == nil) || len(a) != len(b) {
				t.Fatalf("%s: %d results (%v) cold, %d (%v) warm", e.ID, len(a), errA, len(b), errB)
			}
			for i := range a {
				if a[i].ID != b[i].ID || a[i].Kind != b[i].Kind {
					t.Fatalf("%s: result %d is %s %s cold, %s %s warm", e.ID, i, a[i].ID, a[i].Kind, b[i].ID, b[i].Kind)
				}
			}
		}
	}
	if cold.built.Load() {
		t.Error("short examples built the automaton")
	}
}
