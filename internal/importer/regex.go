package importer

// This file converts a peer's regular expression (Python's re for
// deadends.dev) to RE2, the syntax Go's regexp and our matcher run. Only
// rewrites that keep the meaning are made; a feature RE2 lacks and that
// cannot be rewritten that way makes the entry a skip with the reason.

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"

	"github.com/errorcanon/errorcanon/internal/lazyregexp"
)

// MaxRegex bounds a converted regex, in bytes: the longest shipped one
// is a few hundred.
const MaxRegex = 1000

// regexProblem is why a regex cannot be imported.
type regexProblem struct {
	reason string // a Reason* constant
	detail string
}

// unsupported lists Python constructs RE2 lacks, in the order they are
// looked for.
var unsupported = []struct{ token, what string }{
	{"(?<=", "a lookbehind (?<=...)"},
	{"(?<!", "a negative lookbehind (?<!...)"},
	{"(?=", "a lookahead (?=...)"},
	{"(?!", "a negative lookahead (?!...)"},
	{"(?P=", "a backreference (?P=name)"},
	{"(?>", "an atomic group (?>...)"},
	{"(?(", "a conditional group (?(...)...)"},
	{"(?#", "a comment group (?#...)"},
}

var (
	backrefRE    = lazyregexp.New(`\\[1-9]`)
	possessiveRE = lazyregexp.New(`[*+?}]\+`)
	noLowerRE    = lazyregexp.New(`\{,(\d+)\}`)
	flagsRE      = lazyregexp.New(`\(\?([a-zA-Z]+)\)`)
)

// convertRegex turns a Python regex into an RE2 one that does the same;
// with fold set (deadends.dev matches case-insensitively) it gets (?i). Rewrites: \Z becomes \z, {,n}
// becomes {0,n} (Go reads {,n} as literal text), the (?u) flag (Unicode,
// Python 3's default) is dropped, a bare .* at either end is dropped (the
// match is a search, so it never changed what matched).
func convertRegex(src string, fold bool) (string, *regexProblem) {
	if strings.TrimSpace(src) == "" {
		return "", &regexProblem{ReasonMissingField, "error.regex is empty"}
	}
	if len(src) > MaxRegex {
		return "", &regexProblem{ReasonRegexSlow, fmt.Sprintf("is %d bytes; at most %d", len(src), MaxRegex)}
	}
	stripped := stripEscapes(src)
	for _, u := range unsupported {
		if strings.Contains(stripped, u.token) {
			return "", &regexProblem{ReasonRegexUnsupported, "uses " + u.what + ", which RE2 lacks"}
		}
	}
	if backrefRE.MatchString(stripEscapedBackslashes(src)) {
		return "", &regexProblem{ReasonRegexUnsupported, `uses a numbered backreference (\1), which RE2 lacks`}
	}
	if possessiveRE.MatchString(stripped) {
		return "", &regexProblem{ReasonRegexUnsupported, "uses a possessive quantifier (*+, ++, ?+), which RE2 lacks"}
	}
	out := src
	out = strings.ReplaceAll(out, `\Z`, `\z`)
	out = noLowerRE.ReplaceAllString(out, "{0,$1}")
	var flagErr string
	out = flagsRE.ReplaceAllStringFunc(out, func(m string) string {
		f := strings.ReplaceAll(m[2:len(m)-1], "u", "")
		for _, r := range f {
			if !strings.ContainsRune("ims", r) {
				flagErr = fmt.Sprintf("uses the flag (?%c), which RE2 lacks", r)
			}
		}
		if f == "" {
			return ""
		}
		return "(?" + f + ")"
	})
	if flagErr != "" {
		return "", &regexProblem{ReasonRegexUnsupported, flagErr}
	}
	for {
		t := strings.TrimSuffix(strings.TrimPrefix(out, ".*"), ".*")
		if strings.HasSuffix(t, `\`) { // the .* ended in an escaped dot: keep it
			break
		}
		if t == out {
			break
		}
		out = t
	}
	if fold && !strings.HasPrefix(out, "(?i)") {
		out = "(?i)" + out
	}
	re, err := syntax.Parse(out, syntax.Perl)
	if err != nil {
		return "", &regexProblem{ReasonRegexInvalid, err.Error()}
	}
	if _, err := regexp.Compile(out); err != nil {
		return "", &regexProblem{ReasonRegexInvalid, err.Error()}
	}
	if matchesEmpty(out) {
		return "", &regexProblem{ReasonRegexSlow, "matches the empty string, so it would match every input"}
	}
	if re.MaxCap() > 20 {
		return "", &regexProblem{ReasonRegexSlow, fmt.Sprintf("has %d groups; at most 20", re.MaxCap())}
	}
	return out, nil
}

func matchesEmpty(src string) bool {
	re, err := regexp.Compile(src)
	return err == nil && re.MatchString("")
}

// stripEscapes removes escaped characters and the insides of character
// classes, so a token like (?= is only found where it is syntax.
func stripEscapes(s string) string {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			i++
			b.WriteByte('_')
		case inClass:
			if c == ']' {
				inClass = false
			}
			b.WriteByte('_')
		case c == '[':
			inClass = true
			if i+1 < len(s) && s[i+1] == ']' { // []...] holds a literal ]
				i++
			}
			b.WriteByte('_')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// stripEscapedBackslashes removes \\ pairs, so \\1 (a backslash, then 1)
// is not read as a backreference.
func stripEscapedBackslashes(s string) string { return strings.ReplaceAll(s, `\\`, "") }
