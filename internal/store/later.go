// This file holds OpenLater: a store that connects in the background, so
// a replica whose database is down when it starts still serves reads.

package store

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// Retry bounds of OpenLater: the first retry after retryMin, doubling up
// to retryMax between attempts.
const (
	retryMin = time.Second
	retryMax = 30 * time.Second
)

// OpenLater returns a Store at once and opens dsn in the background,
// retrying until it answers or ctx ends. Until then every method answers
// ErrUnavailable (write endpoints answer 503, pages show the editors'
// estimates); once open it behaves as Open's store, and Changes signals
// once so that Figures load the tallies. Use it where the database may
// be down at start (a PostgreSQL behind several replicas); a local
// SQLite file that cannot be opened is a configuration error, for Open.
func OpenLater(ctx context.Context, dsn string, log *slog.Logger) Store {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(ctx)
	s := &laterStore{location: redactDSN(dsn), backend: "sqlite", changes: make(chan struct{}, 1), cancel: cancel, done: make(chan struct{})}
	if IsPostgres(dsn) {
		s.backend = "postgres"
	}
	_, _ = rand.Read(s.salt[:]) // never fails (crypto/rand)
	go s.connect(ctx, dsn, log, retryMin)
	return s
}

type laterStore struct {
	inner    atomic.Pointer[Store]
	location string
	backend  string
	changes  chan struct{}
	cancel   context.CancelFunc
	done     chan struct{} // closed when connect returns
	salt     [32]byte      // HashReporter's until the database answers
	close    sync.Once
}

func (s *laterStore) connect(ctx context.Context, dsn string, log *slog.Logger, wait time.Duration) {
	defer close(s.done)
	for {
		octx, cancel := context.WithTimeout(ctx, 10*time.Second)
		st, err := Open(octx, dsn)
		cancel()
		if err == nil {
			s.inner.Store(&st)
			log.Info("report store connected", "backend", st.Backend(), "db", st.Location())
			s.signal()
			// Forward the store's changes until it is closed.
			for {
				select {
				case <-ctx.Done():
					return
				case _, ok := <-st.Changes():
					if !ok {
						return
					}
					s.signal()
				}
			}
		}
		log.Warn("report store unavailable; retrying", "db", s.location, "in", wait.String(), "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, retryMax)
	}
}

func (s *laterStore) signal() {
	select {
	case s.changes <- struct{}{}:
	default:
	}
}

// errNotYet is what every method answers before the database is open.
var errNotYet = errors.Join(ErrUnavailable, errors.New("the database has not answered since start; retrying in the background"))

func (s *laterStore) get() (Store, error) {
	if p := s.inner.Load(); p != nil {
		return *p, nil
	}
	return nil, errNotYet
}

func (s *laterStore) AddOutcome(ctx context.Context, o Outcome) (Receipt, error) {
	st, err := s.get()
	if err != nil {
		return Receipt{}, err
	}
	return st.AddOutcome(ctx, o)
}

func (s *laterStore) Tallies(ctx context.Context) (map[string]EntryTallies, error) {
	st, err := s.get()
	if err != nil {
		return nil, err
	}
	return st.Tallies(ctx)
}

func (s *laterStore) AddMiss(ctx context.Context, template, example string) error {
	st, err := s.get()
	if err != nil {
		return err
	}
	return st.AddMiss(ctx, template, example)
}

func (s *laterStore) Misses(ctx context.Context, limit int) ([]Miss, error) {
	st, err := s.get()
	if err != nil {
		return nil, err
	}
	return st.Misses(ctx, limit)
}

func (s *laterStore) Prune(ctx context.Context, before time.Time) (Pruned, error) {
	st, err := s.get()
	if err != nil {
		return Pruned{}, err
	}
	return st.Prune(ctx, before)
}

func (s *laterStore) CreateToken(ctx context.Context, role, note string) (string, string, error) {
	st, err := s.get()
	if err != nil {
		return "", "", err
	}
	return st.CreateToken(ctx, role, note)
}

func (s *laterStore) TokenRole(ctx context.Context, token string) (string, error) {
	st, err := s.get()
	if err != nil {
		return "", err
	}
	return st.TokenRole(ctx, token)
}

func (s *laterStore) RevokeToken(ctx context.Context, id string) error {
	st, err := s.get()
	if err != nil {
		return err
	}
	return st.RevokeToken(ctx, id)
}

func (s *laterStore) Tokens(ctx context.Context) ([]Token, error) {
	st, err := s.get()
	if err != nil {
		return nil, err
	}
	return st.Tokens(ctx)
}

func (s *laterStore) AddSubmission(ctx context.Context, sub Submission) (string, error) {
	st, err := s.get()
	if err != nil {
		return "", err
	}
	return st.AddSubmission(ctx, sub)
}

func (s *laterStore) Submissions(ctx context.Context, status string, limit int) ([]Submission, error) {
	st, err := s.get()
	if err != nil {
		return nil, err
	}
	return st.Submissions(ctx, status, limit)
}

func (s *laterStore) Decide(ctx context.Context, id, status, by string) error {
	st, err := s.get()
	if err != nil {
		return err
	}
	return st.Decide(ctx, id, status, by)
}

// HashReporter needs the salt kept in the database. Before it answers,
// a salt of this process keeps reporters apart for the rate limiter;
// nothing can be stored under such a hash, since every write fails.
func (s *laterStore) HashReporter(identity string) string {
	st, err := s.get()
	if err != nil {
		m := hmac.New(sha256.New, s.salt[:])
		m.Write([]byte(identity))
		return "tmp:" + hex.EncodeToString(m.Sum(nil))
	}
	return st.HashReporter(identity)
}

func (s *laterStore) Changes() <-chan struct{} { return s.changes }

func (s *laterStore) Ping(ctx context.Context) error {
	st, err := s.get()
	if err != nil {
		return err
	}
	return st.Ping(ctx)
}

func (s *laterStore) Backend() string { return s.backend }

func (s *laterStore) Location() string {
	if st, err := s.get(); err == nil {
		return st.Location()
	}
	return s.location
}

// Close stops connecting and closes the store if it was opened.
func (s *laterStore) Close() error {
	var err error
	s.close.Do(func() {
		s.cancel()
		<-s.done
		if st, e := s.get(); e == nil {
			err = st.Close()
		}
	})
	return err
}

// redactDSN is a dsn without its password, for logs.
func redactDSN(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" {
		return u.Redacted()
	}
	return dsn
}
