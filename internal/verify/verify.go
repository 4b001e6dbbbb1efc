// Package verify runs entries' reproduction scripts: each in an empty
// temporary directory, without network where the machine allows it, under
// its timeout, and checks that what the real tool printed matches the
// entry's regex.
package verify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/errorcanon/errorcanon/internal/canon"
)

// Status is the outcome of one reproduction.
type Status string

const (
	Pass Status = "pass"
	Fail Status = "fail"
	Skip Status = "skip" // a required command is not on PATH
)

// MaxOutput bounds what is kept of a script's output.
const MaxOutput = 1 << 20

// Result is one entry's reproduction outcome.
type Result struct {
	ID       string
	Status   Status
	Reason   string // why it failed or was skipped
	Output   string // combined output, for failures
	Duration time.Duration
}

// Runner runs reproductions.
type Runner struct {
	// Isolate runs scripts in a new network namespace (unshare -n) so they
	// cannot reach the network. Probe sets it when the machine allows it.
	Isolate bool
	// Jobs is how many scripts run at once.
	Jobs int
	// LookPath finds commands; exec.LookPath by default.
	LookPath func(string) (string, error)
}

// Probe reports whether scripts can be cut off from the network here.
func Probe(ctx context.Context) bool {
	if _, err := exec.LookPath("unshare"); err != nil {
		return false
	}
	return exec.CommandContext(ctx, "unshare", "-n", "true").Run() == nil
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
	jobs := max(1, r.Jobs)
	sem := make(chan struct{}, jobs)
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
	look := r.LookPath
	if look == nil {
		look = exec.LookPath
	}
	var missing []string
	for _, c := range e.Reproduce.Requires {
		if _, err := look(c); err != nil {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		res.Status, res.Reason = Skip, "missing "+strings.Join(missing, ", ")
		return res
	}
	re, err := regexp.Compile(e.Regex)
	if err != nil {
		res.Status, res.Reason = Fail, "regex: "+err.Error()
		return res
	}
	dir, err := os.MkdirTemp("", "errorcanon-verify-")
	if err != nil {
		res.Status, res.Reason = Fail, err.Error()
		return res
	}
	defer os.RemoveAll(dir)

	timeout := time.Duration(e.Reproduce.TimeoutS) * time.Second
	if timeout <= 0 || timeout > canon.MaxReproduceTimeout*time.Second {
		timeout = canon.MaxReproduceTimeout * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	argv := []string{"sh", "-c", e.Reproduce.Script}
	if r.Isolate {
		argv = append([]string{"unshare", "-n"}, argv...)
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = scriptEnv(dir)
	cmd.Stdin = nil
	out := &capped{max: MaxOutput}
	cmd.Stdout, cmd.Stderr = out, out
	// Kill the whole process group on timeout: scripts start servers and
	// compilers that would outlive a killed shell.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 2 * time.Second
	start := time.Now()
	runErr := cmd.Run()
	res.Duration = time.Since(start)
	res.Output = out.String()
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		res.Status, res.Reason = Fail, fmt.Sprintf("timed out after %s", timeout)
	case re.MatchString(res.Output):
		res.Status = Pass
	default:
		res.Status = Fail
		res.Reason = "output does not match regex"
		if runErr != nil && !isExit(runErr) {
			res.Reason += " (" + runErr.Error() + ")"
		}
	}
	return res
}

func isExit(err error) bool {
	var ee *exec.ExitError
	return errors.As(err, &ee)
}

// scriptEnv is the caller's environment with what would make output
// depend on this machine's user taken out: git's global and system config,
// terminal colours.
func scriptEnv(dir string) []string {
	drop := map[string]bool{"GIT_DIR": true, "GIT_WORK_TREE": true, "CDPATH": true, "TERM": true}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !drop[k] {
			env = append(env, kv)
		}
	}
	return append(env,
		"TERM=dumb", "NO_COLOR=1",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
	)
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
