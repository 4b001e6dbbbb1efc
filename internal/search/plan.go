// This file turns query text into the words searched: analyze splits it
// into words as each field's analyzer sees them, and plan keeps the
// rarest and decides which are typo tolerant (query.go runs them).

package search

import (
	"cmp"
	"slices"
	"sort"
	"unicode/utf8"
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

// terms are a query's analyzed words, for the search and for the
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
		if tok.Type != tIdeo {
			w := at(tok.Start)
			w.en, w.long = string(tok.Term), utf8.RuneCount(b[tok.Start:tok.End]) >= fuzzyMinLen
		}
	}
	for _, tok := range ix.kw.Analyze(b) {
		if tok.Type != tIdeo {
			at(tok.Start).kw = string(tok.Term)
		}
	}
	if lang != "en" {
		for _, tok := range ix.cjk.Analyze(b) {
			switch {
			case tok.Type == tSingle:
				at(tok.Start).uni = string(tok.Term)
			case tok.Type == tDouble || lang == "zh":
				w := at(tok.Start)
				w.zh, w.zhWd = string(tok.Term), tok.Type != tDouble
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
func (ix *Index) plan(t *terms) {
	df := func(term string, fields ...int) uint64 {
		var n uint64
		for _, f := range fields {
			n = max(n, uint64(ix.fields[f].df(term)))
		}
		return n
	}
	limit := max(uint64(commonRatio*float64(ix.size())), commonMin)
	for _, w := range t.words {
		for _, c := range []struct {
			term   string
			fields []int
		}{{w.en, []int{iSig, iEx, iBody}}, {w.kw, []int{iCode}}, {w.zh, []int{iSigZh, iBodyZh}}} {
			if c.term == "" {
				continue
			}
			n := df(c.term, c.fields...)
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
}
