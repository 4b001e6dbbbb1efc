package match

import (
	"regexp/syntax"
	"strings"
	"unicode"

	"github.com/errorcanon/errorcanon/internal/lazyregexp"
)

// People paste the part of a line that looks like the message: without the
// tool's prefix ("runtime error: ..." without "panic: ", a TS2322 message
// without "error TS2322: ") or without the final full stop. An entry's
// regex, written against the full line, misses those. So each single-line
// regex gets a relaxed variant, derived from its source once at Build:
//
//   - a leading tool prefix ("panic: ", "error TS2322: ", "(?:error|fatal): ",
//     "error\[E0382\]: ") becomes optional;
//   - a final ".", "!", "?" or "。" becomes optional;
//   - and, to pay for that, the variant must match at the start of a line
//     (after log prefixes are cut), not in the middle of one.
//
// A fragment is thus recognised only when the line starts with the
// message, which keeps the relaxed variant from matching sentences that
// quote it.

// relax returns the relaxed variant of a regex's source, or false when it
// has nothing to relax or the variant does not parse.
func relax(src string) (string, bool) {
	out, ok := relaxSource(src)
	if !ok {
		return "", false
	}
	if _, err := syntax.Parse(out, syntax.Perl); err != nil {
		return "", false
	}
	return out, true
}

// relaxSource is relax without the check that the variant parses, for
// Build, which parses it anyway.
func relaxSource(src string) (string, bool) {
	flags := ""
	if m := leadingFlags.FindString(src); m != "" {
		flags, src = m, src[len(m):]
	}
	if strings.Contains(flags, "s") {
		return "", false
	}
	alts := splitTop(src, '|')
	changed := false
	for i, a := range alts {
		r, ok := relaxAlt(a)
		if ok {
			alts[i], changed = r, true
		}
	}
	if !changed {
		return "", false
	}
	return flags + `\A[ \t]*(?:` + strings.Join(alts, "|") + `)`, true
}

var leadingFlags = lazyregexp.New(`^\(\?[imsU]+\)`)

// prefixLike is the source of a tool prefix before its ": ": up to three
// words that start with a letter, after optional parts ("panic",
// "error TS2322", "error\[E0382\]", "java\.lang\.OutOfMemoryError",
// "make(?:\[\d+\])?", "-?(?:ba|z)?sh"), or a group of such alternatives
// ("(?:error|fatal)").
var prefixLike = lazyregexp.New(`^(?:` + prefixWord + `|` + prefixGroup + `)(?: ` + prefixWord + `){0,2}$`)

const (
	prefixWord  = `(?:-\?|\(\?:[^()]*\)\?)*\pL(?:[\pL\pN_$.\[\]-]|\\[.\[\]$-]|\\d\+|\(\?:[^()]*\)\??)*`
	prefixGroup = `\(\?:[\pL\pN_$\\.\[\]| -]+\)`
)

func relaxAlt(a string) (string, bool) {
	a = strings.TrimPrefix(a, "^")
	if strings.HasPrefix(a, "(?:") && groupEnd(a) == len(a)-1 {
		// One group around alternatives: relax each of them.
		alts := splitTop(a[3:len(a)-1], '|')
		changed := false
		for i, x := range alts {
			if r, ok := relaxAlt(x); ok {
				alts[i], changed = r, true
			}
		}
		return "(?:" + strings.Join(alts, "|") + ")", changed
	}
	changed := false
	if left, sep, right, ok := cutToolPrefix(a); ok {
		a = `(?:` + left + sep + `)?` + right
		changed = true
	}
	for _, p := range []string{`\.`, `!`, `\?`, `。`} {
		if strings.HasSuffix(a, p) && !escapedEnd(a, len(a)-len(p)) {
			a = a[:len(a)-len(p)] + `(?:` + p + `)?`
			changed = true
			break
		}
	}
	return a, changed
}

// escapedEnd reports whether the character at i is preceded by an odd
// number of backslashes (so a "\." found at i-1 is really "\\." etc.).
func escapedEnd(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// cutToolPrefix splits an alternative at its tool prefix: the first ": "
// (or full-width "：") at nesting depth 0 within the first 64 bytes, when
// what comes before looks like a prefix and enough message follows; or a
// leading group whose every alternative ends with one.
func cutToolPrefix(a string) (left, sep, right string, ok bool) {
	if strings.HasPrefix(a, "(?:") {
		if end := groupEnd(a); end > 0 {
			inner := a[3:end]
			all := true
			for _, alt := range splitTop(inner, '|') {
				if !(strings.HasSuffix(alt, ": ") || strings.HasSuffix(alt, "：")) || !prefixLike.MatchString(strings.TrimRight(strings.TrimSuffix(alt, "："), ": ")) {
					all = false
					break
				}
			}
			if all && enoughMessage(a[end+1:]) {
				return a[:end+1], "", a[end+1:], true
			}
		}
	}
	walkSource(a, func(i, depth int) bool {
		if i >= 64 {
			return false
		}
		if depth != 0 || !(strings.HasPrefix(a[i:], ": ") || strings.HasPrefix(a[i:], "：")) {
			return true
		}
		sep = ": "
		if a[i] != ':' {
			sep = "："
		}
		if prefixLike.MatchString(a[:i]) && enoughMessage(a[i+len(sep):]) {
			left, right, ok = a[:i], a[i+len(sep):], true
		}
		return false // only the first ": " at depth 0 is a candidate
	})
	if !ok {
		return "", "", "", false
	}
	return left, sep, right, true
}

// groupEnd returns the index of the ")" closing the group that opens a,
// or -1.
func groupEnd(a string) int {
	end := -1
	walkSource(a, func(i, depth int) bool {
		if a[i] == ')' && depth == 1 {
			end = i
			return false
		}
		return true
	})
	return end
}

// walkSource calls f with each byte offset of a regex source that is
// outside escapes and character classes, and the group depth before that
// byte, until f returns false.
func walkSource(s string, f func(i, depth int) bool) {
	depth, inClass := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			i++
			continue
		case inClass:
			if c == ']' {
				inClass = false
			}
			continue
		case c == '[':
			inClass = true
			continue
		}
		if !f(i, depth) {
			return
		}
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		}
	}
}

// enoughMessage: what remains once the prefix is cut must still say
// something specific: at least 8 letters spelled out in the source, a
// Chinese character counting for two.
func enoughMessage(s string) bool {
	n := 0
	for i, r := range s {
		switch {
		case i > 0 && s[i-1] == '\\':
		case unicode.Is(unicode.Han, r):
			n += 2
		case unicode.IsLetter(r):
			n++
		}
	}
	return n >= 8
}

// splitTop splits s at sep where sep is at nesting depth 0 and outside a
// character class.
func splitTop(s string, sep byte) []string {
	var out []string
	last := 0
	walkSource(s, func(i, depth int) bool {
		if s[i] == sep && depth == 0 {
			out = append(out, s[last:i])
			last = i + 1
		}
		return true
	})
	return append(out, s[last:])
}
