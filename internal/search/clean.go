// This file checks and cleans what a caller asks: the query text made
// valid, trimmed and cut to MaxQueryBytes, and Page, PerPage and Lang
// checked against their limits.

package search

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/errorcanon/errorcanon/internal/canon"
)

// Clean returns text as Search uses it: invalid UTF-8 and invisible
// characters ([canon.Invisible]: controls, zero-width and format
// characters, fillers) replaced by spaces, trimmed, and cut to MaxQueryBytes at a
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
		if canon.Invisible(r) {
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
