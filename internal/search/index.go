// This file builds the Index: each entry's fields analyzed (in parallel)
// into one inverted index per field, with the facet tables.

package search

import (
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/lru"
)

// Index is the full-text index of a set of entries. It is safe for
// concurrent use and never changes after Build.
type Index struct {
	fields      [nFields]fieldIndex
	en, kw, cjk analyzer
	byID        map[string]*canon.Entry
	sorted      []*canon.Entry // by id; an entry's number is its position here

	// Facets: each entry's values as indexes into values, in the order of
	// sorted.
	values [4][]string
	facetv [][4]uint32

	cache   *lru.Cache[string, *Results]
	scratch *sync.Pool // *scratch, for queries
}

// fieldIndex is the inverted index of one field, as flat lists that
// decode from a snapshot without building a map: the terms sorted, and
// the postings of terms[i] at [start[i], start[i+1]) of docs and tfs, in
// entry order. Typo matches scan the terms of the query word's first
// character, a range of the sorted terms.
type fieldIndex struct {
	Terms []string
	Start []int32
	Docs  []int32 // the entry's number
	TFs   []int32 // how often the entry holds the term
	// Positions, in fields phrases are searched in: those of posting j
	// are Pos[PosAt[j]:PosAt[j+1]].
	PosAt []int32
	Pos   []int32

	Lens   []int32 // terms per entry
	AvgLen float64

	// skip2 finds the terms by their first character and what follows
	// their second, for typo matching; made on first use
	// (typoCandidates). A pointer, set when the index is made, so that
	// copying a fieldIndex never reads what another goroutine is filling
	// in.
	skip2 *skipTable
}

type skipTable struct {
	once sync.Once
	m    map[skipKey][]int32
}

// skipKey is a term without its second character.
type skipKey struct {
	first rune
	rest  string // after the second character
}

// skipKeyOf splits term; ok is false when it has fewer than two
// characters.
func skipKeyOf(term string) (k skipKey, ok bool) {
	first, n := utf8.DecodeRuneInString(term)
	if n == len(term) {
		return k, false
	}
	_, m := utf8.DecodeRuneInString(term[n:])
	return skipKey{first, term[n+m:]}, true
}

// typoCandidates calls yield with each term (by number) that may be
// within one edit of term with its first character kept, none twice;
// withinOneEdit decides. An edit after the second character keeps the
// first two, a range of the sorted terms; one at the second character
// keeps the rest, which skip2 finds: substituted or inserted there, the
// term without its second character is the candidate's; deleted, the
// candidate is the term without its second character.
func (fi *fieldIndex) typoCandidates(term string, yield func(t int)) {
	k, ok := skipKeyOf(term)
	if !ok {
		from, to := fi.withPrefix(term)
		for t := from; t < to; t++ {
			yield(t) // a one-character term: every term it starts
		}
		return
	}
	st := fi.skip2
	st.once.Do(func() {
		st.m = map[skipKey][]int32{}
		for i, t := range fi.Terms {
			if k, ok := skipKeyOf(t); ok {
				st.m[k] = append(st.m[k], int32(i))
			}
		}
	})
	second := len(term) - len(k.rest) // where the rest starts
	from, to := fi.withPrefix(term[:second])
	for t := from; t < to; t++ {
		yield(t)
	}
	_, n := utf8.DecodeRuneInString(term)
	seen := func(t int) bool { return t >= from && t < to }
	for _, key := range []skipKey{k, {k.first, term[n:]}} { // substituted, inserted
		for _, t := range st.m[key] {
			if !seen(int(t)) {
				yield(int(t))
			}
		}
	}
	if i, ok := slices.BinarySearch(fi.Terms, term[:n]+k.rest); ok && !seen(i) { // deleted
		yield(i)
	}
}

// find returns the range of term's postings (empty when no entry holds
// it).
func (fi *fieldIndex) find(term string) (from, to int) {
	i, ok := slices.BinarySearch(fi.Terms, term)
	if !ok {
		return 0, 0
	}
	return int(fi.Start[i]), int(fi.Start[i+1])
}

// df is the number of entries holding term.
func (fi *fieldIndex) df(term string) int {
	from, to := fi.find(term)
	return to - from
}

// positions returns the positions of posting j.
func (fi *fieldIndex) positions(j int) []int32 { return fi.Pos[fi.PosAt[j]:fi.PosAt[j+1]] }

// withPrefix returns the range of the terms that start with p.
func (fi *fieldIndex) withPrefix(p string) (from, to int) {
	from, _ = slices.BinarySearch(fi.Terms, p)
	rest := fi.Terms[from:]
	return from, from + sort.Search(len(rest), func(i int) bool { return !strings.HasPrefix(rest[i], p) })
}

// buildWorkers analyze entries in parallel; merging is serial.
var buildWorkers = min(runtime.GOMAXPROCS(0), 4)

// Build indexes entries in memory. Entries without an id and repeated ids
// are skipped. Build cannot fail; the error is for callers written when
// it could.
func Build(entries []*canon.Entry) (*Index, error) {
	ix := newIndex(entries)
	docs := make([]analyzedDoc, len(ix.sorted))
	var wg sync.WaitGroup
	next := make(chan int, len(docs))
	for i := range docs {
		next <- i
	}
	close(next)
	for range buildWorkers {
		wg.Go(func() {
			for i := range next {
				docs[i] = analyzeDoc(ix.sorted[i])
			}
		})
	}
	wg.Wait()

	for f := range ix.fields {
		ix.fields[f] = invert(docs, f)
	}
	ix.facetTables()
	return ix, nil
}

// newIndex is an empty index of entries: no id and repeated ids skipped,
// sorted by id.
func newIndex(entries []*canon.Entry) *Index {
	ix := &Index{cache: newResultCache(CacheSize), en: enAnalyzer, kw: kwAnalyzer, cjk: cjkAnalyzer,
		byID: make(map[string]*canon.Entry, len(entries)), scratch: &sync.Pool{}}
	for _, e := range entries {
		if e == nil || e.ID == "" || ix.byID[e.ID] != nil {
			continue
		}
		ix.byID[e.ID] = e
		ix.sorted = append(ix.sorted, e)
	}
	slices.SortFunc(ix.sorted, func(a, b *canon.Entry) int { return strings.Compare(a.ID, b.ID) })
	return ix
}

// invert makes field f's index of the analyzed entries.
func invert(docs []analyzedDoc, f int) fieldIndex {
	type posting struct {
		doc, tf int32
		pos     []int32
	}
	byTerm := map[string][]posting{}
	fi := fieldIndex{Lens: make([]int32, len(docs)), skip2: new(skipTable)}
	var total int64
	for d := range docs {
		for _, t := range docs[d][f].terms {
			byTerm[t.term] = append(byTerm[t.term], posting{int32(d), t.tf, t.pos})
		}
		fi.Lens[d] = docs[d][f].n
		total += int64(docs[d][f].n)
	}
	if len(docs) > 0 {
		fi.AvgLen = float64(total) / float64(len(docs))
	}
	for t := range byTerm {
		fi.Terms = append(fi.Terms, t)
	}
	slices.Sort(fi.Terms)
	keepPos := fieldDefs[f].positions
	if keepPos {
		fi.PosAt = []int32{0}
	}
	fi.Start = make([]int32, 0, len(fi.Terms)+1)
	for _, t := range fi.Terms {
		fi.Start = append(fi.Start, int32(len(fi.Docs)))
		for _, p := range byTerm[t] {
			fi.Docs = append(fi.Docs, p.doc)
			fi.TFs = append(fi.TFs, p.tf)
			if keepPos {
				fi.Pos = append(fi.Pos, p.pos...)
				fi.PosAt = append(fi.PosAt, int32(len(fi.Pos)))
			}
		}
	}
	fi.Start = append(fi.Start, int32(len(fi.Docs)))
	return fi
}

// Close releases nothing: the index is plain memory. It stays for callers
// that close what they build.
func (ix *Index) Close() error { return nil }

// size is the number of entries indexed.
func (ix *Index) size() int { return len(ix.sorted) }

// analyzedDoc is one entry's fields as terms.
type analyzedDoc [nFields]struct {
	terms []docTerm
	n     int32 // tokens
}

type docTerm struct {
	term string
	tf   int32
	pos  []int32
}

func analyzeDoc(e *canon.Entry) analyzedDoc {
	var d analyzedDoc
	texts := fieldTexts(e)
	for f, def := range fieldDefs {
		at := map[string]int{}
		for _, tok := range def.analyzer.Analyze([]byte(texts[f])) {
			d[f].n++
			i, ok := at[string(tok.Term)]
			if !ok {
				i = len(d[f].terms)
				at[string(tok.Term)] = i
				d[f].terms = append(d[f].terms, docTerm{term: string(tok.Term)})
			}
			t := &d[f].terms[i]
			t.tf++
			if def.positions {
				t.pos = append(t.pos, int32(tok.Position))
			}
		}
	}
	return d
}

// facetTables fills values and facetv.
func (ix *Index) facetTables() {
	seen := [4]map[string]uint32{{}, {}, {}, {}}
	ix.facetv = make([][4]uint32, len(ix.sorted))
	for i, e := range ix.sorted {
		for k, v := range facetValues(e) {
			n, ok := seen[k][v]
			if !ok {
				n = uint32(len(ix.values[k]))
				seen[k][v] = n
				ix.values[k] = append(ix.values[k], v)
			}
			ix.facetv[i][k] = n
		}
	}
}
