package api

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
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
// are for people.
var problemTypes = map[string]ProblemType{
	"not-found":              {"not-found", "Not found", http.StatusNotFound, "No resource at this path: an unknown endpoint, entry, domain or problem type."},
	"method-not-allowed":     {"method-not-allowed", "Method not allowed", http.StatusMethodNotAllowed, "The endpoint exists but does not accept this method; the Allow header and the allow member list the methods it does accept."},
	"invalid-parameter":      {"invalid-parameter", "Invalid parameter", http.StatusBadRequest, "A query parameter or JSON field has a value the endpoint does not accept; param names it and detail says what is allowed."},
	"invalid-body":           {"invalid-body", "Invalid request body", http.StatusBadRequest, "The body is not valid JSON of the documented shape."},
	"empty-input":            {"empty-input", "Empty input", http.StatusBadRequest, "There is no text to match or search for: pass an error message, a stack trace or a log."},
	"input-too-large":        {"input-too-large", "Input too large", http.StatusRequestEntityTooLarge, "The request body is larger than the endpoint accepts; limit gives the limit in bytes. Send the part of the log around the error."},
	"unsupported-media-type": {"unsupported-media-type", "Unsupported media type", http.StatusUnsupportedMediaType, "POST bodies must be text/plain (the text itself) or application/json."},
	"search-unavailable":     {"search-unavailable", "Search unavailable", http.StatusServiceUnavailable, "This server was started without a search index."},
	"internal-error":         {"internal-error", "Internal error", http.StatusInternalServerError, "A bug on the server's side; it is logged. Bad input never causes this."},
}

// ProblemTypes lists the problem types, sorted by name.
func ProblemTypes() []ProblemType {
	out := make([]ProblemType, 0, len(problemTypes))
	for _, t := range problemTypes {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (a *API) problemURI(name string) string { return a.r.Abs("/api/v1/problems/" + name) }

// problem writes a problem of a known type.
func (a *API) problem(w http.ResponseWriter, r *http.Request, name, detail string, extra ...func(*Problem)) {
	t, ok := problemTypes[name]
	if !ok {
		t = problemTypes["internal-error"]
	}
	p := Problem{Type: a.problemURI(t.Name), Title: t.Title, Status: t.Status, Detail: detail, Instance: r.URL.Path}
	for _, f := range extra {
		f(&p)
	}
	b, _ := json.MarshalIndent(p, "", "  ")
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(b)+1))
	if len(p.Allow) > 0 {
		h.Set("Allow", joinComma(p.Allow))
	}
	w.WriteHeader(p.Status)
	_, _ = w.Write(append(b, '\n'))
}

func withParam(param string) func(*Problem) { return func(p *Problem) { p.Param = param } }

func withLimit(n int) func(*Problem) { return func(p *Problem) { p.Limit = n } }

func joinComma(ss []string) string {
	s := ""
	for i, v := range ss {
		if i > 0 {
			s += ", "
		}
		s += v
	}
	return s
}
