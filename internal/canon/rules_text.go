package canon

// This file holds the rules about texts: that a Chinese field is Chinese
// once code, quoted error text and URLs are set aside, and version ranges
// that programs can compare.

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/errorcanon/errorcanon/internal/lazyregexp"
)

// CheckChinese returns why a Chinese field is not Chinese, or "" when it is.
// Commands, code, quoted error text, URLs and placeholders may stay as they
// are, so they are set aside before looking at the prose.
func CheckChinese(s string) string {
	prose := stripLiterals(s)
	han, latin := 0, 0
	for _, r := range prose {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case r < unicode.MaxASCII && unicode.IsLetter(r):
			latin++
		}
	}
	if han == 0 && latin > 0 {
		return "holds no Chinese; write it in Chinese (commands and quoted error text may stay as they are)"
	}
	if n := longestLatinRun(prose); n >= 8 {
		return fmt.Sprintf("holds a run of %d English words; translate the prose", n)
	}
	return ""
}

// longestLatinRun counts the longest sequence of Latin words separated only
// by spaces and light punctuation.
func longestLatinRun(s string) int {
	best, run := 0, 0
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == ',' }) {
		// A word with a Han character or sentence punctuation in it ends a run.
		if isLatinWord(strings.Trim(w, ".")) {
			run++
			if run > best {
				best = run
			}
			if strings.HasSuffix(w, ".") {
				run = 0
			}
		} else {
			run = 0
		}
	}
	return best
}

func isLatinWord(w string) bool {
	if w == "" {
		return false
	}
	for _, r := range w {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '\'' || r == '-') {
			return false
		}
	}
	return true
}

var (
	fencedRE      = lazyregexp.New("(?s)```.*?```")
	inlineCodeRE  = lazyregexp.New("`[^`\n]*`")
	quotedRE      = lazyregexp.New(`"[^"\n]*"|'[^'\n]*'|“[^”\n]*”|「[^」\n]*」`)
	urlRE         = lazyregexp.New(`https?://\S+`)
	placeholderIn = placeholderRE
)

// stripLiterals removes code, quoted text, URLs and placeholders from s.
func stripLiterals(s string) string {
	for _, re := range []*lazyregexp.Regexp{fencedRE, inlineCodeRE, urlRE, quotedRE, placeholderIn} {
		s = re.ReplaceAllString(s, " ")
	}
	return s
}

var (
	rangeTermRE = lazyregexp.New(`^(>=|<=|!=|==|>|<|=|~|\^)?v?[0-9][0-9A-Za-z.+-]*$`)
)

// checkRange checks a version constraint that programs can compare: "*" or
// comparators such as ">=3.12", ">=1.0 <2.0" or ">=1.0, <2.0".
func checkRange(r string) error {
	r = strings.TrimSpace(r)
	if r == "" {
		return fmt.Errorf("is empty; use a constraint such as \">=3.12\" or \"*\"")
	}
	if r == "*" {
		return nil
	}
	for _, t := range strings.FieldsFunc(r, func(c rune) bool { return c == ' ' || c == ',' }) {
		if !rangeTermRE.MatchString(t) {
			return fmt.Errorf("%q is not a constraint: want terms like >=1.2 or <2.0, or *", r)
		}
	}
	return nil
}
