package main

// This file wires the report store into serve and mcp: the --db flag, the
// live figures the renderer reads, and the adapters from the store to the
// renderer's and the MCP server's seams.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/errorcanon/errorcanon/internal/mcpserver"
	"github.com/errorcanon/errorcanon/internal/misses"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/reports"
	"github.com/errorcanon/errorcanon/internal/store"
)

// dbFlag binds --db: a SQLite file, a postgres:// URL, or none.
func dbFlag(e *env, fs *flag.FlagSet) *string {
	return fs.String("db", e.envDefault("ERRORCANON_DB", ""),
		"where outcome reports are kept: a SQLite `file` (default errorcanon.db in the user's data directory), a postgres:// URL, or none for a read-only site (env ERRORCANON_DB)")
}

// resolveDB turns --db into a store location: "" when reports are off.
func resolveDB(e *env, v string) (string, error) {
	switch v {
	case "none":
		return "", nil
	case "":
		return store.DefaultPath(e.getenv)
	}
	return v, nil
}

// openStore opens the report store, loads its figures and renders with
// them: pages get report buttons and live rates.
//
// A PostgreSQL that does not answer at start is not fatal: several
// replicas share it, and a replica restarted while it is down should
// serve pages. The store then connects in the background (store.OpenLater)
// and writes answer 503 until it does. A SQLite file that cannot be
// opened is a local mistake, reported at once.
func (s *services) openStore(ctx context.Context, dsn string, lim reports.Limits, log *slog.Logger) error {
	fctx, cancel := context.WithCancel(context.Background())
	octx, ocancel := context.WithTimeout(ctx, 5*time.Second)
	st, err := store.Open(octx, dsn)
	ocancel()
	switch {
	case err != nil && store.IsPostgres(dsn) && ctx.Err() == nil:
		log.Warn("report store unavailable at start: serving pages, writes answer 503 until it connects", "err", err)
		st = store.OpenLater(fctx, dsn, log)
	case err != nil:
		cancel()
		return err
	}
	fig, err := store.NewFigures(fctx, st, log)
	if err != nil {
		cancel()
		st.Close()
		return err
	}
	r, err := render.New(s.cat, render.Options{BaseURL: s.render.BaseURL(), LinksFromRequest: s.render.LinksFromRequest(), Outcomes: reports.Figures{F: fig}, ReportForms: true})
	if err != nil {
		cancel()
		st.Close()
		return err
	}
	s.render, s.store, s.figures = r, st, fig
	s.reports = reports.New(s.cat, st, lim)
	s.closeStore = func() {
		if s.misses != nil {
			s.misses.Close() // stores what is queued
		}
		cancel()
		st.Close()
	}
	return nil
}

// recordMisses starts recording unmatched inputs in the open store.
func (s *services) recordMisses(log *slog.Logger) {
	s.misses = misses.NewRecorder(s.store, log)
}

// mcpRecorder is report_outcome's store.
type mcpRecorder struct{ svc *reports.Service }

func (m mcpRecorder) RecordOutcome(ctx context.Context, o mcpserver.Outcome) (mcpserver.Receipt, error) {
	r := reports.Report{ID: o.ID, Kind: store.Workaround, N: o.Workaround, Outcome: o.Outcome,
		OS: o.OS, Tool: o.Tool, Version: o.Version, Note: o.Note, Token: o.Reporter, Addr: o.Addr, UserAgent: "mcp " + o.UserAgent}
	if o.DeadEnd > 0 {
		r.Kind, r.N = store.DeadEnd, o.DeadEnd
	}
	rc, err := m.svc.Add(ctx, r)
	var rl *reports.RateLimited
	switch {
	case errors.As(err, &rl):
		return mcpserver.Receipt{}, fmt.Errorf("too many reports from you just now; retry in %d s", rl.RetrySeconds())
	case errors.Is(err, store.ErrUnavailable):
		return mcpserver.Receipt{}, errors.New("the report store is unavailable; nothing was stored, retry later")
	case err != nil:
		return mcpserver.Receipt{}, err
	}
	msg := "The entry's figures include it within a second."
	if rc.Replaced {
		msg = "It replaces your earlier report on the same item."
	}
	return mcpserver.Receipt{ID: rc.ID, Message: msg}, nil
}

// mcpSubmitter is submit_error's queue.
type mcpSubmitter struct{ svc *reports.Service }

func (m mcpSubmitter) SubmitError(ctx context.Context, s mcpserver.Submission) (mcpserver.Receipt, error) {
	id, err := m.svc.Submit(ctx, reports.Submission{Text: s.Text, Domain: s.Domain, Context: s.Context, Solution: s.Solution, UserAgent: "mcp"})
	var rl *reports.RateLimited
	switch {
	case errors.As(err, &rl):
		return mcpserver.Receipt{}, fmt.Errorf("too many submissions just now; retry in %d s", rl.RetrySeconds())
	case errors.Is(err, store.ErrUnavailable):
		return mcpserver.Receipt{}, errors.New("the store is unavailable; nothing was stored, retry later")
	case err != nil:
		return mcpserver.Receipt{}, err
	}
	return mcpserver.Receipt{ID: id, Message: "A moderator reviews it; secrets found in it were redacted."}, nil
}

// prune deletes, every hour, the misses and decided submissions older
// than keep (--retention-days), until ctx ends.
func prune(ctx context.Context, st store.Store, keep time.Duration, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		p, err := st.Prune(ctx, time.Now().Add(-keep))
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("pruning old misses and submissions", "err", err)
		case p.Misses > 0 || p.Submissions > 0:
			log.Info("pruned", "misses", p.Misses, "submissions", p.Submissions, "older_than_days", int(keep.Hours()/24))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
