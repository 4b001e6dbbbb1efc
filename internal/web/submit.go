// The submission form: GET /submit/ (and zh.html) shows it, POST /submit/
// queues a new error for the moderators, as POST /api/v1/submissions and
// MCP's submit_error do. A plain form: no script needed.

package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/errorcanon/errorcanon/internal/api"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/reports"
	"github.com/errorcanon/errorcanon/internal/store"
)

// maxSubmitForm bounds the form's body: the fields' limits, percent-encoded
// (three bytes a byte at worst), and room for the field names.
const maxSubmitForm = 3*(store.MaxSubmissionText+2*store.MaxSubmissionNote) + 4096

func (s *Server) submitRoutes() {
	s.handle("GET /submit/{$}", s.submitPage(render.EN))
	s.handle("GET /submit/zh.html", s.submitPage(render.ZH))
	s.handle("POST /submit/{$}", s.postSubmission)
}

func submitForm() render.SubmitForm {
	return render.SubmitForm{MaxText: store.MaxSubmissionText, MaxNote: store.MaxSubmissionNote}
}

// submitPage shows the empty form, or the receipt of the submission the
// visitor was redirected from (?id=).
func (s *Server) submitPage(l render.Lang) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		f := submitForm()
		if id := r.URL.Query().Get("id"); validSubmissionID(id) {
			f.Queued = id
		}
		return s.submitResult(w, r, http.StatusOK, l, f)
	}
}

// validSubmissionID accepts what store.newID makes (hex), so the receipt
// never echoes arbitrary text.
func validSubmissionID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// postSubmission queues the form's error and answers 303 to the receipt;
// a refused form comes back filled, with the reason and the table's
// status (400, 429 with Retry-After, 503). prefill=1 (the match page's
// offer) only fills the form. Another site's page may not post here
// (api.CheckOrigin).
func (s *Server) postSubmission(w http.ResponseWriter, r *http.Request) error {
	if err := api.CheckOrigin(r); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxSubmitForm)
	f := submitForm()
	if err := r.ParseForm(); err != nil {
		l := formLang(r, r.URL.Query().Get("lang"))
		f.Err = render.UIString(l, "submit_too_large")
		return s.submitResult(w, r, http.StatusRequestEntityTooLarge, l, f)
	}
	v := r.PostForm
	l := formLang(r, v.Get("lang"))
	f.Text, f.Domain, f.Context, f.Solution = v.Get("text"), v.Get("domain"), v.Get("context"), v.Get("solution")
	for _, t := range []string{f.Text, f.Domain, f.Context, f.Solution} {
		if !utf8.ValidString(t) {
			f = submitForm()
			f.Err = render.UIString(l, "submit_invalid_utf8")
			return s.submitResult(w, r, http.StatusBadRequest, l, f)
		}
	}
	if v.Get("prefill") == "1" {
		f.Text = render.Tail(f.Text, store.MaxSubmissionText)
		return s.submitResult(w, r, http.StatusOK, l, f)
	}
	id, err := s.reports.Submit(r.Context(), reports.Submission{Text: f.Text, Domain: f.Domain, Context: f.Context, Solution: f.Solution,
		Addr: api.ClientAddr(r), UserAgent: r.UserAgent()})
	if err != nil {
		var rl *reports.RateLimited
		if errors.As(err, &rl) {
			w.Header().Set("Retry-After", strconv.Itoa(rl.RetrySeconds()))
		}
		f.Err = submitError(l, err)
		return s.submitResult(w, r, status(err), l, f)
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, render.SubmitPath(l)+"?id="+id, http.StatusSeeOther)
	return nil
}

// submitError is the visitor's message for a refused submission: what was
// wrong with the form, or that the server could not take it now.
func submitError(l render.Lang, err error) string {
	switch {
	case errors.Is(err, store.ErrInvalid):
		return render.UIString(l, "submit_refused") + " " + err.Error()
	case errors.Is(err, reports.ErrRateLimited):
		return render.UIString(l, "submit_rate_limited")
	}
	return render.UIString(l, "submit_unavailable")
}

func (s *Server) submitResult(w http.ResponseWriter, r *http.Request, status int, l render.Lang, f render.SubmitForm) error {
	return s.serveDynamic(w, r, status, TypeHTML, l, "no-store", func(w io.Writer) error { return s.r.SubmitHTML(w, f, l) })
}
