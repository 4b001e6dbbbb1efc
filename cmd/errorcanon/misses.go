package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/errorcanon/errorcanon/internal/store"
)

// runMisses lists the most frequent inputs that matched no entry, from
// the store at --db: the queue of what to write next.
func runMisses(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "misses", "")
	limit := fs.Int("limit", 20, "how many templates to list (1-1000)")
	asJSON := fs.Bool("json", false, "print JSON")
	db := dbFlag(e, fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 || *limit < 1 || *limit > 1000 {
		fmt.Fprintln(e.stderr, "errorcanon misses: no arguments; --limit 1 to 1000")
		fs.Usage()
		return 2
	}
	dsn, err := resolveDB(e, *db)
	if err != nil || dsn == "" {
		fmt.Fprintf(e.stderr, "errorcanon misses: no store to read: %v\n", orNone(err))
		return 2
	}
	if !store.IsPostgres(dsn) {
		if _, err := os.Stat(dsn); err != nil {
			fmt.Fprintf(e.stderr, "errorcanon misses: no store at %s (serve creates it)\n", dsn)
			return 1
		}
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon misses: %v\n", err)
		return 1
	}
	defer st.Close()
	ms, err := st.Misses(ctx, *limit)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon misses: %v\n", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if ms == nil {
			ms = []store.Miss{}
		}
		_ = enc.Encode(ms)
		return 0
	}
	if len(ms) == 0 {
		fmt.Fprintln(e.stdout, "No misses recorded: every input matched an entry, or none came.")
		return 0
	}
	fmt.Fprintf(e.stdout, "%7s  %-10s  %s\n", "count", "last seen", "template (example)")
	for _, m := range ms {
		fmt.Fprintf(e.stdout, "%7d  %-10s  %s\n", m.Count, m.LastSeen.Format("2006-01-02"), m.Template)
		if m.Example != m.Template {
			fmt.Fprintf(e.stdout, "%7s  %-10s  e.g. %s\n", "", "", m.Example)
		}
	}
	return 0
}
