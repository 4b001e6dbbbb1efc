// Package lazyregexp is a thin wrapper over regexp whose package-level
// expressions compile on first use instead of at program start. The
// binary declares about eighty of them; a command that matches one
// message and exits (errorcanon match) uses a handful, and compiling the
// rest at init cost it milliseconds. The idea and the shape are the Go
// command's own (cmd/go/internal/lazyregexp).
package lazyregexp

import (
	"os"
	"regexp"
	"strings"
	"sync"
)

// Regexp is a regexp.Regexp compiled on first use.
type Regexp struct {
	str  string
	once sync.Once
	rx   *regexp.Regexp
}

func (r *Regexp) re() *regexp.Regexp {
	r.once.Do(r.build)
	return r.rx
}

func (r *Regexp) build() {
	r.rx = regexp.MustCompile(r.str)
	r.str = ""
}

// Regexp returns the compiled expression, for an API that takes one.
func (r *Regexp) Regexp() *regexp.Regexp { return r.re() }

func (r *Regexp) MatchString(s string) bool              { return r.re().MatchString(s) }
func (r *Regexp) Match(b []byte) bool                    { return r.re().Match(b) }
func (r *Regexp) FindString(s string) string             { return r.re().FindString(s) }
func (r *Regexp) FindStringIndex(s string) []int         { return r.re().FindStringIndex(s) }
func (r *Regexp) FindIndex(b []byte) []int               { return r.re().FindIndex(b) }
func (r *Regexp) FindStringSubmatch(s string) []string   { return r.re().FindStringSubmatch(s) }
func (r *Regexp) FindStringSubmatchIndex(s string) []int { return r.re().FindStringSubmatchIndex(s) }
func (r *Regexp) FindAllString(s string, n int) []string { return r.re().FindAllString(s, n) }
func (r *Regexp) FindAllStringIndex(s string, n int) [][]int {
	return r.re().FindAllStringIndex(s, n)
}
func (r *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	return r.re().FindAllStringSubmatch(s, n)
}
func (r *Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return r.re().FindAllStringSubmatchIndex(s, n)
}
func (r *Regexp) ReplaceAllString(src, repl string) string { return r.re().ReplaceAllString(src, repl) }
func (r *Regexp) ReplaceAllLiteralString(src, repl string) string {
	return r.re().ReplaceAllLiteralString(src, repl)
}
func (r *Regexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	return r.re().ReplaceAllStringFunc(src, repl)
}
func (r *Regexp) ReplaceAll(src, repl []byte) []byte { return r.re().ReplaceAll(src, repl) }
func (r *Regexp) SubexpNames() []string              { return r.re().SubexpNames() }
func (r *Regexp) SubexpIndex(name string) int        { return r.re().SubexpIndex(name) }
func (r *Regexp) Split(s string, n int) []string     { return r.re().Split(s, n) }
func (r *Regexp) String() string                     { return r.re().String() }

// inTest is true in a test binary, where New compiles at once, so a bad
// expression fails every test of its package instead of the first caller.
var inTest = len(os.Args) > 0 && strings.HasSuffix(strings.TrimSuffix(os.Args[0], ".exe"), ".test")

// New returns a Regexp that compiles str on first use and panics then if
// str does not compile (as regexp.MustCompile does at once).
func New(str string) *Regexp {
	r := &Regexp{str: str}
	if inTest {
		r.re()
	}
	return r
}
