package matchdata

import (
	"testing"

	catalogdata "github.com/errorcanon/errorcanon/catalog"
	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/match"
)

// BenchmarkLoad is what the WebAssembly matcher does before its first
// answer, natively: decode the shipped catalog's data, build the index.
func BenchmarkLoad(b *testing.B) {
	c, _, ok := catalog.LoadSnapshot(catalogdata.FS)
	if !ok {
		b.Skip("no current snapshot")
	}
	data, _ := Encode(c.Entries)
	b.SetBytes(int64(len(data)))
	b.Run("decode", func(b *testing.B) {
		for b.Loop() {
			if _, err := Decode(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	es, _ := Decode(data)
	b.Run("build", func(b *testing.B) {
		for b.Loop() {
			match.Build(es)
		}
	})
}
