package match

import (
	"fmt"
	"testing"

	"github.com/errorcanon/errorcanon/internal/canon"
)

// A literal many entries share is still a literal: the entries that need
// it are scanned for, not run on every input. (Scoring once let a literal
// used by a dozen entries fall below the "no clause" mark.)
func TestCommonLiteralIsStillAPrefilter(t *testing.T) {
	var es []*canon.Entry
	for i := 1; i <= 30; i++ {
		es = append(es, &canon.Entry{ID: fmt.Sprintf("x/e%d", i), Regex: fmt.Sprintf(`alpha\d{%d}z`, i)})
	}
	ix, warns := Build(es)
	if slow := ix.Slow(); len(slow) > 0 {
		t.Fatalf("%d of %d entries run on every input: %v", len(slow), len(es), warns[0])
	}
	rs, err := ix.Match([]byte("alpha1234z"), Options{Limit: 1, NoFuzzy: true})
	if err != nil || len(rs) != 1 || rs[0].ID != "x/e4" {
		t.Fatalf("got %+v, %v; want x/e4", rs, err)
	}
}
