// Package verify runs entries' reproduction scripts and says what they
// prove. Each script runs in a sandbox (sandbox.go): an empty directory
// seen as ReproDir, a clean environment, no network, no way to write
// outside its directory and no process left behind.
//
// A run passes when the tool's output matches the entry's regex, one of
// the entry's examples occurs in it verbatim, and, unless the run is
// recording, the output equals the golden file recorded by the last
// passing `verify --record` (both normalised with canon.Normalize).
package verify

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/lazyregexp"
)

// Status is the outcome of one reproduction.
type Status string

const (
	Pass Status = "pass"
	Fail Status = "fail"
	Skip Status = "skip" // a requirement is missing here
)

// MaxOutput bounds what is kept of a script's output.
const MaxOutput = 1 << 20

// Result is one entry's reproduction outcome.
type Result struct {
	ID       string
	Status   Status
	Reason   string // why it failed or was skipped
	Output   string // combined output as printed
	Duration time.Duration
	// Record is what a passing run proved, ready to be written as the
	// golden file; set on Pass.
	Record *canon.Record
}

// Runner runs reproductions.
type Runner struct {
	// Sandbox runs the scripts; nil skips every reproduction, naming the
	// sandbox as the missing requirement.
	Sandbox *Sandbox
	// Jobs is how many scripts run at once.
	Jobs int
	// Record makes a run pass without a golden file, so that the caller
	// can write one from Result.Record.
	Record bool
	// Today dates records; time.Now in UTC by default.
	Today func() string
	// Check reports a requirement missing here ("" when present); Present
	// by default.
	Check func(canon.Requirement) string
}

// Run runs the reproductions of entries that have one, calling report as
// each finishes (from one goroutine at a time), and returns all results in
// the order of entries.
func (r *Runner) Run(ctx context.Context, entries []*canon.Entry, report func(Result)) []Result {
	var todo []*canon.Entry
	for _, e := range entries {
		if e.Reproduce != nil && strings.TrimSpace(e.Reproduce.Script) != "" {
			todo = append(todo, e)
		}
	}
	results := make([]Result, len(todo))
	sem := make(chan struct{}, max(1, r.Jobs))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, e := range todo {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			res := r.one(ctx, e)
			mu.Lock()
			results[i] = res
			if report != nil {
				report(res)
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	return results
}

func (r *Runner) one(ctx context.Context, e *canon.Entry) Result {
	res := Result{ID: e.ID}
	if missing := r.missing(e.Reproduce.Requires); len(missing) > 0 {
		res.Status, res.Reason = Skip, "missing "+strings.Join(missing, ", ")
		return res
	}
	if r.Sandbox == nil {
		res.Status, res.Reason = Skip, "missing bwrap (Debian's bubblewrap): scripts run only in the sandbox"
		return res
	}
	re, err := regexp.Compile(e.Regex)
	if err != nil {
		res.Status, res.Reason = Fail, "regex: "+err.Error()
		return res
	}
	timeout := time.Duration(e.Reproduce.TimeoutS) * time.Second
	if timeout <= 0 || timeout > canon.MaxReproduceTimeout*time.Second {
		timeout = canon.MaxReproduceTimeout * time.Second
	}
	start := time.Now()
	out, timedOut, runErr := r.Sandbox.Run(ctx, e.Reproduce.Script, timeout)
	res.Duration = time.Since(start)
	res.Output = out
	norm := canon.Normalize(out)
	switch {
	case timedOut:
		res.Status, res.Reason = Fail, fmt.Sprintf("timed out after %s", timeout)
	case runErr != nil:
		res.Status, res.Reason = Fail, "sandbox: "+runErr.Error()
	case !re.MatchString(out):
		res.Status, res.Reason = Fail, "output does not match regex"
	default:
		if _, ok := canon.ExampleIn(e.Examples, out); !ok {
			res.Status, res.Reason = Fail, "no example occurs in the output as whole lines; quote what the tool printed"
			break
		}
		if !r.Record {
			if reason := compareGolden(e, norm); reason != "" {
				res.Status, res.Reason = Fail, reason
				break
			}
		}
		res.Status = Pass
		res.Record = &canon.Record{
			Verified: r.today(),
			Script:   canon.ScriptHash(e.Reproduce.Script),
			Tools:    toolVersions(ctx, e.Reproduce.Requires),
			Output:   norm,
		}
	}
	return res
}

// compareGolden says how a fresh, normalised output differs from the
// entry's golden file, or "" when it does not.
func compareGolden(e *canon.Entry, norm string) string {
	rec := e.Record
	switch {
	case rec == nil:
		return "no golden file; run errorcanon verify --record " + e.ID
	case !e.Reproduced():
		return "the script changed since the golden file was recorded; run errorcanon verify --record " + e.ID
	case rec.Output != norm:
		return "output differs from the golden file: " + firstDiff(rec.Output, norm)
	}
	return ""
}

// firstDiff names the first line where got differs from want.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d is %q, golden has %q", i+1, gl, wl)
		}
	}
	return "they differ"
}

func (r *Runner) today() string {
	if r.Today != nil {
		return r.Today()
	}
	return time.Now().UTC().Format(time.DateOnly)
}

func (r *Runner) missing(requires []string) []string {
	check := r.Check
	if check == nil {
		check = Present
	}
	var missing []string
	for _, s := range requires {
		req, err := canon.ParseRequirement(s)
		if err != nil {
			missing = append(missing, s+" ("+err.Error()+")")
			continue
		}
		if why := check(req); why != "" {
			missing = append(missing, why)
		}
	}
	return missing
}

// Present reports a requirement this machine lacks, as "name" or "name
// (why)", or "" when it is met.
func Present(req canon.Requirement) string {
	switch req.Kind {
	case "file":
		if _, err := os.Stat(req.Name); err != nil {
			return req.String()
		}
	case "locale":
		if !haveLocale(req.Name) {
			return req.String()
		}
	default:
		if _, err := exec.LookPath(req.Name); err != nil {
			return req.String()
		}
		if req.Major != "" {
			v := version(context.Background(), req.Name)
			if major := majorRE.FindString(v); major != req.Major {
				return fmt.Sprintf("%s (found %q)", req, v)
			}
		}
	}
	return ""
}

var majorRE = lazyregexp.New(`[0-9]+`)

// locales is the C library's list (locale -a), read once per process.
var locales = sync.OnceValue(func() []string {
	out, err := exec.Command("locale", "-a").Output()
	if err != nil {
		return nil
	}
	return strings.Fields(string(out))
})

// haveLocale looks name up in the C library's list, which spells UTF-8 as
// utf8.
func haveLocale(name string) bool {
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, "-", "")) }
	for _, l := range locales() {
		if norm(l) == norm(name) {
			return true
		}
	}
	return false
}

// toolVersions is the first line each required command prints for
// --version, for the record.
func toolVersions(ctx context.Context, requires []string) []string {
	var tools []string
	for _, s := range requires {
		req, err := canon.ParseRequirement(s)
		if err != nil || req.Kind != "command" {
			continue
		}
		if v := version(ctx, req.Name); v != "" {
			tools = append(tools, req.Name+": "+v)
		}
	}
	return tools
}

var versionCache sync.Map // command name -> first line of --version

// version runs "name --version" (once per process) and returns its first
// non-empty line, or "" when the command has no such flag.
func version(ctx context.Context, name string) string {
	if v, ok := versionCache.Load(name); ok {
		return v.(string)
	}
	v := ""
	// --version is the convention; java answers -version and go "go
	// version". The second and third are tried only when the first fails.
	for _, flag := range []string{"--version", "-version", "version"} {
		if v = runVersion(ctx, name, flag); v != "" {
			break
		}
	}
	versionCache.Store(name, v)
	return v
}

func runVersion(ctx context.Context, name, flag string) string {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, flag)
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "NO_COLOR=1", "TERM=dumb")
	var b bytes.Buffer
	cmd.Stdout, cmd.Stderr = &b, &b
	if cmd.Run() != nil {
		return ""
	}
	// Maven colours its banner even without a terminal.
	for _, l := range strings.Split(canon.Normalize(b.String()), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

// capped keeps the first max bytes written to it.
type capped struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (c *capped) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if room := c.max - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (c *capped) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}
