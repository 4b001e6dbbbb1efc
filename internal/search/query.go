// This file runs a planned query on the index: each word's clauses (its
// fields, exactly, by prefix or with a typo) are scored with BM25, a word
// scores the sum of its clauses in proportion to how many matched, and
// an entry scores the sum of its words, plus a bonus where the words
// stand as a phrase in its signature or examples.

package search

import (
	"math"
	"slices"
	"unicode/utf8"
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

// bm25 scores an entry holding a term tf times in field f, where df
// entries hold it. The idf counts twice, as in a query whose weight is
// the term's idf (so a rare word outweighs a common one more than BM25
// alone would); tf is dampened by its square root.
func (ix *Index) bm25(f int, doc int32, tf, df int) float64 {
	fi := &ix.fields[f]
	n := float64(ix.size())
	idf := math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
	norm := 1.0
	if fi.AvgLen > 0 {
		norm = 1 - bm25B + bm25B*float64(fi.Lens[doc])/fi.AvgLen
	}
	t := math.Sqrt(float64(tf))
	return idf * idf * t * bm25K1 / (t + bm25K1*norm)
}

// hits adds the clause's score to score for every entry it matches, and
// counts the match in matched.
func (ix *Index) hits(c clause, score []float64, matched []uint8) {
	fi := &ix.fields[c.field]
	switch c.kind {
	case exact:
		from, to := fi.find(c.term)
		for j := from; j < to; j++ {
			doc := fi.Docs[j]
			score[doc] += c.boost * ix.bm25(c.field, doc, int(fi.TFs[j]), to-from)
			matched[doc]++
		}
	case prefix:
		// Every occurrence of a character starts exactly one token (a
		// bigram, a run's tail or a lone character), so the terms
		// starting with it count its occurrences: score it as one term.
		tf := map[int32]int{}
		from, to := fi.withPrefix(c.term)
		for t := from; t < to; t++ {
			for j := fi.Start[t]; j < fi.Start[t+1]; j++ {
				tf[fi.Docs[j]] += int(fi.TFs[j])
			}
		}
		for doc, n := range tf {
			score[doc] += c.boost * ix.bm25(c.field, doc, n, len(tf))
			matched[doc]++
		}
	case fuzzy:
		// The best of the term and the terms one edit away (the first
		// character kept), for each entry holding any.
		_, size := utf8.DecodeRuneInString(c.term)
		best := map[int32]float64{}
		from, to := fi.withPrefix(c.term[:size])
		for t := from; t < to; t++ {
			cand := fi.Terms[t]
			if d := len(cand) - len(c.term); d < -utf8.UTFMax || d > utf8.UTFMax || !withinOneEdit(c.term, cand) {
				continue
			}
			lo, hi := int(fi.Start[t]), int(fi.Start[t+1])
			for j := lo; j < hi; j++ {
				doc := fi.Docs[j]
				best[doc] = max(best[doc], c.boost*ix.bm25(c.field, doc, int(fi.TFs[j]), hi-lo))
			}
		}
		for doc, s := range best {
			score[doc] += s
			matched[doc]++
		}
	}
}

// wordScores scores every entry for one word: the sum of its matching
// clauses times the share of its clauses that match (an entry holding
// the word in several fields ranks higher); 0 where none matches.
func (ix *Index) wordScores(cs []clause) []float64 {
	score := make([]float64, ix.size())
	matched := make([]uint8, ix.size())
	for _, c := range cs {
		ix.hits(c, score, matched)
	}
	for d, m := range matched {
		if m > 0 {
			score[d] *= float64(m) / float64(len(cs))
		} else {
			score[d] = 0
		}
	}
	return score
}

// phraseScores adds, for each entry holding the terms as a phrase in
// field f, the sum of their scores times boost.
func (ix *Index) phraseScores(f int, terms []string, boost float64, score []float64) {
	fi := &ix.fields[f]
	type list struct{ at, to, df int } // a cursor into a term's postings, their end and count
	lists := make([]list, len(terms))
	for i, t := range terms {
		from, to := fi.find(t)
		if from == to {
			return
		}
		lists[i] = list{from, to, to - from}
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
			s += ix.bm25(f, doc, int(fi.TFs[p]), lists[i].df)
		}
		score[doc] += boost * s
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

// scores scores every entry for the query's words: an entry matching at
// least need of them scores the sum of their scores (times the share of
// the words it matches, when need is less than all), plus its phrase
// bonus; others score 0.
func (ix *Index) scores(t *terms, need int) []float64 {
	total := make([]float64, ix.size())
	count := make([]int, ix.size())
	n := 0
	for _, w := range t.words {
		cs := t.clauses(w)
		if len(cs) == 0 {
			continue
		}
		n++
		for d, s := range ix.wordScores(cs) {
			if s > 0 {
				total[d] += s
				count[d]++
			}
		}
	}
	need = max(1, min(need, n))
	for d := range total {
		switch {
		case count[d] < need:
			total[d] = 0
		case count[d] < n:
			total[d] *= float64(count[d]) / float64(n)
		}
	}
	if ph := t.phraseTerms(); len(ph) >= 2 {
		bonus := make([]float64, ix.size())
		ix.phraseScores(iSig, ph, wSig*phraseWeight, bonus)
		ix.phraseScores(iEx, ph, wEx*phraseWeight, bonus)
		for d, b := range bonus {
			if total[d] > 0 {
				total[d] += b
			}
		}
	}
	return total
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
