package match

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/errorcanon/errorcanon/internal/canon"
)

// Kind says how a result was found.
type Kind string

const (
	// Matched: the entry's regex matched the input.
	Matched Kind = "matched"
	// Fuzzy: no regex matched; the entry's text resembles the input.
	Fuzzy Kind = "fuzzy"
)

// How many entries a match returns: DefaultLimit when the caller does not
// say, at most MaxLimit. Every surface (the site's paste box, the API,
// MCP's match_error and the CLI) uses these two, so one input gets the
// same answers everywhere.
const (
	DefaultLimit = 3
	MaxLimit     = 10
)

// Options narrow a match.
type Options struct {
	Limit  int    // results to return; 0 means DefaultLimit
	Domain string // only entries of this domain, when set
	// NoFuzzy leaves out fuzzy suggestions (quality checks want exact
	// matches only).
	NoFuzzy bool

	// anySimilarity shows look-alikes below FuzzyThreshold (calibration).
	anySimilarity bool
}

// FuzzyThreshold is the similarity a look-alike needs to be shown when no
// regex matched. It is calibrated on data (calibrate_test.go; the figures
// are in BENCHMARKS.md): below it, suggestions are more often wrong than
// a reader can afford.
const FuzzyThreshold = 0.55

// Span locates the matched text in the normalized input.
type Span struct {
	Line  int    `json:"line"`  // 1-based line of the match's start
	Start int    `json:"start"` // byte offsets into the normalized input
	End   int    `json:"end"`
	Text  string `json:"text"` // the matched text, cut to 512 bytes
	// Lines is the whole of the lines the match starts and ends on, cut
	// to 512 bytes (after the match's start when longer): what a reader
	// recognizes, where Text may start mid-line.
	Lines string `json:"-"`
}

// Score is a result's score and its parts, each in 0..1. Matched results
// rank before fuzzy ones, and entries tagged "wrapper" after other matched
// ones; within each group results are ordered by Total, except that a
// match whose text strictly contains another's ranks above it.
//
//	matched: Total = 0.45*Specificity + 0.25*Position + 0.15*Confidence + 0.15*Similarity
//	fuzzy:   Total = 0.8*Similarity + 0.2*Confidence, always ranked below matched results
//
// Specificity is the share of the matched text that the regex spells out
// literally (a regex of fixed words beats one of wildcards). Position favours
// lines that look like errors and, among them, later ones: the final
// exception of a traceback beats a frame above it. Confidence is the entry's
// own. Similarity is BM25 over the entry's signature and examples, scaled
// against the best possible score for the query.
type Score struct {
	Total       float64 `json:"total"`
	Specificity float64 `json:"specificity"`
	Position    float64 `json:"position"`
	Confidence  float64 `json:"confidence"`
	Similarity  float64 `json:"similarity"`
}

// Result is one entry that explains the input.
type Result struct {
	Entry *canon.Entry `json:"-"`
	ID    string       `json:"id"`
	Kind  Kind         `json:"kind"`
	Span  *Span        `json:"span,omitempty"`
	Score Score        `json:"score"`
	// Groups are the regex's named groups as matched, for filling the
	// workarounds' commands.
	Groups map[string]string `json:"groups,omitempty"`

	n       int32 // the entry's number in the index, for matched results
	relaxed bool  // matched by the entry's relaxed variant
}

// ErrTooLarge is returned for inputs over MaxInput.
var ErrTooLarge = fmt.Errorf("input is larger than the %d-byte (4 MiB) limit; pass the part of the log around the error", MaxInput)

// ErrEmpty is returned for inputs with no text.
var ErrEmpty = errors.New("input is empty; pass an error message, a stack trace or a log")

var seed = maphash.MakeSeed()

// Match returns the entries that explain text, best first.
func (ix *Index) Match(text []byte, opts Options) ([]Result, error) {
	if len(text) > MaxInput {
		return nil, ErrTooLarge
	}
	if canon.Blank(text) {
		return nil, ErrEmpty // nothing visible: white space, zero-width characters, fillers
	}
	limit := opts.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	text = normalize(text)
	in := &view{text: text, lines: newLineIndex(text)}
	m := &matcher{ix: ix, in: in, v: in, opts: opts,
		best: map[int32]*Result{}, tried: map[triedKey]verdict{}, runs: map[int32]int{}}

	m.scan(in)
	for _, v := range prefixViewsOf(in) {
		m.scan(v)
	}
	m.tryLate()
	for _, n := range ix.always {
		m.tryWhole(n)
	}

	results := make([]Result, 0, len(m.best))
	for _, r := range m.best {
		r.Entry = ix.entry(ix.at(r.n))
		results = append(results, *r)
	}
	if len(results) > 0 {
		m.addSimilarity(results)
	}
	// Suggest look-alikes only when no regex matched: next to a real match
	// they are noise, and they cost a search.
	if len(results) == 0 && !opts.NoFuzzy {
		results = m.fuzzy(limit)
	}
	sort.SliceStable(results, func(i, j int) bool {
		if results[i].Kind != results[j].Kind {
			return results[i].Kind == Matched
		}
		if wi, wj := isWrapper(results[i].Entry), isWrapper(results[j].Entry); wi != wj {
			return wj
		}
		if results[i].Score.Total != results[j].Score.Total {
			return results[i].Score.Total > results[j].Score.Total
		}
		return results[i].ID < results[j].ID
	})
	promoteContainers(results)
	if len(results) > limit {
		results = results[:limit]
	}
	for i := range results {
		m.groups(&results[i])
	}
	return results, nil
}

// promoteContainers moves a matched result above another when the two
// entries are linked as look-alikes (confused_with), its span strictly
// contains the other's, and its regex spells out at least as many literal
// characters: the same text plus more is the more specific explanation
// ("django.db.utils.OperationalError: no such table: x" over sqlite's "no
// such table: x"). A container made mostly of wildcards ("ImportError: .+")
// is not more specific, so it is not moved. Strict containment is a partial
// order, so this ends.
func promoteContainers(rs []Result) {
	for i := 0; i < len(rs); i++ {
		for j := i + 1; j < len(rs); j++ {
			if contains(rs[j], rs[i]) && moreLiteral(rs[j], rs[i]) && lookalikes(rs[i].Entry, rs[j].Entry) {
				r := rs[j]
				copy(rs[i+1:j+1], rs[i:j])
				rs[i] = r
				j = i // look again from the promoted result
			}
		}
	}
}

func lookalikes(a, b *canon.Entry) bool {
	if a == nil || b == nil {
		return false
	}
	for _, c := range a.Related.ConfusedWith {
		if c.ID == b.ID {
			return true
		}
	}
	for _, c := range b.Related.ConfusedWith {
		if c.ID == a.ID {
			return true
		}
	}
	return false
}

// moreLiteral reports whether a's regex spells out at least as much of its
// match as b's does of its own, and is not mostly wildcards.
func moreLiteral(a, b Result) bool {
	lit := func(r Result) float64 { return r.Score.Specificity * float64(r.Span.End-r.Span.Start) }
	return a.Score.Specificity >= 0.3 && lit(a) >= lit(b)
}

// contains reports whether a's span strictly contains b's, both matched.
func contains(a, b Result) bool {
	if a.Kind != Matched || b.Kind != Matched || a.Span == nil || b.Span == nil {
		return false
	}
	as, bs := a.Span, b.Span
	return as.Start <= bs.Start && bs.End <= as.End && as.End-as.Start > bs.End-bs.Start
}

// scan runs the automaton over a view and tries the entries whose
// literals it finds.
func (m *matcher) scan(v *view) {
	m.v = v
	m.ix.eachHit(v.text, func(pattern, start int) {
		s, e := m.ix.owners.bounds(pattern)
		for j := s; j < e; j++ {
			if n := m.ix.owners.item(j); n < 0 {
				m.try(relaxedOwner(n), start, true)
			} else {
				m.try(n, start, false)
			}
		}
	})
}

// groups fills a matched result's named groups from its span: a
// workaround's command needs the variable parts ({module}). Only the
// results returned pay for the submatch run.
func (m *matcher) groups(r *Result) {
	if r.Kind != Matched || r.Span == nil {
		return
	}
	re := m.ix.at(r.n).re.get()
	if r.relaxed {
		re = m.ix.at(r.n).relaxed.get()
	}
	if re.NumSubexp() == 0 {
		return
	}
	loc := re.FindSubmatchIndex(m.in.text[r.Span.Start:r.Span.End])
	if loc == nil {
		return
	}
	for i, name := range re.SubexpNames() {
		if name == "" || loc[2*i] < 0 {
			continue
		}
		if r.Groups == nil {
			r.Groups = map[string]string{}
		}
		r.Groups[name] = string(m.in.text[r.Span.Start+loc[2*i] : r.Span.Start+loc[2*i+1]])
	}
}

// WrapperTag marks entries for errors that only report that something
// else failed ("make: *** [...] Error 1", "npm ERR! code ELIFECYCLE"):
// they rank below every other matched entry, since the line that explains
// the failure is elsewhere in the log.
const WrapperTag = "wrapper"

func isWrapper(e *canon.Entry) bool {
	for _, t := range e.Tags {
		if t == WrapperTag {
			return true
		}
	}
	return false
}

type triedKey struct {
	entry   int32
	relaxed bool
	text    uint64 // hash of the verified window's text
}

type matcher struct {
	ix *Index
	in *view // the input, normalized: results' offsets point into it
	v  *view // the view being scanned: the input, or its prefixed lines
	// without their prefixes (prefix.go)
	opts  Options
	best  map[int32]*Result
	tried map[triedKey]verdict
	runs  map[int32]int
	total int
	// late keeps, per entry, the latest candidates that came after its
	// budget ran out; finishing is set while they are tried.
	late      map[int32]*lateRing
	finishing bool
	// errorLines caches whether a line looks like an error.
	errorLines map[int]bool
}

// try verifies entry n (its relaxed variant, when relaxed) around a
// literal hit at offset off of the current view.
func (m *matcher) try(n int32, off int, relaxed bool) {
	in := m.ix.at(n)
	if m.opts.Domain != "" && in.domain != m.opts.Domain {
		return
	}
	v := m.v
	line := v.lines.line(off)
	start, end := v.lines.bounds(line, v.text)
	if in.multiline {
		first, last := max(0, line-windowLines), min(v.lines.count()-1, line+windowLines)
		start, _ = v.lines.bounds(first, v.text)
		_, end = v.lines.bounds(last, v.text)
	}
	// Cut very long lines to a window around the literal. A fragment is a
	// short line, so the relaxed variant skips long ones.
	if end-start > maxVerifyBytes {
		if relaxed {
			return
		}
		start = max(start, off-maxVerifyBytes/2)
		end = min(end, start+maxVerifyBytes)
	}
	window := v.text[start:end]
	key := triedKey{n, relaxed, maphash.Bytes(seed, window)}
	if vd, seen := m.tried[key]; seen {
		// The same text again (a repeated line): reuse the verdict without a
		// run; record keeps whichever place scores better.
		if vd.ok {
			m.record(n, start+vd.s, start+vd.e, relaxed)
		}
		return
	}
	switch {
	case m.finishing:
		if m.total >= maxRuns+lateReserve {
			return
		}
	case m.runs[n] >= maxRunsPerEntry || m.total >= maxRuns:
		// Out of budget: keep the candidate in case it is among the last
		// ones, which rank highest (the final error of a log comes last).
		m.remember(n, off, relaxed)
		return
	}
	m.runs[n]++
	m.total++
	re := in.re.get()
	if relaxed {
		re = in.relaxed.get()
	}
	loc := re.FindIndex(window)
	if loc == nil {
		m.tried[key] = verdict{}
		return
	}
	m.tried[key] = verdict{true, loc[0], loc[1]}
	m.record(n, start+loc[0], start+loc[1], relaxed)
}

// lateRing holds an entry's latest lateKeep candidates.
type lateRing struct {
	cands [lateKeep]candidate
	n     int // candidates seen; the newest is cands[(n-1)%lateKeep]
}

type candidate struct {
	v       *view
	off     int
	relaxed bool
}

func (m *matcher) remember(n int32, off int, relaxed bool) {
	if m.late == nil {
		m.late = map[int32]*lateRing{}
	}
	r := m.late[n]
	if r == nil {
		r = &lateRing{}
		m.late[n] = r
	}
	r.cands[r.n%lateKeep] = candidate{m.v, off, relaxed}
	r.n++
}

// tryLate tries, newest first, the candidates that arrived after their
// entry's budget (or the input's) ran out, within a small reserve: many
// near-identical decoy lines early in a log cannot hide the real error at
// its end.
func (m *matcher) tryLate() {
	if len(m.late) == 0 {
		return
	}
	m.finishing = true
	defer func() { m.finishing = false }()
	ids := make([]int32, 0, len(m.late))
	for n := range m.late {
		ids = append(ids, n)
	}
	slices.Sort(ids)
	for _, n := range ids {
		r := m.late[n]
		for i := 0; i < min(r.n, lateKeep); i++ {
			c := r.cands[(r.n-1-i)%lateKeep]
			m.v = c.v
			m.try(n, c.off, c.relaxed)
		}
	}
}

// verdict remembers a regex run on a window: whether it matched, and where
// relative to the window.
type verdict struct {
	ok   bool
	s, e int
}

// tryWhole runs a regex without literals over the input, within the same
// budget as the others.
func (m *matcher) tryWhole(n int32) {
	in := m.ix.at(n)
	if m.opts.Domain != "" && in.domain != m.opts.Domain {
		return
	}
	if m.total >= maxRuns {
		return
	}
	m.total++
	m.v = m.in
	if loc := in.re.get().FindIndex(m.in.text); loc != nil {
		m.record(n, loc[0], loc[1], false)
	}
}

// record keeps a match of entry n at s..e of the current view, in the
// input's offsets, if it scores better than the entry's best so far.
func (m *matcher) record(n int32, s, e int, relaxed bool) {
	in := m.ix.at(n)
	lit := in.litChars
	if relaxed {
		lit = in.relaxedLit
	} else {
		for _, a := range in.alts {
			if a.re.get().Match(m.v.text[s:e]) {
				lit = a.lit
				break
			}
		}
	}
	// Specificity is measured on the text the regex saw: in the input, a
	// match across lines also spans the prefixes that were cut.
	spec := specificity(lit, e-s)
	s, e = m.v.toInput(s), m.v.toInput(e)
	line := m.in.lines.line(s)
	sc := Score{
		Specificity: spec,
		Position:    m.position(line),
		Confidence:  in.confidence,
	}
	sc.Total = total(sc)
	if old := m.best[n]; old != nil {
		// Of two matches of one occurrence, keep the one with more of its
		// context (a view without log prefixes can match across lines
		// that the input, with them, cannot); otherwise the better score.
		in, out := old.Span.Start <= s && e <= old.Span.End, s <= old.Span.Start && old.Span.End <= e
		switch {
		case in && !out:
			return
		case out && !in:
		case old.Score.Total >= sc.Total:
			return
		}
	}
	m.best[n] = &Result{ID: in.id, Kind: Matched, Span: m.span(s, e), Score: sc, n: n, relaxed: relaxed}
}

func (m *matcher) span(s, e int) *Span {
	t := m.in.text[s:e]
	if len(t) > 512 {
		t = t[:512]
	}
	a := bytes.LastIndexByte(m.in.text[:s], '\n') + 1
	b := len(m.in.text)
	if i := bytes.IndexByte(m.in.text[max(e-1, s):], '\n'); i >= 0 {
		b = max(e-1, s) + i
	}
	if b-a > 512 {
		a = max(a, min(s, b-512))
		b = min(b, a+512)
	}
	return &Span{Line: m.in.lines.line(s) + 1, Start: s, End: e, Text: strings.ToValidUTF8(string(t), "\uFFFD"),
		Lines: strings.ToValidUTF8(strings.TrimRight(string(m.in.text[a:b]), "\r\n"), "\uFFFD")}
}

func total(s Score) float64 {
	return 0.45*s.Specificity + 0.25*s.Position + 0.15*s.Confidence + 0.15*s.Similarity
}

func specificity(lit, matched int) float64 {
	if matched <= 0 {
		return 0
	}
	return min(1, float64(lit)/float64(matched))
}

// position scores a line: 0.6 if it looks like an error, plus up to 0.4 for
// how late it comes, with the last error-looking line of the input scoring
// highest (the final exception of a traceback, the last failure of a build).
func (m *matcher) position(line int) float64 {
	n := m.in.lines.count()
	late := float64(line+1) / float64(n)
	p := 0.4 * late
	if m.looksLikeError(line) {
		p += 0.6
	}
	return p
}

var errorWords = [][]byte{
	[]byte("error"), []byte("exception"), []byte("fatal"), []byte("panic"), []byte("failed"),
	[]byte("failure"), []byte("traceback"), []byte("denied"), []byte("refused"), []byte("cannot"),
	[]byte("can't"), []byte("unable"), []byte("not found"), []byte("no such"), []byte("invalid"),
	[]byte("undefined"), []byte("segmentation"), []byte("abort"), []byte("killed"), []byte("timed out"),
	[]byte("errno"), []byte("warning"), []byte("rejected"), []byte("conflict"),
}

// looksLikeError reports whether a line reads like an error rather than the
// noise around it: error words, or a compiler diagnostic's "file:line:".
func (m *matcher) looksLikeError(line int) bool {
	if v, ok := m.errorLines[line]; ok {
		return v
	}
	if m.errorLines == nil {
		m.errorLines = map[int]bool{}
	}
	s, e := m.in.lines.bounds(line, m.in.text)
	l := bytes.ToLower(m.in.text[s:e])
	v := false
	for _, w := range errorWords {
		if bytes.Contains(l, w) {
			v = true
			break
		}
	}
	m.errorLines[line] = v
	return v
}

// addSimilarity fills in the text-similarity part of matched results, from
// the matched text.
func (m *matcher) addSimilarity(results []Result) {
	for i := range results {
		r := &results[i]
		q := r.Span.Text
		r.Score.Similarity = m.ix.text.similarity(q, r.n)
		r.Score.Total = total(r.Score)
	}
}

// fuzzy suggests entries whose text resembles the input's error-looking
// lines (or the whole input when it is short).
func (m *matcher) fuzzy(k int) []Result {
	query := m.queryText()
	if query == "" {
		return nil
	}
	var out []Result
	for _, h := range m.ix.text.search(query, k+len(m.best), m.opts.Domain) {
		if _, dup := m.best[h.entry]; dup {
			continue
		}
		if h.sim < FuzzyThreshold && !m.opts.anySimilarity {
			break // hits come best first
		}
		in := m.ix.at(h.entry)
		sc := Score{Similarity: h.sim, Confidence: in.confidence}
		sc.Total = 0.8*sc.Similarity + 0.2*sc.Confidence
		out = append(out, Result{Entry: m.ix.entry(in), ID: in.id, Kind: Fuzzy, Score: sc})
		if len(out) == k {
			break
		}
	}
	return out
}

// queryText picks the text to compare for fuzzy suggestions: the last 20
// error-looking lines, or the first 4 KiB when none look like errors.
func (m *matcher) queryText() string {
	if len(m.in.text) <= 4096 {
		return toValid(m.in.text)
	}
	var picked []string
	for i := m.in.lines.count() - 1; i >= 0 && len(picked) < 20; i-- {
		if m.looksLikeError(i) {
			s, e := m.in.lines.bounds(i, m.in.text)
			picked = append(picked, toValid(m.in.text[s:min(e, s+512)]))
		}
	}
	if len(picked) == 0 {
		return toValid(m.in.text[:4096])
	}
	return strings.Join(picked, "\n")
}

func toValid(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), " ")
}
