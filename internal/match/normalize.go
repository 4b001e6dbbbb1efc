package match

import (
	"bytes"
	"sort"
)

// normalize returns text with ANSI escape sequences removed and CRLF and
// lone CR line ends turned into LF, in one pass. Offsets and line numbers in
// results refer to this normalized text.
func normalize(in []byte) []byte {
	if bytes.IndexByte(in, 0x1b) < 0 && bytes.IndexByte(in, '\r') < 0 {
		return in
	}
	out := make([]byte, 0, len(in))
	for i := 0; i < len(in); i++ {
		c := in[i]
		switch {
		case c == '\r':
			if i+1 < len(in) && in[i+1] == '\n' {
				continue // the \n follows
			}
			out = append(out, '\n') // a progress bar's carriage return
		case c == 0x1b && i+1 < len(in):
			i = skipEscape(in, i)
		default:
			out = append(out, c)
		}
	}
	return out
}

// skipEscape returns the index of the last byte of the escape sequence that
// starts at in[i] (ESC).
func skipEscape(in []byte, i int) int {
	switch in[i+1] {
	case '[': // CSI: parameters and intermediates, then a final byte @..~
		j := i + 2
		for j < len(in) && (in[j] < 0x40 || in[j] > 0x7e) {
			if in[j] == '\n' { // malformed: never swallow a line break
				return j - 1
			}
			j++
		}
		return min(j, len(in)-1)
	case ']': // OSC: up to BEL or ESC \
		for j := i + 2; j < len(in); j++ {
			if in[j] == 0x07 {
				return j
			}
			if in[j] == 0x1b && j+1 < len(in) && in[j+1] == '\\' {
				return j + 1
			}
			if in[j] == '\n' {
				return j - 1
			}
		}
		return len(in) - 1
	default: // two-byte sequences such as ESC ( B
		return i + 1
	}
}

// lineIndex knows where each line starts.
type lineIndex struct {
	starts []int // starts[i] is the offset of line i (0-based)
	n      int   // length of the text
}

func newLineIndex(text []byte) lineIndex {
	starts := make([]int, 1, 1+bytes.Count(text, []byte{'\n'}))
	for i, c := range text {
		if c == '\n' && i+1 < len(text) {
			starts = append(starts, i+1)
		}
	}
	return lineIndex{starts: starts, n: len(text)}
}

// line returns the 0-based line holding offset off.
func (l lineIndex) line(off int) int {
	return sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off }) - 1
}

// bounds returns the offsets of line i without its newline.
func (l lineIndex) bounds(i int, text []byte) (int, int) {
	start := l.starts[i]
	end := l.n
	if i+1 < len(l.starts) {
		end = l.starts[i+1] - 1
	}
	if end > start && text[end-1] == '\n' {
		end--
	}
	return start, end
}

func (l lineIndex) count() int { return len(l.starts) }
