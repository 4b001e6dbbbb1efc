package reports

import (
	"context"
	"fmt"
	"strings"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/misses"
	"github.com/errorcanon/errorcanon/internal/store"
)

// Submission is a new error as a surface received it.
type Submission struct {
	Text, Domain, Context, Solution string
	// Who, as for reports.
	Token, Addr, UserAgent string
}

// Submit queues a new error for the moderators. Its texts are redacted
// (misses.Redact) before they are stored: a submitter who forgot a
// token in a pasted log does not publish it to the moderators.
func (s *Service) Submit(ctx context.Context, sub Submission) (string, error) {
	switch {
	case strings.TrimSpace(sub.Text) == "":
		return "", fmt.Errorf("%w: text is empty: give the error as printed", store.ErrInvalid)
	case sub.Domain != "" && (!canon.ValidDomainID(sub.Domain) || s.cat.Domain(sub.Domain) == nil):
		return "", fmt.Errorf("%w: domain must be one of the catalog's domain ids, or empty", store.ErrInvalid)
	}
	identity := "a:" + sub.Addr + "\x00" + sub.UserAgent
	if sub.Token != "" {
		identity = "t:" + sub.Token
	}
	reporter := s.st.HashReporter(identity)
	rec := store.Submission{Text: misses.Redact(sub.Text), Domain: sub.Domain, Context: misses.Redact(sub.Context),
		Solution: misses.Redact(sub.Solution), Reporter: reporter}
	// Check sizes and encoding before spending a rate-limit token.
	if len(rec.Text) > store.MaxSubmissionText || len(rec.Context) > store.MaxSubmissionNote || len(rec.Solution) > store.MaxSubmissionNote {
		return "", fmt.Errorf("%w: text is at most %d bytes, context and solution %d each", store.ErrInvalid, store.MaxSubmissionText, store.MaxSubmissionNote)
	}
	if err := s.allow(reporter, sub.Addr); err != nil {
		return "", err
	}
	return s.st.AddSubmission(ctx, rec)
}
