// This file builds the Index: the entries indexed in parallel batches into
// in-memory scorch segments, and the tables that map bleve's internal
// document ids back to entries for the facet counts.

package search

import (
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/lru"
)

// Index is the full-text index of a set of entries. It is safe for
// concurrent use.
type Index struct {
	bi          bleve.Index
	en, kw, cjk analysis.Analyzer
	byID        map[string]*canon.Entry
	sorted      []*canon.Entry // by id, for blank queries

	// Facets: each entry's values as indexes into values, in the order of
	// sorted; entries found by bleve's internal id, through dense when the
	// ids are small numbers (they are: scorch numbers documents from 0),
	// else through byNum.
	values [4][]string
	facetv [][4]uint32
	dense  []int32
	byNum  map[string]int32

	cache *lru.Cache[string, *Results]
}

// Batches: without a path, scorch keeps each batch as one in-memory
// segment and never merges them, so the batch size also fixes the segment
// count, and every query pays per segment (a dictionary lookup per term, a
// fuzzy automaton walk per typo-tolerant word). Building costs the same CPU
// per entry whatever the batch size, so Build makes one batch per worker
// (or two) up to maxBatch entries, the workers building segments in
// parallel. Set by tests to other values.
var (
	buildWorkers = min(runtime.GOMAXPROCS(0), 4)
	minBatch     = 100
	maxBatch     = 25000
)

// Build indexes entries in memory. Entries without an id and repeated ids
// are skipped. Close releases the index.
func Build(entries []*canon.Entry) (*Index, error) {
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("search mapping: %w", err)
	}
	return buildWith(entries, m)
}

// Close releases the index's memory and goroutines.
func (ix *Index) Close() error { return ix.bi.Close() }

// size is the number of entries indexed.
func (ix *Index) size() int { return len(ix.byID) }

// buildWith indexes entries with the mapping m (benchmarks compare mappings).
func buildWith(entries []*canon.Entry, m *mapping.IndexMappingImpl) (*Index, error) {
	bi, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	ix := &Index{cache: newResultCache(CacheSize), bi: bi, en: m.AnalyzerNamed(aEn), kw: m.AnalyzerNamed(aKw), cjk: m.AnalyzerNamed(aCJK),
		byID: make(map[string]*canon.Entry, len(entries))}
	if ix.en == nil || ix.kw == nil || ix.cjk == nil {
		bi.Close()
		return nil, errors.New("search mapping: analyzers missing")
	}
	var todo []*canon.Entry
	for _, e := range entries {
		if e == nil || e.ID == "" || ix.byID[e.ID] != nil {
			continue
		}
		ix.byID[e.ID] = e
		todo = append(todo, e)
	}
	ix.sorted = slices.Clone(todo)
	slices.SortFunc(ix.sorted, func(a, b *canon.Entry) int { return strings.Compare(a.ID, b.ID) })
	chunks := make(chan []*canon.Entry)
	errs := make(chan error, buildWorkers)
	for w := 0; w < buildWorkers; w++ {
		go func() {
			var first error
			for chunk := range chunks {
				if first != nil {
					continue
				}
				b := bi.NewBatch()
				for _, e := range chunk {
					if err := b.Index(e.ID, docOf(e)); err != nil {
						first = fmt.Errorf("search index %s: %w", e.ID, err)
						break
					}
				}
				if first == nil {
					if err := bi.Batch(b); err != nil {
						first = fmt.Errorf("search index: %w", err)
					}
				}
			}
			errs <- first
		}()
	}
	batch := min(maxBatch, max(minBatch, (len(todo)+buildWorkers-1)/buildWorkers))
	for i := 0; i < len(todo); i += batch {
		chunks <- todo[i:min(len(todo), i+batch)]
	}
	close(chunks)
	var err2 error
	for w := 0; w < buildWorkers; w++ {
		if err := <-errs; err != nil && err2 == nil {
			err2 = err
		}
	}
	if err2 != nil {
		bi.Close()
		return nil, err2
	}
	if err := ix.mapInternalIDs(); err != nil {
		bi.Close()
		return nil, fmt.Errorf("search index: %w", err)
	}
	return ix, nil
}

// mapInternalIDs fills the facet tables. The index never changes after
// Build, so bleve's internal ids stay put.
func (ix *Index) mapInternalIDs() error {
	pos := make(map[string]int32, len(ix.sorted))
	seen := [4]map[string]uint32{{}, {}, {}, {}}
	ix.facetv = make([][4]uint32, len(ix.sorted))
	for i, e := range ix.sorted {
		pos[e.ID] = int32(i)
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
	idx, err := ix.bi.Advanced()
	if err != nil {
		return err
	}
	r, err := idx.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	all, err := r.DocIDReaderAll()
	if err != nil {
		return err
	}
	defer all.Close()
	ix.byNum = make(map[string]int32, len(ix.sorted))
	ix.dense = make([]int32, 2*len(ix.sorted)+1)
	for i := range ix.dense {
		ix.dense[i] = -1
	}
	for {
		id, err := all.Next()
		if err != nil {
			return err
		}
		if id == nil {
			return nil
		}
		ext, err := r.ExternalID(id)
		if err != nil {
			return err
		}
		p, ok := pos[ext]
		if !ok {
			continue
		}
		ix.byNum[string(id)] = p
		if n, ok := smallID(id); ok && n < uint64(len(ix.dense)) {
			ix.dense[n] = p
		}
	}
}

// smallID reads an 8-byte internal id as the number it is in scorch.
func smallID(id []byte) (uint64, bool) {
	if len(id) != 8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(id), true
}

// docOfID returns the position in sorted of the entry with internal id,
// or -1.
func (ix *Index) docOfID(id []byte) int32 {
	if n, ok := smallID(id); ok && n < uint64(len(ix.dense)) && ix.dense[n] >= 0 {
		return ix.dense[n]
	}
	if p, ok := ix.byNum[string(id)]; ok {
		return p
	}
	return -1
}
