package match

import (
	"strings"
	"testing"
)

// A similarity is the same number on every call: the query's terms are
// summed in one order, so two entries that tie stay tied and are ranked by
// id, not by map iteration (the import's matcher figures moved by one or
// two from run to run before).
func TestSimilarityIsDeterministic(t *testing.T) {
	es := Synthetic(200, 3)
	ix, _ := Build(es)
	q := strings.Join(strings.Fields(synthWords[0]+" "+strings.Join(synthWords[:40], " ")), " ") + " " + es[7].Examples[0]
	for i, e := range es[:20] {
		first := ix.text.similarity(q, int32(i))
		for range 50 {
			if got := ix.text.similarity(q, int32(i)); got != first {
				t.Fatalf("%s: similarity %v then %v", e.ID, first, got)
			}
		}
	}
}
