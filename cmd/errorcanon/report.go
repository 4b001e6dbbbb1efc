package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"

	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/reports"
	"github.com/errorcanon/errorcanon/internal/store"
)

// runReport stores an outcome report in the store at --db, as agents do
// with report_outcome, and prints the item's figure with it.
func runReport(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "report", "ID (--workaround N | --dead-end N) --outcome worked|worked_with_changes|did_not_work")
	wk := fs.Int("workaround", 0, "`number` (1-based, as listed) of the workaround you tried")
	de := fs.Int("dead-end", 0, "`number` (1-based, as listed) of the dead end you tried")
	outcome := fs.String("outcome", "", "worked, worked_with_changes or did_not_work")
	osName := fs.String("os", "", "optional: the operating system")
	tool := fs.String("tool", "", "optional: the tool that printed the error")
	version := fs.String("version", "", "optional: the tool's version")
	note := fs.String("note", "", "optional: what else was needed (at most 2,000 bytes; no secrets)")
	reporter := fs.String("reporter", e.getenv("ERRORCANON_REPORTER"), "your stable reporter `token` (default: user@host); only its salted hash is stored (env ERRORCANON_REPORTER)")
	dir := catalogFlag(e, fs)
	db := dbFlag(e, fs)
	pos, code, ok := parseInterspersed(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 || (*wk == 0) == (*de == 0) || *outcome == "" {
		fmt.Fprintln(e.stderr, "errorcanon report: give one entry id, one of --workaround or --dead-end, and --outcome")
		fs.Usage()
		return 2
	}
	dsn, err := resolveDB(e, *db)
	if err != nil || dsn == "" {
		fmt.Fprintf(e.stderr, "errorcanon report: no store to write to: %v\n", orNone(err))
		return 2
	}
	c, _, err := loadCatalog(*dir, false)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon report: %v\n", err)
		return 2
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon report: %v\n", err)
		return 1
	}
	defer st.Close()
	token := *reporter
	if token == "" {
		token = "cli:" + localUser()
	}
	id := normalizeID(pos[0])
	r := reports.Report{ID: id, Kind: store.Workaround, N: *wk, Outcome: *outcome, OS: *osName, Tool: *tool, Version: *version, Note: *note, Token: token}
	if *de != 0 {
		r.Kind, r.N = store.DeadEnd, *de
	}
	rc, err := reports.New(c, st, reports.Limits{}).Add(ctx, r)
	switch {
	case errors.Is(err, reports.ErrUnknownEntry) || errors.Is(err, store.ErrInvalid):
		fmt.Fprintf(e.stderr, "errorcanon report: %v\n", err)
		return 2
	case err != nil:
		fmt.Fprintf(e.stderr, "errorcanon report: %v\n", err)
		return 1
	}
	t, err := st.Tallies(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon report: %v\n", err)
		return 1
	}
	rd, err := render.New(c, render.Options{Outcomes: snapshot(t)})
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon report: %v\n", err)
		return 1
	}
	s := rd.Stats(c.Entry(id))
	what, fig := "workaround", s.Workarounds
	if r.Kind == store.DeadEnd {
		what, fig = "dead end", s.DeadEnds
	}
	verb := "recorded"
	if rc.Replaced {
		verb = "recorded, replacing your earlier report"
	}
	fmt.Fprintf(e.stdout, "%s %s %d: %s (report %s)\n%s\n", id, what, r.N, verb, rc.ID, render.Figure(render.EN, fig[r.N-1]))
	return 0
}

func orNone(err error) any {
	if err == nil {
		return "--db none"
	}
	return err
}

// localUser names the local reporter: user@host.
func localUser() string {
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	host, _ := os.Hostname()
	return name + "@" + host
}

// snapshot is fixed tallies, as render.Outcomes.
type snapshot map[string]store.EntryTallies

func (s snapshot) Counts(id string) render.EntryCounts {
	t := s[id]
	conv := func(ts []store.Tally) []render.Tally {
		out := make([]render.Tally, len(ts))
		for i, x := range ts {
			out[i] = render.Tally(x)
		}
		return out
	}
	return render.EntryCounts{Workarounds: conv(t.Workarounds), DeadEnds: conv(t.DeadEnds)}
}

// storedOutcomes returns the live figures of the store at --db for show:
// an explicit --db is opened; the default only when its file exists (show
// never creates one). Without a store, NoOutcomes.
func storedOutcomes(ctx context.Context, e *env, db string) (render.Outcomes, error) {
	dsn, err := resolveDB(e, db)
	if err != nil || dsn == "" {
		return render.NoOutcomes{}, nil
	}
	if db == "" {
		if _, err := os.Stat(dsn); err != nil {
			return render.NoOutcomes{}, nil
		}
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	t, err := st.Tallies(ctx)
	if err != nil {
		return nil, err
	}
	return snapshot(t), nil
}
