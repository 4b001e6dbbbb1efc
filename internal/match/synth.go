package match

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"

	"github.com/errorcanon/errorcanon/internal/canon"
)

// Synthetic catalogs for benchmarks: n entries whose regexes look like real
// ones (literal words, character classes, optional groups, .* between
// literals), each with an example it matches, from a fixed seed so every
// run measures the same thing.

var synthWords = strings.Fields(`error failed cannot open read write connect module package
file directory permission denied timeout refused invalid missing unknown unexpected token
symbol reference type value index key null pointer memory heap stack overflow version
conflict dependency resolve import export syntax parse build compile link load config
option argument network socket address host port certificate handshake protocol
request response status server client database table column query transaction lock`)

// synthToken makes a pronounceable made-up word, so different entries get
// different distinctive literals, as real error messages do.
func synthToken(r *rand.Rand) string {
	const cons, vows = "bcdfghklmnprstvz", "aeiou"
	var b strings.Builder
	for i := 0; i < 3+r.IntN(2); i++ {
		b.WriteByte(cons[r.IntN(len(cons))])
		b.WriteByte(vows[r.IntN(len(vows))])
	}
	return b.String()
}

// Synthetic returns n entries with realistic regexes and one example each.
func Synthetic(n int, seed uint64) []*canon.Entry {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := make([]*canon.Entry, 0, n)
	for i := 0; i < n; i++ {
		tool := synthToken(r)
		code := fmt.Sprintf("%c%04d", 'A'+rune(r.IntN(26)), r.IntN(10000))
		w1, w2, w3 := synthWords[r.IntN(len(synthWords))], synthWords[r.IntN(len(synthWords))], synthWords[r.IntN(len(synthWords))]
		distinct := synthToken(r) + synthToken(r)
		var re, ex string
		switch i % 4 {
		case 0: // literal words and a quoted name
			re = fmt.Sprintf(`%s: %s %s %s '[\w.-]+'`, tool, w1, distinct, w2)
			ex = fmt.Sprintf(`%s: %s %s %s 'app.main'`, tool, w1, distinct, w2)
		case 1: // an error code with an optional group
			re = fmt.Sprintf(`error\[%s\]: %s(?: %s)? %s in \S+:\d+`, code, distinct, w1, w3)
			ex = fmt.Sprintf(`error[%s]: %s %s %s in src/lib.rs:42`, code, distinct, w1, w3)
		case 2: // .* between literals
			re = fmt.Sprintf(`(?i)%s %s .* %s %s`, w1, distinct, tool, w2)
			ex = fmt.Sprintf(`%s %s while handling request 17 %s %s`, strings.ToUpper(w1), distinct, tool, w2)
		default: // character classes and numbers
			re = fmt.Sprintf(`[A-Z][a-z]+%s: %s %s \(code \d+\)`, capitalize(distinct), w2, w3)
			ex = fmt.Sprintf(`Fatal%s: %s %s (code 137)`, capitalize(distinct), w2, w3)
		}
		out = append(out, &canon.Entry{
			ID: fmt.Sprintf("synth/e%06d", i), Domain: "synth", Regex: re,
			Signature: ex, Examples: []string{ex}, Confidence: 0.5,
		})
	}
	return out
}

func capitalize(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// SyntheticInputs returns the three benchmark inputs, each holding the
// example of one entry from es near its end: a 200-byte message, a 10 KB
// stack trace and a 1 MiB log of realistic noise.
func SyntheticInputs(es []*canon.Entry) (msg, trace, log []byte) {
	target := es[len(es)/2].Examples[0]
	msg = []byte(pad(target, 200))

	var b strings.Builder
	b.WriteString("Traceback (most recent call last):\n")
	for i := 0; b.Len() < 10_000-len(target)-1; i++ {
		fmt.Fprintf(&b, "  File \"/srv/app/pkg/module_%d.py\", line %d, in handler_%d\n    result = process(request, retries=%d)\n", i, 10+i, i, i%5)
	}
	b.WriteString(target + "\n")
	trace = []byte(b.String())

	b.Reset()
	for i := 0; b.Len() < 1<<20-len(target)-200; i++ {
		fmt.Fprintf(&b, "2024-05-01T12:%02d:%02d.%03dZ INFO worker-%d processed batch %d in %dms queue=%d\n", i/60%60, i%60, i%1000, i%8, i, i%97, i%13)
	}
	b.WriteString("2024-05-01T13:00:00.000Z ERROR job failed\n" + target + "\n")
	log = []byte(b.String())
	return msg, trace, log
}

func pad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	prefix := "2024-05-01 12:00:00 "
	return prefix + s + strings.Repeat(" ", max(0, n-len(s)-len(prefix)))
}

// Naive is the baseline the benchmarks compare against: every regex run on
// the whole input, as the peers do.
type Naive struct {
	res []*regexp.Regexp
	ids []string
}

// NewNaive compiles every entry's regex.
func NewNaive(es []*canon.Entry) *Naive {
	n := &Naive{}
	for _, e := range es {
		if re, err := regexp.Compile(e.Regex); err == nil {
			n.res = append(n.res, re)
			n.ids = append(n.ids, e.ID)
		}
	}
	return n
}

// Match returns the ids of the entries whose regex matches text.
func (n *Naive) Match(text []byte) []string {
	var out []string
	for i, re := range n.res {
		if re.Match(text) {
			out = append(out, n.ids[i])
		}
	}
	return out
}
