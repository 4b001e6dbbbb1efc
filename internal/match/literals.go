package match

import (
	"math"
	"regexp/syntax"
	"strings"
)

// Prefilter analysis, after RE2's FilteredRE2 and codesearch's index/regexp:
// walk a regex's syntax tree and compute literal strings that every match
// must contain. A regex is then only run on inputs where one of its
// required literals occurs.
//
// Each node yields an info: exact, when the node matches only a small known
// set of strings, and cnf, a conjunction of clauses, each clause a set of
// strings one of which every match contains. Literals are kept lowercase:
// the scan is ASCII case-insensitive, so an uppercase literal is still a
// valid (if slightly looser) requirement.

const (
	maxExact      = 16 // largest exact set kept before it becomes a clause
	maxClause     = 16 // largest alternation kept as one clause
	minLiteralLen = 3  // shorter literals would make the prefilter useless
)

type info struct {
	exact []string // nil: not known exactly
	cnf   [][]string
}

func analyze(re *syntax.Regexp) info {
	switch re.Op {
	case syntax.OpLiteral:
		return info{exact: []string{lower(string(re.Rune))}}
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return info{exact: []string{""}}
	case syntax.OpCharClass:
		if set := classSet(re.Rune); set != nil {
			return info{exact: set}
		}
		return info{}
	case syntax.OpCapture:
		return analyze(re.Sub[0])
	case syntax.OpPlus:
		return info{cnf: toCNF(analyze(re.Sub[0]))}
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return info{cnf: toCNF(analyze(re.Sub[0]))}
		}
		return info{}
	case syntax.OpConcat:
		return concat(re.Sub)
	case syntax.OpAlternate:
		subs := make([]info, len(re.Sub))
		allExact := true
		for i, s := range re.Sub {
			subs[i] = analyze(s)
			allExact = allExact && subs[i].exact != nil
		}
		if allExact {
			var u []string
			for _, s := range subs {
				u = append(u, s.exact...)
			}
			u = dedupe(u)
			if len(u) <= maxExact {
				return info{exact: u}
			}
		}
		// Any match satisfies one branch, so the union of one clause per
		// branch is a clause of the whole.
		var clause []string
		for _, s := range subs {
			best := bestClause(toCNF(s), nil)
			if best == nil {
				return info{}
			}
			clause = append(clause, best...)
		}
		clause = dedupe(clause)
		if len(clause) > maxClause {
			return info{}
		}
		return info{cnf: [][]string{clause}}
	}
	// Star, Quest, AnyChar and the rest can match anything or nothing.
	return info{}
}

// concat combines a sequence: adjacent exact parts multiply into longer
// exact strings (the "run"); a part that is not exact ends the run, which
// becomes a clause, and contributes its own clauses.
func concat(subs []*syntax.Regexp) info {
	run := []string{""}
	var cnf [][]string
	flushed := false
	for _, sub := range subs {
		x := analyze(sub)
		cnf = append(cnf, x.cnf...)
		if x.exact != nil && len(run)*len(x.exact) <= maxExact {
			next := make([]string, 0, len(run)*len(x.exact))
			for _, a := range run {
				for _, b := range x.exact {
					next = append(next, a+b)
				}
			}
			run = dedupe(next)
			continue
		}
		cnf = append(cnf, toCNF(info{exact: run})...)
		flushed = true
		run = []string{""}
		if x.exact != nil {
			run = x.exact
		}
	}
	if !flushed {
		return info{exact: run, cnf: cnf}
	}
	return info{cnf: append(cnf, toCNF(info{exact: run})...)}
}

// toCNF turns an info into clauses only, keeping its exact set as a clause
// when every member is long enough to be worth scanning for.
func toCNF(x info) [][]string {
	cnf := append([][]string{}, x.cnf...)
	if x.exact != nil && len(x.exact) <= maxClause {
		ok := true
		for _, s := range x.exact {
			if len(strings.TrimSpace(s)) < minLiteralLen {
				ok = false
				break
			}
		}
		if ok {
			cnf = append(cnf, x.exact)
		}
	}
	return cnf
}

// bestClause picks the clause that filters best: its shortest literal is
// longest (long literals are rare in logs), then its literals are rarest
// across the catalog (df counts how many entries use a literal), then it
// has the fewest alternatives.
func bestClause(cnf [][]string, df map[string]int) []string {
	var best []string
	bestScore := math.Inf(-1)
	for _, c := range cnf {
		if len(c) == 0 {
			continue
		}
		minLen, common := 1<<30, 0
		for _, s := range c {
			if n := len(s); n < minLen {
				minLen = n
			}
			common += df[s]
		}
		if minLen < minLiteralLen {
			continue
		}
		score := float64(min(minLen, 24)) - float64(len(c))*0.01 - float64(common)*0.5
		if score > bestScore {
			best, bestScore = c, score
		}
	}
	return best
}

// classSet returns the small set of strings a character class matches, once
// folded to lowercase ([Ee] is "e"), or nil when it is too large.
func classSet(ranges []rune) []string {
	var out []string
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		if hi-lo > 4 {
			return nil
		}
		for r := lo; r <= hi; r++ {
			out = append(out, lower(string(r)))
		}
	}
	out = dedupe(out)
	if len(out) > 4 {
		return nil
	}
	return out
}

// literalChars counts the runes a regex matches literally: a measure of how
// specific it is, used in ranking.
func literalChars(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune)
	case syntax.OpCapture, syntax.OpPlus:
		return literalChars(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return literalChars(re.Sub[0])
		}
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			n += literalChars(s)
		}
		return n
	case syntax.OpAlternate:
		// The branch that matched is unknown here; the mean keeps a regex
		// that lists several wordings of one message from scoring as
		// vague as its shortest wording.
		n := 0
		for _, s := range re.Sub {
			n += literalChars(s)
		}
		return n / max(1, len(re.Sub))
	}
	return 0
}

// spansLines reports whether a regex can match a newline, so it must be run
// on a window of lines rather than on one line.
func spansLines(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpAnyChar:
		return true
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if r == '\n' {
				return true
			}
		}
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] <= '\n' && '\n' <= re.Rune[i+1] {
				return true
			}
		}
	}
	for _, s := range re.Sub {
		if spansLines(s) {
			return true
		}
	}
	return false
}

func lower(s string) string {
	// The scan folds ASCII only; leave other letters as they are so a
	// literal never demands a folding the scanner does not do.
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func dedupe(s []string) []string {
	seen := make(map[string]bool, len(s))
	out := s[:0:0]
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
