package match

import (
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/errorcanon/errorcanon/internal/canon"
)

// bm25 scores how much a text resembles an entry's signature and examples.
// It is small on purpose: a query over a few hundred tokens must cost
// microseconds, which rules out a general search engine here (full-text
// search over whole entries lives in internal/search).
type bm25 struct {
	c       bm25Counts
	avgLen  float64
	domains []string
	n       int
	pool    sync.Pool // of *accumulator
}

const (
	bmK1         = 1.2
	bmB          = 0.75
	maxQueryToks = 256
	// minFuzzy is the similarity below which nothing is suggested, and
	// minFuzzyTerms the distinct query words a suggestion must share.
	minFuzzy      = 0.2
	minFuzzyTerms = 2
)

// bm25Counts is what the similarity scores are computed from: per term,
// the documents that hold it and how often, and each document's length.
// Terms are sorted, so that a plan encodes the same way every time and a
// term is found by binary search; the postings are flat arrays, which
// gob decodes in bulk (a slice of structs costs a reflective call per
// element: most of a plan's decoding time when they were).
type bm25Counts struct {
	Terms  []string
	Starts []uint32 // Terms[i]'s postings are [Starts[i], Starts[i+1])
	Docs   []int32  // sorted by document within a term
	TFs    []uint16
	DocLen []float32
}

// postings returns the range of tok's postings in Docs and TFs.
func (c *bm25Counts) postings(tok string) (int, int) {
	i, ok := slices.BinarySearch(c.Terms, tok)
	if !ok {
		return 0, 0
	}
	return int(c.Starts[i]), int(c.Starts[i+1])
}

func countTerms(entries []*canon.Entry) bm25Counts {
	type posting struct {
		doc int32
		tf  uint16
	}
	postings := map[string][]posting{}
	c := bm25Counts{DocLen: make([]float32, len(entries))}
	for i, e := range entries {
		counts := map[string]int{}
		n := 0
		add := func(s string) {
			for _, tok := range tokenize(s, 0) {
				counts[tok]++
				n++
			}
		}
		add(e.Signature)
		for _, ex := range e.Examples {
			add(ex)
		}
		for tok, k := range counts {
			postings[tok] = append(postings[tok], posting{int32(i), uint16(min(k, math.MaxUint16))})
		}
		c.DocLen[i] = float32(n)
	}
	c.Terms = make([]string, 0, len(postings))
	for tok := range postings {
		c.Terms = append(c.Terms, tok)
	}
	sort.Strings(c.Terms)
	c.Starts = make([]uint32, 0, len(c.Terms)+1)
	for _, tok := range c.Terms {
		c.Starts = append(c.Starts, uint32(len(c.Docs)))
		for _, p := range postings[tok] {
			c.Docs = append(c.Docs, p.doc)
			c.TFs = append(c.TFs, p.tf)
		}
	}
	c.Starts = append(c.Starts, uint32(len(c.Docs)))
	return c
}

// valid reports whether the counts are consistent, for n documents.
func (c *bm25Counts) valid(n int) bool {
	if len(c.Starts) != len(c.Terms)+1 || len(c.Docs) != len(c.TFs) || len(c.DocLen) != n ||
		c.Starts[0] != 0 || int(c.Starts[len(c.Terms)]) != len(c.Docs) {
		return false
	}
	for i := 1; i < len(c.Starts); i++ {
		if c.Starts[i] < c.Starts[i-1] {
			return false
		}
	}
	for _, d := range c.Docs {
		if d < 0 || int(d) >= n {
			return false
		}
	}
	return true
}

// bm25From makes the scorer from the counts and each document's domain.
func bm25From(c bm25Counts, domains []string) *bm25 {
	t := &bm25{c: c, domains: domains, n: len(domains)}
	total := 0.0
	for _, l := range c.DocLen {
		total += float64(l)
	}
	if t.n > 0 {
		t.avgLen = total / float64(t.n)
	}
	t.pool.New = func() any { return &accumulator{scores: make([]float64, t.n), terms: make([]uint16, t.n)} }
	return t
}

func (t *bm25) idf(tok string) float64 {
	s, e := t.c.postings(tok)
	df := float64(e - s)
	return math.Log(1 + (float64(t.n)-df+0.5)/(df+0.5))
}

func (t *bm25) termScore(idf float64, tf uint16, doc int32) float64 {
	f := float64(tf)
	norm := bmK1 * (1 - bmB + bmB*float64(t.c.DocLen[doc])/t.avgLen)
	return idf * f * (bmK1 + 1) / (f + norm)
}

// queryTerms returns the query's distinct known tokens with their idf, and
// the best score any document could reach for them.
func (t *bm25) queryTerms(q string) ([]queryTerm, float64) {
	var terms []queryTerm
	maxScore := 0.0
	seen := map[string]bool{}
	for _, tok := range tokenize(q, maxQueryToks) {
		if seen[tok] {
			continue
		}
		seen[tok] = true
		idf := t.idf(tok)
		if s, e := t.c.postings(tok); e > s {
			terms = append(terms, queryTerm{tok, idf})
		} else {
			// A word no entry has counts a little against the best score,
			// so a query of mostly unknown words resembles nothing, while
			// a person's filler words ("my build says") do not sink it.
			idf *= 0.25
		}
		maxScore += idf * (bmK1 + 1)
	}
	return terms, maxScore
}

// queryTerm is a query's word and its idf. Terms are kept in query order,
// not in a map, so scores sum in one order and equal scores stay equal
// from run to run (a tie is then broken by entry, never by chance).
type queryTerm struct {
	tok string
	idf float64
}

// accumulator is a dense score array reused across searches: with many
// entries it is much cheaper than a map.
type accumulator struct {
	scores  []float64
	terms   []uint16 // distinct query terms seen per document
	touched []int32
}

func (a *accumulator) add(doc int32, s float64) {
	if a.terms[doc] == 0 {
		a.touched = append(a.touched, doc)
	}
	a.scores[doc] += s
	a.terms[doc]++
}

func (a *accumulator) reset() {
	for _, d := range a.touched {
		a.scores[d] = 0
		a.terms[d] = 0
	}
	a.touched = a.touched[:0]
}

type hit struct {
	entry int32
	sim   float64
}

// search returns up to k entries most similar to q, with similarity >= minFuzzy.
func (t *bm25) search(q string, k int, domain string) []hit {
	terms, maxScore := t.queryTerms(q)
	if maxScore == 0 {
		return nil
	}
	acc := t.pool.Get().(*accumulator)
	defer t.pool.Put(acc)
	for _, qt := range terms {
		tok, idf := qt.tok, qt.idf
		s, e := t.c.postings(tok)
		for j := s; j < e; j++ {
			doc := t.c.Docs[j]
			acc.add(doc, t.termScore(idf, t.c.TFs[j], doc))
		}
	}
	var hits []hit
	for _, doc := range acc.touched {
		s := acc.scores[doc]
		if acc.terms[doc] < minFuzzyTerms || domain != "" && t.domains[doc] != domain {
			continue
		}
		if sim := s / maxScore; sim >= minFuzzy {
			hits = append(hits, hit{doc, sim})
		}
	}
	acc.reset()
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].sim != hits[j].sim {
			return hits[i].sim > hits[j].sim
		}
		return hits[i].entry < hits[j].entry
	})
	if len(hits) > k {
		hits = hits[:k]
	}
	return hits
}

// similarity scores q against one document (an entry's number in the
// Index, which numbers documents as it numbers entries).
func (t *bm25) similarity(q string, doc int32) float64 {
	if doc < 0 || int(doc) >= t.n {
		return 0
	}
	terms, maxScore := t.queryTerms(q)
	if maxScore == 0 {
		return 0
	}
	s := 0.0
	for _, qt := range terms {
		lo, hi := t.c.postings(qt.tok)
		docs := t.c.Docs[lo:hi]
		if i, ok := slices.BinarySearch(docs, doc); ok {
			s += t.termScore(qt.idf, t.c.TFs[lo+i], doc)
		}
	}
	return s / maxScore
}

var stopWords = map[string]bool{
	"the": true, "to": true, "of": true, "in": true, "is": true, "and": true, "for": true,
	"at": true, "on": true, "an": true, "be": true, "or": true, "by": true, "it": true,
	"this": true, "that": true, "with": true, "as": true, "was": true, "are": true,
}

// tokenize splits s into lowercase ASCII words and numbers of 2+ characters,
// at most max of them (0: no limit).
func tokenize(s string, max int) []string {
	var out []string
	start := -1
	flush := func(end int) {
		if start >= 0 && end-start >= 2 {
			w := strings.ToLower(s[start:end])
			if !stopWords[w] {
				out = append(out, w)
			}
		}
		start = -1
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		word := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
		if word && start < 0 {
			start = i
		} else if !word && start >= 0 {
			flush(i)
			if max > 0 && len(out) >= max {
				return out
			}
		}
	}
	flush(len(s))
	return out
}
