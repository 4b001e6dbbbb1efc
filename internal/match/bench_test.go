package match

import (
	"fmt"
	"runtime"
	"sync"
	"testing"

	catalogdata "github.com/errorcanon/errorcanon/catalog"
	"github.com/errorcanon/errorcanon/internal/catalog"
)

// Benchmarks: go test ./internal/match -run '^$' -bench . -benchmem
// The Naive variants are the baseline (every regex on the whole input).

var synthCache sync.Map // size -> *synthSet

type synthSet struct {
	ix               *Index
	naive            *Naive
	msg, trace, log_ []byte
	target           string
}

func synthFor(b *testing.B, n int) *synthSet {
	if v, ok := synthCache.Load(n); ok {
		return v.(*synthSet)
	}
	es := Synthetic(n, 1)
	ix, _ := Build(es)
	s := &synthSet{ix: ix, naive: NewNaive(es), target: es[len(es)/2].ID}
	s.msg, s.trace, s.log_ = SyntheticInputs(es)
	synthCache.Store(n, s)
	return s
}

func BenchmarkMatch(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		s := synthFor(b, n)
		for _, in := range []struct {
			name string
			data []byte
		}{{"msg200B", s.msg}, {"trace10KB", s.trace}, {"log1MiB", s.log_}} {
			b.Run(fmt.Sprintf("entries=%d/input=%s", n, in.name), func(b *testing.B) {
				rs, err := s.ix.Match(in.data, Options{})
				if err != nil || len(rs) == 0 || rs[0].ID != s.target {
					b.Fatalf("wrong answer: %v %v", err, ids(rs))
				}
				b.SetBytes(int64(len(in.data)))
				b.ReportAllocs()
				for b.Loop() {
					s.ix.Match(in.data, Options{})
				}
			})
		}
	}
}

func BenchmarkNaive(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		s := synthFor(b, n)
		for _, in := range []struct {
			name string
			data []byte
		}{{"msg200B", s.msg}, {"trace10KB", s.trace}} {
			b.Run(fmt.Sprintf("entries=%d/input=%s", n, in.name), func(b *testing.B) {
				b.SetBytes(int64(len(in.data)))
				b.ReportAllocs()
				for b.Loop() {
					s.naive.Match(in.data)
				}
			})
		}
	}
}

func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		es := Synthetic(n, 1)
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Build(es)
			}
		})
	}
}

// BenchmarkIndexMemory reports the live heap an index holds per entry.
func BenchmarkIndexMemory(b *testing.B) {
	for _, n := range []int{10000} {
		es := Synthetic(n, 1)
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			var before, after runtime.MemStats
			for b.Loop() {
				runtime.GC()
				runtime.ReadMemStats(&before)
				ix, _ := Build(es)
				runtime.GC()
				runtime.ReadMemStats(&after)
				runtime.KeepAlive(ix)
			}
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(n), "B/entry")
		})
	}
}

// BenchmarkBuildShipped builds the index of the shipped catalog, as a
// process that matches one message does at start.
func BenchmarkBuildShipped(b *testing.B) {
	c, _, ok := catalog.LoadSnapshot(catalogdata.FS)
	if !ok {
		b.Fatal("stale snapshot: go generate ./catalog")
	}
	b.ReportAllocs()
	for b.Loop() {
		Build(c.Entries)
	}
}

// BenchmarkStartShipped is what `errorcanon match` does for a short
// message: build the index and match once.
func BenchmarkStartShipped(b *testing.B) {
	c, _, ok := catalog.LoadSnapshot(catalogdata.FS)
	if !ok {
		b.Fatal("stale snapshot: go generate ./catalog")
	}
	msg := []byte("panic: runtime error: invalid memory address or nil pointer dereference\n")
	for b.Loop() {
		ix, _ := Build(c.Entries)
		if rs, err := ix.Match(msg, Options{Limit: 3}); err != nil || len(rs) == 0 {
			b.Fatal(rs, err)
		}
	}
}

// BenchmarkFromPlanShipped builds the shipped catalog's index from the
// plan in its snapshot, as `errorcanon match` does, decoding included.
func BenchmarkFromPlanShipped(b *testing.B) {
	c, _, ok := catalog.LoadSnapshot(catalogdata.FS)
	if !ok {
		b.Fatal("stale snapshot: go generate ./catalog")
	}
	data := c.Extra(PlanExtra)
	msg := []byte("panic: runtime error: invalid memory address or nil pointer dereference\n")
	for b.Loop() {
		p, err := DecodePlan(data)
		if err != nil {
			b.Fatal(err)
		}
		ix, err := FromPlan(p, c.Entries)
		if err != nil {
			b.Fatal(err)
		}
		if rs, err := ix.Match(msg, Options{Limit: 3}); err != nil || len(rs) == 0 {
			b.Fatal(rs, err)
		}
	}
}
