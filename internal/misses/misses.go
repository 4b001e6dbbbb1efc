// Package misses records the inputs that matched no entry, so editors see
// which errors to write next. Before anything is stored the input is cut
// to its most error-like line and redacted (Redact: secrets, tokens,
// e-mail and IP addresses, user names in paths, hex ids), then reduced to
// a template (Template: numbers and quoted values become placeholders) so
// that one error met a thousand times with different values is one row.
package misses

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/errorcanon/errorcanon/internal/lazyregexp"
	"github.com/errorcanon/errorcanon/internal/store"
)

// The redactions, applied in order. Each replaces what it finds with a
// placeholder that says what was there.
var redactions = []struct {
	re   *lazyregexp.Regexp
	with string
}{
	// Private key blocks and authorization headers first: they contain
	// what later rules would only partly hide.
	{lazyregexp.New(`-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)`), "<private-key>"},
	{lazyregexp.New(`(?i)\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{8,}`), "$1 <secret>"},
	{keyValue, "<key-value>"},
	{lazyregexp.New(`\b[a-z][a-z0-9+.-]*://[^\s:/@]+:[^\s@/]+@`), "<scheme>://<user>:<secret>@"},
	{lazyregexp.New(`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`), "<aws-key>"},
	{lazyregexp.New(`\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|sk-[A-Za-z0-9_-]{20,})\b`), "<token>"},
	{lazyregexp.New(`\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`), "<jwt>"},
	{lazyregexp.New(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`), "<email>"},
	{lazyregexp.New(`\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b`), "<uuid>"},
	{lazyregexp.New(`\b(?:\d{1,3}\.){3}\d{1,3}\b`), "<ip>"},
	{lazyregexp.New(`\b[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{0,4}){2,7}\b`), "<ipv6>"},
	{lazyregexp.New(`(/home/|/Users/|/var/home/)[^/\s'"]+`), "$1<user>"},
	{lazyregexp.New(`(?i)([a-z]:\\(?:Users|Documents and Settings)\\)[^\\\s'"]+`), "$1<user>"},
	{lazyregexp.New(`\b[0-9a-fA-F]{7,}\b`), "<hex>"},
	// Long opaque strings that no rule above named: keys in unknown formats.
	{lazyregexp.New(`\b[A-Za-z0-9+/_-]{40,}={0,2}`), "<secret>"},
}

// keyValue is a setting whose name says it is secret: password=...,
// API_KEY: ..., auth_token "...".
var keyValue = lazyregexp.New(`(?i)\b([a-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|auth)[a-z0-9_.-]*)(\s*[:=]\s*)("[^"]*"|'[^']*'|\S+)`)

// Redact removes secrets, tokens, e-mail and IP addresses, user names in
// home-directory paths and hex ids from a text.
func Redact(s string) string {
	for _, r := range redactions {
		if r.with == "<hex>" {
			// A hex id has digits and letters: "defaced" and "1234567"
			// are not ids.
			s = r.re.ReplaceAllStringFunc(s, func(m string) string {
				if strings.ContainsAny(m, "0123456789") && strings.ContainsAny(m, "abcdefABCDEF") {
					return "<hex>"
				}
				return m
			})
			continue
		}
		switch r.with {
		case "<key-value>":
			// The value is a secret, unless it is a placeholder already or
			// an auth scheme whose credential the rule above hid.
			s = r.re.ReplaceAllStringFunc(s, func(m string) string {
				g := r.re.FindStringSubmatch(m)
				v := strings.ToLower(g[3])
				if strings.HasPrefix(v, "<") || v == "bearer" || v == "basic" || v == "token" {
					return m
				}
				return g[1] + g[2] + "<secret>"
			})
		case "<ipv6>":
			// An IPv6 address has "::" or seven colons, and a digit:
			// "12:34:56" is a time.
			s = r.re.ReplaceAllStringFunc(s, func(m string) string {
				if (strings.Contains(m, "::") || strings.Count(m, ":") == 7) && strings.ContainsAny(m, "0123456789") {
					return "<ip>"
				}
				return m
			})
		default:
			s = r.re.ReplaceAllString(s, r.with)
		}
	}
	return s
}

var (
	errorish = lazyregexp.New(`(?i)(error|exception|fatal|failed|failure|denied|refused|not found|cannot|can't|unable|panic|traceback|invalid)`)
	numbers  = lazyregexp.New(`\b\d+(\.\d+)*\b`)
	quoted   = lazyregexp.New(`'[^'\n]{1,200}'|"[^"\n]{1,200}"|‘[^’\n]{1,200}’|“[^”\n]{1,200}”`)
	spaces   = lazyregexp.New(`\s+`)
)

// Template returns an input's template and its redacted example line:
// the last line that looks like an error (else the last non-empty line),
// redacted; the template also has numbers as <n> and quoted values as
// '<v>'. Both are at most store.MaxMissText bytes. "" when there is no text.
func Template(text string) (template, example string) {
	var pick string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if errorish.MatchString(line) || pick == "" || !errorish.MatchString(pick) {
			pick = line
		}
	}
	if pick == "" {
		return "", ""
	}
	example = clip(spaces.ReplaceAllString(Redact(pick), " "), 300)
	t := quoted.ReplaceAllStringFunc(example, func(q string) string {
		r, _ := utf8.DecodeRuneInString(q)
		return string(r) + "<v>" + closer(r)
	})
	t = numbers.ReplaceAllString(t, "<n>")
	return clip(t, 300), example
}

func closer(r rune) string {
	switch r {
	case '‘':
		return "’"
	case '“':
		return "”"
	}
	return string(r)
}

// clip cuts s to at most n bytes at a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Recorder stores misses in the background: Record never waits for the
// database, and drops a miss when the queue is full (misses are a
// sample, not a ledger).
type Recorder struct {
	st   store.Store
	log  *slog.Logger
	q    chan string
	done chan struct{}
	once sync.Once
	// stored counts stored misses (tests wait on it).
	mu     sync.Mutex
	stored int
	cond   *sync.Cond
}

// NewRecorder starts a recorder writing to st.
func NewRecorder(st store.Store, log *slog.Logger) *Recorder {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Recorder{st: st, log: log, q: make(chan string, 256), done: make(chan struct{})}
	r.cond = sync.NewCond(&r.mu)
	go r.run()
	return r
}

// Record queues an unmatched input.
func (r *Recorder) Record(text string) {
	if r == nil {
		return
	}
	select {
	case r.q <- clip(text, 64<<10):
	default:
	}
}

func (r *Recorder) run() {
	defer close(r.done)
	for text := range r.q {
		t, ex := Template(text)
		if t != "" {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if err := r.st.AddMiss(ctx, t, ex); err != nil {
				r.log.Warn("recording a miss", "err", err)
			}
			cancel()
		}
		r.mu.Lock()
		r.stored++
		r.cond.Broadcast()
		r.mu.Unlock()
	}
}

// WaitProcessed blocks until n inputs have been processed (stored or
// skipped); for tests.
func (r *Recorder) WaitProcessed(n int) {
	r.mu.Lock()
	for r.stored < n {
		r.cond.Wait()
	}
	r.mu.Unlock()
}

// Close stops the recorder after what is queued is stored.
func (r *Recorder) Close() {
	r.once.Do(func() { close(r.q) })
	<-r.done
}
