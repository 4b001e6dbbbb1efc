package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/verify"
)

func runVerify(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "verify", "[ID or DOMAIN prefix...]")
	dir := catalogFlag(e, fs)
	jobs := fs.Int("j", min(4, runtime.NumCPU()), "scripts to run at once")
	verbose := fs.Bool("v", false, "print the output of failed scripts")
	record := fs.Bool("record", false, "write each passing run's normalised output as the entry's golden file (needs a catalog directory)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if *record && *dir == "" {
		// The embedded catalog is read-only; in a checkout, record into it.
		if _, err := os.Stat(filepath.Join("catalog", catalog.DomainsFile)); err != nil {
			fmt.Fprintln(e.stderr, "errorcanon verify: --record writes golden files into a catalog directory: give --catalog DIR")
			return 2
		}
		*dir = "catalog"
	}
	fsys, _, err := catalogFS(*dir)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon verify: %v\n", err)
		return 2
	}
	// Entries that break quality rules are still reproduced: a golden file
	// is how an entry earns "reproduced".
	c, _ := catalog.LoadAll(fsys)
	var entries []*canon.Entry
	for _, en := range c.Entries {
		if selected(en.ID, fs.Args()) {
			entries = append(entries, en)
		}
	}
	sb, err := verify.NewSandbox(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon verify: warning: %v; every reproduction is skipped\n", err)
	} else {
		defer sb.Close()
	}
	r := &verify.Runner{Jobs: *jobs, Sandbox: sb, Record: *record}
	var pass, fail, skip, writeErrs int
	results := r.Run(ctx, entries, func(res verify.Result) {
		switch res.Status {
		case verify.Pass:
			pass++
			fmt.Fprintf(e.stdout, "pass  %-70s %5.1fs\n", res.ID, res.Duration.Seconds())
			if *record {
				if err := catalog.WriteRecord(*dir, c.Files[res.ID], res.Record); err != nil {
					writeErrs++
					fmt.Fprintf(e.stderr, "errorcanon verify: %s: %v\n", res.ID, err)
				}
			}
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
	if fail > 0 || writeErrs > 0 {
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
