package match

import (
	"testing"

	catalogdata "github.com/errorcanon/errorcanon/catalog"
	"github.com/errorcanon/errorcanon/internal/catalog"
)

// BenchmarkDecodePlan decodes the shipped catalog's plan, as every
// `errorcanon match` process does once.
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
