package search

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/errorcanon/errorcanon/internal/canon"
)

// Benchmarks (figures in BENCHMARKS.md, "## Search"):
//
//	go test ./internal/search -run '^$' -bench BenchmarkSearch -benchtime 20x -timeout 30m
//	go test ./internal/search -run '^$' -bench BenchmarkBuild -benchtime 1x -timeout 30m
//
// BenchmarkSearch/entries=N/mix reports the median and 95th percentile of
// single queries over the mix of English, Chinese, typo, filtered and long
// queries below, snippets and facets included, both in wall time and in
// the process's CPU time (which a busy machine inflates less).

var (
	benchMu  sync.Mutex
	benchSet = map[int]*benchIndex{}
)

type benchIndex struct {
	ix *Index
	es []*canon.Entry
}

func benchFor(b *testing.B, n int) *benchIndex {
	benchMu.Lock()
	defer benchMu.Unlock()
	if s := benchSet[n]; s != nil {
		return s
	}
	es := synthetic(n, 1)
	start, cpu0 := time.Now(), cpuTime()
	ix, err := Build(es)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("built %d entries in %v (CPU %v)", n, time.Since(start).Round(time.Millisecond), (cpuTime() - cpu0).Round(time.Millisecond))
	ix.cache = newResultCache(0) // measure searches, not the cache
	s := &benchIndex{ix, es}
	benchSet[n] = s
	return s
}

// benchQueries are the queries of the mix, named; derived from the
// entries so that every one finds something.
func benchQueries(es []*canon.Entry) []struct {
	name string
	q    Query
} {
	own := func(e *canon.Entry) string { return strings.Fields(e.Signature)[2] } // the entry's own word
	return []struct {
		name string
		q    Query
	}{
		{"en-common", Query{Text: "connection refused"}},
		{"en-rare-word", Query{Text: own(es[len(es)/2])}},
		{"en-typo", Query{Text: "permision denied"}},
		{"en-signature", Query{Text: es[len(es)/3].Signature}},
		{"en-example", Query{Text: es[len(es)/4].Examples[1]}},
		{"en-filtered", Query{Text: "timeout " + own(es[len(es)/5]), Domain: es[len(es)/5].Domain, Resolvable: es[len(es)/5].Resolvable}},
		{"en-page-5", Query{Text: "connection", Page: 5}},
		{"en-sentence", Query{Text: strings.Join(strings.Fields(es[7].RootCause)[:25], " ")}},
		{"zh-1-char", Query{Text: "锁"}},
		{"zh-2-chars", Query{Text: "连接"}},
		{"zh-phrase", Query{Text: "权限被拒绝"}},
		{"zh-lang-zh", Query{Text: "内存溢出", Lang: "zh"}},
		{"mixed", Query{Text: es[len(es)/6].Tags[1] + " " + hanPair(es[len(es)/6].RootCauseZh) + " cache"}},
		{"long-512B", Query{Text: strings.Repeat(es[11].RootCause+" ", 4)}},
	}
}

// hanPair returns the first two adjacent Chinese characters of s.
func hanPair(s string) string {
	r := []rune(s)
	for i := 0; i+1 < len(r); i++ {
		if unicode.Is(unicode.Han, r[i]) && unicode.Is(unicode.Han, r[i+1]) {
			return string(r[i : i+2])
		}
	}
	return ""
}

func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{1000, 100000} {
		s := benchFor(b, n)
		qs := benchQueries(s.es)
		for _, q := range qs {
			b.Run(fmt.Sprintf("entries=%d/%s", n, q.name), func(b *testing.B) {
				r, err := s.ix.Search(ctx, q.q)
				if err != nil || len(r.Hits) == 0 {
					b.Fatalf("%q: %v, %d hits", q.q.Text, err, len(r.Hits))
				}
				b.ReportAllocs()
				for b.Loop() {
					s.ix.Search(ctx, q.q)
				}
				b.ReportMetric(float64(r.Total), "hits")
			})
		}
		b.Run(fmt.Sprintf("entries=%d/mix", n), func(b *testing.B) {
			var wall, cpu []time.Duration
			for b.Loop() {
				for _, q := range qs {
					t0, c0 := time.Now(), cpuTime()
					s.ix.Search(ctx, q.q)
					wall, cpu = append(wall, time.Since(t0)), append(cpu, cpuTime()-c0)
				}
			}
			ms := func(ds []time.Duration, p int) float64 {
				slices.Sort(ds)
				return float64(ds[len(ds)*p/100]) / 1e6
			}
			b.ReportMetric(ms(wall, 50), "p50-ms")
			b.ReportMetric(ms(wall, 95), "p95-ms")
			b.ReportMetric(ms(cpu, 50), "p50-cpu-ms")
			b.ReportMetric(ms(cpu, 95), "p95-cpu-ms")
		})
	}
}

// gc collects twice, so the heap measured holds only what is live.
func gc() { runtime.GC(); runtime.GC() }

// BenchmarkBuild reports the time to index n entries (ns/op, and the
// process's CPU time, which counts the parallel workers) and the heap the
// index holds, entries themselves excluded.
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		es := synthetic(n, 1)
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			var before, after runtime.MemStats
			var cpu time.Duration
			for b.Loop() {
				gc()
				runtime.ReadMemStats(&before)
				c0 := cpuTime()
				ix, err := Build(es)
				if err != nil {
					b.Fatal(err)
				}
				cpu += cpuTime() - c0
				b.StopTimer()
				gc()
				runtime.ReadMemStats(&after)
				runtime.KeepAlive(ix) // else the collections above free it
				b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/float64(n), "heap-B/entry")
				b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MiB")
				ix.Close()
				b.StartTimer()
			}
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}
