package match

import (
	"math"
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
// term is found by binary search. Everything is packed into strings
// (packed.go), so an index made from the snapshot's plan starts without
// decoding any of it.
type bm25Counts struct {
	Terms    string // the terms, one after another
	TermEnds u32s   // term i ends at TermEnds[i] in Terms
	Starts   u32s   // term i's postings are [Starts[i], Starts[i+1])
	Docs     u32s   // each posting's document, ascending within a term
	TFs      u16s   // each posting's term frequency
	DocLen   u32s   // each document's length in tokens
}

func (c *bm25Counts) nTerms() int { return c.TermEnds.len() }

// term returns term i ("" if the stored ends are out of order).
func (c *bm25Counts) term(i int) string {
	s, e, _ := c.TermEnds.span(i, len(c.Terms))
	return c.Terms[s:e]
}

// postings returns the range of tok's postings in Docs and TFs.
func (c *bm25Counts) postings(tok string) (int, int) {
	n := c.nTerms()
	i := sort.Search(n, func(i int) bool { return c.term(i) >= tok })
	if i == n || c.term(i) != tok {
		return 0, 0
	}
	s, e := int(c.Starts.at(i)), int(c.Starts.at(i+1))
	if s > e || e > c.Docs.len() {
		return 0, 0
	}
	return s, e
}

func (c *bm25Counts) doc(j int) int32        { return int32(c.Docs.at(j)) }
func (c *bm25Counts) tf(j int) uint16        { return c.TFs.at(j) }
func (c *bm25Counts) docLen(d int32) float64 { return float64(c.DocLen.at(int(d))) }

func countTerms(entries []*canon.Entry) bm25Counts {
	type posting struct {
		doc int32
		tf  uint16
	}
	postings := map[string][]posting{}
	docLen := make([]uint32, len(entries))
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
		docLen[i] = uint32(n)
	}
	terms := make([]string, 0, len(postings))
	for tok := range postings {
		terms = append(terms, tok)
	}
	sort.Strings(terms)
	var (
		all      strings.Builder
		termEnds []uint32
		starts   []uint32
		docs     []int32
		tfs      []uint16
	)
	for _, tok := range terms {
		all.WriteString(tok)
		termEnds = append(termEnds, uint32(all.Len()))
		starts = append(starts, uint32(len(docs)))
		for _, p := range postings[tok] { // in document order, as added
			docs = append(docs, p.doc)
			tfs = append(tfs, p.tf)
		}
	}
	starts = append(starts, uint32(len(docs)))
	return bm25Counts{Terms: all.String(), TermEnds: packU32s(termEnds), Starts: packU32s(starts),
		Docs: packU32s(docs), TFs: packU16s(tfs), DocLen: packU32s(docLen)}
}

// valid reports whether the counts have the shape of counts of n
// documents. The values are checked where they are read.
func (c *bm25Counts) valid(n int) bool {
	return c.TermEnds.whole() && c.Starts.whole() && c.Docs.whole() && c.DocLen.whole() && len(c.TFs)%2 == 0 &&
		c.Starts.len() == c.nTerms()+1 && c.Docs.len() == c.TFs.len() && c.DocLen.len() == n
}

// bm25From makes the scorer from the counts and each document's domain.
func bm25From(c bm25Counts, domains []string) *bm25 {
	t := &bm25{c: c, domains: domains, n: len(domains)}
	total := 0.0
	for d := range t.n {
		total += c.docLen(int32(d))
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
	norm := bmK1 * (1 - bmB + bmB*t.c.docLen(doc)/t.avgLen)
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
			if doc := t.c.doc(j); doc >= 0 && int(doc) < t.n {
				acc.add(doc, t.termScore(idf, t.c.tf(j), doc))
			}
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
		j := lo + sort.Search(hi-lo, func(k int) bool { return t.c.doc(lo+k) >= doc })
		if j < hi && t.c.doc(j) == doc {
			s += t.termScore(qt.idf, t.c.tf(j), doc)
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
