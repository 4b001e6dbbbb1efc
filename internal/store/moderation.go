// This file holds moderation: moderators' tokens and the queue of
// submitted errors.

package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// RoleModerator may list, accept and reject submissions and read misses.
const RoleModerator = "moderator"

// ErrUnauthorized: a token that is unknown or revoked.
var ErrUnauthorized = errors.New("unknown or revoked token")

// ErrNotFound: no submission or token with that id (or not pending).
var ErrNotFound = errors.New("not found")

// Token describes a moderator's token; the token itself is shown once
// when created and stored only as its SHA-256.
type Token struct {
	ID      string     `json:"id"`
	Role    string     `json:"role"`
	Note    string     `json:"note"`
	Created time.Time  `json:"created"`
	Revoked *time.Time `json:"revoked,omitempty"`
}

// Submission is an error someone met that the catalog does not know.
type Submission struct {
	ID       string     `json:"id"`
	Text     string     `json:"text"`
	Domain   string     `json:"domain"`
	Context  string     `json:"context"`
	Solution string     `json:"solution"`
	Reporter string     `json:"-"`
	Status   string     `json:"status"`
	Created  time.Time  `json:"created"`
	Decided  *time.Time `json:"decided,omitempty"`
}

// Limits of a submission, in bytes.
const (
	MaxSubmissionText = 64 << 10
	MaxSubmissionNote = 4000
)

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// HashOf identifies a token in records (decided_by) without revealing it.
func HashOf(token string) string { return tokenHash(token)[:16] }

// CreateToken makes a token for role and returns its id and the token.
// Tokens are 256 random bits, so an unsalted SHA-256 is enough to keep
// them from being read back out of the database.
func (s *sqlStore) CreateToken(ctx context.Context, role, note string) (id, token string, err error) {
	if role != RoleModerator {
		return "", "", fmt.Errorf("%w: role must be %s", ErrInvalid, RoleModerator)
	}
	if len(note) > 200 || !utf8.ValidString(note) {
		return "", "", fmt.Errorf("%w: note is at most 200 bytes of UTF-8", ErrInvalid)
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = "ecm_" + base64.RawURLEncoding.EncodeToString(b)
	id = newID()[:12]
	_, err = s.db.ExecContext(ctx, s.d.rebind(`INSERT INTO tokens (id, hash, role, note, created_at) VALUES (?, ?, ?, ?, ?)`),
		id, tokenHash(token), role, note, time.Now().UnixMilli())
	if err != nil {
		return "", "", unavailable("create token", err)
	}
	return id, token, nil
}

// TokenRole returns the role of a valid token, or ErrUnauthorized.
func (s *sqlStore) TokenRole(ctx context.Context, token string) (string, error) {
	if token == "" || len(token) > 200 {
		return "", ErrUnauthorized
	}
	var role string
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT role FROM tokens WHERE hash = ? AND revoked_at IS NULL`), tokenHash(token)).Scan(&role)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", ErrUnauthorized
	case err != nil:
		return "", unavailable("check token", err)
	}
	return role, nil
}

// RevokeToken revokes a token by id.
func (s *sqlStore) RevokeToken(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, s.d.rebind(`UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`), time.Now().UnixMilli(), id)
	if err != nil {
		return unavailable("revoke token", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: no active token %q", ErrNotFound, id)
	}
	return nil
}

// Tokens lists the tokens, newest first.
func (s *sqlStore) Tokens(ctx context.Context) ([]Token, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, role, note, created_at, revoked_at FROM tokens ORDER BY created_at DESC, id`)
	if err != nil {
		return nil, unavailable("tokens", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var t Token
		var created int64
		var revoked sql.NullInt64
		if err := rows.Scan(&t.ID, &t.Role, &t.Note, &created, &revoked); err != nil {
			return nil, unavailable("tokens", err)
		}
		t.Created = time.UnixMilli(created).UTC()
		if revoked.Valid {
			r := time.UnixMilli(revoked.Int64).UTC()
			t.Revoked = &r
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// AddSubmission queues a submission for review.
func (s *sqlStore) AddSubmission(ctx context.Context, sub Submission) (string, error) {
	switch {
	case sub.Text == "" || len(sub.Text) > MaxSubmissionText:
		return "", fmt.Errorf("%w: text is empty or over %d bytes", ErrInvalid, MaxSubmissionText)
	case len(sub.Context) > MaxSubmissionNote || len(sub.Solution) > MaxSubmissionNote || len(sub.Domain) > 40:
		return "", fmt.Errorf("%w: context and solution are at most %d bytes each", ErrInvalid, MaxSubmissionNote)
	case sub.Reporter == "":
		return "", fmt.Errorf("%w: reporter missing", ErrInvalid)
	}
	for _, t := range []string{sub.Text, sub.Domain, sub.Context, sub.Solution} {
		if !utf8.ValidString(t) {
			return "", fmt.Errorf("%w: text fields must be UTF-8", ErrInvalid)
		}
	}
	id := newID()
	_, err := s.db.ExecContext(ctx, s.d.rebind(`INSERT INTO submissions (id, text, domain, context, solution, reporter, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)`),
		id, sub.Text, sub.Domain, sub.Context, sub.Solution, sub.Reporter, time.Now().UnixMilli())
	if err != nil {
		return "", unavailable("add submission", err)
	}
	return id, nil
}

// Submissions lists submissions with a status, oldest first.
func (s *sqlStore) Submissions(ctx context.Context, status string, limit int) ([]Submission, error) {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT id, text, domain, context, solution, status, created_at, decided_at FROM submissions WHERE status = ? ORDER BY created_at, id LIMIT ?`), status, limit)
	if err != nil {
		return nil, unavailable("submissions", err)
	}
	defer rows.Close()
	var out []Submission
	for rows.Next() {
		var sub Submission
		var created int64
		var decided sql.NullInt64
		if err := rows.Scan(&sub.ID, &sub.Text, &sub.Domain, &sub.Context, &sub.Solution, &sub.Status, &created, &decided); err != nil {
			return nil, unavailable("submissions", err)
		}
		sub.Created = time.UnixMilli(created).UTC()
		if decided.Valid {
			d := time.UnixMilli(decided.Int64).UTC()
			sub.Decided = &d
		}
		out = append(out, sub)
	}
	return out, rows.Err()
}

// Decide accepts or rejects a pending submission.
func (s *sqlStore) Decide(ctx context.Context, id, status, by string) error {
	if status != "accepted" && status != "rejected" {
		return fmt.Errorf("%w: status must be accepted or rejected", ErrInvalid)
	}
	res, err := s.db.ExecContext(ctx, s.d.rebind(`UPDATE submissions SET status = ?, decided_at = ?, decided_by = ? WHERE id = ? AND status = 'pending'`),
		status, time.Now().UnixMilli(), by, id)
	if err != nil {
		return unavailable("decide", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: no pending submission %q", ErrNotFound, id)
	}
	return nil
}
