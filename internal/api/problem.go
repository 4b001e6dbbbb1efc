// Errors: the problem types, the sentinel errors handlers return, the one
// table from the errors to the types, and the problem documents written
// from them.

package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/middleware"
	"github.com/errorcanon/errorcanon/internal/reports"
	"github.com/errorcanon/errorcanon/internal/search"
	"github.com/errorcanon/errorcanon/internal/store"
)

// Problem is an RFC 9457 problem document, the body of every error the
// API answers (Content-Type application/problem+json).
type Problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance,omitempty"`
	// Param names the query parameter or JSON field at fault.
	Param string `json:"param,omitempty"`
	// Limit is the limit that was exceeded, in bytes.
	Limit int `json:"limit,omitempty"`
	// Allow lists the methods the resource accepts (405).
	Allow []string `json:"allow,omitempty"`
}

// ProblemType describes one kind of problem. Its URI is
// {base}/api/v1/problems/{Name}, where GET returns this description.
type ProblemType struct {
	Name        string `json:"name"`
	Title       string `json:"title"`
	Status      int    `json:"status"`
	Description string `json:"description"`
}

// The problem types. A client tells them apart by type; status and title
// are for people. They are values, so a misspelled one does not compile;
// openapi.json lists the same names (a test checks).
var (
	ProblemNotFound             = ProblemType{"not-found", "Not found", http.StatusNotFound, "No resource at this path: an unknown endpoint, entry, domain or problem type."}
	ProblemMethodNotAllowed     = ProblemType{"method-not-allowed", "Method not allowed", http.StatusMethodNotAllowed, "The endpoint exists but does not accept this method; the Allow header and the allow member list the methods it does accept."}
	ProblemInvalidParameter     = ProblemType{"invalid-parameter", "Invalid parameter", http.StatusBadRequest, "A query parameter or JSON field has a value the endpoint does not accept; param names it and detail says what is allowed."}
	ProblemInvalidBody          = ProblemType{"invalid-body", "Invalid request body", http.StatusBadRequest, "The body is not valid JSON of the documented shape."}
	ProblemEmptyInput           = ProblemType{"empty-input", "Empty input", http.StatusBadRequest, "There is no text to match or search for: pass an error message, a stack trace or a log."}
	ProblemInputTooLarge        = ProblemType{"input-too-large", "Input too large", http.StatusRequestEntityTooLarge, "The request body is larger than the endpoint accepts; limit gives the limit in bytes. Send the part of the log around the error."}
	ProblemUnsupportedMediaType = ProblemType{"unsupported-media-type", "Unsupported media type", http.StatusUnsupportedMediaType, "POST bodies must be text/plain (the text itself) or application/json."}
	ProblemSearchUnavailable    = ProblemType{"search-unavailable", "Search unavailable", http.StatusServiceUnavailable, "This server was started without a search index."}
	ProblemStoreUnavailable     = ProblemType{"store-unavailable", "Store unavailable", http.StatusServiceUnavailable, "The database that keeps reports cannot be reached; nothing was stored. Reading entries keeps working; retry later."}
	ProblemCrossOrigin          = ProblemType{"cross-origin", "Cross-origin request refused", http.StatusForbidden, "A browser sent this write from another site's page; reports are accepted from this site's pages and from programs."}
	ProblemInternalError        = ProblemType{"internal-error", "Internal error", http.StatusInternalServerError, "A bug on the server's side; it is logged. Bad input never causes this."}
	ProblemRateLimited          = ProblemType{"rate-limited", "Too many requests", http.StatusTooManyRequests, "This client (or, for reports, this reporter) sent more requests than the server's rate allows; nothing was done or stored. Retry after the seconds the Retry-After header gives."}
	ProblemOverloaded           = ProblemType{"overloaded", "Overloaded", http.StatusServiceUnavailable, "As many matches as the server runs at once are running, and none finished while this request queued; retry after the seconds the Retry-After header gives."}
	ProblemHeadersTooLarge      = ProblemType{"headers-too-large", "Request headers too large", http.StatusRequestHeaderFieldsTooLarge, "The request line and headers are larger than the server accepts; detail gives the sizes."}
	ProblemForbiddenOrigin      = ProblemType{"forbidden-origin", "Forbidden origin", http.StatusForbidden, "The request's Origin header names a web site this endpoint does not serve (a defence against DNS rebinding and cross-site requests)."}
)

// problemTypes lists every type, sorted by name.
var problemTypes = []ProblemType{
	ProblemCrossOrigin, ProblemEmptyInput, ProblemForbiddenOrigin, ProblemHeadersTooLarge, ProblemInputTooLarge, ProblemInternalError, ProblemInvalidBody, ProblemInvalidParameter,
	ProblemMethodNotAllowed, ProblemNotFound, ProblemOverloaded, ProblemRateLimited, ProblemSearchUnavailable, ProblemStoreUnavailable,
	ProblemUnsupportedMediaType,
}

// ProblemTypes lists the problem types, sorted by name.
func ProblemTypes() []ProblemType { return append([]ProblemType(nil), problemTypes...) }

// problemType returns the type named name.
func problemType(name string) (ProblemType, bool) {
	for _, t := range problemTypes {
		if t.Name == name {
			return t, true
		}
	}
	return ProblemType{}, false
}

// Sentinel errors of the handlers (the API's and the site's), besides
// match.ErrEmpty, match.ErrTooLarge and search.ErrInvalid. Wrap one in an
// *Error to give the problem's detail.
var (
	ErrNotFound             = errors.New("not found")
	ErrMethodNotAllowed     = errors.New("method not allowed")
	ErrInvalidParameter     = errors.New("invalid parameter")
	ErrInvalidBody          = errors.New("invalid request body")
	ErrUnsupportedMediaType = errors.New("unsupported media type")
	ErrSearchUnavailable    = errors.New("search unavailable")
)

// errorTable is the one map from errors to problem types (and so to
// statuses), for the API's problem documents and the site's pages alike.
// The first row whose error the error wraps wins; anything else is
// ProblemInternalError.
var errorTable = []struct {
	err error
	typ ProblemType
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
	{middleware.ErrRateLimited, ProblemRateLimited},
	{middleware.ErrOverloaded, ProblemOverloaded},
	{middleware.ErrForbiddenOrigin, ProblemForbiddenOrigin},
	{middleware.ErrBadQuery, ProblemInvalidParameter},
	{middleware.ErrHeaderTooLarge, ProblemHeadersTooLarge},
	{reports.ErrUnknownEntry, ProblemNotFound},
	{store.ErrInvalid, ProblemInvalidParameter},
	{reports.ErrRateLimited, ProblemRateLimited},
	{store.ErrUnavailable, ProblemStoreUnavailable},
	{ErrCrossOrigin, ProblemCrossOrigin},
}

// Classify returns the problem type of err, by errorTable; a body over a
// limit (*http.MaxBytesError) is ProblemInputTooLarge.
func Classify(err error) ProblemType {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return ProblemInputTooLarge
	}
	for _, row := range errorTable {
		if errors.Is(err, row.err) {
			return row.typ
		}
	}
	return ProblemInternalError
}

// Error is a handler's error with what its problem document says besides
// the type: Err is a sentinel of errorTable, which decides the type.
type Error struct {
	Err    error
	Detail string
	Param  string   // the query parameter or JSON field at fault
	Limit  int      // the limit exceeded, in bytes
	Allow  []string // the methods the resource accepts
}

func (e *Error) Error() string {
	if e.Detail == "" {
		return e.Err.Error()
	}
	return e.Err.Error() + ": " + e.Detail
}

func (e *Error) Unwrap() error { return e.Err }

func (a *API) problemURI(r *http.Request, name string) string {
	return a.links(r).Link("/api/v1/problems/" + name)
}

// handle adapts a handler that returns an error: WriteError answers it.
func (a *API) handle(h func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			a.WriteError(w, r, err)
		}
	}
}

// WriteError answers err with a problem document: its type from
// errorTable, its detail, param, limit and allow from an *Error in the
// chain, or else the sentinel's own message. An internal error is logged
// (unless it is a recovered panic, logged already) and says nothing more.
func (a *API) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	t := Classify(err)
	p := Problem{Type: a.problemURI(r, t.Name), Title: t.Title, Status: t.Status, Instance: r.URL.Path}
	var e *Error
	var rl *reports.RateLimited
	if errors.As(err, &rl) {
		w.Header().Set("Retry-After", strconv.Itoa(rl.RetrySeconds()))
	}
	switch {
	case t == ProblemStoreUnavailable:
		// The driver's message may name hosts; it goes to the log only.
		a.log.Warn("store unavailable", "method", r.Method, "path", r.URL.EscapedPath(), "err", err)
		p.Detail = "The report store cannot be reached; nothing was stored. Retry later."
		w.Header().Set("Retry-After", "5")
	case t == ProblemInternalError:
		if !errors.Is(err, middleware.ErrPanic) {
			a.log.Error("api", "method", r.Method, "path", r.URL.EscapedPath(), "err", err)
		}
	case errors.As(err, &e):
		p.Detail, p.Param, p.Limit, p.Allow = e.Detail, e.Param, e.Limit, e.Allow
	case t == ProblemInputTooLarge:
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			p.Limit = int(tooBig.Limit)
			p.Detail = "The body is larger than " + strconv.FormatInt(tooBig.Limit, 10) + " bytes. " + match.ErrTooLarge.Error()
		}
	case t == ProblemRateLimited || t == ProblemOverloaded || t == ProblemForbiddenOrigin:
		p.Detail = t.Description
	default:
		p.Detail = err.Error()
	}
	b, _ := json.MarshalIndent(p, "", "  ")
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(b)+1))
	if len(p.Allow) > 0 {
		h.Set("Allow", strings.Join(p.Allow, ", "))
	}
	w.WriteHeader(p.Status)
	_, _ = w.Write(append(b, '\n'))
}
