package match

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// The prefilter is an optimisation, never a filter of truth: on random
// inputs assembled from examples, noise and fragments, the set of entries
// Match reports as matched equals the set a naive scan finds by running
// every (single-line) regex on every line.
func TestMatchesNaiveScan(t *testing.T) {
	es := Synthetic(300, 7)
	es = append(es, pyEntries[:3]...)
	ix, _ := Build(es)
	naive := map[string]*regexp.Regexp{}
	for _, e := range es {
		naive[e.ID] = regexp.MustCompile(e.Regex)
	}
	r := rand.New(rand.NewPCG(3, 4))
	noise := []string{"INFO ok", "  at com.example.Foo.bar(Foo.java:12)", "", "\x1b[31mERROR\x1b[0m", "warning: unused", "日本語のログ", "\xff\xfe"}
	for iter := 0; iter < 300; iter++ {
		var lines []string
		for k := 0; k < 1+r.IntN(12); k++ {
			switch r.IntN(4) {
			case 0:
				lines = append(lines, noise[r.IntN(len(noise))])
			case 1: // a fragment of an example: may or may not still match
				ex := es[r.IntN(len(es))].Examples
				if len(ex) > 0 {
					s := ex[0]
					lines = append(lines, s[:r.IntN(len(s)+1)])
				}
			default:
				ex := es[r.IntN(len(es))].Examples
				if len(ex) > 0 {
					lines = append(lines, ex[0])
				}
			}
		}
		in := strings.Join(lines, "\n")
		if strings.TrimSpace(in) == "" {
			continue
		}
		rs, err := ix.Match([]byte(in), Options{Limit: 1000, NoFuzzy: true})
		if err != nil {
			t.Fatal(err)
		}
		var got, want []string
		for _, res := range rs {
			got = append(got, res.ID)
			if !naive[res.ID].MatchString(res.Span.Text) {
				t.Errorf("%s: span %q is not matched by its regex", res.ID, res.Span.Text)
			}
		}
		norm := string(normalize([]byte(in)))
		for id, re := range naive {
			for _, l := range strings.Split(norm, "\n") {
				if re.MatchString(l) {
					want = append(want, id)
					break
				}
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("input %q:\nmatch %v\nnaive %v", in, got, want)
		}
	}
}

func FuzzMatch(f *testing.F) {
	ix, _ := Build(append(Synthetic(50, 1), pyEntries...))
	f.Add([]byte(traceback))
	f.Add([]byte("KeyError: 'x'\r\n\x1b[0m"))
	f.Add([]byte{0, 0xff, '\r'})
	f.Fuzz(func(t *testing.T, in []byte) {
		rs, err := ix.Match(in, Options{Limit: 3})
		if err != nil {
			return
		}
		if len(rs) > 3 {
			t.Fatalf("%d results over limit", len(rs))
		}
		norm := normalize(in)
		for _, r := range rs {
			if r.Span == nil {
				continue
			}
			if r.Span.Start < 0 || r.Span.End > len(norm) || r.Span.Start > r.Span.End {
				t.Fatalf("span %+v out of range %d", r.Span, len(norm))
			}
			if !utf8.ValidString(r.Span.Text) {
				t.Fatalf("span text not UTF-8")
			}
		}
	})
}
