// POST /api/v1/submissions: new errors for the moderators' queue.

package api

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/reports"
	"github.com/errorcanon/errorcanon/internal/store"
)

// MaxSubmissionBody bounds a submission's JSON body.
const MaxSubmissionBody = 2*store.MaxSubmissionText + 4*store.MaxSubmissionNote

// SubmissionRequest is the body of POST /api/v1/submissions.
type SubmissionRequest struct {
	Text     string `json:"text"`
	Domain   string `json:"domain,omitempty"`
	Context  string `json:"context,omitempty"`
	Solution string `json:"solution,omitempty"`
	Reporter string `json:"reporter,omitempty"`
}

func (a *API) postSubmission(w http.ResponseWriter, r *http.Request) error {
	if err := CheckOrigin(r); err != nil {
		return err
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		return &Error{Err: ErrUnsupportedMediaType, Detail: "Send the submission as application/json."}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxSubmissionBody+1))
	if err != nil {
		return &Error{Err: ErrInvalidBody, Detail: "The body could not be read."}
	}
	if len(body) > MaxSubmissionBody {
		return &Error{Err: match.ErrTooLarge, Detail: fmt.Sprintf("A submission is at most %d bytes.", MaxSubmissionBody), Limit: MaxSubmissionBody}
	}
	if !utf8.Valid(body) {
		return &Error{Err: ErrInvalidBody, Detail: "The body is not valid UTF-8."}
	}
	var req SubmissionRequest
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil || dec.More() {
		return &Error{Err: ErrInvalidBody, Detail: `Send {"text": the error as printed, "domain", "context", "solution"}.`}
	}
	id, err := a.reports.Submit(r.Context(), reports.Submission{Text: req.Text, Domain: req.Domain, Context: req.Context, Solution: req.Solution,
		Token: req.Reporter, Addr: ClientAddr(r), UserAgent: r.UserAgent()})
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusCreated)
	return json.NewEncoder(w).Encode(map[string]string{"id": id, "status": "pending", "message": "Queued for review by the moderators; secrets found in it were redacted."})
}
