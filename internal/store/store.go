// Package store keeps ErrorCanon's durable state: the outcome reports
// that people and agents send about workarounds and dead ends, and the
// misses (inputs no entry matched, redacted and grouped).
//
// # Usage
//
// [Open] takes what --db / ERRORCANON_DB holds: a file path for SQLite
// (the embedded default) or a postgres:// URL for PostgreSQL, for several
// serve replicas. Either way it runs the schema migrations (migrations/,
// the same SQL for both back ends, applied with pressly/goose) and
// returns a [Store]; nothing outside this package sees SQL.
//
//	st, err := store.Open(ctx, "postgres://errorcanon@db/errorcanon")
//	rc, err := st.AddOutcome(ctx, store.Outcome{EntryID: "python/module-not-found-error", Kind: store.Workaround, Item: 0, Result: store.Worked, Reporter: h})
//
// [Figures] keeps every entry's tallies in memory for the renderer and
// reloads them when any replica writes (see [Store.Changes]).
//
// # Durability
//
// SQLite runs in WAL mode with synchronous=FULL: AddOutcome returns only
// after the report's commit record is in the WAL and fsynced, so an
// acknowledged report survives a crash of the process and of the machine.
// (NORMAL would survive a killed process but could lose the last commits
// on power loss; a report is worth the fsync.) All access goes through one
// connection, so there is a single writer; busy_timeout covers another
// process, such as `errorcanon report`, holding the file's lock.
// PostgreSQL commits with its default synchronous_commit=on.
//
// # Deduplication
//
// A reporter (a token, or a salted hash of client address and user
// agent, hashed with [Store.HashReporter] before it is stored) has one
// report per workaround or dead end: a second report replaces the first,
// so 100 identical reports move a rate as one.
package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Store is the durable state behind the write endpoints. Implementations
// are safe for concurrent use.
type Store interface {
	// AddOutcome stores a report, or replaces the reporter's earlier
	// report about the same workaround or dead end. A report that
	// breaks the limits of Outcome.Validate is refused with an error
	// wrapping ErrInvalid, and nothing is written. Any other error means
	// the store could not be reached or written (ErrUnavailable).
	AddOutcome(ctx context.Context, o Outcome) (Receipt, error)
	// Tallies counts the reports of every entry.
	Tallies(ctx context.Context) (map[string]EntryTallies, error)
	// AddMiss counts an input that matched no entry under its template;
	// both texts are redacted by the caller (internal/misses).
	AddMiss(ctx context.Context, template, example string) error
	// Misses lists the most frequent templates first.
	Misses(ctx context.Context, limit int) ([]Miss, error)
	// Prune deletes what is kept for a while only: misses not seen
	// since before, and submissions decided before it. Reports are the
	// figures' evidence and are kept.
	Prune(ctx context.Context, before time.Time) (Pruned, error)

	// Moderation (moderation.go): tokens, stored as hashes, and the
	// queue of submitted errors.
	CreateToken(ctx context.Context, role, note string) (id, token string, err error)
	TokenRole(ctx context.Context, token string) (string, error)
	RevokeToken(ctx context.Context, id string) error
	Tokens(ctx context.Context) ([]Token, error)
	AddSubmission(ctx context.Context, s Submission) (string, error)
	Submissions(ctx context.Context, status string, limit int) ([]Submission, error)
	Decide(ctx context.Context, id, status, by string) error
	// HashReporter turns a reporter's identity (a token, or client
	// address and user agent) into what is stored: an HMAC-SHA256 under
	// a salt kept in the database, so replicas agree and the raw value
	// is never written.
	HashReporter(identity string) string
	// Changes receives a value (coalesced) after reports change, written
	// by this process or, on PostgreSQL, by another replica.
	Changes() <-chan struct{}
	// Ping checks that the store answers.
	Ping(ctx context.Context) error
	// Backend is "sqlite" or "postgres"; Location says where, without
	// credentials.
	Backend() string
	Location() string
	Close() error
}

// Kind says whether a report is about a workaround or a dead end.
type Kind string

// The kinds.
const (
	Workaround Kind = "workaround"
	DeadEnd    Kind = "dead_end"
)

// Result is what happened when the reporter tried it.
type Result string

// The results. For a workaround, worked and worked_with_changes count as
// successes; for a dead end, did_not_work counts towards its fail rate.
const (
	Worked            Result = "worked"
	WorkedWithChanges Result = "worked_with_changes"
	DidNotWork        Result = "did_not_work"
)

// Results lists the results in the order forms show them.
var Results = []Result{Worked, WorkedWithChanges, DidNotWork}

// Limits of a report's free-text fields, in bytes.
const (
	MaxNote     = 2000
	MaxEnvField = 100
	MaxReporter = 200
)

// Outcome is one report.
type Outcome struct {
	EntryID string
	Kind    Kind
	Item    int // 0-based index into the entry's workarounds or dead ends
	Result  Result
	// Reporter is the hashed reporter (HashReporter); required.
	Reporter string
	// Env is optional: where it was tried.
	OS, Tool, ToolVersion string
	Note                  string
}

// Receipt acknowledges a stored report.
type Receipt struct {
	// ID identifies the stored report; a replaced report keeps its id.
	ID string `json:"id"`
	// Replaced is true when the reporter had reported on this workaround
	// or dead end before: the new report took the old one's place.
	Replaced bool `json:"replaced"`
}

// Errors of the store. ErrInvalid is the caller's fault (4xx);
// ErrUnavailable means the database could not be reached or written
// (503): nothing was acknowledged.
var (
	ErrInvalid     = errors.New("invalid input")
	ErrUnavailable = errors.New("store unavailable")
)

// Validate checks what the store can check without the catalog: the kind
// and result words, the index, the sizes and that every text is UTF-8.
// Whether the entry and its item exist is the caller's check.
func (o *Outcome) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
	}
	switch {
	case o.EntryID == "" || len(o.EntryID) > 200 || !utf8.ValidString(o.EntryID):
		return bad("entry id missing or malformed")
	case o.Kind != Workaround && o.Kind != DeadEnd:
		return bad("kind must be workaround or dead_end")
	case o.Item < 0:
		return bad("item must not be negative")
	case !ValidResult(string(o.Result)):
		return bad("outcome must be worked, worked_with_changes or did_not_work")
	case o.Reporter == "" || len(o.Reporter) > MaxReporter:
		return bad("reporter missing")
	case len(o.Note) > MaxNote:
		return bad("note is longer than %d bytes", MaxNote)
	case len(o.OS) > MaxEnvField || len(o.Tool) > MaxEnvField || len(o.ToolVersion) > MaxEnvField:
		return bad("env fields are at most %d bytes each", MaxEnvField)
	}
	for _, s := range []string{o.Note, o.OS, o.Tool, o.ToolVersion, o.Reporter} {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			return bad("text fields must be UTF-8 without NUL")
		}
	}
	return nil
}

// ValidResult reports whether s is one of Results.
func ValidResult(s string) bool {
	for _, r := range Results {
		if string(r) == s {
			return true
		}
	}
	return false
}

// Tally counts the reports about one workaround or dead end.
type Tally struct {
	Worked            int `json:"worked"`
	WorkedWithChanges int `json:"worked_with_changes"`
	DidNotWork        int `json:"did_not_work"`
}

// Reports is the number of reports.
func (t Tally) Reports() int { return t.Worked + t.WorkedWithChanges + t.DidNotWork }

// EntryTallies are one entry's tallies, indexed like its workarounds and
// dead ends (shorter slices: no reports for the rest).
type EntryTallies struct {
	Workarounds []Tally
	DeadEnds    []Tally
}

func (e *EntryTallies) add(k Kind, item int, r Result, n int) {
	s := &e.Workarounds
	if k == DeadEnd {
		s = &e.DeadEnds
	}
	if item < 0 || item > 1000 {
		return
	}
	for len(*s) <= item {
		*s = append(*s, Tally{})
	}
	t := &(*s)[item]
	switch r {
	case Worked:
		t.Worked += n
	case WorkedWithChanges:
		t.WorkedWithChanges += n
	case DidNotWork:
		t.DidNotWork += n
	}
}
