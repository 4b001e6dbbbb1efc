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
	postings map[string][]posting // sorted by doc
	docLen   []float32
	avgLen   float64
	domains  []string
	ids      map[*canon.Entry]int32
	n        int
	pool     sync.Pool // of *accumulator
}

// posting is one document's count of a term. Its fields are exported for
// the plan's encoding (plan.go).
type posting struct {
	Doc int32
	TF  uint16
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
// Terms are sorted, so that a plan encodes the same way every time.
type bm25Counts struct {
	Terms    []string
	Postings [][]posting // Postings[i] is Terms[i]'s, sorted by document
	DocLen   []float32
}

func countTerms(entries []*canon.Entry) bm25Counts {
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
	c.Postings = make([][]posting, len(c.Terms))
	for i, tok := range c.Terms {
		c.Postings[i] = postings[tok]
	}
	return c
}

// bm25From makes the scorer of entries from their counts.
func bm25From(c bm25Counts, entries []*canon.Entry) *bm25 {
	t := &bm25{postings: make(map[string][]posting, len(c.Terms)), docLen: c.DocLen,
		ids: make(map[*canon.Entry]int32, len(entries)), n: len(entries)}
	for i, tok := range c.Terms {
		t.postings[tok] = c.Postings[i]
	}
	total := 0.0
	for i, e := range entries {
		t.domains = append(t.domains, e.Domain)
		t.ids[e] = int32(i)
		total += float64(c.DocLen[i])
	}
	if len(entries) > 0 {
		t.avgLen = total / float64(len(entries))
	}
	t.pool.New = func() any { return &accumulator{scores: make([]float64, t.n), terms: make([]uint16, t.n)} }
	return t
}

func (t *bm25) idf(tok string) float64 {
	df := float64(len(t.postings[tok]))
	return math.Log(1 + (float64(t.n)-df+0.5)/(df+0.5))
}

func (t *bm25) termScore(idf float64, tf uint16, doc int32) float64 {
	f := float64(tf)
	norm := bmK1 * (1 - bmB + bmB*float64(t.docLen[doc])/t.avgLen)
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
		if len(t.postings[tok]) > 0 {
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
		for _, p := range t.postings[tok] {
			acc.add(p.Doc, t.termScore(idf, p.TF, p.Doc))
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

// similarity scores q against one entry.
func (t *bm25) similarity(q string, e *canon.Entry) float64 {
	doc := t.docOf(e)
	if doc < 0 {
		return 0
	}
	terms, maxScore := t.queryTerms(q)
	if maxScore == 0 {
		return 0
	}
	s := 0.0
	for _, qt := range terms {
		tok, idf := qt.tok, qt.idf
		ps := t.postings[tok]
		i := sort.Search(len(ps), func(i int) bool { return ps[i].Doc >= doc })
		if i < len(ps) && ps[i].Doc == doc {
			s += t.termScore(idf, ps[i].TF, doc)
		}
	}
	return s / maxScore
}

// docOf finds an entry's document number. Documents are numbered in the
// order Build saw the entries, which is also the Index's order.
func (t *bm25) docOf(e *canon.Entry) int32 {
	if t.ids == nil {
		return -1
	}
	if d, ok := t.ids[e]; ok {
		return d
	}
	return -1
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
