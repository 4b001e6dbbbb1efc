// This file turns query text into a bleve query: analyze splits it into
// words as each field's analyzer sees them, plan keeps the rarest and
// decides which are typo tolerant, and clauses and query combine term,
// prefix and fuzzy queries with their field weights.

package search

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
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

// word is one word of the query as each analyzer sees it; empty strings
// where an analyzer made nothing of it.
type word struct {
	start int
	en    string // English term (stemmed)
	long  bool   // 5 or more characters as typed: typo tolerant unless common
	fuzzy bool   // decided by plan
	kw    string // lowercased, for error code and tags
	zh    string // CJK bigram, or (lang zh) another word, for the *_zh fields
	zhWd  bool   // zh is another word, not a bigram
	uni   string // a single CJK character
	df    uint64 // entries holding the word, at most (decided by plan)
}

// terms are a query's analyzed words, for the bleve query and for the
// highlighter.
type terms struct {
	lang    string
	words   []*word
	en      map[string]bool // English terms
	fuzzy   []string        // English terms also matched with one typo
	kw      map[string]bool
	zh      map[string]bool // CJK bigrams
	zhWords map[string]bool // other words searched in the *_zh fields (lang zh)
	uni     map[rune]bool

	noPrefilter bool // tests compare the highlighter with and without mayMatch
}

// analyze splits text into query words with each field group's analyzer.
// Tokens of different analyzers that start at the same byte belong to the
// same word ("connections" is "connect" for English fields and
// "connections" for tags). Repeated words count once; words after the
// first MaxTerms are ignored.
func (ix *Index) analyze(text, lang string) *terms {
	t := &terms{lang: lang, en: map[string]bool{}, kw: map[string]bool{}, zh: map[string]bool{}, zhWords: map[string]bool{}, uni: map[rune]bool{}}
	b := []byte(text)
	byStart := map[int]*word{}
	at := func(start int) *word {
		w := byStart[start]
		if w == nil {
			w = &word{start: start}
			byStart[start] = w
		}
		return w
	}
	for _, tok := range ix.en.Analyze(b) {
		if tok.Type != analysis.Ideographic {
			w := at(tok.Start)
			w.en, w.long = string(tok.Term), utf8.RuneCount(b[tok.Start:tok.End]) >= fuzzyMinLen
		}
	}
	for _, tok := range ix.kw.Analyze(b) {
		if tok.Type != analysis.Ideographic {
			at(tok.Start).kw = string(tok.Term)
		}
	}
	if lang != "en" {
		for _, tok := range ix.cjk.Analyze(b) {
			switch {
			case tok.Type == analysis.Single:
				at(tok.Start).uni = string(tok.Term)
			case tok.Type == analysis.Double || lang == "zh":
				w := at(tok.Start)
				w.zh, w.zhWd = string(tok.Term), tok.Type != analysis.Double
			}
		}
	}
	starts := make([]int, 0, len(byStart))
	for s := range byStart {
		starts = append(starts, s)
	}
	sort.Ints(starts)
	seen := map[word]bool{}
	for _, s := range starts {
		w := byStart[s]
		if w.en == "" && w.zh == "" && w.uni == "" {
			continue // a stop word, which only the error code field would keep
		}
		key := *w
		key.start = 0
		if seen[key] || len(t.words) >= MaxTerms {
			continue
		}
		seen[key] = true
		t.words = append(t.words, w)
	}
	return t
}

// Words in more than commonRatio of the entries and more than commonMin
// entries get no typo tolerance: it would only add cost, the exact matches
// being plenty.
const (
	commonRatio = 0.1
	commonMin   = 1000
)

// plan decides, from the index's document frequencies, which words are
// matched with typos, and fills the highlighter's term sets.
func (ix *Index) plan(ctx context.Context, t *terms) error {
	idx, err := ix.bi.Advanced()
	if err != nil {
		return err
	}
	r, err := idx.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	df := func(term string, fields ...string) (uint64, error) {
		var n uint64
		for _, f := range fields {
			tfr, err := r.TermFieldReader(ctx, []byte(term), f, false, false, false)
			if err != nil {
				return 0, err
			}
			n = max(n, tfr.Count())
			tfr.Close()
		}
		return n, nil
	}
	limit := max(uint64(commonRatio*float64(ix.size())), commonMin)
	for _, w := range t.words {
		for _, c := range []struct {
			term   string
			fields []string
		}{{w.en, []string{fSig, fEx, fBody}}, {w.kw, []string{fCode}}, {w.zh, []string{fSigZh, fBodyZh}}} {
			if c.term == "" {
				continue
			}
			n, err := df(c.term, c.fields...)
			if err != nil {
				return err
			}
			w.df = max(w.df, n)
			if c.term == w.en {
				w.fuzzy = w.long && n <= limit
			}
		}
	}
	if len(t.words) > MaxSearchWords {
		ws := slices.Clone(t.words)
		slices.SortStableFunc(ws, func(a, b *word) int { return cmp.Compare(a.df, b.df) })
		ws = ws[:MaxSearchWords]
		slices.SortFunc(ws, func(a, b *word) int { return a.start - b.start })
		t.words = ws
	}
	for _, w := range t.words {
		if w.en != "" {
			t.en[w.en] = true
			if w.fuzzy {
				t.fuzzy = append(t.fuzzy, w.en)
			}
		}
		if w.kw != "" {
			t.kw[w.kw] = true
		}
		if w.zh != "" {
			if w.zhWd {
				t.zhWords[w.zh] = true
			} else {
				t.zh[w.zh] = true
			}
		}
		if w.uni != "" {
			r, _ := utf8.DecodeRuneInString(w.uni)
			t.uni[r] = true
		}
	}
	return nil
}

func term(field, text string, boost float64) query.Query {
	q := query.NewTermQuery(text)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

func prefix(field, text string, boost float64) query.Query {
	q := query.NewPrefixQuery(text)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

func fuzzy(field, text string, boost float64) query.Query {
	q := query.NewFuzzyQuery(text)
	q.SetField(field)
	q.SetFuzziness(1)
	q.SetPrefix(1)
	q.SetBoost(boost * fuzzyWeight)
	return q
}

// clauses are the ways one word matches: each field group it is searched
// in, exactly and, for typo-tolerant words, with one edit.
func (t *terms) clauses(w *word) []query.Query {
	var qs []query.Query
	if w.en != "" {
		qs = append(qs, term(fEx, w.en, wEx))
		if t.lang != "zh" {
			qs = append(qs, term(fSig, w.en, wSig), term(fBody, w.en, wBody))
		}
		if w.fuzzy && t.lang != "zh" {
			qs = append(qs, fuzzy(fSig, w.en, wSig), fuzzy(fBody, w.en, wBody))
		}
	}
	if w.kw != "" {
		qs = append(qs, term(fCode, w.kw, wCode))
	}
	if w.zh != "" {
		qs = append(qs, term(fSigZh, w.zh, wSig), term(fBodyZh, w.zh, wBody))
	}
	if w.uni != "" {
		qs = append(qs, prefix(fSigZh, w.uni, wSig), prefix(fBodyZh, w.uni, wBody))
	}
	return qs
}

// phrases are optional clauses that rank entries holding the query's
// English words as a phrase, in its signature or examples, above those that
// merely hold the words ("no module named" is one error's message, not
// three words that many entries use).
func (t *terms) phrases() []query.Query {
	if t.lang == "zh" {
		return nil
	}
	var ts []string
	for _, w := range t.words {
		if w.en != "" {
			ts = append(ts, w.en)
		}
	}
	if len(ts) < 2 {
		return nil
	}
	var qs []query.Query
	for _, f := range []struct {
		field string
		boost float64
	}{{fSig, wSig * phraseWeight}, {fEx, wEx * phraseWeight}} {
		q := query.NewPhraseQuery(ts, f.field)
		q.SetBoost(f.boost)
		qs = append(qs, q)
	}
	return qs
}

// phraseWeight multiplies a field's weight for a phrase match.
const phraseWeight = 2.0

// query matches entries with at least min of the words; each word ORs its
// fields, so an entry matching a word in several fields ranks higher.
func (t *terms) query(min int) query.Query {
	words := make([]query.Query, 0, len(t.words))
	for _, w := range t.words {
		if qs := t.clauses(w); len(qs) == 1 {
			words = append(words, qs[0])
		} else if len(qs) > 1 {
			words = append(words, query.NewDisjunctionQuery(qs))
		}
	}
	switch {
	case len(words) == 1:
		return words[0]
	case min >= len(words):
		return query.NewConjunctionQuery(words)
	}
	d := query.NewDisjunctionQuery(words)
	d.SetMin(float64(min))
	return d
}
