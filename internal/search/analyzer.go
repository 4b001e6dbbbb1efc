// This file holds the analyzers: how text becomes terms, for the index
// and for queries alike. They are bleve's (the unicode word tokenizer,
// English possessives, lowercase, a stop list, Porter; CJK width folding
// and bigrams) rebuilt on the two small libraries bleve's use, segment
// and go-porterstemmer: bleve's analysis packages register themselves in
// its registry, which links its geo and search packages, and every process
// of the binary would pay their init.

package search

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	porterstemmer "github.com/blevesearch/go-porterstemmer"
	"github.com/blevesearch/segment"
)

// tokenType says what a token is made of.
type tokenType uint8

const (
	tAlnum  tokenType = iota // letters and digits
	tNum                     // a number
	tIdeo                    // CJK ideographs or kana, before bigrams
	tSingle                  // one CJK character standing alone
	tDouble                  // a CJK bigram
)

// token is one term of a text, with the bytes of the text it comes from.
// Position counts the words of the text from 1; the stop list leaves
// gaps, so a phrase never spans a dropped word.
type token struct {
	Term       []byte
	Start, End int
	Position   int
	Type       tokenType
}

// analyzer turns text into tokens. Analyze may rewrite the bytes it is
// given (lowercasing in place).
type analyzer interface {
	Analyze(text []byte) []*token
}

// chain is a tokenizer followed by filters.
type chain []func([]*token) []*token

func (c chain) Analyze(text []byte) []*token {
	ts := tokenize(text)
	for _, f := range c {
		ts = f(ts)
	}
	return ts
}

// The four analyzers: English (the English fields), keyword (error code
// and tags), CJK for queries, and CJK for the index, which adds each
// run's last character (tailFilter).
var (
	enAnalyzer  analyzer = chain{possessive, lowercase, dropStopWords, porter}
	kwAnalyzer  analyzer = chain{lowercase}
	cjkAnalyzer analyzer = chain{cjkWidth, lowercase, cjkBigrams}
	zhAnalyzer  analyzer = chain{cjkWidth, lowercase, cjkBigrams, cjkTail}
)

// tokenize splits text into words by Unicode's word boundaries (UAX #29):
// a CJK run is one token, split into characters by cjkBigrams.
func tokenize(text []byte) []*token {
	var out []*token
	seg := segment.NewWordSegmenterDirect(text)
	start, pos := 0, 1
	for seg.Segment() {
		b := seg.Bytes()
		end := start + len(b)
		if typ := seg.Type(); typ != segment.None {
			t := &token{Term: b, Start: start, End: end, Position: pos, Type: tAlnum}
			switch typ {
			case segment.Ideo, segment.Kana:
				t.Type = tIdeo
			case segment.Number:
				t.Type = tNum
			}
			out = append(out, t)
			pos++
		}
		start = end
	}
	return out
}

// possessive drops a final "'s" (any apostrophe).
func possessive(ts []*token) []*token {
	for _, t := range ts {
		last, n := utf8.DecodeLastRune(t.Term)
		if last != 's' && last != 'S' {
			continue
		}
		if prev, m := utf8.DecodeLastRune(t.Term[:len(t.Term)-n]); prev == '\'' || prev == '’' || prev == '＇' {
			t.Term = t.Term[:len(t.Term)-n-m]
		}
	}
	return ts
}

// lowercase lowercases each term, a final Σ as ς.
func lowercase(ts []*token) []*token {
	for _, t := range ts {
		t.Term = toLower(t.Term)
	}
	return ts
}

// toLower lowercases s in place where the lowercase letters are no wider,
// and into a copy otherwise.
func toLower(s []byte) []byte {
	j := 0
	for i := 0; i < len(s); {
		r, w := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, w = utf8.DecodeRune(s[i:])
		}
		l := unicode.ToLower(r)
		if l == r {
			i += w
			j += w
			continue
		}
		if l == 'σ' && i+2 == len(s) {
			l = 'ς'
		}
		if utf8.RuneLen(l) > w {
			rest := bytes.ToLower(s[i:])
			return append(append(make([]byte, 0, j+len(rest)), s[:j]...), rest...)
		}
		utf8.EncodeRune(s[j:], l)
		i += w
		j += utf8.RuneLen(l)
	}
	return s[:j]
}

// stopWords is deliberately short: "no", "not" and "cannot" carry meaning
// in error messages.
var stopWords = map[string]bool{}

func init() {
	for _, w := range []string{"a", "an", "and", "are", "as", "at", "be", "by", "for", "from",
		"in", "is", "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "with"} {
		stopWords[w] = true
	}
}

func dropStopWords(ts []*token) []*token {
	out := ts[:0]
	for _, t := range ts {
		if !stopWords[string(t.Term)] {
			out = append(out, t)
		}
	}
	return out
}

// porter stems each term with the Porter algorithm.
func porter(ts []*token) []*token {
	for _, t := range ts {
		t.Term = []byte(string(porterstemmer.StemWithoutLowerCasing(bytes.Runes(t.Term))))
	}
	return ts
}

// cjkWidth folds fullwidth ASCII to ASCII and halfwidth katakana to
// fullwidth, joining a voiced sound mark to the kana before it.
func cjkWidth(ts []*token) []*token {
	for _, t := range ts {
		if utf8.RuneCount(t.Term) == len(t.Term) {
			continue // ASCII: nothing to fold
		}
		rs := bytes.Runes(t.Term)
		out := rs[:0]
		for _, r := range rs {
			switch {
			case r >= 0xFF01 && r <= 0xFF5E:
				r -= 0xFEE0
			case r >= 0xFF65 && r <= 0xFF9F:
				if (r == 0xFF9E || r == 0xFF9F) && len(out) > 0 && combineKana(out, r) {
					continue
				}
				r = kanaNorm[r-0xFF65]
			}
			out = append(out, r)
		}
		t.Term = []byte(string(out))
	}
	return ts
}

var kanaNorm = []rune{
	0x30fb, 0x30f2, 0x30a1, 0x30a3, 0x30a5, 0x30a7, 0x30a9, 0x30e3, 0x30e5,
	0x30e7, 0x30c3, 0x30fc, 0x30a2, 0x30a4, 0x30a6, 0x30a8, 0x30aa, 0x30ab,
	0x30ad, 0x30af, 0x30b1, 0x30b3, 0x30b5, 0x30b7, 0x30b9, 0x30bb, 0x30bd,
	0x30bf, 0x30c1, 0x30c4, 0x30c6, 0x30c8, 0x30ca, 0x30cb, 0x30cc, 0x30cd,
	0x30ce, 0x30cf, 0x30d2, 0x30d5, 0x30d8, 0x30db, 0x30de, 0x30df, 0x30e0,
	0x30e1, 0x30e2, 0x30e4, 0x30e6, 0x30e8, 0x30e9, 0x30ea, 0x30eb, 0x30ec,
	0x30ed, 0x30ef, 0x30f3, 0x3099, 0x309A,
}

var kanaVoiced = []rune{
	78, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1,
	0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1,
	0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 8, 8, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
}

var kanaHalfVoiced = []rune{
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 2, 0, 0, 2,
	0, 0, 2, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
}

// combineKana joins the (half-)voiced sound mark r to the last kana of
// out, and reports whether it did.
func combineKana(out []rune, r rune) bool {
	prev := out[len(out)-1]
	if prev < 0x30A6 || prev > 0x30FD {
		return false
	}
	if r == 0xFF9F {
		out[len(out)-1] += kanaHalfVoiced[prev-0x30A6]
	} else {
		out[len(out)-1] += kanaVoiced[prev-0x30A6]
	}
	return out[len(out)-1] != prev
}

// cjkBigrams makes each run of adjacent CJK characters into its bigrams
// ("锁文件": "锁文", "文件"); a character with no neighbour is a single.
// Other tokens pass as they are.
func cjkBigrams(ts []*token) []*token {
	out := make([]*token, 0, len(ts))
	var prev *token // the last CJK character, while a run goes on
	alone := false  // prev has made no bigram yet
	flush := func() {
		if prev != nil && alone {
			out = append(out, &token{Term: prev.Term, Start: prev.Start, End: prev.End, Type: tSingle})
		}
		prev, alone = nil, false
	}
	for _, t := range ts {
		if t.Type != tIdeo {
			flush()
			out = append(out, t)
			continue
		}
		for off := 0; off < len(t.Term); {
			_, n := utf8.DecodeRune(t.Term[off:])
			c := &token{Term: t.Term[off : off+n], Start: t.Start + off, End: t.Start + off + n}
			off += n
			if prev != nil && prev.End != c.Start {
				flush()
			}
			if prev != nil {
				term := append(append(make([]byte, 0, len(prev.Term)+len(c.Term)), prev.Term...), c.Term...)
				out = append(out, &token{Term: term, Start: prev.Start, End: c.End, Type: tDouble})
				alone = false
			} else {
				alone = true
			}
			prev = c
		}
	}
	flush()
	for i, t := range out {
		t.Position = i + 1
	}
	return out
}

// cjkTail follows cjkBigrams in the index analyzer. The bigrams of
// "锁文件" are "锁文" and "文件", so every character but the last of a run
// starts a token; cjkTail adds the run's last character ("件") as a token
// of its own. A one-character query is then a prefix query: "锁" finds
// "锁文", "件" finds "件", and an isolated character is a token already.
// This costs one token per run, where indexing single characters would
// double the Chinese postings.
func cjkTail(in []*token) []*token {
	out := make([]*token, 0, len(in)+len(in)/4)
	for i, t := range in {
		out = append(out, t)
		if t.Type != tDouble {
			continue
		}
		_, first := utf8.DecodeRune(t.Term)
		if i+1 < len(in) && in[i+1].Type == tDouble && in[i+1].Start == t.Start+first {
			continue // the run goes on
		}
		_, last := utf8.DecodeLastRune(t.Term)
		out = append(out, &token{Term: t.Term[len(t.Term)-last:], Start: t.End - last, End: t.End,
			Position: t.Position, Type: tSingle})
	}
	return out
}
