// This file holds the index's shape: its fields, the analyzers and the
// bleve mapping that ties them together, the document made of each entry,
// and the token filter that lets a single Chinese character be searched.

package search

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"

	// Analysis components the mapping names; importing registers them.
	_ "github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en"
	_ "github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	_ "github.com/blevesearch/bleve/v2/analysis/token/porter"
	_ "github.com/blevesearch/bleve/v2/analysis/token/stop"
	_ "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	_ "github.com/blevesearch/bleve/v2/analysis/tokenmap"

	"github.com/errorcanon/errorcanon/internal/canon"
)

// Index fields. Text is grouped by language and weight: fewer fields mean
// fewer searchers per query word; Hit.Fields are finer, from the snippets.
const (
	fSig    = "sig"     // signature
	fEx     = "ex"      // examples
	fBody   = "body"    // root cause, workarounds, dead ends
	fCode   = "code"    // error code and tags
	fSigZh  = "sig_zh"  // signature_zh
	fBodyZh = "body_zh" // the *_zh of body

	fDomain       = "domain"
	fCategory     = "category"
	fVerification = "verification"
	fResolvable   = "resolvable"
)

// Analyzer names registered in the mapping.
const (
	aEn  = "ec_en" // unicode words, possessive, lowercase, short stop list, Porter
	aKw  = "ec_kw" // unicode words, lowercase
	aCJK = "cjk"   // bleve's: width folding, lowercase, bigrams; for queries
	aZh  = "ec_zh" // the same plus each run's last character; for the index
)

// stopWords is deliberately short: "no", "not", "cannot" carry meaning in
// error messages.
var stopWords = []any{"a", "an", "and", "are", "as", "at", "be", "by", "for", "from",
	"in", "is", "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "with"}

func newMapping() (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	im.ScoringModel = "bm25"
	im.StoreDynamic, im.IndexDynamic, im.DocValuesDynamic = false, false, false
	steps := []error{
		im.AddCustomTokenMap("ec_stopwords", map[string]any{"type": "custom", "tokens": stopWords}),
		im.AddCustomTokenFilter("ec_stop", map[string]any{"type": "stop_tokens", "stop_token_map": "ec_stopwords"}),
		im.AddCustomAnalyzer(aEn, map[string]any{"type": "custom", "tokenizer": "unicode",
			"token_filters": []any{"possessive_en", "to_lower", "ec_stop", "stemmer_porter"}}),
		im.AddCustomAnalyzer(aKw, map[string]any{"type": "custom", "tokenizer": "unicode",
			"token_filters": []any{"to_lower"}}),
		im.AddCustomAnalyzer(aZh, map[string]any{"type": "custom", "tokenizer": "unicode",
			"token_filters": []any{"cjk_width", "to_lower", "cjk_bigram", tailFilter}}),
	}
	if err := errors.Join(steps...); err != nil {
		return nil, err
	}
	// Nothing is stored, and no doc values are kept: snippets are made
	// from the entries themselves, and so are facets. Term vectors only
	// where phrases are searched.
	text := func(analyzer string) *mapping.FieldMapping {
		fm := mapping.NewTextFieldMapping()
		fm.Analyzer = analyzer
		fm.Store, fm.IncludeTermVectors, fm.IncludeInAll, fm.DocValues = false, false, false, false
		return fm
	}
	keyword := func() *mapping.FieldMapping {
		fm := mapping.NewKeywordFieldMapping()
		fm.Store, fm.IncludeTermVectors, fm.IncludeInAll, fm.DocValues = false, false, false, false
		fm.SkipFreqNorm = true
		return fm
	}
	dm := bleve.NewDocumentStaticMapping()
	for f, a := range map[string]string{fSig: aEn, fEx: aEn, fBody: aEn, fCode: aKw, fSigZh: aZh, fBodyZh: aZh} {
		fm := text(a)
		// Term positions for the phrase boost (terms.phrases) on the two
		// short fields that hold the messages themselves.
		fm.IncludeTermVectors = f == fSig || f == fEx
		dm.AddFieldMappingsAt(f, fm)
	}
	for _, f := range facetFields {
		dm.AddFieldMappingsAt(f, keyword())
	}
	// No composite "_all" field: every query names its fields.
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	im.DefaultMapping = dm
	return im, im.Validate()
}

func docOf(e *canon.Entry) map[string]any {
	var body, bodyZh []string
	body = append(body, e.RootCause)
	bodyZh = append(bodyZh, e.RootCauseZh)
	for _, w := range e.Workarounds {
		body = append(body, w.Action, w.How)
		bodyZh = append(bodyZh, w.ActionZh, w.HowZh)
	}
	for _, d := range e.DeadEnds {
		body = append(body, d.Action, d.WhyFails)
		bodyZh = append(bodyZh, d.ActionZh, d.WhyFailsZh)
	}
	code := strings.Join(e.Tags, " ")
	if e.ErrorCode != nil {
		code = *e.ErrorCode + " " + code
	}
	return map[string]any{
		fSig: e.Signature, fEx: strings.Join(e.Examples, "\n"), fBody: strings.Join(body, "\n"),
		fCode: code, fSigZh: e.SignatureZh, fBodyZh: strings.Join(bodyZh, "\n"),
		fDomain: e.Domain, fCategory: e.Category, fVerification: e.Verification, fResolvable: e.Resolvable,
	}
}

// tailFilter follows bleve's CJK bigram filter in the index analyzer. The
// bigram filter makes "锁文件" into "锁文" and "文件", so every character
// but the last of a run starts a token; tailFilter adds the run's last
// character ("件") as a token of its own. A one-character query is then a
// prefix query: "锁" finds "锁文", "件" finds "件", and an isolated character
// is a token already. This costs one token per run, where a field of
// single characters would double the Chinese postings.
const tailFilter = "errorcanon_cjk_tail"

func init() {
	if err := registry.RegisterTokenFilter(tailFilter, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return cjkTail{}, nil
	}); err != nil {
		panic(err)
	}
}

type cjkTail struct{}

func (cjkTail) Filter(in analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(in)+len(in)/4)
	for i, t := range in {
		out = append(out, t)
		if t.Type != analysis.Double {
			continue
		}
		_, first := utf8.DecodeRune(t.Term)
		if i+1 < len(in) && in[i+1].Type == analysis.Double && in[i+1].Start == t.Start+first {
			continue // the run goes on
		}
		_, last := utf8.DecodeLastRune(t.Term)
		out = append(out, &analysis.Token{Term: t.Term[len(t.Term)-last:], Start: t.End - last, End: t.End,
			Position: t.Position, Type: analysis.Single})
	}
	return out
}
