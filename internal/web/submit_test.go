package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/store"
)

// TestSubmitForm: the form a visitor sends a new error with queues it
// (redacted) and shows a receipt; a refused form comes back filled with
// the reason and its status, and nothing is queued.
func TestSubmitForm(t *testing.T) {
	s, st := newStoreServer(t)
	h := s.Handler()
	ctx := context.Background()
	pending := func() []store.Submission {
		q, err := st.Submissions(ctx, "pending", 10)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	for _, l := range []render.Lang{render.EN, render.ZH} {
		rec := do(h, "GET", render.SubmitPath(l))
		if body := rec.Body.String(); rec.Code != 200 || !strings.Contains(body, `<form class="submit" method="post" action="/submit/">`) ||
			!strings.Contains(body, `name="robots" content="noindex`) || !strings.Contains(body, render.UIString(l, "submit_button")) {
			t.Fatalf("GET %s: %d\n%s", render.SubmitPath(l), rec.Code, body)
		}
	}

	// Refused: empty text (400), an unknown domain (400), another site's
	// page (403), invalid UTF-8 (400). The visitor's text comes back.
	for _, c := range []struct {
		form   url.Values
		header []string
		status int
	}{
		{url.Values{"text": {"  "}}, nil, 400},
		{url.Values{"text": {"zorp failed"}, "domain": {"no-such-domain"}}, nil, 400},
		{url.Values{"text": {"zorp failed"}}, []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{url.Values{"text": {"zorp \xff"}}, nil, 400},
	} {
		rec := postReport(h, "/submit/", c.form, c.header...)
		if rec.Code != c.status {
			t.Errorf("%v %v: %d, want %d\n%s", c.form, c.header, rec.Code, c.status, rec.Body)
		}
		if c.status == 400 && c.form.Get("text") != "zorp \xff" && !strings.Contains(rec.Body.String(), c.form.Get("text")) {
			t.Errorf("%v: the text is not kept in the form", c.form)
		}
	}
	if n := len(pending()); n != 0 {
		t.Fatalf("%d submissions queued by refused forms", n)
	}

	// Accepted: 303 to the receipt in the form's language; stored redacted.
	rec := postReport(h, "/submit/", url.Values{"text": {"zorp: cannot frob (owner jane@example.org)"}, "domain": {"api"},
		"context": {"restarted it"}, "solution": {"cleared the cache"}, "lang": {"zh"}}, "Sec-Fetch-Site", "same-origin")
	loc := rec.Header().Get("Location")
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, render.SubmitPath(render.ZH)+"?id=") {
		t.Fatalf("POST: %d %q\n%s", rec.Code, loc, rec.Body)
	}
	q := pending()
	if len(q) != 1 || strings.Contains(q[0].Text, "jane@") || q[0].Domain != "api" || q[0].Solution != "cleared the cache" {
		t.Fatalf("queued %+v", q)
	}
	if body := do(h, "GET", loc).Body.String(); !strings.Contains(body, q[0].ID) {
		t.Errorf("the receipt does not name %s", q[0].ID)
	}
	// The receipt echoes only an id.
	if body := do(h, "GET", "/submit/?id=%3Cscript%3E").Body.String(); strings.Contains(body, "<script>") || strings.Contains(body, render.UIString(render.EN, "submit_queued")[:9]) {
		t.Error("the receipt echoed a made-up id")
	}
}

// TestMatchOffersSubmission: a text nothing explains gets an offer to send
// it to the moderators, which fills the form (prefill) without queueing.
func TestMatchOffersSubmission(t *testing.T) {
	s, st := newStoreServer(t)
	h := s.Handler()
	text := "zorp: the frobnicator refused the widget"
	rec := postReport(h, "/match", url.Values{"q": {text}})
	if body := rec.Body.String(); rec.Code != 200 || !strings.Contains(body, `action="/submit/"`) || !strings.Contains(body, `name="prefill" value="1"`) {
		t.Fatalf("match page: %d\n%s", rec.Code, body)
	}
	rec = postReport(h, "/submit/", url.Values{"text": {text}, "prefill": {"1"}})
	if body := rec.Body.String(); rec.Code != 200 || !strings.Contains(body, text+"</textarea>") {
		t.Fatalf("prefill: %d\n%s", rec.Code, body)
	}
	if q, _ := st.Submissions(context.Background(), "pending", 10); len(q) != 0 {
		t.Errorf("prefill queued %d", len(q))
	}
	// A known error gets no offer.
	if body := postReport(h, "/match", url.Values{"q": {"upstream said\nHTTP/1.1 502 Bad Gateway\nServer: awselb/2.0\n"}}).Body.String(); strings.Contains(body, `name="prefill"`) {
		t.Error("a known error is offered for submission")
	}
}

// TestNoStoreNoSubmit: without a store the form does not exist and the
// match page offers nothing.
func TestNoStoreNoSubmit(t *testing.T) {
	h := newServer(t, nil).Handler()
	if rec := do(h, "GET", "/submit/"); rec.Code != 404 {
		t.Errorf("GET /submit/ without a store: %d", rec.Code)
	}
	if body := postReport(h, "/match", url.Values{"q": {"zorp: the frobnicator refused the widget"}}).Body.String(); strings.Contains(body, `name="prefill"`) {
		t.Error("offered a submission without a store")
	}
}

func TestTail(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"line one\nline two\nerror: x", 12, "error: x"},
		{"aaaaaaaaaaaaaaaa", 4, "aaaa"},
		{"日本語のエラー", 7, "ラー"},
	} {
		got := render.Tail(c.in, c.max)
		if got != c.want || len(got) > c.max {
			t.Errorf("Tail(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}
