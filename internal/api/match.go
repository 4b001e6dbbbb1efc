// Matching: GET and POST /api/v1/match, their bodies and limits.

package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
)

// Match limits: limit is the matcher's, as on every surface.
const (
	DefaultMatchLimit = match.DefaultLimit
	MaxMatchLimit     = match.MaxLimit
	// MaxJSONBody bounds a JSON match body: the text may be escaped.
	MaxJSONBody = match.MaxJSONBody
)

// MatchRequest is the JSON body of POST /api/v1/match.
type MatchRequest struct {
	Text   string `json:"text"`
	Limit  int    `json:"limit,omitempty"`
	Lang   string `json:"lang,omitempty"`
	Domain string `json:"domain,omitempty"`
}

// MatchResult is one result: match.Summarize's summary (with the matched
// span and the score's parts) plus the title in the asked language and
// the links every collection item has.
type MatchResult struct {
	match.Summary
	// Path hides the summary's site path: url says it, as in every
	// collection (a nil pointer of a shallower field wins and is left
	// out).
	Path  *struct{} `json:"path,omitempty"`
	Title string    `json:"title"`
	Links
}

// MatchResponse is the answer of /api/v1/match: one page (next and prev
// are null), its total the number of items.
type MatchResponse struct {
	Envelope[MatchResult]
	// Matched is true when the items explain the text (a pattern
	// matched). When false, the items are the closest entries, not
	// answers: they carry no dead ends, workarounds or root cause.
	Matched    bool   `json:"matched"`
	Lang       string `json:"lang"`
	InputBytes int    `json:"input_bytes"`
}

func (a *API) matchGet(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	req, err := matchParams(v)
	if err != nil {
		return badParam(err)
	}
	req.Text = v.Get("q")
	return a.runMatch(w, r, req, queryMaxAge)
}

// matchParams reads limit, lang and domain from a query string.
func matchParams(v url.Values) (MatchRequest, error) {
	req := MatchRequest{Lang: v.Get("lang"), Domain: v.Get("domain")}
	var err error
	req.Limit, err = intParam(v, "limit", 1, MaxMatchLimit)
	return req, err
}

func (a *API) matchPost(w http.ResponseWriter, r *http.Request) error {
	ctype := r.Header.Get("Content-Type")
	mt := "text/plain"
	if ctype != "" {
		var err error
		if mt, _, err = mime.ParseMediaType(ctype); err != nil {
			return &Error{Err: ErrUnsupportedMediaType, Detail: "The Content-Type header does not parse; send text/plain or application/json."}
		}
	}
	var req MatchRequest
	switch mt {
	// curl --data-binary @- sends application/x-www-form-urlencoded when
	// told nothing: its body is the text as it was piped, not a form.
	case "text/plain", "application/x-www-form-urlencoded":
		var err error
		if req, err = matchParams(r.URL.Query()); err != nil {
			return badParam(err)
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, match.MaxInput))
		if err != nil {
			return bodyError(err, match.MaxInput)
		}
		req.Text = string(body)
	case "application/json":
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxJSONBody))
		if err := dec.Decode(&req); err != nil {
			return bodyError(err, MaxJSONBody)
		}
		if dec.More() {
			return &Error{Err: ErrInvalidBody, Detail: "The body holds more than one JSON value."}
		}
		if req.Limit < 0 || req.Limit > MaxMatchLimit {
			return &Error{Err: ErrInvalidParameter, Detail: "limit must be from 1 to " + strconv.Itoa(MaxMatchLimit) + ".", Param: "limit"}
		}
		if len(req.Text) > match.MaxInput {
			return &Error{Err: match.ErrTooLarge, Detail: match.ErrTooLarge.Error(), Limit: match.MaxInput}
		}
	default:
		return &Error{Err: ErrUnsupportedMediaType, Detail: "Send the text as text/plain, or JSON {\"text\": ...} as application/json."}
	}
	return a.runMatch(w, r, req, "no-store")
}

// bodyError is a body that could not be read: too large (413) or not
// JSON (400).
func bodyError(err error, limit int) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &Error{Err: match.ErrTooLarge, Detail: "The body is larger than " + strconv.Itoa(limit) + " bytes. " + match.ErrTooLarge.Error(), Limit: limit}
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return &Error{Err: ErrInvalidBody, Detail: "The body is not valid JSON: " + syn.Error() + "."}
	case errors.As(err, &typ):
		return &Error{Err: ErrInvalidBody, Detail: "The JSON field " + strconv.Quote(typ.Field) + " must be a " + typ.Type.String() + ".", Param: typ.Field}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{Err: ErrInvalidBody, Detail: "The body is empty or cut short; send JSON {\"text\": ...}."}
	default:
		return &Error{Err: ErrInvalidBody, Detail: "The body could not be read."}
	}
}

func (a *API) runMatch(w http.ResponseWriter, r *http.Request, req MatchRequest, cacheControl string) error {
	lang := req.Lang
	if lang == "" {
		lang = "en"
	}
	l, err := render.ParseLang(lang)
	if err != nil {
		return &Error{Err: ErrInvalidParameter, Detail: "lang must be en or zh.", Param: "lang"}
	}
	if req.Domain != "" && (!canon.ValidDomainID(req.Domain) || a.cat.Domain(req.Domain) == nil) {
		return &Error{Err: ErrInvalidParameter, Detail: "domain must be a domain id listed by /api/v1/domains.", Param: "domain"}
	}
	limit := req.Limit
	if limit == 0 {
		limit = DefaultMatchLimit
	}
	rs, err := a.ix.Match([]byte(req.Text), match.Options{Limit: limit, Domain: req.Domain})
	switch {
	case errors.Is(err, match.ErrEmpty):
		return &Error{Err: err, Detail: match.ErrEmpty.Error(), Param: "text"}
	case errors.Is(err, match.ErrTooLarge):
		return &Error{Err: err, Detail: match.ErrTooLarge.Error(), Limit: match.MaxInput}
	case err != nil:
		return fmt.Errorf("match: %w", err)
	}
	if !match.Known(rs) && a.misses != nil {
		a.misses(req.Text)
	}
	out := MatchResponse{Envelope: Envelope[MatchResult]{Items: []MatchResult{}}, Matched: match.Known(rs), Lang: string(l), InputBytes: len(req.Text)}
	sums := match.Summarize(rs, string(l), 3)
	a.r.LiveSummaries(sums)
	lr := a.links(r)
	for _, s := range sums {
		res := MatchResult{Summary: s, Links: entryLinks(lr, s.ID, l)}
		res.Title = s.Signature
		if e := a.cat.Entry(s.ID); e != nil {
			res.Title = render.Title(e, l)
		}
		out.Items = append(out.Items, res)
	}
	out.Total = len(out.Items)
	w.Header().Set("Content-Language", string(l))
	return a.writeJSON(w, r, out, cacheControl)
}
