// Package sitesearch writes the static site's search index: files that
// the site's script (internal/render/assets/app.js) fetches on demand to
// search in the browser, with no server, in English and Chinese.
//
// # Why our own index
//
// Pagefind, the usual tool, ships its indexer as a binary in an npm
// package, and needs its extended build for Chinese; ErrorCanon promises
// a build with nothing but Go. This index reuses the server's analysis
// (internal/search: the same English stemming, stop words, Chinese
// bigrams and field weights), so results resemble /search, and it is
// written by errorcanon build itself. BENCHMARKS.md compares sizes.
//
// # Layout
//
// One index per language, in DIR/en/ and DIR/zh/:
//
//	N.json       shard N of the terms: {"t": {term: postings}, "w": {word: term}}
//	docs-K.json  results K*Chunk to (K+1)*Chunk-1: [[path, title, snippet], ...]
//
// A query word is looked up in one shard, Shard(Key(word)) modulo the
// language's shard count: a page fetches the shards of its query's words
// and the docs chunks of the results it shows, nothing else. Shards are
// keyed by a word's first two characters (first one for Chinese), so the
// words a typed prefix can complete are in the prefix's shard.
//
// "w" maps the words of the text to their stemmed terms ("connections"
// to "connect"); a stop word maps to "". A term's postings are its
// entries, delta-encoded: each number adds to the previous one, and the
// sum is doc*4 + class, class 3 for the signature, error code and tags, 2
// for the examples, 1 for the rest (the server's weights 4, 2, 1).
//
// Chinese text gives its bigrams (as the server's CJK analyzer) and each
// run's last character, so a one-character query finds every entry
// holding the character as the prefix of a term ("锁" finds "锁文").
package sitesearch

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"maps"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/search"
)

// Chunk is how many results one docs file holds: a page of ten results
// fetches up to ten, of about 4 KB each.
const Chunk = 16

// shardBytes is the size a shard aims at: a query of two words fetches
// about twice this, before compression.
const shardBytes = 12 << 10

// Classes of a posting, by the field a term is in.
const (
	classBody    = 1
	classExample = 2
	classSig     = 3
)

// Lang describes one language's index for the script.
type Lang struct {
	Shards int `json:"shards"` // shard files 0..Shards-1
	Docs   int `json:"docs"`   // entries indexed
	Chunk  int `json:"chunk"`  // results per docs file
}

// Index is the files of both languages' indexes, by path relative to the
// index's directory ("en/3.json"), and their description.
type Index struct {
	Files map[string][]byte
	Langs map[string]Lang
}

// Build indexes entries in both languages.
func Build(entries []*canon.Entry) (*Index, error) {
	langs := []render.Lang{render.EN, render.ZH}
	parts := make([]*Index, len(langs))
	errs := make([]error, len(langs))
	var wg sync.WaitGroup
	for i, l := range langs {
		wg.Go(func() {
			parts[i] = &Index{Files: map[string][]byte{}, Langs: map[string]Lang{}}
			errs[i] = parts[i].build(entries, l)
		})
	}
	wg.Wait()
	ix := &Index{Files: map[string][]byte{}, Langs: map[string]Lang{}}
	for i, p := range parts {
		if errs[i] != nil {
			return nil, errs[i]
		}
		maps.Copy(ix.Files, p.Files)
		maps.Copy(ix.Langs, p.Langs)
	}
	return ix, nil
}

// shard is one shard's content.
type shard struct {
	T map[string][]int  `json:"t"`
	W map[string]string `json:"w"`
}

func (ix *Index) build(entries []*canon.Entry, l render.Lang) error {
	zh := l == render.ZH
	post := map[string][]posting{} // term -> its entries, in order, with their best class
	alias := map[string]string{}   // word -> term ("" for a stop word)
	stems := map[string]string{}   // word -> term, every word seen
	for doc, e := range entries {
		add := func(class int, texts ...string) {
			for _, s := range texts {
				for _, tok := range Tokens(s) {
					for _, term := range termsOf(tok, alias, stems) {
						ps := post[term]
						if n := len(ps); n > 0 && ps[n-1].doc == doc {
							ps[n-1].class = max(ps[n-1].class, class)
						} else {
							post[term] = append(ps, posting{doc, class})
						}
					}
				}
			}
		}
		code := strings.Join(e.Tags, " ")
		if e.ErrorCode != nil {
			code = *e.ErrorCode + " " + code
		}
		add(classSig, pick(zh, e.Signature, e.SignatureZh), code)
		add(classExample, e.Examples...)
		add(classBody, pick(zh, e.RootCause, e.RootCauseZh))
		for _, w := range e.Workarounds {
			add(classBody, pick(zh, w.Action, w.ActionZh), pick(zh, w.How, w.HowZh))
		}
		for _, d := range e.DeadEnds {
			add(classBody, pick(zh, d.Action, d.ActionZh), pick(zh, d.WhyFails, d.WhyFailsZh))
		}
	}

	// Each word's shard holds the word and its term's postings; a term
	// is stored in every shard one of its words falls in (nearly always
	// one: a stem starts as its words do).
	type keyed struct {
		key   string
		terms []string
	}
	byKey := map[string]*keyed{} // shard key -> what it holds
	put := func(word, term string) {
		k := Key(word)
		kd := byKey[k]
		if kd == nil {
			kd = &keyed{key: k}
			byKey[k] = kd
		}
		if term != "" {
			kd.terms = append(kd.terms, term)
		}
	}
	for term := range post {
		put(term, term)
	}
	for word, term := range alias {
		put(word, term)
	}
	size := 0
	for _, ps := range post {
		size += 8 + 4*len(ps)
	}
	n := 1
	for n < size/shardBytes && n < 4096 {
		n *= 2
	}
	shards := make([]shard, n)
	for i := range shards {
		shards[i] = shard{T: map[string][]int{}, W: map[string]string{}}
	}
	for word, term := range alias {
		shards[Shard(Key(word), n)].W[word] = term
	}
	for _, kd := range byKey {
		s := shards[Shard(kd.key, n)]
		for _, term := range kd.terms {
			if _, ok := s.T[term]; !ok {
				s.T[term] = postings(post[term])
			}
		}
	}
	dir := string(l) + "/"
	for i, s := range shards {
		b, err := json.Marshal(s)
		if err != nil {
			return err
		}
		ix.Files[fmt.Sprintf("%s%d.json", dir, i)] = b
	}
	for k := 0; k*Chunk < len(entries); k++ {
		var docs [][3]string
		for _, e := range entries[k*Chunk : min(len(entries), (k+1)*Chunk)] {
			docs = append(docs, [3]string{render.EntryPagePath(e.ID, l), render.Title(e, l), Snippet(pick(zh, e.RootCause, e.RootCauseZh), zh)})
		}
		b, err := json.Marshal(docs)
		if err != nil {
			return err
		}
		ix.Files[fmt.Sprintf("%sdocs-%d.json", dir, k)] = b
	}
	ix.Langs[string(l)] = Lang{Shards: n, Docs: len(entries), Chunk: Chunk}
	return nil
}

// termsOf returns the terms a token is indexed under, noting a word's
// term in alias: a Chinese bigram or character is its own term; a word
// is stemmed as the server's English fields stem it.
func termsOf(tok Token, alias, stems map[string]string) []string {
	if tok.CJK {
		return []string{tok.Text}
	}
	t, ok := stems[tok.Text]
	if !ok {
		if terms := search.EnglishTerms(tok.Text); len(terms) > 0 {
			t = terms[0]
		}
		stems[tok.Text] = t
		if t != tok.Text {
			alias[tok.Text] = t
		}
	}
	if t == "" {
		return nil
	}
	return []string{t}
}

// posting is an entry holding a term, and the best class it holds it in.
type posting struct{ doc, class int }

// postings encodes a term's entries (in order): doc*4+class,
// delta-encoded.
func postings(ps []posting) []int {
	out := make([]int, len(ps))
	prev := 0
	for i, p := range ps {
		v := p.doc*4 + p.class
		out[i] = v - prev
		prev = v
	}
	return out
}

// Token is a word of text as the index and the script cut it.
type Token struct {
	Text string
	CJK  bool // a Chinese (Japanese, Korean) bigram or single character
}

// IsCJK reports whether r is written without spaces between words.
func IsCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_' }

// Tokens cuts text as the script cuts a query (app.js tokens(), kept in
// step with this): NFKC, lowercase; runs of letters, digits and _ are
// words, of two characters or more; a run of Chinese characters gives its
// bigrams and its last character (a lone character, itself).
func Tokens(s string) []Token {
	s = strings.ToLower(norm.NFKC.String(s))
	var out []Token
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case IsCJK(r):
			j := i
			for j < len(rs) && IsCJK(rs[j]) {
				j++
			}
			for k := i; k+1 < j; k++ {
				out = append(out, Token{string(rs[k : k+2]), true})
			}
			out = append(out, Token{string(rs[j-1]), true})
			i = j
		case isWord(r):
			j := i
			for j < len(rs) && isWord(rs[j]) && !IsCJK(rs[j]) {
				j++
			}
			if j-i >= 2 {
				out = append(out, Token{string(rs[i:j]), false})
			}
			i = j
		default:
			i++
		}
	}
	return out
}

// Key is the part of a word that decides its shard: its first two
// characters, or its first one when Chinese.
func Key(word string) string {
	r, size := utf8.DecodeRuneInString(word)
	if IsCJK(r) || size == len(word) {
		return word[:size]
	}
	_, size2 := utf8.DecodeRuneInString(word[size:])
	return word[:size+size2]
}

// Shard is the shard of a key among n: FNV-1a of its UTF-8 bytes, modulo n
// (app.js shardOf computes the same).
func Shard(key string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32() % uint32(n))
}

// Snippet is the first words of an entry's root cause, as plain text: at
// most 110 characters (55 in Chinese), cut at a space where one is near,
// with "…" where cut.
func Snippet(md string, zh bool) string {
	s := strings.Join(strings.Fields(strings.NewReplacer("`", "", "**", "", "*", "").Replace(md)), " ")
	limit := 110
	if zh {
		limit = 55
	}
	rs := []rune(s)
	if len(rs) <= limit {
		return s
	}
	cut := limit
	if !zh {
		if i := strings.LastIndexByte(string(rs[:limit]), ' '); i > 0 && utf8.RuneCountInString(string(rs[:limit])[:i]) > limit*2/3 {
			cut = utf8.RuneCountInString(string(rs[:limit])[:i])
		}
	}
	return strings.TrimRight(string(rs[:cut]), " ,.;:，。；：") + "…"
}

func pick(zh bool, en, zhText string) string {
	if zh && zhText != "" {
		return zhText
	}
	return en
}
