package match

import (
	"bytes"
	"slices"
	"sync"

	ahocorasick "github.com/petar-dambovaliev/aho-corasick"
)

// The prefilter finds the entries' literals in the input. An Aho-Corasick
// automaton scans any input in one pass, but building it for the shipped
// catalog's ~1,200 patterns costs about 13 ms of CPU, most of what a
// process that matches one short message spends. So the automaton is
// built on the first input longer than directMax; shorter inputs are
// searched for each pattern directly (bytes.Index over the lower-cased
// text: about a microsecond a pattern for a short message). Both report
// the same occurrences; a long-lived server builds the automaton once
// (Warm) and uses it for everything.
//
// The NFA builds in a few milliseconds; the DFA scans about 3x faster but
// takes ~100 ms to build and ~10 KB a pattern, so it is built on the
// first input of dfaFrom bytes, and only up to maxDFAPatterns.

// directMax is the longest input searched pattern by pattern while the
// automaton is not built.
const directMax = 2 << 10

// setPatterns sets the automaton's patterns, ASCII lower-cased (as plans
// store them).
func (ix *Index) setPatterns(pats []string) {
	ix.pats = pats
	ix.ac = sync.OnceValue(func() ahocorasick.AhoCorasick {
		a := buildAutomaton(pats, false)
		ix.built.Store(true)
		return a
	})
	ix.dfa = sync.OnceValue(func() ahocorasick.AhoCorasick {
		if len(pats) > maxDFAPatterns {
			return ix.ac()
		}
		return buildAutomaton(pats, true)
	})
}

// Warm builds the automaton now, and decodes every entry's part of the
// plan, so that no request pays for either; serve calls it once it
// listens.
func (ix *Index) Warm() {
	ix.ac()
	for n := range ix.entries {
		ix.at(int32(n))
	}
}

// direct reports whether text of n bytes is searched pattern by pattern.
func (ix *Index) direct(n int) bool { return n <= directMax && !ix.built.Load() }

// scanner returns the automaton to scan n bytes with.
func (ix *Index) scanner(n int) ahocorasick.AhoCorasick {
	if n >= dfaFrom {
		return ix.dfa()
	}
	return ix.ac()
}

// litHit is one occurrence of a pattern.
type litHit struct{ pattern, start, end int }

// eachHit calls f for every occurrence of every pattern in text,
// overlapping ones included, in the order of their ends (as the
// automaton reports them).
func (ix *Index) eachHit(text []byte, f func(pattern, start int)) {
	if !ix.direct(len(text)) {
		iter := ix.scanner(len(text)).IterOverlappingByte(text)
		for h := iter.Next(); h != nil; h = iter.Next() {
			f(h.Pattern(), h.Start())
		}
		return
	}
	for _, h := range ix.directHits(text) {
		f(h.pattern, h.start)
	}
}

// directHits finds every occurrence of every pattern in a short text.
func (ix *Index) directHits(text []byte) []litHit {
	low := lowerASCII(bytes.Clone(text))
	var hits []litHit
	for p, pat := range ix.pats {
		for from := 0; ; {
			i := bytes.Index(low[from:], []byte(pat))
			if i < 0 {
				break
			}
			hits = append(hits, litHit{p, from + i, from + i + len(pat)})
			from += i + 1
		}
	}
	sortHits(hits)
	return hits
}

func sortHits(hits []litHit) {
	slices.SortStableFunc(hits, func(a, b litHit) int {
		if a.end != b.end {
			return a.end - b.end
		}
		return a.pattern - b.pattern
	})
}

// lowerASCII lower-cases the ASCII letters of b in place (the automaton
// is ASCII case-insensitive; other bytes keep their offsets).
func lowerASCII(b []byte) []byte {
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return b
}
