package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/reports"
	"github.com/errorcanon/errorcanon/internal/store"
)

// newStoreServer is a server with a SQLite report store, wired as serve
// wires it: live figures, report forms, cache dropped on change.
func newStoreServer(t *testing.T) (*Server, store.Store) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "web.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	fig, err := store.NewFigures(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := testCatalog(t)
	r, err := render.New(c, render.Options{Outcomes: reports.Figures{F: fig}, ReportForms: true})
	if err != nil {
		t.Fatal(err)
	}
	ix, _ := match.Build(c.Entries)
	s, err := New(Config{Renderer: r, Matcher: ix, Reports: reports.New(c, st, reports.Limits{}), Refresh: fig.Reload})
	if err != nil {
		t.Fatal(err)
	}
	fig.OnChange(s.Invalidate)
	return s, st
}

func postReport(h http.Handler, target string, form url.Values, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestReportButtons: an entry page carries a form per workaround and dead
// end; posting one (as a browser on the site does) stores the report and
// sends the reporter back to the card, whose figure now counts it.
func TestReportButtons(t *testing.T) {
	s, st := newStoreServer(t)
	h := s.Handler()
	page := "/errors/" + seedALB + "/"
	action := render.OutcomesPath(seedALB)
	body := do(h, "GET", page).Body.String()
	e := testCatalog(t).Entry(seedALB)
	if n := strings.Count(body, `<form class="report" method="post" action="`+action+`">`); n != len(e.Workarounds)+len(e.DeadEnds) {
		t.Fatalf("%d report forms, want %d", n, len(e.Workarounds)+len(e.DeadEnds))
	}
	if strings.Contains(body, "(n=1,") {
		t.Fatal("a figure counts a report before any was made")
	}
	rec := postReport(h, action, url.Values{"kind": {"workaround"}, "item": {"2"}, "outcome": {"worked"}, "lang": {"zh"}}, "Sec-Fetch-Site", "same-origin", "Origin", "http://example.com")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != render.EntryPagePath(seedALB, render.ZH)+"#workaround-2" {
		t.Fatalf("POST: %d %q %s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	if got, _ := st.Tallies(context.Background()); len(got[seedALB].Workarounds) != 2 || got[seedALB].Workarounds[1].Worked != 1 {
		t.Errorf("stored %+v", got)
	}
	// The cached page was dropped: the figure counts the report.
	if body := do(h, "GET", page).Body.String(); !strings.Contains(body, "(n=1, 90% interval") {
		t.Error("the page does not show the report after it was made")
	}
	if body := do(h, "GET", render.EntryPaths(seedALB).JSON).Body.String(); !strings.Contains(body, `"worked": 1`) {
		t.Error("the JSON stats do not count the report")
	}

	// Another site's page may not post; bad fields are 400; nothing is stored.
	for _, tc := range []struct {
		name   string
		form   url.Values
		header []string
		status int
	}{
		{"cross-site", url.Values{"kind": {"workaround"}, "item": {"1"}, "outcome": {"worked"}}, []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{"foreign origin", url.Values{"kind": {"workaround"}, "item": {"1"}, "outcome": {"worked"}}, []string{"Origin", "https://evil.example"}, 403},
		{"item out of range", url.Values{"kind": {"workaround"}, "item": {"99"}, "outcome": {"worked"}}, nil, 400},
		{"item not a number", url.Values{"kind": {"workaround"}, "item": {"1'--"}, "outcome": {"worked"}}, nil, 400},
		{"bad kind", url.Values{"kind": {"fix"}, "item": {"1"}, "outcome": {"worked"}}, nil, 400},
		{"bad outcome", url.Values{"kind": {"dead_end"}, "item": {"1"}, "outcome": {"meh"}}, nil, 400},
	} {
		if rec := postReport(h, action, tc.form, tc.header...); rec.Code != tc.status {
			t.Errorf("%s: %d, want %d", tc.name, rec.Code, tc.status)
		}
	}
	if rec := postReport(h, render.OutcomesPath("api/no-such-entry"), url.Values{"kind": {"workaround"}, "item": {"1"}, "outcome": {"worked"}}); rec.Code != 404 {
		t.Errorf("unknown entry: %d", rec.Code)
	}
	if got, _ := st.Tallies(context.Background()); got[seedALB].Workarounds[0].Reports() != 0 || len(got) != 1 {
		t.Errorf("refused reports were stored: %+v", got)
	}
}

// TestNoStoreNoButtons: without a store the site has no write route.
func TestNoStoreNoButtons(t *testing.T) {
	h := newServer(t, nil).Handler()
	if strings.Contains(do(h, "GET", "/errors/"+seedALB+"/").Body.String(), `<form class="report"`) {
		t.Error("report buttons without a store")
	}
	if rec := postReport(h, render.OutcomesPath(seedALB), url.Values{"kind": {"workaround"}, "item": {"1"}, "outcome": {"worked"}}); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST without a store: %d, want 405", rec.Code)
	}
}
