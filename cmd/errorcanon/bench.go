package main

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/errorcanon/errorcanon/internal/match"
)

// runBench measures the matcher on synthetic catalogs and prints a table:
// the same figures as 'go test -bench' in internal/match, in one run with
// the naive baseline (every regex on the whole input) beside them.
func runBench(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "bench", "")
	sizes := fs.String("sizes", "1000,10000,100000", "comma-separated catalog sizes")
	naiveMax := fs.Float64("naive-max", 2e8, "skip the baseline where entries x input bytes exceed this (it is slow by design)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	var ns []int
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 10 || n > 1_000_000 {
			fmt.Fprintf(e.stderr, "errorcanon bench: bad size %q (10 to 1000000)\n", s)
			return 2
		}
		ns = append(ns, n)
	}
	fmt.Fprintf(e.stdout, "matcher benchmark: %s, %d CPU, %s/%s\n\n", time.Now().UTC().Format(time.DateOnly), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "entries\tinput\tmatch\tallocs/op\tnaive\tspeed-up\t")
	var builds []string
	for _, n := range ns {
		if ctx.Err() != nil {
			return 1
		}
		es := match.Synthetic(n, 1)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		ix, _ := match.Build(es)
		buildTime := time.Since(start)
		runtime.GC()
		runtime.ReadMemStats(&after)
		builds = append(builds, fmt.Sprintf("%d entries: index built in %s, %.0f B/entry", n, buildTime.Round(time.Millisecond), float64(after.HeapAlloc-before.HeapAlloc)/float64(n)))
		naive := match.NewNaive(es)
		msg, trace, log := match.SyntheticInputs(es)
		want := es[len(es)/2].ID
		for _, in := range []struct {
			name string
			data []byte
		}{{"200 B message", msg}, {"10 KB trace", trace}, {"1 MiB log", log}} {
			rs, err := ix.Match(in.data, match.Options{})
			if err != nil || len(rs) == 0 || rs[0].ID != want {
				fmt.Fprintf(e.stderr, "errorcanon bench: wrong answer for %d entries, %s\n", n, in.name)
				return 1
			}
			ours := testing.Benchmark(func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					ix.Match(in.data, match.Options{})
				}
			})
			naiveCol, ratio := "—", "—"
			if float64(n)*float64(len(in.data)) <= *naiveMax {
				nb := testing.Benchmark(func(b *testing.B) {
					for b.Loop() {
						naive.Match(in.data)
					}
				})
				naiveCol = dur(nb.NsPerOp())
				ratio = fmt.Sprintf("%.0fx", float64(nb.NsPerOp())/float64(max(1, ours.NsPerOp())))
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\t\n", n, in.name, dur(ours.NsPerOp()), ours.AllocsPerOp(), naiveCol, ratio)
			fmt.Fprintf(e.stderr, "measured %d entries, %s\n", n, in.name) // progress; the table comes at the end
		}
		runtime.KeepAlive(ix)
	}
	tw.Flush()
	fmt.Fprintln(e.stdout)
	for _, b := range builds {
		fmt.Fprintln(e.stdout, b)
	}
	return 0
}

func dur(ns int64) string {
	d := time.Duration(ns)
	switch {
	case d < time.Microsecond:
		return fmt.Sprintf("%d ns", ns)
	case d < time.Millisecond:
		return fmt.Sprintf("%.1f µs", float64(ns)/1e3)
	case d < time.Second:
		return fmt.Sprintf("%.2f ms", float64(ns)/1e6)
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}
