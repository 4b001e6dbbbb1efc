package match

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/lazyregexp"
)

// The catalog's own examples are the matcher's test data: these checks run
// in validate, so an entry that breaks one is refused with its file and
// line before it ships.

// Miss is an example that does not rank its own entry first (quality
// rule 3 of the entry schema), as given or as Case says it was changed.
type Miss struct {
	ID      string // the entry whose example it is
	Example int    // index into its examples
	Got     string // the entry that ranked first, "" when none matched
	Case    string // how the example was changed, "" for as given
}

// CheckExamples matches every example of every indexed entry against the
// whole index and returns those whose own entry does not rank first.
func (ix *Index) CheckExamples() []Miss {
	var misses []Miss
	for n := range ix.entries {
		in := ix.at(int32(n))
		for i, ex := range ix.entry(in).Examples {
			if got := ix.first(ex); got != in.id {
				misses = append(misses, Miss{ID: in.id, Example: i, Got: got})
			}
		}
	}
	return misses
}

func (ix *Index) first(text string) string {
	rs, err := ix.Match([]byte(text), Options{Limit: 1, NoFuzzy: true})
	if err != nil || len(rs) == 0 {
		return ""
	}
	return rs[0].ID
}

// LogPrefixes are the line prefixes of real logs that CheckPrefixes wraps
// every example in; prefix.go's logPrefix must cut each of them.
var LogPrefixes = []string{
	"2024-05-01T12:00:00.123Z ",              // ISO timestamp
	"2024-05-01 12:00:00,123 ERROR ",         // a logger's timestamp and level
	"Mar  3 10:00:00 web1 app[1234]: ",       // syslog, journald
	"app-1  | ",                              // docker compose
	"[pod/web-7d4b9/app] ",                   // kubectl logs --prefix
	"2024-05-01T12:00:00.1234567Z ##[error]", // GitHub Actions
	"E       ",                               // pytest
}

// CheckPrefixes checks that every example that ranks its entry first as
// given still does when each of its lines carries one of LogPrefixes, and,
// for a one-line example whose match starts with a tool prefix ("panic: ",
// "error TS2322: "), when only the message after that prefix, without its
// final full stop, is pasted.
func (ix *Index) CheckPrefixes() []Miss {
	var misses []Miss
	for n := range ix.entries {
		in := ix.at(int32(n))
		for i, ex := range ix.entry(in).Examples {
			if ix.first(ex) != in.id {
				continue // CheckExamples reports it
			}
			for _, p := range LogPrefixes {
				if got := ix.first(prefixLines(p, ex)); got != in.id {
					misses = append(misses, Miss{ID: in.id, Example: i, Got: got, Case: fmt.Sprintf("with each line prefixed by %q", p)})
				}
			}
			if frag, ok := ix.fragment(in, ex); ok {
				if got := ix.first(frag); got != in.id {
					misses = append(misses, Miss{ID: in.id, Example: i, Got: got, Case: fmt.Sprintf("pasted as the fragment %q", frag)})
				}
			}
		}
	}
	return misses
}

func prefixLines(p, text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = p + l
	}
	return strings.Join(lines, "\n")
}

// toolPrefixText is a tool prefix as printed: the text counterpart of
// relax.go's prefixLike.
var toolPrefixText = lazyregexp.New(`^\pL[\pL\pN_$.\[\]-]*(?: [\pL\pN_$.\[\]-]+){0,2}(?:: |：)`)

// fragment is what a person copies out of a one-line example whose match
// begins with a tool prefix: the message after the prefix, without a final
// full stop. ok is false when the example has no such prefix, or the entry
// no relaxed variant to recognise it.
func (ix *Index) fragment(in *indexed, ex string) (string, bool) {
	if in.relaxed == nil || strings.Contains(strings.TrimSpace(ex), "\n") {
		return "", false
	}
	loc := in.re.get().FindStringIndex(ex)
	if loc == nil {
		return "", false
	}
	m := ex[loc[0]:]
	p := toolPrefixText.FindString(m)
	if p == "" || !enoughMessage(m[len(p):]) {
		return "", false
	}
	frag := strings.TrimRight(strings.TrimSpace(m[len(p):]), ".。")
	return frag, frag != ""
}

// Overlap is an entry whose regex matches another entry's example although
// neither links the other (confused_with, leads_to or preceded_by).
type Overlap struct {
	ID      string // the entry whose regex matched
	Other   string // the entry whose example it matched
	Example int
}

// CheckOverlaps returns the regexes that match other entries' examples
// without the two being linked: either the regexes should tell the texts
// apart, or the entries should say how they differ (confused_with) or how
// one leads to the other.
func (ix *Index) CheckOverlaps() []Overlap {
	var out []Overlap
	for n := range ix.entries {
		in := ix.at(int32(n))
		for i, ex := range ix.entry(in).Examples {
			rs, err := ix.Match([]byte(ex), Options{Limit: len(ix.entries), NoFuzzy: true})
			if err != nil {
				continue
			}
			for _, r := range rs {
				if r.ID != in.id && !linked(r.Entry, ix.entry(in)) {
					out = append(out, Overlap{ID: r.ID, Other: in.id, Example: i})
				}
			}
		}
	}
	return out
}

// linked: entries that say how they differ, or that one leads to or
// follows the other (an error and its consequence appear in one log).
func linked(a, b *canon.Entry) bool {
	if lookalikes(a, b) {
		return true
	}
	for _, x := range [][2]*canon.Entry{{a, b}, {b, a}} {
		for _, l := range x[0].Related.LeadsTo {
			if l.ID == x[1].ID {
				return true
			}
		}
		for _, l := range x[0].Related.PrecededBy {
			if l.ID == x[1].ID {
				return true
			}
		}
	}
	return false
}

// FalseAlarm is a line of ordinary tool output that an entry matched.
type FalseAlarm struct {
	ID   string
	File string
	Line int
	Text string
}

// CheckCorpus matches files of ordinary, successful tool output (builds,
// test runs, installs, server start-ups): any match is a false alarm.
func (ix *Index) CheckCorpus(files map[string][]byte) []FalseAlarm {
	var out []FalseAlarm
	for name, data := range files {
		base := 0 // lines before this chunk
		for len(data) > 0 {
			chunk := data
			if len(chunk) > MaxInput {
				cut := bytes.LastIndexByte(chunk[:MaxInput], '\n')
				if cut <= 0 {
					cut = MaxInput - 1
				}
				chunk = chunk[:cut+1]
			}
			data = data[len(chunk):]
			rs, err := ix.Match(chunk, Options{Limit: len(ix.entries), NoFuzzy: true})
			if err == nil {
				for _, r := range rs {
					out = append(out, FalseAlarm{ID: r.ID, File: name, Line: base + r.Span.Line, Text: r.Span.Text})
				}
			}
			base += bytes.Count(chunk, []byte{'\n'})
		}
	}
	return out
}
