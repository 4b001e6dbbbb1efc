// POST /api/v1/errors/{domain}/{slug}/outcomes: outcome reports.

package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/reports"
	"github.com/errorcanon/errorcanon/internal/store"
)

// MaxOutcomeBody bounds a report's JSON body: the note's limit plus room
// for the other fields and JSON escapes.
const MaxOutcomeBody = 4 * store.MaxNote

// OutcomeRequest is the body of POST .../outcomes. Exactly one of
// Workaround and DeadEnd is given, 1-based as the entry lists them.
type OutcomeRequest struct {
	Workaround int         `json:"workaround,omitempty"`
	DeadEnd    int         `json:"dead_end,omitempty"`
	Outcome    string      `json:"outcome"`
	Env        *OutcomeEnv `json:"env,omitempty"`
	Note       string      `json:"note,omitempty"`
	// Reporter is an optional stable token of the reporting agent or
	// person; without one, reports are told apart by client address and
	// user agent. Either way only a salted hash is stored.
	Reporter string `json:"reporter,omitempty"`
}

// OutcomeEnv says where the reporter tried it.
type OutcomeEnv struct {
	OS      string `json:"os,omitempty"`
	Tool    string `json:"tool,omitempty"`
	Version string `json:"version,omitempty"`
}

// OutcomeResponse acknowledges a stored report.
type OutcomeResponse struct {
	ID       string `json:"id"`
	Replaced bool   `json:"replaced"`
	Entry    string `json:"entry"`
	Message  string `json:"message"`
}

// ClientAddr is the request's client address without the port: the
// connection's peer (a proxy in front of the server is one client).
func ClientAddr(r *http.Request) string {
	if h, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return h
	}
	return r.RemoteAddr
}

// crossOrigin refuses browser requests from other sites (Sec-Fetch-Site
// or Origin), so no page elsewhere can make its visitors report; programs,
// which send neither header, are let through.
var crossOrigin = http.NewCrossOriginProtection()

// ErrCrossOrigin is the error of a write from another site's page.
var ErrCrossOrigin = errors.New("cross-origin request")

// CheckOrigin is the cross-origin check of the write endpoints (the API's
// and the site's report forms).
func CheckOrigin(r *http.Request) error {
	if err := crossOrigin.Check(r); err != nil {
		return &Error{Err: ErrCrossOrigin, Detail: "Reports are accepted from this site's pages and from programs, not from other sites' pages."}
	}
	return nil
}

func (a *API) postOutcome(w http.ResponseWriter, r *http.Request) error {
	if err := CheckOrigin(r); err != nil {
		return err
	}
	id := r.PathValue("domain") + "/" + r.PathValue("slug")
	if a.cat.Entry(id) == nil {
		return &Error{Err: ErrNotFound, Detail: "No entry " + id + "."}
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		return &Error{Err: ErrUnsupportedMediaType, Detail: "Send the report as application/json."}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxOutcomeBody+1))
	if err != nil {
		return &Error{Err: ErrInvalidBody, Detail: "The body could not be read."}
	}
	if len(body) > MaxOutcomeBody {
		return &Error{Err: match.ErrTooLarge, Detail: fmt.Sprintf("A report is at most %d bytes; its note at most %d.", MaxOutcomeBody, store.MaxNote), Limit: MaxOutcomeBody}
	}
	if !utf8.Valid(body) {
		return &Error{Err: ErrInvalidBody, Detail: "The body is not valid UTF-8."}
	}
	var req OutcomeRequest
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil || dec.More() {
		return &Error{Err: ErrInvalidBody, Detail: `Send {"workaround": N or "dead_end": N, "outcome": "worked" | "worked_with_changes" | "did_not_work", "env": {"os", "tool", "version"}, "note"}.`}
	}
	rep := reports.Report{ID: id, Outcome: req.Outcome, Note: req.Note, Token: req.Reporter,
		Addr: ClientAddr(r), UserAgent: r.UserAgent()}
	switch {
	case (req.Workaround == 0) == (req.DeadEnd == 0):
		return &Error{Err: ErrInvalidParameter, Param: "workaround", Detail: "Give exactly one of workaround or dead_end: the 1-based number of what was tried."}
	case req.Workaround != 0:
		rep.Kind, rep.N = store.Workaround, req.Workaround
	default:
		rep.Kind, rep.N = store.DeadEnd, req.DeadEnd
	}
	if !store.ValidResult(req.Outcome) {
		return &Error{Err: ErrInvalidParameter, Param: "outcome", Detail: "outcome must be worked, worked_with_changes or did_not_work."}
	}
	if req.Env != nil {
		rep.OS, rep.Tool, rep.Version = req.Env.OS, req.Env.Tool, req.Env.Version
	}
	rc, err := a.reports.Add(r.Context(), rep)
	if err != nil {
		return err
	}
	msg := "Recorded; the entry's figures include it within a second."
	if rc.Replaced {
		msg = "Recorded; it replaces your earlier report on the same item (one report per reporter and item)."
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusCreated)
	return json.NewEncoder(w).Encode(OutcomeResponse{ID: rc.ID, Replaced: rc.Replaced, Entry: a.r.Abs("/api/v1/errors/" + id), Message: msg})
}
