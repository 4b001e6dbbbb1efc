package search

// The analyzers are bleve's rebuilt without its registry (analyzer.go):
// these tests hold them to bleve's own, token for token, on the shipped
// catalog's texts and on fuzzed input. bleve is a test dependency only.

import (
	"fmt"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	blevelower "github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	bleveporter "github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"

	"github.com/errorcanon/errorcanon/internal/testutil"
)

// bleveTail is the tail filter as the bleve-based index had it.
type bleveTail struct{}

func (bleveTail) Filter(in analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(in)+len(in)/4)
	for i, t := range in {
		out = append(out, t)
		if t.Type != analysis.Double {
			continue
		}
		_, first := utf8.DecodeRune(t.Term)
		if i+1 < len(in) && in[i+1].Type == analysis.Double && in[i+1].Start == t.Start+first {
			continue
		}
		_, last := utf8.DecodeLastRune(t.Term)
		out = append(out, &analysis.Token{Term: t.Term[len(t.Term)-last:], Start: t.End - last, End: t.End,
			Position: t.Position, Type: analysis.Single})
	}
	return out
}

// bleveAnalyzers are the reference for enAnalyzer, kwAnalyzer,
// cjkAnalyzer and zhAnalyzer, in that order.
func bleveAnalyzers() []analysis.Analyzer {
	stops := analysis.NewTokenMap()
	for w := range stopWords {
		stops.AddToken(w)
	}
	tok := unicode.NewUnicodeTokenizer()
	return []analysis.Analyzer{
		&analysis.DefaultAnalyzer{Tokenizer: tok, TokenFilters: []analysis.TokenFilter{
			en.NewPossessiveFilter(), blevelower.NewLowerCaseFilter(), stop.NewStopTokensFilter(stops), bleveporter.NewPorterStemmer()}},
		&analysis.DefaultAnalyzer{Tokenizer: tok, TokenFilters: []analysis.TokenFilter{blevelower.NewLowerCaseFilter()}},
		&analysis.DefaultAnalyzer{Tokenizer: tok, TokenFilters: []analysis.TokenFilter{
			cjk.NewCJKWidthFilter(), blevelower.NewLowerCaseFilter(), cjk.NewCJKBigramFilter(false)}},
		&analysis.DefaultAnalyzer{Tokenizer: tok, TokenFilters: []analysis.TokenFilter{
			cjk.NewCJKWidthFilter(), blevelower.NewLowerCaseFilter(), cjk.NewCJKBigramFilter(false), bleveTail{}}},
	}
}

var ourAnalyzers = []analyzer{enAnalyzer, kwAnalyzer, cjkAnalyzer, zhAnalyzer}

var bleveTypes = map[analysis.TokenType]tokenType{
	analysis.AlphaNumeric: tAlnum, analysis.Numeric: tNum, analysis.Ideographic: tIdeo,
	analysis.Single: tSingle, analysis.Double: tDouble,
}

// sameTokens returns how our analyzer a and bleve's b differ on text, or "".
func sameTokens(a analyzer, b analysis.Analyzer, text string) string {
	got := a.Analyze([]byte(text))
	want := b.Analyze([]byte(text))
	for i := 0; i < max(len(got), len(want)); i++ {
		if i >= len(got) || i >= len(want) {
			return fmt.Sprintf("%d tokens, bleve %d", len(got), len(want))
		}
		g, w := got[i], want[i]
		if string(g.Term) != string(w.Term) || g.Start != w.Start || g.End != w.End || g.Position != w.Position || g.Type != bleveTypes[w.Type] {
			return fmt.Sprintf("token %d: %q [%d,%d) pos %d type %d, bleve %q [%d,%d) pos %d type %d",
				i, g.Term, g.Start, g.End, g.Position, g.Type, w.Term, w.Start, w.End, w.Position, bleveTypes[w.Type])
		}
	}
	return ""
}

func TestAnalyzersMatchBleve(t *testing.T) {
	c, _ := testutil.Shipped()
	ref := bleveAnalyzers()
	texts := []string{"索引锁文件 git 锁 引锁，ＡＢ包", "ｶﾞｷﾞ ﾊﾟﾋﾟ ﾞ ｱﾞ", "The user's files' ΣΊΣΥΦΟΣ Ⱥ connections", "x ' 's s' 123 4.5e6 ——"}
	for _, e := range c.Entries {
		f := fieldTexts(e)
		texts = append(texts, f[:]...)
	}
	for _, s := range texts {
		for i, a := range ourAnalyzers {
			if d := sameTokens(a, ref[i], s); d != "" {
				t.Fatalf("analyzer %d on %q: %s", i, s, d)
			}
		}
	}
}

func FuzzAnalyzersMatchBleve(f *testing.F) {
	for _, s := range []string{"索引锁文件 git 锁 引锁，ＡＢ包", "ｶﾞｷﾞ ﾊﾟﾋﾟ", "Permission denied: '/var/log'", "it's", "Ⱥb", "日本語のテキスト"} {
		f.Add(s)
	}
	ref := bleveAnalyzers()
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			// Texts are valid UTF-8 by the time they are analyzed (queries
			// pass Clean; catalog files are checked). bleve's bigrams of
			// invalid bytes end past the text, which ours do not.
			return
		}
		for i, a := range ourAnalyzers {
			if d := sameTokens(a, ref[i], s); d != "" {
				t.Fatalf("analyzer %d on %q: %s", i, s, d)
			}
		}
	})
}
