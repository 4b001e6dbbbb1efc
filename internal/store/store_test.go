package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/errorcanon/errorcanon/internal/store"
	"github.com/errorcanon/errorcanon/internal/testutil/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

// backends runs a test against SQLite and PostgreSQL, side by side; each
// run gets an empty database and its dsn.
//
// The tests that stop the PostgreSQL server (TestPostgresDown,
// TestOpenLater) are not parallel: go test runs them before every
// parallel test, so no other test sees the server go away. The others
// are parallel.
func backends(t *testing.T, f func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { t.Parallel(); f(t, filepath.Join(t.TempDir(), "sub", "errorcanon.db")) })
	t.Run("postgres", func(t *testing.T) { t.Parallel(); f(t, pgtest.URL(t)) })
}

func open(t *testing.T, dsn string) store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func report(st store.Store, reporter string, item int, r store.Result) store.Outcome {
	return store.Outcome{EntryID: "python/module-not-found-error", Kind: store.Workaround, Item: item, Result: r, Reporter: st.HashReporter(reporter)}
}

func TestAddAndTally(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := open(t, dsn)
		for i, r := range []store.Result{store.Worked, store.WorkedWithChanges, store.DidNotWork, store.Worked} {
			if _, err := st.AddOutcome(ctx, report(st, fmt.Sprint("r", i), 1, r)); err != nil {
				t.Fatal(err)
			}
		}
		o := report(st, "r9", 0, store.DidNotWork)
		o.Kind, o.OS, o.Tool, o.ToolVersion = store.DeadEnd, "linux", "pip", "24.0"
		o.Note = `'; DROP TABLE outcomes; -- "quoted" 中文`
		if _, err := st.AddOutcome(ctx, o); err != nil {
			t.Fatal(err)
		}
		got, err := st.Tallies(ctx)
		if err != nil {
			t.Fatal(err)
		}
		e := got["python/module-not-found-error"]
		if len(e.Workarounds) != 2 || e.Workarounds[0] != (store.Tally{}) || e.Workarounds[1] != (store.Tally{Worked: 2, WorkedWithChanges: 1, DidNotWork: 1}) {
			t.Errorf("workarounds = %+v", e.Workarounds)
		}
		if len(e.DeadEnds) != 1 || e.DeadEnds[0] != (store.Tally{DidNotWork: 1}) {
			t.Errorf("dead ends = %+v", e.DeadEnds)
		}
		// Opening again runs no migration twice and keeps the data.
		st2 := open(t, dsn)
		if got2, err := st2.Tallies(ctx); err != nil || len(got2) != 1 {
			t.Errorf("reopened: %v, %v", got2, err)
		}
		if st.HashReporter("x") != st2.HashReporter("x") {
			t.Error("two opens of one database hash reporters differently: dedup would not hold across replicas")
		}
		if h := st.HashReporter("x"); strings.Contains(h, "x") || len(h) != 64 {
			t.Errorf("hashed reporter %q", h)
		}
	})
}

func TestDedupPerReporter(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := open(t, dsn)
		first, err := st.AddOutcome(ctx, report(st, "same", 0, store.DidNotWork))
		if err != nil || first.Replaced {
			t.Fatal(first, err)
		}
		for range 99 {
			rc, err := st.AddOutcome(ctx, report(st, "same", 0, store.Worked))
			if err != nil {
				t.Fatal(err)
			}
			if !rc.Replaced || rc.ID != first.ID {
				t.Fatalf("repeat report: %+v, want the first's id %s, replaced", rc, first.ID)
			}
		}
		got, _ := st.Tallies(ctx)
		if w := got["python/module-not-found-error"].Workarounds; len(w) != 1 || w[0] != (store.Tally{Worked: 1}) {
			t.Errorf("100 reports from one reporter: %+v, want one (the latest)", w)
		}
	})
}

func TestInvalidWritesNothing(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := open(t, dsn)
		ok := report(st, "a", 0, store.Worked)
		cases := map[string]func(o *store.Outcome){
			"kind":      func(o *store.Outcome) { o.Kind = "fix" },
			"result":    func(o *store.Outcome) { o.Result = "fixed" },
			"negative":  func(o *store.Outcome) { o.Item = -1 },
			"long note": func(o *store.Outcome) { o.Note = strings.Repeat("x", store.MaxNote+1) },
			"utf8":      func(o *store.Outcome) { o.Note = "\xff\xfe" },
			"nul":       func(o *store.Outcome) { o.OS = "a\x00b" },
			"env":       func(o *store.Outcome) { o.Tool = strings.Repeat("t", store.MaxEnvField+1) },
			"reporter":  func(o *store.Outcome) { o.Reporter = "" },
			"entry":     func(o *store.Outcome) { o.EntryID = "" },
		}
		for name, mod := range cases {
			o := ok
			mod(&o)
			if _, err := st.AddOutcome(ctx, o); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("%s: err = %v, want ErrInvalid", name, err)
			}
		}
		if got, _ := st.Tallies(ctx); len(got) != 0 {
			t.Errorf("invalid reports were written: %v", got)
		}
	})
}

func TestConcurrentWritesAllAcknowledgedAndKept(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := open(t, dsn)
		var mu sync.Mutex
		var ids []string
		var wg sync.WaitGroup
		for i := range 64 {
			wg.Go(func() {
				rc, err := st.AddOutcome(ctx, report(st, fmt.Sprint("c", i), i%3, store.Worked))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				ids = append(ids, rc.ID)
				mu.Unlock()
			})
		}
		wg.Wait()
		n, err := store.CountIDs(ctx, st, ids)
		if err != nil || n != 64 || len(ids) != 64 {
			t.Errorf("stored %d of %d acknowledged reports (%v)", n, len(ids), err)
		}
	})
}

// TestFiguresFollowWrites: a write through one Store shows in the Figures
// of another Store on the same database: at once on SQLite for the
// writing process, and through NOTIFY for a PostgreSQL replica.
func TestFiguresFollowWrites(t *testing.T) {
	t.Parallel()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		st := open(t, filepath.Join(t.TempDir(), "f.db"))
		checkFigures(t, st, st)
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		dsn := pgtest.URL(t)
		checkFigures(t, open(t, dsn), open(t, dsn))
	})
}

func checkFigures(t *testing.T, writer, reader store.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f, err := store.NewFigures(ctx, reader, nil)
	if err != nil {
		t.Fatal(err)
	}
	changed := make(chan struct{}, 100)
	f.OnChange(func() { changed <- struct{}{} })
	if _, err := writer.AddOutcome(ctx, report(writer, "w", 0, store.Worked)); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(2 * time.Second)
	for {
		if w := f.Entry("python/module-not-found-error").Workarounds; len(w) == 1 && w[0].Worked == 1 {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatal("the report did not reach the other store's figures within 2 s")
		}
	}
}

// TestPostgresDown: with the database gone, writes fail with
// ErrUnavailable and the figures already loaded stay; when it is back,
// writes work again.
func TestPostgresDown(t *testing.T) {
	dsn := pgtest.URL(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := open(t, dsn)
	if _, err := st.AddOutcome(ctx, report(st, "before", 0, store.Worked)); err != nil {
		t.Fatal(err)
	}
	f, err := store.NewFigures(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	pgtest.ServerStop(t)
	restarted := false
	defer func() {
		if !restarted {
			pgtest.ServerStart(t)
		}
	}()
	if _, err := st.AddOutcome(ctx, report(st, "during", 0, store.Worked)); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("write with the database down: %v, want ErrUnavailable", err)
	}
	if err := st.Ping(ctx); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("ping with the database down: %v", err)
	}
	if err := f.Reload(ctx); err == nil {
		t.Error("reload with the database down succeeded")
	}
	if w := f.Entry("python/module-not-found-error").Workarounds; len(w) != 1 || w[0].Worked != 1 {
		t.Errorf("figures lost while the database is down: %+v", w)
	}
	pgtest.ServerStart(t)
	restarted = true
	if _, err := st.AddOutcome(ctx, report(st, "after", 0, store.Worked)); err != nil {
		t.Errorf("write after the database came back: %v", err)
	}
}

func TestDefaultPath(t *testing.T) {
	t.Parallel()
	env := map[string]string{"XDG_DATA_HOME": "/data", "HOME": "/home/u"}
	p, err := store.DefaultPath(func(k string) string { return env[k] })
	if err != nil || p != filepath.Join("/data", "errorcanon", "errorcanon.db") {
		t.Errorf("DefaultPath = %q, %v", p, err)
	}
}

func TestMisses(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := open(t, dsn)
		for _, tpl := range []string{"a <n>", "b", "a <n>", "a <n>", "b", "c '; DROP TABLE misses; --"} {
			if err := st.AddMiss(ctx, tpl, tpl+" e.g."); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.AddMiss(ctx, "", "x"); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("empty template: %v", err)
		}
		if err := st.AddMiss(ctx, strings.Repeat("x", store.MaxMissText+1), "x"); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("long template: %v", err)
		}
		ms, err := st.Misses(ctx, 2)
		if err != nil || len(ms) != 2 || ms[0].Template != "a <n>" || ms[0].Count != 3 || ms[1].Template != "b" || ms[1].Count != 2 {
			t.Errorf("misses %+v, %v", ms, err)
		}
		if all, _ := st.Misses(ctx, 10); len(all) != 3 || all[0].LastSeen.Before(all[0].FirstSeen) {
			t.Errorf("all misses %+v", all)
		}
	})
}

func TestModeration(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := open(t, dsn)
		id, tok, err := st.CreateToken(ctx, store.RoleModerator, "alice")
		if err != nil || !strings.HasPrefix(tok, "ecm_") {
			t.Fatal(id, tok, err)
		}
		if role, err := st.TokenRole(ctx, tok); err != nil || role != store.RoleModerator {
			t.Errorf("role %q %v", role, err)
		}
		for _, bad := range []string{"", "ecm_nope", tok + "x", strings.Repeat("a", 300)} {
			if _, err := st.TokenRole(ctx, bad); !errors.Is(err, store.ErrUnauthorized) {
				t.Errorf("token %q: %v", bad, err)
			}
		}
		if _, _, err := st.CreateToken(ctx, "admin", ""); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("role admin: %v", err)
		}
		sid, err := st.AddSubmission(ctx, store.Submission{Text: "zorp: it broke", Domain: "python", Solution: "restart", Reporter: "h"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.AddSubmission(ctx, store.Submission{Text: "", Reporter: "h"}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("empty submission: %v", err)
		}
		if q, err := st.Submissions(ctx, "pending", 10); err != nil || len(q) != 1 || q[0].ID != sid || q[0].Solution != "restart" {
			t.Errorf("queue %+v %v", q, err)
		}
		if err := st.Decide(ctx, sid, "accepted", id); err != nil {
			t.Fatal(err)
		}
		if err := st.Decide(ctx, sid, "rejected", id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deciding twice: %v", err)
		}
		if q, _ := st.Submissions(ctx, "accepted", 10); len(q) != 1 || q[0].Decided == nil {
			t.Errorf("accepted %+v", q)
		}
		if err := st.RevokeToken(ctx, id); err != nil {
			t.Fatal(err)
		}
		if _, err := st.TokenRole(ctx, tok); !errors.Is(err, store.ErrUnauthorized) {
			t.Errorf("revoked token still works: %v", err)
		}
		if ts, _ := st.Tokens(ctx); len(ts) != 1 || ts[0].Revoked == nil || ts[0].Note != "alice" {
			t.Errorf("tokens %+v", ts)
		}
	})
}

// TestOpenLater: a store whose database is down at start answers
// ErrUnavailable, figures start empty; once the database is up, it
// connects by itself, signals a change and the figures load.
func TestOpenLater(t *testing.T) {
	dsn := pgtest.URL(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// A report made while the database was up, before this replica starts.
	first := open(t, dsn)
	if _, err := first.AddOutcome(ctx, report(first, "earlier", 0, store.Worked)); err != nil {
		t.Fatal(err)
	}
	pgtest.ServerStop(t)
	restarted := false
	defer func() {
		if !restarted {
			pgtest.ServerStart(t)
		}
	}()
	st := store.OpenLater(ctx, dsn, nil)
	defer st.Close()
	if _, err := st.AddOutcome(ctx, store.Outcome{EntryID: "x/y", Kind: store.Workaround, Result: store.Worked, Reporter: "r"}); !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("write before the database answered: %v", err)
	}
	if _, err := st.AddSubmission(ctx, store.Submission{Text: "t", Reporter: "r"}); !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("submission before the database answered: %v", err)
	}
	f, err := store.NewFigures(ctx, st, nil)
	if err != nil {
		t.Fatalf("figures with the database down: %v", err)
	}
	if w := f.Entry("python/module-not-found-error").Workarounds; len(w) != 0 {
		t.Fatalf("figures before the database answered: %+v", w)
	}
	pgtest.ServerStart(t)
	restarted = true
	deadline := time.Now().Add(20 * time.Second)
	for st.Ping(ctx) != nil {
		if time.Now().After(deadline) {
			t.Fatal("never connected after the database came back")
		}
		time.Sleep(50 * time.Millisecond)
	}
	for len(f.Entry("python/module-not-found-error").Workarounds) != 1 {
		if time.Now().After(deadline) {
			t.Fatal("figures never loaded after connecting")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := st.AddOutcome(ctx, report(st, "later", 0, store.Worked)); err != nil {
		t.Errorf("write after connecting: %v", err)
	}
}

// TestPrune: misses not seen since the cut and decided submissions older
// than it go; pending submissions and reports stay.
func TestPrune(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := open(t, dsn)
		if err := st.AddMiss(ctx, "old <n>", "old 1"); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, text := range []string{"decided", "pending"} {
			id, err := st.AddSubmission(ctx, store.Submission{Text: text, Reporter: "r"})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		if err := st.Decide(ctx, ids[0], "rejected", "mod"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.AddOutcome(ctx, report(st, "kept", 0, store.Worked)); err != nil {
			t.Fatal(err)
		}
		// Nothing is older than an hour ago.
		if p, err := st.Prune(ctx, time.Now().Add(-time.Hour)); err != nil || p != (store.Pruned{}) {
			t.Fatalf("prune an hour back: %+v %v", p, err)
		}
		time.Sleep(5 * time.Millisecond)
		p, err := st.Prune(ctx, time.Now())
		if err != nil || p != (store.Pruned{Misses: 1, Submissions: 1}) {
			t.Fatalf("prune now: %+v %v", p, err)
		}
		if q, _ := st.Submissions(ctx, "pending", 10); len(q) != 1 {
			t.Errorf("pending submissions after prune: %d", len(q))
		}
		if tal, _ := st.Tallies(ctx); len(tal) != 1 {
			t.Errorf("reports after prune: %+v", tal)
		}
	})
}
