package main

import (
	"context"
	"fmt"
	"runtime"
	"strings"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/verify"
)

func runVerify(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "verify", "[ID or DOMAIN prefix...]")
	dir := catalogFlag(e, fs)
	jobs := fs.Int("j", min(4, runtime.NumCPU()), "scripts to run at once")
	verbose := fs.Bool("v", false, "print the output of failed scripts")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	c, problems, err := loadCatalog(*dir, false)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon verify: %v\n", err)
		return 2
	}
	if len(problems) > 0 {
		fmt.Fprintf(e.stderr, "errorcanon verify: warning: %d catalog problem(s); verifying the %d valid entries\n", len(problems), len(c.Entries))
	}
	var entries []*canon.Entry
	for _, en := range c.Entries {
		if selected(en.ID, fs.Args()) {
			entries = append(entries, en)
		}
	}
	r := &verify.Runner{Jobs: *jobs, Isolate: verify.Probe(ctx)}
	if !r.Isolate {
		fmt.Fprintln(e.stderr, "errorcanon verify: warning: 'unshare -n' is not permitted here; scripts run with the network")
	}
	var pass, fail, skip int
	results := r.Run(ctx, entries, func(res verify.Result) {
		switch res.Status {
		case verify.Pass:
			pass++
			fmt.Fprintf(e.stdout, "pass  %-70s %5.1fs\n", res.ID, res.Duration.Seconds())
		case verify.Skip:
			skip++
			fmt.Fprintf(e.stdout, "skip  %-70s %s\n", res.ID, res.Reason)
		default:
			fail++
			fmt.Fprintf(e.stdout, "FAIL  %-70s %s\n", res.ID, res.Reason)
			if *verbose {
				fmt.Fprintf(e.stdout, "      | %s\n", strings.ReplaceAll(strings.TrimRight(res.Output, "\n"), "\n", "\n      | "))
			}
		}
	})
	fmt.Fprintf(e.stdout, "verify: %d passed, %d failed, %d skipped\n", pass, fail, skip)
	if len(results) == 0 {
		fmt.Fprintln(e.stderr, "errorcanon verify: no entry with a reproduction was selected")
	}
	if fail > 0 {
		return 1
	}
	return 0
}

// selected reports whether id is chosen by the arguments: an exact id or
// a prefix such as "python" or "python/pip-".
func selected(id string, args []string) bool {
	if len(args) == 0 {
		return true
	}
	for _, a := range args {
		if id == a || strings.HasPrefix(id, strings.TrimSuffix(a, "/")+"/") || strings.HasPrefix(id, a) {
			return true
		}
	}
	return false
}
