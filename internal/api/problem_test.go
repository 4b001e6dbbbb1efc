package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/middleware"
	"github.com/errorcanon/errorcanon/internal/reports"
	"github.com/errorcanon/errorcanon/internal/search"
	"github.com/errorcanon/errorcanon/internal/store"
)

// TestErrorTable covers every sentinel error, bare, wrapped and inside an
// *Error, and checks that every problem type a handler can reach is
// documented: listed in openapi.json (TestOpenAPICoversRoutes compares the
// lists) and served at /api/v1/problems/{name} as declared.
func TestErrorTable(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want ProblemType
	}{
		{ErrNotFound, ProblemNotFound},
		{ErrMethodNotAllowed, ProblemMethodNotAllowed},
		{ErrInvalidParameter, ProblemInvalidParameter},
		{search.ErrInvalid, ProblemInvalidParameter},
		{ErrInvalidBody, ProblemInvalidBody},
		{match.ErrEmpty, ProblemEmptyInput},
		{match.ErrTooLarge, ProblemInputTooLarge},
		{ErrUnsupportedMediaType, ProblemUnsupportedMediaType},
		{ErrSearchUnavailable, ProblemSearchUnavailable},
		{reports.ErrUnknownEntry, ProblemNotFound},
		{store.ErrInvalid, ProblemInvalidParameter},
		{&reports.RateLimited{RetryAfter: time.Second}, ProblemRateLimited},
		{store.ErrUnavailable, ProblemStoreUnavailable},
		{ErrCrossOrigin, ProblemCrossOrigin},
		{errors.New("a bug"), ProblemInternalError},
		{middleware.ErrPanic, ProblemInternalError},
	} {
		for _, err := range []error{tc.err, fmt.Errorf("context: %w", tc.err), &Error{Err: tc.err, Detail: "d"}} {
			if got := Classify(err); got != tc.want {
				t.Errorf("Classify(%v) = %s, want %s", err, got.Name, tc.want.Name)
			}
		}
	}
	// Every row of the table is covered above, and every type but
	// internal-error (the default) is reachable from a row.
	reached := map[string]bool{ProblemInternalError.Name: true}
	for _, row := range errorTable {
		reached[row.typ.Name] = true
	}
	a, _ := newAPI(t, false)
	for _, pt := range ProblemTypes() {
		if !reached[pt.Name] {
			t.Errorf("problem type %s: no sentinel error maps to it", pt.Name)
		}
		rec := do(a, "GET", "/api/v1/problems/"+pt.Name, "", nil)
		var doc struct {
			Type, Title, Description string
			Status                   int
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || rec.Code != http.StatusOK {
			t.Errorf("GET /api/v1/problems/%s: %d %v", pt.Name, rec.Code, err)
			continue
		}
		if doc.Type != "https://errorcanon.dev/api/v1/problems/"+pt.Name || doc.Title != pt.Title || doc.Status != pt.Status || doc.Description != pt.Description || pt.Status < 400 {
			t.Errorf("problem type %s served as %+v", pt.Name, doc)
		}
	}
	if len(reached) != len(ProblemTypes()) {
		t.Errorf("the table reaches %d types, ProblemTypes lists %d", len(reached), len(ProblemTypes()))
	}
}

// TestWriteError: the problem document takes its detail, param, limit and
// allow from an *Error, a sentinel's own message otherwise, and says
// nothing of an internal error.
func TestWriteError(t *testing.T) {
	a, _ := newAPI(t, false)
	for _, tc := range []struct {
		err    error
		typ    string
		detail string
		param  string
		limit  int
	}{
		{&Error{Err: ErrInvalidParameter, Detail: "limit must be 1 to 50.", Param: "limit"}, "invalid-parameter", "limit must be 1 to 50.", "limit", 0},
		{&Error{Err: match.ErrTooLarge, Detail: "too big", Limit: 7}, "input-too-large", "too big", "", 7},
		{fmt.Errorf("search: %w", fmt.Errorf("%w: page must be 1 to 100", search.ErrInvalid)), "invalid-parameter", "search: invalid search: page must be 1 to 100", "", 0},
		{&Error{Err: ErrSearchUnavailable}, "search-unavailable", "", "", 0},
		{errors.New("secret path /etc"), "internal-error", "", "", 0},
	} {
		rec := do(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { a.WriteError(w, r, tc.err) }), "GET", "/api/v1/x", "", nil)
		p := problemOf(t, rec, Classify(tc.err).Status, tc.typ)
		if p.Detail != tc.detail || p.Param != tc.param || p.Limit != tc.limit {
			t.Errorf("%v: problem %+v", tc.err, p)
		}
	}
}
