// This file holds the one implementation of Store over database/sql,
// with the differences between SQLite and PostgreSQL in a dialect.

package store

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
)

//go:embed migrations/*.sql
var migrations embed.FS

// dialect is what differs between the back ends.
type dialect struct {
	name  string
	goose goose.Dialect
	// dollar: placeholders are $1, $2 (PostgreSQL) instead of ?.
	dollar bool
	// notify, when set, runs inside each write's transaction so that
	// other replicas hear of it on commit.
	notify string
}

var (
	sqliteDialect   = dialect{name: "sqlite", goose: goose.DialectSQLite3}
	postgresDialect = dialect{name: "postgres", goose: goose.DialectPostgres, dollar: true,
		notify: "SELECT pg_notify('" + notifyChannel + "', '')"}
)

// notifyChannel is the PostgreSQL channel writes are announced on.
const notifyChannel = "errorcanon_outcomes"

// rebind turns ? placeholders into the dialect's.
func (d dialect) rebind(q string) string {
	if !d.dollar {
		return q
	}
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// sqlStore is Store over database/sql.
type sqlStore struct {
	db       *sql.DB
	d        dialect
	location string
	salt     []byte
	changes  chan struct{}
	// stop ends background work (the PostgreSQL listener).
	stop func()
}

// migrate applies the migrations that are not applied yet. On PostgreSQL
// a session advisory lock keeps replicas that start together from
// applying them twice.
func migrate(ctx context.Context, db *sql.DB, d dialect, opts ...goose.ProviderOption) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(d.goose, db, sub, opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	return nil
}

func newSQLStore(ctx context.Context, db *sql.DB, d dialect, location string) (*sqlStore, error) {
	s := &sqlStore{db: db, d: d, location: location, changes: make(chan struct{}, 1), stop: func() {}}
	salt, err := s.loadSalt(ctx)
	if err != nil {
		return nil, err
	}
	s.salt = salt
	return s, nil
}

// loadSalt reads the reporter salt, creating it on first use; replicas
// race to insert it and all read the winner's.
func (s *sqlStore) loadSalt(ctx context.Context) ([]byte, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	_, err := s.db.ExecContext(ctx, s.d.rebind(`INSERT INTO meta (key, value) VALUES ('reporter_salt', ?) ON CONFLICT (key) DO NOTHING`), hex.EncodeToString(b))
	if err != nil {
		return nil, unavailable("store salt", err)
	}
	var v string
	if err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'reporter_salt'`).Scan(&v); err != nil {
		return nil, unavailable("store salt", err)
	}
	return hex.DecodeString(v)
}

func unavailable(what string, err error) error {
	return fmt.Errorf("%w: %s: %v", ErrUnavailable, what, err)
}

func (s *sqlStore) HashReporter(identity string) string {
	m := hmac.New(sha256.New, s.salt)
	m.Write([]byte(identity))
	return hex.EncodeToString(m.Sum(nil))
}

func newID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// upsert stores a report or replaces the reporter's earlier one on the
// same item; RETURNING gives the id the row keeps.
const upsert = `INSERT INTO outcomes (id, entry_id, kind, item, outcome, reporter, os, tool, tool_version, note, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (reporter, entry_id, kind, item) DO UPDATE SET
	outcome = excluded.outcome, os = excluded.os, tool = excluded.tool, tool_version = excluded.tool_version,
	note = excluded.note, updated_at = excluded.updated_at
RETURNING id`

func (s *sqlStore) AddOutcome(ctx context.Context, o Outcome) (Receipt, error) {
	if err := o.Validate(); err != nil {
		return Receipt{}, err
	}
	id := newID()
	now := time.Now().UnixMilli()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Receipt{}, unavailable("begin", err)
	}
	defer func() { _ = tx.Rollback() }()
	var got string
	err = tx.QueryRowContext(ctx, s.d.rebind(upsert), id, o.EntryID, string(o.Kind), o.Item, string(o.Result), o.Reporter,
		o.OS, o.Tool, o.ToolVersion, o.Note, now, now).Scan(&got)
	if err != nil {
		return Receipt{}, unavailable("insert report", err)
	}
	if s.d.notify != "" {
		if _, err := tx.ExecContext(ctx, s.d.notify); err != nil {
			return Receipt{}, unavailable("notify", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return Receipt{}, unavailable("commit", err)
	}
	s.changed()
	return Receipt{ID: got, Replaced: got != id}, nil
}

// changed signals Changes without blocking; signals coalesce.
func (s *sqlStore) changed() {
	select {
	case s.changes <- struct{}{}:
	default:
	}
}

func (s *sqlStore) Changes() <-chan struct{} { return s.changes }

func (s *sqlStore) Tallies(ctx context.Context) (map[string]EntryTallies, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT entry_id, kind, item, outcome, COUNT(*) FROM outcomes GROUP BY entry_id, kind, item, outcome`)
	if err != nil {
		return nil, unavailable("tallies", err)
	}
	defer rows.Close()
	out := map[string]EntryTallies{}
	for rows.Next() {
		var id, kind, result string
		var item, n int
		if err := rows.Scan(&id, &kind, &item, &result, &n); err != nil {
			return nil, unavailable("tallies", err)
		}
		t := out[id]
		t.add(Kind(kind), item, Result(result), n)
		out[id] = t
	}
	if err := rows.Err(); err != nil {
		return nil, unavailable("tallies", err)
	}
	return out, nil
}

// countIDs reports how many of ids are stored (tests use it to check that
// every acknowledged report survived).
func (s *sqlStore) countIDs(ctx context.Context, ids []string) (int, error) {
	n := 0
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		q := `SELECT COUNT(*) FROM outcomes WHERE id IN (?` + strings.Repeat(", ?", len(chunk)-1) + `)`
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		var c int
		if err := s.db.QueryRowContext(ctx, s.d.rebind(q), args...).Scan(&c); err != nil {
			return 0, err
		}
		n += c
	}
	return n, nil
}

func (s *sqlStore) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return unavailable("ping", err)
	}
	return nil
}

func (s *sqlStore) Backend() string  { return s.d.name }
func (s *sqlStore) Location() string { return s.location }

func (s *sqlStore) Close() error {
	s.stop()
	return s.db.Close()
}

// CountIDs reports how many of the report ids a store holds. It exists
// for the durability tests, which check that every acknowledged report
// is still there after a crash.
func CountIDs(ctx context.Context, st Store, ids []string) (int, error) {
	s, ok := st.(*sqlStore)
	if !ok {
		return 0, errors.New("store: CountIDs needs a store from Open")
	}
	return s.countIDs(ctx, ids)
}
