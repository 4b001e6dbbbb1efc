package search

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	"github.com/blevesearch/bleve/v2/search/query"

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

// Limits; see the package documentation.
const (
	MaxQueryBytes  = 512
	MaxTerms       = 32 // words read from a query
	MaxSearchWords = 12 // of those, the rarest searched
	DefaultPerPage = 10
	MaxPerPage     = 50
	MaxPage        = 100
	// MaxSnippets bounds the snippets of one hit.
	MaxSnippets = 3
)

// ErrInvalid is wrapped by every error Search returns for a bad Query, so
// a caller can answer 400 with the message as it is.
var ErrInvalid = errors.New("invalid search")

// Query is one search.
type Query struct {
	Text string // words, in English, Chinese or both; any characters
	Lang string // "en", "zh", or "" for both

	// Filters, exact values; empty means any.
	Domain       string
	Category     string
	Verification string
	Resolvable   string // "true", "partial" or "false"

	Page    int // 1-based; 0 means 1
	PerPage int // 0 means DefaultPerPage
}

// Results is one page of hits.
type Results struct {
	// Query is the text searched: cleaned, trimmed and cut.
	Query string `json:"query"`
	// Truncated is set when the text was cut to MaxQueryBytes.
	Truncated bool `json:"truncated"`
	// Partial is set when no entry matched every word and the hits are
	// entries matching at least half of them.
	Partial bool  `json:"partial"`
	Total   int   `json:"total"`
	Page    int   `json:"page"`
	PerPage int   `json:"per_page"`
	Hits    []Hit `json:"hits"`
	// Facets count the entries matching the query and filters per value.
	Facets Facets `json:"facets"`
}

// Pages is the number of pages a client may ask for (at most MaxPage).
func (r *Results) Pages() int {
	if r.PerPage <= 0 {
		return 0
	}
	return min(MaxPage, (r.Total+r.PerPage-1)/r.PerPage)
}

// Hit is one matching entry.
type Hit struct {
	ID    string  `json:"id"`
	Score float64 `json:"score"`
	// Snippets are fragments of up to MaxSnippets matched fields, as HTML.
	Snippets []Snippet `json:"snippets"`
	// Fields are all the fields where a query word matched, in the order
	// signature, signature_zh, examples, root_cause, root_cause_zh,
	// workarounds, workarounds_zh, dead_ends, dead_ends_zh, error_code, tags.
	Fields []string     `json:"fields"`
	Entry  *canon.Entry `json:"-"`
}

// Snippet is a fragment of one field: HTML-escaped text with <mark>
// around the matched words.
type Snippet struct {
	Field string `json:"field"`
	HTML  string `json:"html"`
}

// Facets count matching entries per value, most frequent first.
type Facets struct {
	Domain       []Count `json:"domain"`
	Category     []Count `json:"category"`
	Verification []Count `json:"verification"`
	Resolvable   []Count `json:"resolvable"`
}

// Count is one facet value and the number of matching entries with it.
type Count struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

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
	// Nothing is stored, and no term vectors or doc values are kept:
	// snippets are made from the entries themselves, and so are facets.
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
		dm.AddFieldMappingsAt(f, text(a))
	}
	for _, f := range facetFields {
		dm.AddFieldMappingsAt(f, keyword())
	}
	// No composite "_all" field: every query names its fields.
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	im.DefaultMapping = dm
	return im, im.Validate()
}

// Index is the full-text index of a set of entries. It is safe for
// concurrent use.
type Index struct {
	bi          bleve.Index
	en, kw, cjk analysis.Analyzer
	byID        map[string]*canon.Entry
	sorted      []*canon.Entry // by id, for blank queries

	// Facets: each entry's values as indexes into values, in the order of
	// sorted; entries found by bleve's internal id, through dense when the
	// ids are small numbers (they are: scorch numbers documents from 0),
	// else through byNum.
	values [4][]string
	facetv [][4]uint32
	dense  []int32
	byNum  map[string]int32
}

// Batches: without a path, scorch keeps each batch as one in-memory
// segment and never merges them, so the batch size also fixes the segment
// count, and every query pays per segment (a dictionary lookup per term, a
// fuzzy automaton walk per typo-tolerant word). Building costs the same CPU
// per entry whatever the batch size, so Build makes one batch per worker
// (or two) up to maxBatch entries, the workers building segments in
// parallel. Set by tests to other values.
var (
	buildWorkers = min(runtime.GOMAXPROCS(0), 4)
	minBatch     = 100
	maxBatch     = 25000
)

// Build indexes entries in memory. Entries without an id and repeated ids
// are skipped. Close releases the index.
func Build(entries []*canon.Entry) (*Index, error) {
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("search mapping: %w", err)
	}
	return buildWith(entries, m)
}

// buildWith indexes entries with the mapping m (benchmarks compare mappings).
func buildWith(entries []*canon.Entry, m *mapping.IndexMappingImpl) (*Index, error) {
	bi, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	ix := &Index{bi: bi, en: m.AnalyzerNamed(aEn), kw: m.AnalyzerNamed(aKw), cjk: m.AnalyzerNamed(aCJK),
		byID: make(map[string]*canon.Entry, len(entries))}
	if ix.en == nil || ix.kw == nil || ix.cjk == nil {
		bi.Close()
		return nil, errors.New("search mapping: analyzers missing")
	}
	var todo []*canon.Entry
	for _, e := range entries {
		if e == nil || e.ID == "" || ix.byID[e.ID] != nil {
			continue
		}
		ix.byID[e.ID] = e
		todo = append(todo, e)
	}
	ix.sorted = slices.Clone(todo)
	slices.SortFunc(ix.sorted, func(a, b *canon.Entry) int { return strings.Compare(a.ID, b.ID) })
	chunks := make(chan []*canon.Entry)
	errs := make(chan error, buildWorkers)
	for w := 0; w < buildWorkers; w++ {
		go func() {
			var first error
			for chunk := range chunks {
				if first != nil {
					continue
				}
				b := bi.NewBatch()
				for _, e := range chunk {
					if err := b.Index(e.ID, docOf(e)); err != nil {
						first = fmt.Errorf("search index %s: %w", e.ID, err)
						break
					}
				}
				if first == nil {
					if err := bi.Batch(b); err != nil {
						first = fmt.Errorf("search index: %w", err)
					}
				}
			}
			errs <- first
		}()
	}
	batch := min(maxBatch, max(minBatch, (len(todo)+buildWorkers-1)/buildWorkers))
	for i := 0; i < len(todo); i += batch {
		chunks <- todo[i:min(len(todo), i+batch)]
	}
	close(chunks)
	var err2 error
	for w := 0; w < buildWorkers; w++ {
		if err := <-errs; err != nil && err2 == nil {
			err2 = err
		}
	}
	if err2 != nil {
		bi.Close()
		return nil, err2
	}
	if err := ix.mapInternalIDs(); err != nil {
		bi.Close()
		return nil, fmt.Errorf("search index: %w", err)
	}
	return ix, nil
}

// mapInternalIDs fills the facet tables. The index never changes after
// Build, so bleve's internal ids stay put.
func (ix *Index) mapInternalIDs() error {
	pos := make(map[string]int32, len(ix.sorted))
	seen := [4]map[string]uint32{{}, {}, {}, {}}
	ix.facetv = make([][4]uint32, len(ix.sorted))
	for i, e := range ix.sorted {
		pos[e.ID] = int32(i)
		for k, v := range facetValues(e) {
			n, ok := seen[k][v]
			if !ok {
				n = uint32(len(ix.values[k]))
				seen[k][v] = n
				ix.values[k] = append(ix.values[k], v)
			}
			ix.facetv[i][k] = n
		}
	}
	idx, err := ix.bi.Advanced()
	if err != nil {
		return err
	}
	r, err := idx.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	all, err := r.DocIDReaderAll()
	if err != nil {
		return err
	}
	defer all.Close()
	ix.byNum = make(map[string]int32, len(ix.sorted))
	ix.dense = make([]int32, 2*len(ix.sorted)+1)
	for i := range ix.dense {
		ix.dense[i] = -1
	}
	for {
		id, err := all.Next()
		if err != nil {
			return err
		}
		if id == nil {
			return nil
		}
		ext, err := r.ExternalID(id)
		if err != nil {
			return err
		}
		p, ok := pos[ext]
		if !ok {
			continue
		}
		ix.byNum[string(id)] = p
		if n, ok := smallID(id); ok && n < uint64(len(ix.dense)) {
			ix.dense[n] = p
		}
	}
}

// smallID reads an 8-byte internal id as the number it is in scorch.
func smallID(id []byte) (uint64, bool) {
	if len(id) != 8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(id), true
}

// docOfID returns the position in sorted of the entry with internal id,
// or -1.
func (ix *Index) docOfID(id []byte) int32 {
	if n, ok := smallID(id); ok && n < uint64(len(ix.dense)) && ix.dense[n] >= 0 {
		return ix.dense[n]
	}
	if p, ok := ix.byNum[string(id)]; ok {
		return p
	}
	return -1
}

// facetValues are an entry's domain, category, verification, resolvable.
func facetValues(e *canon.Entry) [4]string {
	return [4]string{e.Domain, e.Category, e.Verification, e.Resolvable}
}

// Close releases the index's memory and goroutines.
func (ix *Index) Close() error { return ix.bi.Close() }

// Len is the number of entries indexed.
func (ix *Index) Len() int { return len(ix.byID) }

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

// Clean returns text as Search uses it: invalid UTF-8 and control
// characters replaced by spaces, trimmed, and cut to MaxQueryBytes at a
// character boundary; cut reports the cut.
func Clean(text string) (clean string, cut bool) {
	text = strings.TrimSpace(text)
	// Bound the work on huge input before copying it: cleaning never
	// makes text longer, and only MaxQueryBytes survive.
	if len(text) > 4*MaxQueryBytes {
		text, cut = text[:4*MaxQueryBytes], true
	}
	text = strings.ToValidUTF8(text, " ")
	text = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, text)
	text = strings.TrimSpace(text)
	if len(text) > MaxQueryBytes {
		i := MaxQueryBytes
		for i > 0 && !utf8.RuneStart(text[i]) {
			i--
		}
		text, cut = strings.TrimSpace(text[:i]), true
	}
	return text, cut
}

func checkQuery(q *Query) error {
	switch q.Lang {
	case "", "en", "zh":
	default:
		return fmt.Errorf("%w: lang must be en, zh or empty, not %q", ErrInvalid, cutForMessage(q.Lang))
	}
	if q.PerPage == 0 {
		q.PerPage = DefaultPerPage
	}
	if q.PerPage < 1 || q.PerPage > MaxPerPage {
		return fmt.Errorf("%w: results per page must be 1 to %d, not %d", ErrInvalid, MaxPerPage, q.PerPage)
	}
	if q.Page == 0 {
		q.Page = 1
	}
	if q.Page < 1 || q.Page > MaxPage {
		return fmt.Errorf("%w: page must be 1 to %d, not %d", ErrInvalid, MaxPage, q.Page)
	}
	return nil
}

func cutForMessage(s string) string {
	s, _ = Clean(s)
	if len(s) > 20 {
		i := 20
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		s = s[:i] + "…"
	}
	return s
}

var facetFields = []string{fDomain, fCategory, fVerification, fResolvable}

// Search runs q and returns one page of hits, best first, equal scores by
// id within the page (across pages, in an order fixed for the index's
// life). See the package documentation for
// how words match, and for the limits: a bad Page, PerPage or Lang is an
// error wrapping ErrInvalid, any text is fine. Errors otherwise come only
// from ctx.
func (ix *Index) Search(ctx context.Context, q Query) (*Results, error) {
	if err := checkQuery(&q); err != nil {
		return nil, err
	}
	text, cut := Clean(q.Text)
	res := &Results{Query: text, Truncated: cut, Page: q.Page, PerPage: q.PerPage, Hits: []Hit{}}
	if text == "" {
		ix.list(res, q)
		return res, nil
	}
	t := ix.analyze(text, q.Lang)
	if len(t.words) == 0 {
		return res, nil // only stop words or punctuation: nothing to look for
	}
	if err := ix.plan(ctx, t); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if err := ix.run(ctx, res, t.query(len(t.words)), q, t); err != nil || res.Total > 0 || len(t.words) < 2 {
		return res, err
	}
	res.Partial = true
	return res, ix.run(ctx, res, t.query((len(t.words)+1)/2), q, t)
}

// list fills res with the entries passing q's filters, by id: the answer
// to a blank query, made without bleve (a scan is faster than bleve's
// match-all with facets, and the order is the ids').
func (ix *Index) list(res *Results, q Query) {
	fc := ix.newFacetCounter()
	from := (q.Page - 1) * q.PerPage
	for i, e := range ix.sorted {
		if (q.Domain != "" && e.Domain != q.Domain) || (q.Category != "" && e.Category != q.Category) ||
			(q.Verification != "" && e.Verification != q.Verification) || (q.Resolvable != "" && e.Resolvable != q.Resolvable) {
			continue
		}
		fc.add(int32(i))
		if res.Total >= from && len(res.Hits) < q.PerPage {
			res.Hits = append(res.Hits, Hit{ID: e.ID, Entry: e, Snippets: []Snippet{}, Fields: []string{}})
		}
		res.Total++
	}
	res.Facets = fc.facets()
}

// facetCounter counts entries per value of the four filter fields.
type facetCounter struct {
	ix     *Index
	counts [4][]int
}

func (ix *Index) newFacetCounter() *facetCounter {
	fc := &facetCounter{ix: ix}
	for k := range fc.counts {
		fc.counts[k] = make([]int, len(ix.values[k]))
	}
	return fc
}

// add counts the entry at position p of sorted.
func (fc *facetCounter) add(p int32) {
	if p < 0 {
		return
	}
	for k, n := range fc.ix.facetv[p] {
		fc.counts[k][n]++
	}
}

// facets sorts the counts, most frequent first, and never leaves a nil
// slice (JSON clients get [] rather than null).
func (fc *facetCounter) facets() Facets {
	sorted := func(k int) []Count {
		cs := []Count{}
		for n, c := range fc.counts[k] {
			if v := fc.ix.values[k][n]; c > 0 && v != "" {
				cs = append(cs, Count{v, c})
			}
		}
		sort.Slice(cs, func(i, j int) bool {
			if cs[i].Count != cs[j].Count {
				return cs[i].Count > cs[j].Count
			}
			return cs[i].Value < cs[j].Value
		})
		return cs
	}
	return Facets{Domain: sorted(0), Category: sorted(1), Verification: sorted(2), Resolvable: sorted(3)}
}

// run searches with must and q's filters and fills res.
func (ix *Index) run(ctx context.Context, res *Results, must query.Query, q Query, t *terms) error {
	bq := query.NewBooleanQuery([]query.Query{must}, nil, nil)
	var filters []query.Query
	for _, f := range []struct{ field, value string }{
		{fDomain, q.Domain}, {fCategory, q.Category}, {fVerification, q.Verification}, {fResolvable, q.Resolvable},
	} {
		if f.value != "" {
			tq := query.NewTermQuery(f.value)
			tq.SetField(f.field)
			filters = append(filters, tq)
		}
	}
	if len(filters) > 0 {
		bq.AddFilter(query.NewConjunctionQuery(filters))
	}
	req := bleve.NewSearchRequestOptions(bq, q.PerPage, (q.Page-1)*q.PerPage, false)
	// Facets: rather than bleve's, which decompress a doc-values chunk for
	// about every matching entry, count from the entries themselves as
	// bleve's top-N collector hands each match on.
	fc := ix.newFacetCounter()
	ctx = context.WithValue(ctx, search.MakeDocumentMatchHandlerKey, search.MakeDocumentMatchHandler(
		func(sctx *search.SearchContext) (search.DocumentMatchHandler, bool, error) {
			next, loadID, err := collector.MakeTopNDocumentMatchHandler(sctx)
			if err != nil {
				return nil, false, err
			}
			return func(d *search.DocumentMatch) error {
				if d != nil {
					fc.add(ix.docOfID(d.IndexInternalID))
				}
				return next(d)
			}, loadID, nil
		}))
	sr, err := ix.bi.SearchInContext(ctx, req)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	res.Total = int(sr.Total)
	res.Hits = res.Hits[:0]
	for _, dm := range sr.Hits {
		e := ix.byID[dm.ID]
		if e == nil {
			continue
		}
		h := Hit{ID: dm.ID, Score: dm.Score, Entry: e, Snippets: []Snippet{}, Fields: []string{}}
		if t != nil {
			h.Snippets, h.Fields = ix.highlight(e, t, q.Lang)
		}
		res.Hits = append(res.Hits, h)
	}
	slices.SortStableFunc(res.Hits, func(a, b Hit) int {
		if a.Score != b.Score {
			return cmp.Compare(b.Score, a.Score)
		}
		return strings.Compare(a.ID, b.ID)
	})
	res.Facets = fc.facets()
	return nil
}

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
	limit := max(uint64(commonRatio*float64(ix.Len())), commonMin)
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
