package match

import (
	"testing"

	catalogdata "github.com/errorcanon/errorcanon/catalog"
	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/catalog"
)

// BenchmarkDecodePlan decodes the whole of the shipped catalog's plan, as
// serve does once (FromPlan).
func BenchmarkDecodePlan(b *testing.B) {
	s, ok := catalog.OpenSnapshot(catalogdata.FS)
	if !ok {
		b.Fatal("stale snapshot: go generate ./catalog")
	}
	data := s.Extra(PlanExtra)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := DecodePlan(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFromPlanData is what `errorcanon match` does with the shipped
// catalog's encoded plan for a short message: the index from the plan's
// head, then one match, which decodes the entries it needs.
func BenchmarkFromPlanData(b *testing.B) {
	s, ok := catalog.OpenSnapshot(catalogdata.FS)
	if !ok {
		b.Fatal("stale snapshot: go generate ./catalog")
	}
	data := s.Extra(PlanExtra)
	msg := []byte("panic: runtime error: invalid memory address or nil pointer dereference\n")
	b.ReportAllocs()
	for b.Loop() {
		ix, err := FromPlanData(data, s.IDs(), func(n int32) *canon.Entry { return s.Entry(int(n)) })
		if err != nil {
			b.Fatal(err)
		}
		if rs, err := ix.Match(msg, Options{Limit: 3}); err != nil || len(rs) == 0 {
			b.Fatal(rs, err)
		}
	}
}
