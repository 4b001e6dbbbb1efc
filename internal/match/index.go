// Package match finds the catalog entries that explain an error text, a
// stack trace or a whole log. One Index serves the CLI, the API and the MCP
// tools.
//
// How a match works:
//
//  1. The input is normalized (ANSI escapes removed, CRLF and CR to LF) and
//     scanned once with an Aho-Corasick automaton holding, for every entry,
//     the literal strings any match of its regex must contain (see
//     literals.go). Entries whose literals do not occur are never tried.
//  2. A candidate's regex runs only on the line where its literal occurred
//     (or on a window of lines for regexes that span lines), and once per
//     distinct line text, so a line repeated a thousand times costs one run.
//  3. Matches are ranked by a documented score (see Score); when nothing
//     matches, a BM25 text similarity over signatures and examples still
//     suggests entries, marked fuzzy.
package match

import (
	"errors"
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	ahocorasick "github.com/petar-dambovaliev/aho-corasick"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/lazyregexp"
)

// Limits, documented in README.md.
const (
	// MaxInput is the largest input Match accepts.
	MaxInput = 4 << 20
	// MaxJSONBody bounds a JSON request that carries one text to match
	// (POST /api/v1/match, one MCP message): room for MaxInput bytes of
	// text escaped, plus the other fields.
	MaxJSONBody = 2*MaxInput + 64<<10
	// windowLines is how far a multi-line regex may reach from the line
	// holding its literal, in each direction.
	windowLines = 40
	// maxVerifyBytes bounds the text one regex run sees; a longer line is
	// cut to this much around the literal.
	maxVerifyBytes = 16 << 10
	// maxRunsPerEntry and maxRuns bound the regex runs of one Match, so no
	// input costs more than linear time however many literals it holds.
	maxRunsPerEntry = 64
	maxRuns         = 8192
	// lateKeep is how many of its latest candidates an entry keeps once
	// its budget is spent, and lateReserve the runs they may use in all:
	// the end of a log, where the final error is, is always looked at.
	lateKeep    = 8
	lateReserve = 512
)

// maxScanLiteral caps the literals the automaton holds: any substring of a
// required literal is required too, and a short rare window keeps the
// automaton small (its size grows with the total literal length) while
// still letting almost nothing through.
const maxScanLiteral = 16

// rareWindow returns the n-byte window of lit whose bytes are rarest in
// text, by a small frequency ranking of bytes in English and logs.
func rareWindow(lit string, n int) string {
	if len(lit) <= n {
		return lit
	}
	score := func(c byte) int {
		const common = " etaoinsrhldcumfpgwybvkxjqz0123456789" // most frequent first
		if i := strings.IndexByte(common, c); i >= 0 {
			return i
		}
		return len(common) + 4 // punctuation and other bytes are rarer still
	}
	sum := 0
	for i := 0; i < n; i++ {
		sum += score(lit[i])
	}
	best, bestAt := sum, 0
	for i := n; i < len(lit); i++ {
		sum += score(lit[i]) - score(lit[i-n])
		if sum > best {
			best, bestAt = sum, i-n+1
		}
	}
	return lit[bestAt : bestAt+n]
}

// Index is an immutable, concurrency-safe matcher over a set of entries.
type Index struct {
	// entries are set at once (FromPlanFunc) or on first use, from the
	// records of an encoded plan (FromPlanData): use at.
	entries []atomic.Pointer[indexed]
	records string                         // the encoded plan's entry records, when entries are decoded on first use
	ends    u32s                           // where each record ends
	ns      u32s                           // each entry's number in the index's source (int32s)
	pats    []string                       // the automaton's patterns, ASCII lower-cased
	ac      func() ahocorasick.AhoCorasick // NFA, built on first use (scan.go)
	built   atomic.Bool                    // ac has been built
	dfa     func() ahocorasick.AhoCorasick // built on first use
	owners  ranges                         // automaton pattern -> entries that require it
	always  []int32                        // entries with no usable literal: tried on every input
	text    *bm25
	// load returns the entry numbered n in the index's source (a slice,
	// or a snapshot that decodes entries when asked).
	load func(n int32) *canon.Entry
	// warnings are what making the plan noticed (Warning).
	warnings []Warning
}

// at returns entry n of the index, decoding its part of the plan on
// first use. A record that does not decode (a damaged plan: plans are
// made whole) gives an entry whose regex matches nothing.
func (ix *Index) at(n int32) *indexed {
	if in := ix.entries[n].Load(); in != nil {
		return in
	}
	pe, err := record(ix.records, ix.ends, int(n))
	if err == nil && (pe.N != int32(ix.ns.at(int(n))) || pe.Domain != ix.text.domains[n]) {
		err = errors.New("the record differs from the head")
	}
	if err != nil {
		src := never.Regexp().String()
		pe = &PlanEntry{N: int32(ix.ns.at(int(n))), Domain: ix.text.domains[n], Regex: src, Relaxed: src}
		if e := ix.load(pe.N); e != nil {
			pe.ID, pe.Confidence = e.ID, e.Confidence
		}
	}
	ix.entries[n].CompareAndSwap(nil, newIndexed(pe))
	return ix.entries[n].Load()
}

// entry returns an indexed entry in full.
func (ix *Index) entry(in *indexed) *canon.Entry { return ix.load(in.n) }

type indexed struct {
	// What matching needs of the entry is kept here; the entry itself is
	// resolved through the Index (entry) only for a result, so an index
	// made from a snapshot decodes just the entries it answers with.
	n          int32 // the entry's number in the Index's source
	id, domain string
	confidence float64
	re         *lazyRegexp
	literals   []string // the clause the prefilter scans for
	litChars   int
	multiline  bool
	// alts are the top-level alternatives of a regex that has several, to
	// score a match by the literal characters of the one that matched.
	alts []alternative
	// relaxed is the whole-line variant that accepts a fragment (relax.go);
	// nil when the regex has nothing to relax.
	relaxed    *lazyRegexp
	relaxedLit int
}

type alternative struct {
	re  *lazyRegexp // the alternative, anchored at both ends
	lit int
}

// alternatives lists a regex's top-level alternatives, or nil when it has
// one: literalChars of an alternation is the mean of its branches, which
// undersells a match of its longest one. They are cut from the source
// (syntax.Regexp.String is slow on large classes such as \pL).
func alternatives(src string) []alternative {
	flags := leadingFlags.FindString(src)
	parts := splitTop(src[len(flags):], '|')
	if len(parts) < 2 {
		return nil
	}
	out := make([]alternative, 0, len(parts))
	for _, p := range parts {
		alt := flags + `^(?:` + p + `)$`
		tree, err := syntax.Parse(alt, syntax.Perl)
		if err != nil {
			return nil
		}
		out = append(out, alternative{re: &lazyRegexp{src: alt}, lit: literalChars(tree.Simplify())})
	}
	return out
}

// lazyRegexp compiles its source on first use.
type lazyRegexp struct {
	src  string
	once sync.Once
	re   *regexp.Regexp
}

func (l *lazyRegexp) get() *regexp.Regexp {
	l.once.Do(func() {
		var err error
		if l.re, err = regexp.Compile(l.src); err != nil {
			// It parsed at Build; what parses can still be too large to
			// compile. Such a regex matches nothing rather than panic.
			l.re = never.Regexp()
		}
	})
	return l.re
}

// never matches no text.
var never = lazyregexp.New(`[^\x00-\x{10FFFF}]`)

// Warning is something Build noticed about an entry: a regex that does not
// compile, or one without a literal the prefilter can use (slow).
type Warning struct {
	ID  string
	Msg string
}

// relaxedOwner encodes, in the automaton's owner lists, that a literal
// belongs to entry n's relaxed variant rather than its regex.
func relaxedOwner(n int32) int32 { return -n - 1 }

// relaxedVariant compiles the relaxed variant of a regex (relax.go) with
// its literal clauses and literal length, or returns nil.
func relaxedVariant(src string) (*lazyRegexp, [][]string, int) {
	rsrc, ok := relaxSource(src)
	if !ok {
		return nil, nil, 0
	}
	re := &lazyRegexp{src: rsrc}
	tree, err := syntax.Parse(rsrc, syntax.Perl)
	if err != nil {
		return nil, nil, 0
	}
	tree = tree.Simplify()
	return re, toCNF(analyze(tree)), literalChars(tree)
}

func buildAutomaton(pats []string, dfa bool) ahocorasick.AhoCorasick {
	b := ahocorasick.NewAhoCorasickBuilder(ahocorasick.Opts{
		AsciiCaseInsensitive: true,
		MatchKind:            ahocorasick.StandardMatch,
		DFA:                  dfa,
	})
	return b.Build(pats)
}

// maxDFAPatterns caps the DFA at about 50 MB (the shipped catalog has
// about 1,200 patterns).
const maxDFAPatterns = 5000

// dfaFrom is the input size from which scanning with the DFA pays for
// building it.
const dfaFrom = 256 << 10

// Warnings returns what making the index's plan noticed about its
// entries: regexes that do not compile, slow ones.
func (ix *Index) Warnings() []Warning { return ix.warnings }

// Len returns the number of indexed entries.
func (ix *Index) Len() int { return len(ix.entries) }

// Literals returns the literals the prefilter scans for on behalf of an
// entry, for diagnostics (validate -v, tests).
func (ix *Index) Literals(id string) []string {
	for n := range ix.entries {
		if in := ix.at(int32(n)); in.id == id {
			return slices.Clone(in.literals)
		}
	}
	return nil
}

// Slow returns the ids of entries whose regex runs on every input.
func (ix *Index) Slow() []string {
	out := make([]string, len(ix.always))
	for i, n := range ix.always {
		out[i] = ix.at(n).id
	}
	sort.Strings(out)
	return out
}
