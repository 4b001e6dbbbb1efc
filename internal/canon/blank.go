package canon

import (
	"unicode"
	"unicode/utf8"
)

// Invisible reports whether r shows nothing by itself: white space,
// control and format characters (zero-width space, joiners, BOM,
// bidirectional marks, tags), variation selectors and the combining
// grapheme joiner, and the "blank" letters and symbols that render as
// empty space (Hangul fillers, the braille blank, Khmer inherent vowels,
// the Mongolian vowel separator).
func Invisible(r rune) bool {
	switch {
	case unicode.IsSpace(r), unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == utf8.RuneError:
		return true
	case r == 0x034F, r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0100 && r <= 0xE01EF: // CGJ, variation selectors
		return true
	case r == 0x115F, r == 0x1160, r == 0x3164, r == 0xFFA0, r == 0x2800, r == 0x17B4, r == 0x17B5, r == 0x180E:
		return true
	}
	return false
}

// Blank reports whether text holds nothing visible (see [Invisible]);
// invalid UTF-8 counts as invisible.
func Blank(text []byte) bool {
	for len(text) > 0 {
		if text[0] > ' ' && text[0] < utf8.RuneSelf {
			return false
		}
		r, n := utf8.DecodeRune(text)
		if !Invisible(r) {
			return false
		}
		text = text[n:]
	}
	return true
}
