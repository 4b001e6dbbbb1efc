// This file builds the Index: each entry's fields analyzed (in parallel)
// into one inverted index per field, with the facet tables.

package search

import (
	"runtime"
	"slices"
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

	cache *lru.Cache[string, *Results]
}

// fieldIndex is the inverted index of one field.
type fieldIndex struct {
	postings map[string][]posting
	terms    []string          // sorted: prefix lookups
	byFirst  map[rune][]string // terms by first character, for typo matches
	lens     []int32           // terms per entry
	avgLen   float64
}

// posting is one entry holding a term: how often, and where (word
// positions, kept for the fields phrases are searched in).
type posting struct {
	doc int32
	tf  int32
	pos []int32
}

// buildWorkers analyze entries in parallel; merging is serial.
var buildWorkers = min(runtime.GOMAXPROCS(0), 4)

// Build indexes entries in memory. Entries without an id and repeated ids
// are skipped. Build cannot fail; the error is for callers written when
// it could.
func Build(entries []*canon.Entry) (*Index, error) {
	ix := &Index{cache: newResultCache(CacheSize), en: enAnalyzer, kw: kwAnalyzer, cjk: cjkAnalyzer,
		byID: make(map[string]*canon.Entry, len(entries))}
	for _, e := range entries {
		if e == nil || e.ID == "" || ix.byID[e.ID] != nil {
			continue
		}
		ix.byID[e.ID] = e
		ix.sorted = append(ix.sorted, e)
	}
	slices.SortFunc(ix.sorted, func(a, b *canon.Entry) int { return strings.Compare(a.ID, b.ID) })

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
		fi := &ix.fields[f]
		fi.postings = map[string][]posting{}
		fi.lens = make([]int32, len(docs))
		var total int64
		for d := range docs {
			for _, t := range docs[d][f].terms {
				fi.postings[t.term] = append(fi.postings[t.term], posting{doc: int32(d), tf: t.tf, pos: t.pos})
			}
			fi.lens[d] = docs[d][f].n
			total += int64(docs[d][f].n)
		}
		if len(docs) > 0 {
			fi.avgLen = float64(total) / float64(len(docs))
		}
		fi.terms = make([]string, 0, len(fi.postings))
		for t := range fi.postings {
			fi.terms = append(fi.terms, t)
		}
		slices.Sort(fi.terms)
		if fieldDefs[f].fuzzy {
			fi.byFirst = map[rune][]string{}
			for _, t := range fi.terms {
				r, _ := utf8.DecodeRuneInString(t)
				fi.byFirst[r] = append(fi.byFirst[r], t)
			}
		}
	}
	ix.facetTables()
	return ix, nil
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
