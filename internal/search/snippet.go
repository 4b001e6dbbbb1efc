// This file makes the snippets: the highlighter re-analyzes the hits' own
// text with the analyzers the index uses, so it marks exactly the words
// that matched, without stored fields or term vectors in the index.

package search

import (
	"html"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/errorcanon/errorcanon/internal/canon"
)

type kind int

const (
	kEn      kind = iota // English analyzer, fuzzy terms too
	kEnExact             // English analyzer, exact terms only
	kZh                  // CJK bigrams, other words (lang zh), single characters
	kKw                  // lowercased words
)

type hlField struct {
	name string
	lang string // "en", "zh", or "" for text searched in every language
	kind kind
	text func(e *canon.Entry) []string
}

// hlFields are in the order of Hit.Fields.
var hlFields = []hlField{
	{"signature", "en", kEn, func(e *canon.Entry) []string { return []string{e.Signature} }},
	{"signature_zh", "zh", kZh, func(e *canon.Entry) []string { return []string{e.SignatureZh} }},
	{"examples", "", kEnExact, func(e *canon.Entry) []string { return e.Examples }},
	{"root_cause", "en", kEn, func(e *canon.Entry) []string { return []string{e.RootCause} }},
	{"root_cause_zh", "zh", kZh, func(e *canon.Entry) []string { return []string{e.RootCauseZh} }},
	{"workarounds", "en", kEn, func(e *canon.Entry) []string {
		var out []string
		for _, w := range e.Workarounds {
			out = append(out, w.Action, w.How)
		}
		return out
	}},
	{"workarounds_zh", "zh", kZh, func(e *canon.Entry) []string {
		var out []string
		for _, w := range e.Workarounds {
			out = append(out, w.ActionZh, w.HowZh)
		}
		return out
	}},
	{"dead_ends", "en", kEn, func(e *canon.Entry) []string {
		var out []string
		for _, d := range e.DeadEnds {
			out = append(out, d.Action, d.WhyFails)
		}
		return out
	}},
	{"dead_ends_zh", "zh", kZh, func(e *canon.Entry) []string {
		var out []string
		for _, d := range e.DeadEnds {
			out = append(out, d.ActionZh, d.WhyFailsZh)
		}
		return out
	}},
	{"error_code", "", kKw, func(e *canon.Entry) []string {
		if e.ErrorCode == nil {
			return nil
		}
		return []string{*e.ErrorCode}
	}},
	{"tags", "", kKw, func(e *canon.Entry) []string { return []string{strings.Join(e.Tags, ", ")} }},
}

type span struct {
	start, end int
	term       string
}

// highlight returns the snippets and the matched fields of one hit.
func (ix *Index) highlight(e *canon.Entry, t *terms, lang string) ([]Snippet, []string) {
	snippets, fields := []Snippet{}, []string{}
	for _, f := range hlFields {
		if f.lang != "" && lang != "" && f.lang != lang {
			continue
		}
		bestText, bestSpans, bestScore := "", []span(nil), 0
		for _, s := range f.text(e) {
			if s == "" || (!t.noPrefilter && !t.mayMatch(s, f.kind)) {
				continue
			}
			spans := ix.spans(s, f.kind, t)
			if len(spans) == 0 {
				continue
			}
			distinct := map[string]bool{}
			for _, sp := range spans {
				distinct[sp.term] = true
			}
			if score := len(distinct)*1000 + len(spans); score > bestScore {
				bestText, bestSpans, bestScore = s, spans, score
			}
		}
		if bestSpans == nil {
			continue
		}
		fields = append(fields, f.name)
		if len(snippets) < MaxSnippets {
			snippets = append(snippets, Snippet{Field: f.name, HTML: fragment(bestText, bestSpans)})
		}
	}
	return snippets, fields
}

// spans returns the byte ranges of s holding query words, sorted and
// merged where they overlap or touch.
func (ix *Index) spans(s string, k kind, t *terms) []span {
	// The analyzers may rewrite the bytes they are given, so each gets a
	// copy, and only of the text it analyzes. A token becomes a string only
	// when it is kept: the lookups string(tok.Term) do not allocate.
	var out []span
	switch k {
	case kEn, kEnExact:
		fuzzy := k == kEn && len(t.fuzzy) > 0
		for _, c := range t.chunks(s, k) {
			for _, tok := range ix.en.Analyze([]byte(s[c[0]:c[1]])) {
				if tok.Type == tIdeo {
					continue
				}
				if t.en[string(tok.Term)] {
					out = append(out, span{c[0] + tok.Start, c[0] + tok.End, string(tok.Term)})
				} else if fuzzy {
					if q := t.fuzzyMatch(string(tok.Term)); q != "" {
						out = append(out, span{c[0] + tok.Start, c[0] + tok.End, q})
					}
				}
			}
		}
	case kKw:
		for _, tok := range ix.kw.Analyze([]byte(s)) {
			if t.kw[string(tok.Term)] {
				out = append(out, span{tok.Start, tok.End, string(tok.Term)})
			}
		}
	case kZh:
		// A query bigram is a bigram token of the text wherever the text
		// holds its two characters: a substring search does, without
		// analyzing the text. Other words need the analyzer.
		for term := range t.zh {
			for i := 0; ; {
				j := strings.Index(s[i:], term)
				if j < 0 {
					break
				}
				out = append(out, span{i + j, i + j + len(term), term})
				_, size := utf8.DecodeRuneInString(s[i+j:])
				i += j + size
			}
		}
		if len(t.zhWords) > 0 {
			for _, tok := range ix.cjk.Analyze([]byte(s)) {
				if tok.Type != tSingle && tok.Type != tDouble && t.zhWords[string(tok.Term)] {
					out = append(out, span{tok.Start, tok.End, string(tok.Term)})
				}
			}
		}
		if len(t.uni) > 0 {
			for i, r := range s {
				if t.uni[r] {
					out = append(out, span{i, i + utf8.RuneLen(r), string(r)})
				}
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	merged := out[:1]
	for _, sp := range out[1:] {
		last := &merged[len(merged)-1]
		if sp.start <= last.end {
			last.end = max(last.end, sp.end)
			continue
		}
		merged = append(merged, sp)
	}
	return merged
}

// mayMatch is a quick test that lets the highlighter skip analyzing text
// that cannot hold a query word (analysis is most of a search's cost when
// few entries match). For English fields, spans analyzes only the chunks
// that may match, so mayMatch leaves them to it.
func (t *terms) mayMatch(s string, k kind) bool {
	switch k {
	case kEn, kEnExact:
		return true
	case kKw:
		lower := strings.ToLower(s)
		for term := range t.kw {
			if strings.Contains(lower, term) {
				return true
			}
		}
	case kZh:
		for term := range t.zh {
			if strings.Contains(s, term) {
				return true
			}
		}
		for r := range t.uni {
			if strings.ContainsRune(s, r) {
				return true
			}
		}
		if len(t.zhWords) > 0 {
			lower := strings.ToLower(s)
			for term := range t.zhWords {
				if strings.Contains(lower, term) {
					return true
				}
			}
		}
	}
	return false
}

func prefixRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// chunks returns the byte ranges of s to analyze for English terms: the
// runs between ASCII whitespace that hold a probe. Stemming only rewrites
// a word's end, so a word that stems to a query term holds the term's
// first three characters (two for terms under four); for fuzzy terms see
// below. Words never
// span whitespace, and the tokenizer breaks at it whatever surrounds it,
// so analyzing those runs alone finds every match, at a fraction of the
// cost of analyzing the whole text.
func (t *terms) chunks(s string, k kind) [][2]int {
	whole := [][2]int{{0, len(s)}}
	if t.noPrefilter {
		return whole
	}
	lower := strings.ToLower(s)
	if len(lower) != len(s) {
		return whole // offsets would differ; rare enough to analyze it all
	}
	var probes []string
	for term := range t.en {
		probes = append(probes, prefixRunes(term, 2+min(1, utf8.RuneCountInString(term)/4)))
	}
	if k == kEn {
		for _, q := range t.fuzzy {
			// A word within one edit of q keeps one of q's first three
			// pairs of characters, but the stemmer may rewrite the last
			// character it keeps ("very" is indexed as "veri"): for a term
			// of five characters or more one of those three pairs is
			// never that last one; shorter terms get the whole text.
			r := []rune(q)
			if len(r) < 5 {
				return whole
			}
			probes = append(probes, string(r[:2]), string(r[1:3]), string(r[2:4]))
		}
	}
	var out [][2]int
	for _, p := range probes {
		if p == "" {
			return whole
		}
		for i := 0; ; {
			j := strings.Index(lower[i:], p)
			if j < 0 {
				break
			}
			a, b := i+j, i+j+len(p)
			for a > 0 && !isASCIISpace(s[a-1]) {
				a--
			}
			for b < len(s) && !isASCIISpace(s[b]) {
				b++
			}
			out = append(out, [2]int{a, b})
			i = b
		}
	}
	if len(out) <= 1 {
		return out
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	merged := out[:1]
	for _, c := range out[1:] {
		last := &merged[len(merged)-1]
		if c[0] <= last[1]+1 {
			last[1] = max(last[1], c[1])
			continue
		}
		merged = append(merged, c)
	}
	return merged
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// fuzzyMatch returns the query term within one edit of term, if any.
func (t *terms) fuzzyMatch(term string) string {
	for _, q := range t.fuzzy {
		if withinOneEdit(q, term) {
			return q
		}
	}
	return ""
}

// withinOneEdit reports whether a and b differ by at most one insertion,
// deletion or substitution of a character. It allocates nothing: typo
// matching calls it for every term of a field that shares the word's
// first character.
func withinOneEdit(a, b string) bool {
	if d := len(a) - len(b); d > utf8.UTFMax || d < -utf8.UTFMax {
		return false
	}
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	for i > 0 && (i < len(a) && !utf8.RuneStart(a[i]) || i < len(b) && !utf8.RuneStart(b[i])) {
		i-- // back to the start of the character that differs
	}
	a, b = a[i:], b[i:]
	if a == b {
		return true
	}
	_, na := utf8.DecodeRuneInString(a)
	_, nb := utf8.DecodeRuneInString(b)
	return a[min(na, len(a)):] == b[min(nb, len(b)):] || // substituted
		a == b[min(nb, len(b)):] || // inserted into b
		a[min(na, len(a)):] == b // inserted into a
}

// Fragment sizes, in characters.
const (
	fragChars   = 160
	fragContext = 40 // before the first mark
)

// fragment cuts s to about fragChars characters around the densest run of
// spans and returns it as HTML: escaped text, whitespace folded, <mark>
// around each span, "…" where text was cut.
func fragment(s string, spans []span) string {
	// Window: the span from which the most spans fit in fragChars bytes
	// of text (bytes, not characters, so Chinese windows get more room
	// below).
	best, bestN := 0, 0
	for i := range spans {
		n := 0
		for j := i; j < len(spans) && runeDist(s, spans[i].start, spans[j].end) <= fragChars-fragContext; j++ {
			n++
		}
		if n > bestN {
			best, bestN = i, n
		}
	}
	start := backRunes(s, spans[best].start, fragContext)
	if start > 0 {
		// Start at a word when one begins nearby.
		if k := strings.IndexFunc(s[start:spans[best].start], unicode.IsSpace); k >= 0 {
			start += k + 1
		}
	}
	end := forwardRunes(s, start, fragChars)
	for _, sp := range spans {
		if sp.start < end && sp.end > end {
			end = sp.end // never cut through a mark
		}
	}
	if end < len(s) {
		if k := strings.LastIndexFunc(s[start:end], unicode.IsSpace); k > 0 && start+k > spans[best].end {
			end = start + k
		}
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	pos := start
	for _, sp := range spans {
		if sp.start < start || sp.end > end {
			continue
		}
		b.WriteString(escape(s[pos:sp.start]))
		b.WriteString("<mark>")
		b.WriteString(escape(s[sp.start:sp.end]))
		b.WriteString("</mark>")
		pos = sp.end
	}
	b.WriteString(escape(s[pos:end]))
	if end < len(s) {
		b.WriteString("…")
	}
	return strings.TrimSpace(b.String())
}

// escape folds whitespace and control characters to single spaces and
// escapes the text for HTML.
func escape(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return html.EscapeString(b.String())
}

func runeDist(s string, from, to int) int { return utf8.RuneCountInString(s[from:to]) }

// backRunes returns the byte offset n characters before i.
func backRunes(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}

// forwardRunes returns the byte offset n characters after i.
func forwardRunes(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}
