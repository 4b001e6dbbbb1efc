package api

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
)

// Match limits.
const (
	DefaultMatchLimit = 5
	MaxMatchLimit     = 50
	// MaxJSONBody bounds a JSON match body: the text may be escaped.
	MaxJSONBody = 2*match.MaxInput + 64<<10
)

// MatchRequest is the JSON body of POST /api/v1/match.
type MatchRequest struct {
	Text   string `json:"text"`
	Limit  int    `json:"limit,omitempty"`
	Lang   string `json:"lang,omitempty"`
	Domain string `json:"domain,omitempty"`
}

// MatchResult is one result: match.Summarize's summary (with the matched
// span and the score's parts) plus the title and page in the asked
// language.
type MatchResult struct {
	match.Summary
	Title string `json:"title"`
	Page  string `json:"page"` // site path of the entry's page in lang
	URL   string `json:"url"`  // absolute
	API   string `json:"api"`
}

// MatchResponse is the answer of /api/v1/match.
type MatchResponse struct {
	Results    []MatchResult `json:"results"`
	Count      int           `json:"count"`
	Lang       string        `json:"lang"`
	InputBytes int           `json:"input_bytes"`
}

func (a *API) matchGet(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	req, err := matchParams(v)
	if err != nil {
		a.badParam(w, r, err)
		return
	}
	req.Text = v.Get("q")
	a.runMatch(w, r, req, queryMaxAge)
}

// matchParams reads limit, lang and domain from a query string.
func matchParams(v url.Values) (MatchRequest, error) {
	req := MatchRequest{Lang: v.Get("lang"), Domain: v.Get("domain")}
	var err error
	req.Limit, err = intParam(v, "limit", 1, MaxMatchLimit)
	return req, err
}

func (a *API) matchPost(w http.ResponseWriter, r *http.Request) {
	ctype := r.Header.Get("Content-Type")
	mt := "text/plain"
	if ctype != "" {
		var err error
		if mt, _, err = mime.ParseMediaType(ctype); err != nil {
			a.problem(w, r, "unsupported-media-type", "The Content-Type header does not parse; send text/plain or application/json.")
			return
		}
	}
	var req MatchRequest
	switch mt {
	case "text/plain":
		var err error
		if req, err = matchParams(r.URL.Query()); err != nil {
			a.badParam(w, r, err)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, match.MaxInput))
		if err != nil {
			a.bodyError(w, r, err, match.MaxInput)
			return
		}
		req.Text = string(body)
	case "application/json":
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxJSONBody))
		if err := dec.Decode(&req); err != nil {
			a.bodyError(w, r, err, MaxJSONBody)
			return
		}
		if dec.More() {
			a.problem(w, r, "invalid-body", "The body holds more than one JSON value.")
			return
		}
		if req.Limit < 0 || req.Limit > MaxMatchLimit {
			a.problem(w, r, "invalid-parameter", "limit must be from 1 to "+strconv.Itoa(MaxMatchLimit)+".", withParam("limit"))
			return
		}
		if len(req.Text) > match.MaxInput {
			a.problem(w, r, "input-too-large", match.ErrTooLarge.Error(), withLimit(match.MaxInput))
			return
		}
	default:
		a.problem(w, r, "unsupported-media-type", "Send the text as text/plain, or JSON {\"text\": ...} as application/json.")
		return
	}
	a.runMatch(w, r, req, "no-store")
}

// bodyError answers a body that could not be read: too large (413) or
// not JSON (400).
func (a *API) bodyError(w http.ResponseWriter, r *http.Request, err error, limit int) {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		a.problem(w, r, "input-too-large", "The body is larger than "+strconv.Itoa(limit)+" bytes. "+match.ErrTooLarge.Error(), withLimit(limit))
		return
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		a.problem(w, r, "invalid-body", "The body is not valid JSON: "+syn.Error()+".")
	case errors.As(err, &typ):
		a.problem(w, r, "invalid-body", "The JSON field "+strconv.Quote(typ.Field)+" must be a "+typ.Type.String()+".", withParam(typ.Field))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		a.problem(w, r, "invalid-body", "The body is empty or cut short; send JSON {\"text\": ...}.")
	default:
		a.problem(w, r, "invalid-body", "The body could not be read.")
	}
}

func (a *API) runMatch(w http.ResponseWriter, r *http.Request, req MatchRequest, cacheControl string) {
	lang := req.Lang
	if lang == "" {
		lang = "en"
	}
	l, err := render.ParseLang(lang)
	if err != nil {
		a.problem(w, r, "invalid-parameter", "lang must be en or zh.", withParam("lang"))
		return
	}
	if req.Domain != "" && (!canon.ValidDomainID(req.Domain) || a.cat.Domain(req.Domain) == nil) {
		a.problem(w, r, "invalid-parameter", "domain must be a domain id listed by /api/v1/domains.", withParam("domain"))
		return
	}
	limit := req.Limit
	if limit == 0 {
		limit = DefaultMatchLimit
	}
	rs, err := a.ix.Match([]byte(req.Text), match.Options{Limit: limit, Domain: req.Domain})
	switch {
	case errors.Is(err, match.ErrEmpty):
		a.problem(w, r, "empty-input", match.ErrEmpty.Error(), withParam("text"))
		return
	case errors.Is(err, match.ErrTooLarge):
		a.problem(w, r, "input-too-large", match.ErrTooLarge.Error(), withLimit(match.MaxInput))
		return
	case err != nil:
		a.log.Error("match", "err", err)
		a.problem(w, r, "internal-error", "")
		return
	}
	out := MatchResponse{Results: []MatchResult{}, Lang: string(l), InputBytes: len(req.Text)}
	for _, s := range match.Summarize(rs, string(l), 3) {
		res := MatchResult{Summary: s, Page: render.EntryPagePath(s.ID, l), URL: a.r.Abs(render.EntryPagePath(s.ID, l)), API: a.r.Abs("/api/v1/errors/" + s.ID)}
		res.Title = s.Signature
		if e := a.cat.Entry(s.ID); e != nil {
			res.Title = render.Title(e, l)
		}
		out.Results = append(out.Results, res)
	}
	out.Count = len(out.Results)
	w.Header().Set("Content-Language", string(l))
	a.writeJSON(w, r, out, cacheControl)
}
