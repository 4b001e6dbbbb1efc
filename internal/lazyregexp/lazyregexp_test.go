package lazyregexp

import (
	"regexp"
	"slices"
	"testing"
)

// A lazy expression answers as the compiled one does, and compiles once.
func TestSameAsRegexp(t *testing.T) {
	const pat = `(?P<word>[a-z]+)-(\d+)`
	l, r := New(pat), regexp.MustCompile(pat)
	for _, s := range []string{"", "abc-12 and xy-3", "no match here", "A-1 b-22"} {
		if l.MatchString(s) != r.MatchString(s) ||
			l.FindString(s) != r.FindString(s) ||
			!slices.Equal(l.FindStringSubmatchIndex(s), r.FindStringSubmatchIndex(s)) ||
			!slices.Equal(l.FindAllString(s, -1), r.FindAllString(s, -1)) ||
			l.ReplaceAllString(s, "<$word>") != r.ReplaceAllString(s, "<$word>") {
			t.Errorf("%q: the lazy expression answers differently", s)
		}
	}
	first := l.Regexp()
	if first != l.Regexp() || l.SubexpIndex("word") != 1 || l.String() != pat {
		t.Error("compiled more than once, or lost its source")
	}
}

// In a test binary New compiles at once, so a bad expression fails its
// package's tests rather than the first caller in production.
func TestBadPanicsInTests(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New accepted an expression that does not compile")
		}
	}()
	New(`(unclosed`)
}
