// This file opens the back ends: SQLite files and PostgreSQL URLs, and
// PostgreSQL's listener for other replicas' writes.

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, pure Go
)

// IsPostgres reports whether a --db value names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// DefaultPath is the SQLite file used when --db is not given: errorcanon.db
// in the user's data directory ($XDG_DATA_HOME/errorcanon, else
// ~/.local/share/errorcanon; ~/Library/Application Support/errorcanon on
// macOS; %LocalAppData%\errorcanon on Windows).
func DefaultPath(getenv func(string) string) (string, error) {
	var dir string
	switch {
	case getenv("XDG_DATA_HOME") != "":
		dir = getenv("XDG_DATA_HOME")
	case runtime.GOOS == "windows" && getenv("LocalAppData") != "":
		dir = getenv("LocalAppData")
	default:
		home := getenv("HOME")
		if home == "" {
			return "", errors.New("no data directory ($HOME and $XDG_DATA_HOME are unset): set --db or ERRORCANON_DB")
		}
		if runtime.GOOS == "darwin" {
			dir = filepath.Join(home, "Library", "Application Support")
		} else {
			dir = filepath.Join(home, ".local", "share")
		}
	}
	return filepath.Join(dir, "errorcanon", "errorcanon.db"), nil
}

// Open opens the store dsn names, a postgres:// URL or a SQLite file
// path (its directory is created), and migrates its schema.
func Open(ctx context.Context, dsn string) (Store, error) {
	if dsn == "" {
		return nil, errors.New("store: no database given")
	}
	if IsPostgres(dsn) {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, dsn)
}

func openSQLite(ctx context.Context, path string) (Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	// WAL: readers never block the writer. synchronous=FULL: a commit is
	// fsynced before it returns (see the package doc). busy_timeout: wait
	// up to 5 s for another process's lock instead of failing at once.
	// _txlock=immediate: a transaction takes the write lock when it begins,
	// so two writers never deadlock upgrading a read lock.
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	// One connection: one writer, and every pragma applies to it.
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := migrate(ctx, db, sqliteDialect); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	s, err := newSQLStore(ctx, db, sqliteDialect, path)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	return s, nil
}

func openPostgres(ctx context.Context, dsn string) (Store, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	loc := dsn
	if u, err := url.Parse(dsn); err == nil {
		loc = u.Redacted()
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(16)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", loc, err)
	}
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		db.Close()
		return nil, err
	}
	if err := migrate(ctx, db, postgresDialect, goose.WithSessionLocker(locker)); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", loc, err)
	}
	s, err := newSQLStore(ctx, db, postgresDialect, loc)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	lctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.listen(lctx, cfg)
	}()
	s.stop = func() { cancel(); <-done }
	return s, nil
}

// listen holds a connection that LISTENs for other replicas' writes and
// signals Changes for each. After a lost connection it reconnects and
// signals once, since notifications sent meanwhile are lost.
func (s *sqlStore) listen(ctx context.Context, cfg *pgx.ConnConfig) {
	wait := 100 * time.Millisecond
	for ctx.Err() == nil {
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err == nil {
			if _, err = conn.Exec(ctx, "LISTEN "+notifyChannel); err == nil {
				s.changed() // catch up on what happened while not listening
				wait = 100 * time.Millisecond
				for {
					if _, err = conn.WaitForNotification(ctx); err != nil {
						break
					}
					s.changed()
				}
			}
			cctx, cancel := context.WithTimeout(context.Background(), time.Second)
			_ = conn.Close(cctx)
			cancel()
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(wait*2, 2*time.Second)
	}
}
