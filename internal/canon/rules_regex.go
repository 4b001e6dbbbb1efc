package canon

// This file holds the rules about a regex and the signature it must match:
// filling a signature's placeholders from the examples, and refusing a
// regex that starts or ends with a bare .*.

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode"

	"github.com/errorcanon/errorcanon/internal/lazyregexp"
)

var placeholderRE = lazyregexp.New(`<[A-Za-z_][A-Za-z0-9_ .-]*>`)

// fillSignature finds the signature in one of the examples, reading each
// <placeholder> as any text and each run of white space as any white space,
// and returns the text it matched.
func fillSignature(sig string, examples []string) (string, bool) {
	var b strings.Builder
	rest := sig
	for {
		loc := placeholderRE.FindStringIndex(rest)
		lit := rest
		if loc != nil {
			lit = rest[:loc[0]]
		}
		for i, part := range strings.Fields(lit) {
			if i > 0 {
				b.WriteString(`\s+`)
			}
			b.WriteString(regexp.QuoteMeta(part))
		}
		if lit != "" && unicode.IsSpace(rune(lit[len(lit)-1])) && loc != nil {
			b.WriteString(`\s+`)
		}
		if loc == nil {
			break
		}
		if loc[0] > 0 && unicode.IsSpace(rune(rest[loc[0]-1])) && strings.TrimSpace(lit) == "" && b.Len() > 0 {
			b.WriteString(`\s+`)
		}
		b.WriteString(`(?:.+?)`)
		rest = rest[loc[1]:]
		if rest != "" && unicode.IsSpace(rune(rest[0])) {
			b.WriteString(`\s+`)
			rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
		}
	}
	re, err := regexp.Compile(b.String())
	if err != nil {
		return "", false
	}
	for _, ex := range examples {
		if m := re.FindString(ex); m != "" {
			return m, true
		}
	}
	return "", false
}

// bareDotStarEnd reports a regex that begins or ends with .* or .+ at the
// top level: such a regex says nothing about where the error's text starts.
func bareDotStarEnd(expr string) bool {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return false
	}
	subs := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		subs = re.Sub
	}
	var first, last *syntax.Regexp
	for _, s := range subs {
		if s.Op == syntax.OpBeginLine || s.Op == syntax.OpBeginText || s.Op == syntax.OpEndLine || s.Op == syntax.OpEndText {
			continue
		}
		if first == nil {
			first = s
		}
		last = s
	}
	anyStar := func(s *syntax.Regexp) bool {
		return s != nil && (s.Op == syntax.OpStar || s.Op == syntax.OpPlus) &&
			(s.Sub[0].Op == syntax.OpAnyCharNotNL || s.Sub[0].Op == syntax.OpAnyChar)
	}
	return anyStar(first) || anyStar(last)
}
