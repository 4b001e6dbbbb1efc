package match

import (
	"bytes"

	"github.com/errorcanon/errorcanon/internal/lazyregexp"
)

// Logs put something before the line a tool printed: a timestamp, a
// docker compose service name, a CI runner's annotation, pytest's "E",
// Java's "Caused by: ". Entries' regexes are written against the tool's own
// line (some anchor at its start), so the matcher also looks at each such
// line with its prefixes cut off: further views of the input, holding only
// the lines that had a prefix, whose offsets map back to the input.

// logPrefix matches one log prefix at the start of a line, with the one
// space or tab that separates it from the rest. Cut repeatedly (a CI
// timestamp, then "##[error]"), at most maxPrefixes times.
var logPrefix = lazyregexp.New(`^(?:` +
	// ISO 8601 / RFC 3339 timestamps, bare or bracketed, with an optional log level
	`\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2}| ?UTC)?\]?[ \t](?:\[?(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|FATAL|CRITICAL)\]?:?[ \t])?` +
	// a bracketed clock time
	`|\[\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?\][ \t]` +
	// syslog and journald: "Mar  3 10:00:00 host unit[123]: "
	`|[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} [\w.-]+ [\w./@:-]+?(?:\[\d+\])?: ` +
	// docker compose: "app-1  | " (v2), "proj_web_1  | " (v1)
	`|[a-z0-9][\w.-]*[-_]\d+[ \t]+\| ?` +
	// kubectl logs --prefix: "[pod/web-7d4b9/app] "
	`|\[pod/[^\] \n]+\] ` +
	// GitHub Actions annotations
	`|##\[(?:error|warning|notice|debug)\]|::(?:error|warning|notice)(?: [^:\n]*)?::` +
	// pytest's failure lines: "E" and the indentation of its report
	`|E {3}(?: {4})?` +
	// Java's chained and uncaught exceptions
	`|Caused by: |Exception in thread "[^"\n]*" ` +
	`)`)

const maxPrefixes = 4

// prefixLen returns how many bytes of log prefixes start line, and how
// many with the indentation that follows them (or starts the line). Both
// are 0 when the line is nothing but a prefix.
func prefixLen(line []byte) (logs, indented int) {
	if len(line) == 0 || !mayHavePrefix(line) {
		return 0, 0
	}
	n := 0
	for i := 0; i < maxPrefixes && n < len(line); i++ {
		loc := logPrefix.FindIndex(line[n:])
		if loc == nil || loc[1] == 0 {
			break
		}
		n += loc[1]
	}
	m := n
	for m < len(line) && (line[m] == ' ' || line[m] == '\t') {
		m++
	}
	if m == len(line) {
		return 0, 0 // no content to look at
	}
	return n, m
}

// mayHavePrefix is a cheap test that rules out most lines before the
// regex runs.
func mayHavePrefix(line []byte) bool {
	switch c := line[0]; {
	case c == ' ' || c == '\t' || c == '[' || c == '#' || c == ':' || (c >= '0' && c <= '9'):
		return true
	case c == 'E' || c == 'C':
		return true // "E   ", "Caused by: ", "Exception in thread"
	case c >= 'A' && c <= 'Z':
		return len(line) > 16 && line[3] == ' ' && line[6] == ' ' // syslog's "Mar  3 10:00:00"
	case c >= 'a' && c <= 'z':
		head := line[:min(len(line), 72)]
		return bytes.Contains(head, []byte(" | ")) || bytes.Contains(head, []byte(" |\n")) // compose
	}
	return false
}

// view is text the matcher scans: the input itself, or the input's
// prefixed lines with their prefixes cut, one per line, with where each
// line's content starts in the input.
type view struct {
	text  []byte
	lines lineIndex
	// at[i] is the input offset of this view's line i; nil for the input.
	at []int
}

// toInput maps an offset of this view to the input's.
func (v *view) toInput(off int) int {
	if v.at == nil {
		return off
	}
	i := v.lines.line(off)
	return v.at[i] + off - v.lines.starts[i]
}

// prefixViews returns the views of in's lines that start with prefixes:
// one with the log prefixes cut, keeping the tool's own indentation that
// follows (multi-line regexes rely on a stack frame's "    at"), and one
// with the indentation cut too (regexes anchored at a line's start). A
// view is nil when no line belongs in it.
func prefixViews(in *view) (logs, indented *view) {
	var lb, ib []byte
	var la, ia []int
	for i := 0; i < in.lines.count(); i++ {
		s, e := in.lines.bounds(i, in.text)
		n, m := prefixLen(in.text[s:e])
		if n > 0 {
			la = append(la, s+n)
			lb = append(append(lb, in.text[s+n:e]...), '\n')
		}
		if m > n {
			ia = append(ia, s+m)
			ib = append(append(ib, in.text[s+m:e]...), '\n')
		}
	}
	if la != nil {
		logs = &view{text: lb, lines: newLineIndex(lb), at: la}
	}
	if ia != nil {
		indented = &view{text: ib, lines: newLineIndex(ib), at: ia}
	}
	return logs, indented
}

func prefixViewsOf(in *view) []*view {
	var out []*view
	a, b := prefixViews(in)
	for _, v := range []*view{a, b} {
		if v != nil {
			out = append(out, v)
		}
	}
	return out
}
