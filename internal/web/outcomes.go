// The entry pages' report buttons: POST /errors/{domain}/{slug}/outcomes.

package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/errorcanon/errorcanon/internal/api"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/reports"
	"github.com/errorcanon/errorcanon/internal/store"
)

// maxFormBody bounds a report form's body; the buttons send four short
// fields.
const maxFormBody = 4 << 10

// Invalidate drops every cached page, JSON and Markdown: they carry live
// figures, which have changed. The next request renders afresh.
func (s *Server) Invalidate() {
	s.mu.Lock()
	clear(s.cache)
	s.gen++
	s.mu.Unlock()
	// Search pages show figures too.
	s.searchPages.Purge()
}

// postOutcome takes a report from an entry page's buttons (a plain form:
// no script needed) and answers 303 to the card it came from, whose
// figure then includes it. Another site's page may not post here
// (api.CheckOrigin: Sec-Fetch-Site or Origin), so no token is needed.
func (s *Server) postOutcome(w http.ResponseWriter, r *http.Request) error {
	if err := api.CheckOrigin(r); err != nil {
		return err
	}
	e := s.lookup(r)
	if e == nil {
		return api.ErrNotFound
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		return &api.Error{Err: api.ErrInvalidBody, Detail: "The form could not be read."}
	}
	n, err := strconv.Atoi(r.PostForm.Get("item"))
	if err != nil {
		return &api.Error{Err: api.ErrInvalidParameter, Param: "item"}
	}
	kind, anchor := store.Workaround, "#workaround-"
	switch r.PostForm.Get("kind") {
	case "workaround":
	case "dead_end":
		kind, anchor = store.DeadEnd, "#dead-end-"
	default:
		return &api.Error{Err: api.ErrInvalidParameter, Param: "kind"}
	}
	l := render.EN
	if r.PostForm.Get("lang") == string(render.ZH) {
		l = render.ZH
	}
	_, err = s.reports.Add(r.Context(), reports.Report{ID: e.ID, Kind: kind, N: n, Outcome: r.PostForm.Get("outcome"),
		Addr: api.ClientAddr(r), UserAgent: r.UserAgent()})
	var rl *reports.RateLimited
	if errors.As(err, &rl) {
		w.Header().Set("Retry-After", strconv.Itoa(rl.RetrySeconds()))
	}
	if err != nil {
		return err
	}
	// Show the reporter their report in the figure at once, rather than
	// within the second the background reload takes.
	if s.refresh != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.refresh(ctx); err != nil {
			s.log.Warn("refreshing figures after a report", "err", err)
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, render.EntryPagePath(e.ID, l)+anchor+strconv.Itoa(n), http.StatusSeeOther)
	return nil
}
