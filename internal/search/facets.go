// This file counts facets: per value of the four filter fields, the
// entries matching a query, from the tables Build makes (index.go).

package search

import (
	"sort"

	"github.com/errorcanon/errorcanon/internal/canon"
)

// facetValues are an entry's domain, category, verification, resolvable.
func facetValues(e *canon.Entry) [4]string {
	return [4]string{e.Domain, e.Category, e.Verification, e.Resolvable}
}

// facetCounter counts entries per value of the four filter fields.
type facetCounter struct {
	ix     *Index
	counts [4][]int
}

func (ix *Index) newFacetCounter() *facetCounter {
	fc := &facetCounter{ix: ix}
	for k := range fc.counts {
		fc.counts[k] = make([]int, len(ix.values[k]))
	}
	return fc
}

// add counts the entry at position p of sorted.
func (fc *facetCounter) add(p int32) {
	if p < 0 {
		return
	}
	for k, n := range fc.ix.facetv[p] {
		fc.counts[k][n]++
	}
}

// facets sorts the counts, most frequent first, and never leaves a nil
// slice (JSON clients get [] rather than null).
func (fc *facetCounter) facets() Facets {
	sorted := func(k int) []Count {
		cs := []Count{}
		for n, c := range fc.counts[k] {
			if v := fc.ix.values[k][n]; c > 0 && v != "" {
				cs = append(cs, Count{v, c})
			}
		}
		sort.Slice(cs, func(i, j int) bool {
			if cs[i].Count != cs[j].Count {
				return cs[i].Count > cs[j].Count
			}
			return cs[i].Value < cs[j].Value
		})
		return cs
	}
	return Facets{Domain: sorted(0), Category: sorted(1), Verification: sorted(2), Resolvable: sorted(3)}
}
