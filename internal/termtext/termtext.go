// Package termtext lays text out for a terminal: widths in display cells
// (a Chinese character takes two), wrapping that breaks between words in
// English and between characters in Chinese (never before a closing
// punctuation mark), and Markdown turned into terminal text.
//
// Widths come from Unicode's East Asian Width property
// (golang.org/x/text/width): wide and fullwidth characters take two cells,
// combining marks and control characters none, everything else one.
package termtext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// RuneWidth is the number of cells r takes on a terminal.
func RuneWidth(r rune) int {
	switch {
	case r == '\t':
		return 1
	case r < 0x20 || (r >= 0x7f && r < 0xa0):
		return 0
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// Width is the number of cells s takes on a terminal. ANSI escape
// sequences (colours) take none.
func Width(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			i += escLen(s[i:])
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		n += RuneWidth(r)
		i += size
	}
	return n
}

// escLen is the length of the CSI escape sequence at the start of s.
func escLen(s string) int {
	if len(s) < 2 || s[1] != '[' {
		return 1
	}
	for i := 2; i < len(s); i++ {
		if s[i] >= 0x40 && s[i] <= 0x7e {
			return i + 1
		}
	}
	return len(s)
}

// IsCJK reports whether a line may break before or after r without a
// space: Han, kana, Hangul and fullwidth forms.
func IsCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

// noLineStart are the characters a line must not start with (closing
// punctuation), noLineEnd those it must not end with (opening ones).
const (
	noLineStart = "，。、；：？！）」』】》〉”’·…,.;:?!)]}"
	noLineEnd   = "（「『【《〈“‘([{\u00a0"
)

// units cuts a paragraph into the pieces wrapping keeps whole: words, and
// single CJK characters with the punctuation that must stay beside them.
// sep[i] reports whether a space came before units[i].
func units(s string) (us []string, sep []bool) {
	space := false
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			us = append(us, cur.String())
			sep = append(sep, space)
			cur.Reset()
			space = false
		}
	}
	for _, r := range s {
		switch {
		case r == ' ' || r == '\t' || r == '\n':
			flush()
			space = true
		case r == '\u00a0':
			// A no-break space glues the units on either side.
			if cur.Len() == 0 && len(us) > 0 && !space {
				cur.WriteString(us[len(us)-1])
				space = sep[len(sep)-1]
				us, sep = us[:len(us)-1], sep[:len(sep)-1]
			}
			cur.WriteRune(r)
		case strings.ContainsRune(noLineStart, r):
			if cur.Len() == 0 && len(us) > 0 && !space {
				us[len(us)-1] += string(r) // stays at the end of the unit before
				continue
			}
			cur.WriteRune(r)
		case IsCJK(r):
			prev := ""
			if cur.Len() > 0 {
				prev = cur.String()
			}
			last, _ := utf8.DecodeLastRuneInString(prev)
			if prev != "" && !strings.ContainsRune(noLineEnd, last) {
				flush()
			}
			cur.WriteRune(r)
			if !strings.ContainsRune(noLineEnd, r) {
				flush()
			}
		default:
			if cur.Len() > 0 {
				last, _ := utf8.DecodeLastRuneInString(cur.String())
				if IsCJK(last) && !strings.ContainsRune(noLineEnd, last) {
					flush()
				}
			}
			cur.WriteRune(r)
		}
	}
	flush()
	return us, sep
}

// Wrap folds one paragraph to width cells. The first line starts after
// first cells already used (a label); continuation lines start with
// indent. A word longer than a line is never cut: it gets a line of its
// own.
func Wrap(s string, width, first int, indent string) string {
	us, sep := units(s)
	var b strings.Builder
	n, start := first, true
	iw := Width(indent)
	for i, u := range us {
		uw := Width(u)
		gap := 0
		if sep[i] && !start {
			gap = 1
		}
		if !start && n+gap+uw > width {
			b.WriteString("\n" + indent)
			n, gap = iw, 0
		}
		if gap == 1 {
			b.WriteByte(' ')
		}
		b.WriteString(u)
		n += gap + uw
		start = false
	}
	return b.String()
}

// Markdown lays out the Markdown of an entry's text fields for a
// terminal, width cells wide, every line starting with indent:
// paragraphs and list items are wrapped, code blocks are printed without
// their fences, two cells further in and never wrapped (a command is
// copied whole), and inline markup is dropped (`code` and **bold** keep
// their text, a link becomes its text and address).
func Markdown(md string, width int, indent string) string {
	var out []string
	var para []string
	flush := func() {
		if len(para) == 0 {
			return
		}
		text := strings.Join(para, " ")
		para = nil
		lead, hang := indent, indent
		if m := listMarker(text); m != "" {
			lead = indent + m
			hang = indent + strings.Repeat(" ", Width(m))
			text = strings.TrimSpace(text[len(m):])
		}
		out = append(out, lead+Wrap(Inline(text), width, Width(lead), hang))
	}
	lines := strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		ln := strings.TrimRight(lines[i], " \t")
		trim := strings.TrimSpace(ln)
		switch {
		case strings.HasPrefix(trim, "```") || strings.HasPrefix(trim, "~~~"):
			flush()
			fence := trim[:3]
			for i++; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), fence); i++ {
				if strings.TrimSpace(lines[i]) == "" {
					out = append(out, "")
				} else {
					out = append(out, indent+"  "+strings.TrimRight(lines[i], " \t"))
				}
			}
		case trim == "":
			flush()
			if len(out) > 0 && out[len(out)-1] != "" {
				out = append(out, "")
			}
		case listMarker(trim) != "":
			flush()
			para = append(para, trim)
		default:
			para = append(para, trim)
		}
	}
	flush()
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\n")
}

// listMarker returns the list marker ("- ", "* ", "1. ") that s starts
// with, or "".
func listMarker(s string) string {
	if strings.HasPrefix(s, "- ") || strings.HasPrefix(s, "* ") {
		return s[:2]
	}
	i := 0
	for i < len(s) && i < 3 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(s) && (s[i] == '.' || s[i] == ')') && s[i+1] == ' ' {
		return s[:i+2]
	}
	return ""
}

// Inline drops Markdown's inline markup from one line: backticks around
// code, ** and __ around bold text; a link [text](url) becomes
// "text (url)", or the address alone when the text is the address.
func Inline(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		switch {
		case s[i] == '`':
			n := 0
			for i+n < len(s) && s[i+n] == '`' {
				n++
			}
			fence := s[i : i+n]
			if j := strings.Index(s[i+n:], fence); j >= 0 {
				b.WriteString(strings.TrimSpace(s[i+n : i+n+j]))
				i += n + j + n
				continue
			}
			b.WriteString(fence)
			i += n
		case strings.HasPrefix(s[i:], "**") || strings.HasPrefix(s[i:], "__"):
			if j := strings.Index(s[i+2:], s[i:i+2]); j > 0 {
				b.WriteString(Inline(s[i+2 : i+2+j]))
				i += 2 + j + 2
				continue
			}
			b.WriteString(s[i : i+2])
			i += 2
		case s[i] == '[':
			if j := strings.Index(s[i:], "]("); j > 0 {
				if k := strings.IndexByte(s[i+j:], ')'); k > 0 {
					text, url := s[i+1:i+j], s[i+j+2:i+j+k]
					if text == url {
						b.WriteString(url)
					} else {
						b.WriteString(Inline(text) + " (" + url + ")")
					}
					i += j + k + 1
					continue
				}
			}
			b.WriteByte('[')
			i++
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String()
}
