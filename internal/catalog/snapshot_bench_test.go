package catalog

import (
	"io/fs"
	"testing"

	catalogdata "github.com/errorcanon/errorcanon/catalog"
)

// The phases of starting from the embedded snapshot, for the start-up
// figures in BENCHMARKS.md.
func BenchmarkLoadSnapshot(b *testing.B) {
	for b.Loop() {
		if _, _, ok := LoadSnapshot(catalogdata.FS); !ok {
			b.Fatal("stale snapshot")
		}
	}
}

func BenchmarkSourceHash(b *testing.B) {
	for b.Loop() {
		if _, err := SourceHash(catalogdata.FS); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadSnapshot(b *testing.B) {
	for b.Loop() {
		if _, err := fs.ReadFile(catalogdata.FS, SnapshotFile); err != nil {
			b.Fatal(err)
		}
	}
}
