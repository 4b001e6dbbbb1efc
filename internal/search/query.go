// This file runs a planned query on the index: each word's clauses (its
// fields, exactly, by prefix or with a typo) are scored with BM25, a word
// scores the sum of its clauses in proportion to how many matched, and
// an entry scores the sum of its words, plus a bonus where the words
// stand as a phrase in its signature or examples.

package search

import (
	"cmp"
	"math"
	"slices"
)

// Weights of a query word in each field; a typo match weighs fuzzyWeight
// of an exact one.
const (
	wSig        = 4.0
	wCode       = 4.0
	wEx         = 2.0
	wBody       = 1.0
	fuzzyWeight = 0.3
	fuzzyMinLen = 5
)

// phraseWeight multiplies a field's weight for a phrase match.
const phraseWeight = 2.0

// BM25's parameters, the usual ones.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

type clauseKind uint8

const (
	exact  clauseKind = iota
	prefix            // any term starting with the text (a CJK character)
	fuzzy             // the term or one within one edit, first character kept
)

// clause is one way a word matches: a term in a field, with a weight.
type clause struct {
	field int
	term  string
	kind  clauseKind
	boost float64
}

// clauses are the ways one word matches: each field group it is searched
// in, exactly and, for typo-tolerant words, with one edit.
func (t *terms) clauses(w *word) []clause {
	var cs []clause
	if w.en != "" {
		cs = append(cs, clause{iEx, w.en, exact, wEx})
		if t.lang != "zh" {
			cs = append(cs, clause{iSig, w.en, exact, wSig}, clause{iBody, w.en, exact, wBody})
		}
		if w.fuzzy && t.lang != "zh" {
			cs = append(cs, clause{iSig, w.en, fuzzy, wSig * fuzzyWeight}, clause{iBody, w.en, fuzzy, wBody * fuzzyWeight})
		}
	}
	if w.kw != "" {
		cs = append(cs, clause{iCode, w.kw, exact, wCode})
	}
	if w.zh != "" {
		cs = append(cs, clause{iSigZh, w.zh, exact, wSig}, clause{iBodyZh, w.zh, exact, wBody})
	}
	if w.uni != "" {
		cs = append(cs, clause{iSigZh, w.uni, prefix, wSig}, clause{iBodyZh, w.uni, prefix, wBody})
	}
	return cs
}

// idf2 is a term's inverse document frequency, squared: the idf counts
// twice, as in a query whose weight is the term's idf, so a rare word
// outweighs a common one more than BM25 alone would.
func (ix *Index) idf2(df int) float64 {
	n := float64(ix.size())
	idf := math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
	return idf * idf
}

// bm25 scores an entry holding a term tf times in field f, given the
// term's idf2; tf is dampened by its square root.
func (ix *Index) bm25(f int, doc int32, tf int, idf2 float64) float64 {
	fi := &ix.fields[f]
	norm := 1.0
	if fi.AvgLen > 0 {
		norm = 1 - bm25B + bm25B*float64(fi.Lens[doc])/fi.AvgLen
	}
	t := math.Sqrt(float64(tf))
	return idf2 * t * bm25K1 / (t + bm25K1*norm)
}

// sparse is a number per entry, of which few are set: an array as long
// as the index, and the list of the entries set, so that reading and
// clearing cost what was set, not the index's size.
type sparse struct {
	v   []float64
	set []int32
}

func (s *sparse) add(doc int32, x float64) {
	if s.v[doc] == 0 {
		s.set = append(s.set, doc)
	}
	s.v[doc] += x
}

func (s *sparse) max(doc int32, x float64) {
	if s.v[doc] == 0 {
		s.set = append(s.set, doc)
	}
	s.v[doc] = max(s.v[doc], x)
}

func (s *sparse) clear() {
	for _, d := range s.set {
		s.v[d] = 0
	}
	s.set = s.set[:0]
}

// scratch is one query's working memory, pooled per index: five sparse
// arrays as long as the index.
type scratch struct {
	word    sparse // a word's score so far
	matched sparse // how many of its clauses matched
	tmp     sparse // a prefix's counts, a typo's best score
	total   sparse // the words' scores summed
	count   sparse // how many words matched
}

func (ix *Index) getScratch() *scratch {
	if s, ok := ix.scratch.Get().(*scratch); ok {
		return s
	}
	n := ix.size()
	s := &scratch{}
	for _, a := range []*sparse{&s.word, &s.matched, &s.tmp, &s.total, &s.count} {
		a.v = make([]float64, n)
	}
	return s
}

// hits adds the clause's score for every entry it matches to sc.word, and
// counts the match in sc.matched; when only is more than 0, only for the
// entries that matched each of the only words before (sc.count).
func (ix *Index) hits(c clause, sc *scratch, only int) {
	fi := &ix.fields[c.field]
	skip := func(doc int32) bool { return only > 0 && sc.count.v[doc] != float64(only) }
	switch c.kind {
	case exact:
		from, to := fi.find(c.term)
		idf2 := ix.idf2(to - from)
		if only > 0 && len(sc.count.set)*16 < to-from {
			// Few candidates, a common term: look each up (the postings
			// are in entry order) rather than read them all.
			for _, doc := range sc.count.set {
				if skip(doc) {
					continue
				}
				j, ok := slices.BinarySearch(fi.Docs[from:to], doc)
				if ok {
					sc.word.add(doc, c.boost*ix.bm25(c.field, doc, int(fi.TFs[from+j]), idf2))
					sc.matched.add(doc, 1)
				}
			}
			return
		}
		for j := from; j < to; j++ {
			doc := fi.Docs[j]
			if skip(doc) {
				continue
			}
			sc.word.add(doc, c.boost*ix.bm25(c.field, doc, int(fi.TFs[j]), idf2))
			sc.matched.add(doc, 1)
		}
	case prefix:
		// Every occurrence of a character starts exactly one token (a
		// bigram, a run's tail or a lone character), so the terms
		// starting with it count its occurrences: score it as one term.
		from, to := fi.withPrefix(c.term)
		for t := from; t < to; t++ {
			for j := fi.Start[t]; j < fi.Start[t+1]; j++ {
				sc.tmp.add(fi.Docs[j], float64(fi.TFs[j]))
			}
		}
		idf2 := ix.idf2(len(sc.tmp.set))
		for _, doc := range sc.tmp.set {
			if skip(doc) {
				continue
			}
			sc.word.add(doc, c.boost*ix.bm25(c.field, doc, int(sc.tmp.v[doc]), idf2))
			sc.matched.add(doc, 1)
		}
		sc.tmp.clear()
	case fuzzy:
		// The best of the term and the terms one edit away (the first
		// character kept), for each entry holding any.
		fi.typoCandidates(c.term, func(t int) {
			if !withinOneEdit(c.term, fi.Terms[t]) {
				return
			}
			lo, hi := int(fi.Start[t]), int(fi.Start[t+1])
			idf2 := ix.idf2(hi - lo)
			for j := lo; j < hi; j++ {
				if doc := fi.Docs[j]; !skip(doc) {
					sc.tmp.max(doc, c.boost*ix.bm25(c.field, doc, int(fi.TFs[j]), idf2))
				}
			}
		})
		for _, doc := range sc.tmp.set {
			sc.word.add(doc, sc.tmp.v[doc])
			sc.matched.add(doc, 1)
		}
		sc.tmp.clear()
	}
}

// addWord adds one word's score to every entry it matches: the sum of
// its matching clauses times the share of its clauses that match (an
// entry holding the word in several fields ranks higher).
func (ix *Index) addWord(cs []clause, sc *scratch, only int) {
	for _, c := range cs {
		ix.hits(c, sc, only)
	}
	for _, d := range sc.word.set {
		sc.total.add(d, sc.word.v[d]*sc.matched.v[d]/float64(len(cs)))
		sc.count.add(d, 1)
	}
	sc.word.clear()
	sc.matched.clear()
}

// phraseScores adds, for each entry holding the terms as a phrase in
// field f, the sum of their scores times boost.
func (ix *Index) phraseScores(f int, terms []string, boost float64, bonus *sparse) {
	fi := &ix.fields[f]
	type list struct {
		at, to int // a cursor into a term's postings, and their end
		idf2   float64
	}
	lists := make([]list, len(terms))
	for i, t := range terms {
		from, to := fi.find(t)
		if from == to {
			return
		}
		lists[i] = list{from, to, ix.idf2(to - from)}
	}
	hold := make([]int, len(terms)) // each term's posting for the entry
	for j := lists[0].at; j < lists[0].to; j++ {
		doc := fi.Docs[j]
		hold[0] = j
		all := true
		for i := 1; i < len(terms) && all; i++ {
			l := &lists[i]
			for l.at < l.to && fi.Docs[l.at] < doc {
				l.at++
			}
			all = l.at < l.to && fi.Docs[l.at] == doc
			hold[i] = l.at
		}
		if !all || !fi.consecutive(hold) {
			continue
		}
		var s float64
		for i, p := range hold {
			s += ix.bm25(f, doc, int(fi.TFs[p]), lists[i].idf2)
		}
		bonus.add(doc, boost*s)
	}
}

// consecutive reports whether the postings ps (one per phrase term) hold
// the terms at consecutive positions somewhere.
func (fi *fieldIndex) consecutive(ps []int) bool {
	for _, start := range fi.positions(ps[0]) {
		ok := true
		for i := 1; i < len(ps) && ok; i++ {
			_, ok = slices.BinarySearch(fi.positions(ps[i]), start+int32(i))
		}
		if ok {
			return true
		}
	}
	return false
}

// match calls yield with each entry matching at least need of the
// query's words and its score: the sum of its words' scores (times the
// share of the words it matches, when need is less than all), plus its
// phrase bonus.
func (ix *Index) match(t *terms, need int, yield func(doc int32, score float64)) {
	sc := ix.getScratch()
	defer ix.scratch.Put(sc)
	defer sc.total.clear()
	defer sc.count.clear()
	var words [][]clause
	var dfs []uint64
	for _, w := range t.words {
		if cs := t.clauses(w); len(cs) > 0 {
			words = append(words, cs)
			dfs = append(dfs, w.df)
		}
	}
	n := len(words)
	need = max(1, min(need, n))
	all := need == n
	if all {
		// Every word must match: the rarest first, and each word after
		// it scores only the entries that matched every word before, so
		// a query costs about its rarest word's postings (a pasted line
		// holds words in most entries).
		order := make([]int, n)
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(dfs[a], dfs[b]) })
		sorted := make([][]clause, n)
		for i, o := range order {
			sorted[i] = words[o]
		}
		words = sorted
	}
	for i, cs := range words {
		only := 0
		if all {
			only = i
		}
		ix.addWord(cs, sc, only)
	}
	if ph := t.phraseTerms(); len(ph) >= 2 {
		bonus := &sc.word // free again: addWord cleared it
		ix.phraseScores(iSig, ph, wSig*phraseWeight, bonus)
		ix.phraseScores(iEx, ph, wEx*phraseWeight, bonus)
		defer bonus.clear()
	}
	for _, d := range sc.total.set {
		c := sc.count.v[d]
		if c < float64(need) {
			continue
		}
		s := sc.total.v[d] * c / float64(n)
		yield(d, s+sc.word.v[d])
	}
}

// phraseTerms are the English terms of the words, in order, for the
// phrase bonus: entries holding them as a phrase in the signature or
// examples rank above those that merely hold the words ("no module
// named" is one error's message, not three words that many entries use).
func (t *terms) phraseTerms() []string {
	if t.lang == "zh" {
		return nil
	}
	var ts []string
	for _, w := range t.words {
		if w.en != "" {
			ts = append(ts, w.en)
		}
	}
	return ts
}
