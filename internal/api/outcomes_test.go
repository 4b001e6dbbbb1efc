package api

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/reports"
	"github.com/errorcanon/errorcanon/internal/store"
)

// openStore opens a SQLite store in a temporary directory.
func openStore(t testing.TB) store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "api.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func newReportsAPI(t *testing.T, st store.Store, lim reports.Limits) *API {
	t.Helper()
	c := testCatalog(t)
	r, err := render.New(c, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix, _ := match.Build(c.Entries)
	a, err := New(Config{Renderer: r, Matcher: ix, Reports: reports.New(c, st, lim)})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

const outcomesPath = "/api/v1/errors/" + seedALB + "/outcomes"

func tallies(t *testing.T, st store.Store) map[string]store.EntryTallies {
	t.Helper()
	got, err := st.Tallies(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestPostOutcome(t *testing.T) {
	st := openStore(t)
	a := newReportsAPI(t, st, reports.Limits{})
	rec := do(a, "POST", outcomesPath, "application/json",
		[]byte(`{"workaround": 2, "outcome": "worked_with_changes", "env": {"os": "linux", "tool": "aws", "version": "2.15"}, "note": "also restarted"}`))
	if rec.Code != http.StatusCreated {
		t.Fatalf("POST: %d %s", rec.Code, rec.Body)
	}
	var resp OutcomeResponse
	decode(t, rec, &resp)
	if resp.ID == "" || resp.Replaced || !strings.HasSuffix(resp.Entry, "/api/v1/errors/"+seedALB) {
		t.Errorf("response %+v", resp)
	}
	rec = do(a, "POST", outcomesPath, "application/json", []byte(`{"dead_end": 1, "outcome": "did_not_work"}`))
	if rec.Code != http.StatusCreated {
		t.Fatalf("POST dead end: %d %s", rec.Code, rec.Body)
	}
	e := tallies(t, st)[seedALB]
	if len(e.Workarounds) != 2 || e.Workarounds[1] != (store.Tally{WorkedWithChanges: 1}) || len(e.DeadEnds) != 1 || e.DeadEnds[0] != (store.Tally{DidNotWork: 1}) {
		t.Errorf("stored %+v", e)
	}
}

// TestPostOutcomeBadInput: every bad report is a 4xx problem and writes
// nothing.
func TestPostOutcomeBadInput(t *testing.T) {
	st := openStore(t)
	a := newReportsAPI(t, st, reports.Limits{})
	n := len(testCatalog(t).Entry(seedALB).Workarounds)
	for _, tc := range []struct {
		name, path, ctype, body string
		status                  int
		typ                     string
	}{
		{"unknown entry", "/api/v1/errors/api/nope/outcomes", "application/json", `{"workaround": 1, "outcome": "worked"}`, 404, "not-found"},
		{"bad id", "/api/v1/errors/API/x%27;--/outcomes", "application/json", `{"workaround": 1, "outcome": "worked"}`, 404, "not-found"},
		{"out of range", outcomesPath, "application/json", `{"workaround": ` + strconv.Itoa(n+1) + `, "outcome": "worked"}`, 400, "invalid-parameter"},
		{"dead end out of range", outcomesPath, "application/json", `{"dead_end": 99, "outcome": "worked"}`, 400, "invalid-parameter"},
		{"negative", outcomesPath, "application/json", `{"workaround": -1, "outcome": "worked"}`, 400, "invalid-parameter"},
		{"both", outcomesPath, "application/json", `{"workaround": 1, "dead_end": 1, "outcome": "worked"}`, 400, "invalid-parameter"},
		{"neither", outcomesPath, "application/json", `{"outcome": "worked"}`, 400, "invalid-parameter"},
		{"wrong word", outcomesPath, "application/json", `{"workaround": 1, "outcome": "fixed"}`, 400, "invalid-parameter"},
		{"sql in outcome", outcomesPath, "application/json", `{"workaround": 1, "outcome": "worked'; DROP TABLE outcomes; --"}`, 400, "invalid-parameter"},
		{"long note", outcomesPath, "application/json", `{"workaround": 1, "outcome": "worked", "note": "` + strings.Repeat("n", store.MaxNote+1) + `"}`, 400, "invalid-parameter"},
		{"huge body", outcomesPath, "application/json", `{"workaround": 1, "outcome": "worked", "note": "` + strings.Repeat("n", MaxOutcomeBody) + `"}`, 413, "input-too-large"},
		{"long env", outcomesPath, "application/json", `{"workaround": 1, "outcome": "worked", "env": {"os": "` + strings.Repeat("o", 101) + `"}}`, 400, "invalid-parameter"},
		{"invalid utf-8", outcomesPath, "application/json", "{\"workaround\": 1, \"outcome\": \"worked\", \"note\": \"\xff\xfe\"}", 400, "invalid-body"},
		{"unknown field", outcomesPath, "application/json", `{"workaround": 1, "outcome": "worked", "fixed": true}`, 400, "invalid-body"},
		{"not json", outcomesPath, "application/json", `workaround=1`, 400, "invalid-body"},
		{"two documents", outcomesPath, "application/json", `{"workaround": 1, "outcome": "worked"} {}`, 400, "invalid-body"},
		{"form", outcomesPath, "application/x-www-form-urlencoded", `workaround=1&outcome=worked`, 415, "unsupported-media-type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			problemOf(t, do(a, "POST", tc.path, tc.ctype, []byte(tc.body)), tc.status, tc.typ)
		})
	}
	// A browser on another site may not post.
	problemOf(t, do(a, "POST", outcomesPath, "application/json", []byte(`{"workaround": 1, "outcome": "worked"}`), "Sec-Fetch-Site", "cross-site"), 403, "cross-origin")
	if got := tallies(t, st); len(got) != 0 {
		t.Errorf("bad reports were stored: %v", got)
	}
}

// TestOutcomeAbuse: 100 identical reports from one reporter count once;
// a burst past the limit gets 429 with Retry-After and stores nothing.
func TestOutcomeAbuse(t *testing.T) {
	st := openStore(t)
	a := newReportsAPI(t, st, reports.Limits{PerMinute: 6000, Burst: 1000})
	body := []byte(`{"workaround": 1, "outcome": "did_not_work", "reporter": "agent-42"}`)
	for i := range 100 {
		if rec := do(a, "POST", outcomesPath, "application/json", body); rec.Code != http.StatusCreated {
			t.Fatalf("report %d: %d %s", i, rec.Code, rec.Body)
		}
	}
	if w := tallies(t, st)[seedALB].Workarounds; len(w) != 1 || w[0].Reports() != 1 {
		t.Errorf("100 identical reports counted as %+v, want one", w)
	}

	// A burst: the limit is 3 at once; the 4th and later are refused.
	b := newReportsAPI(t, openStore(t), reports.Limits{PerMinute: 1, Burst: 3})
	codes := map[int]int{}
	var last *http.Response
	for i := range 6 {
		rec := do(b, "POST", outcomesPath, "application/json", []byte(`{"workaround": 1, "outcome": "worked", "reporter": "r`+strconv.Itoa(i%2)+`"}`))
		codes[rec.Code]++
		if rec.Code == http.StatusTooManyRequests {
			last = rec.Result()
			problemOf(t, rec, 429, "rate-limited")
		}
	}
	if codes[201] != 3 || codes[429] != 3 {
		t.Errorf("burst of 6 with a limit of 3 per address: %v", codes)
	}
	if ra, err := strconv.Atoi(last.Header.Get("Retry-After")); err != nil || ra < 1 || ra > 60 {
		t.Errorf("Retry-After %q", last.Header.Get("Retry-After"))
	}
}

// downStore is a store whose database is gone.
type downStore struct{ store.Store }

func (downStore) AddOutcome(context.Context, store.Outcome) (store.Receipt, error) {
	return store.Receipt{}, store.ErrUnavailable
}
func (downStore) HashReporter(s string) string { return "h" + strconv.Itoa(len(s)) }

func TestOutcomeStoreDown(t *testing.T) {
	a := newReportsAPI(t, downStore{}, reports.Limits{})
	rec := do(a, "POST", outcomesPath, "application/json", []byte(`{"workaround": 1, "outcome": "worked"}`))
	p := problemOf(t, rec, 503, "store-unavailable")
	if p.Detail == "" || rec.Header().Get("Retry-After") == "" {
		t.Errorf("503 without detail or Retry-After: %+v", p)
	}
	// Reads keep working.
	if rec := do(a, "GET", "/api/v1/errors/"+seedALB, "", nil); rec.Code != 200 || !json.Valid(rec.Body.Bytes()) {
		t.Errorf("GET entry with the store down: %d", rec.Code)
	}
}
