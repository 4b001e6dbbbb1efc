// Package reports takes outcome reports from every surface (the REST API,
// the entry pages' buttons, MCP's report_outcome and `errorcanon report`)
// and stores them: it checks them against the catalog, identifies the
// reporter, applies the rate limits and hands them to the store. It knows
// nothing of HTTP; callers map its errors to their answers.
package reports

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/metrics"
	"github.com/errorcanon/errorcanon/internal/store"
)

// Errors, besides store.ErrInvalid (a bad field: 400) and
// store.ErrUnavailable (the database is down: 503).
var (
	// ErrUnknownEntry: the id names no entry (404).
	ErrUnknownEntry = errors.New("unknown entry")
	// ErrRateLimited is what a *RateLimited is (429).
	ErrRateLimited = errors.New("rate limited")
)

// RateLimited is the error of a report over a limit: retry after
// RetryAfter (429 with Retry-After).
type RateLimited struct {
	RetryAfter time.Duration
	Scope      string // "reporter" or "address"
}

func (e *RateLimited) Error() string {
	return fmt.Sprintf("too many reports from this %s; retry in %d s", e.Scope, e.RetrySeconds())
}

// Is makes errors.Is(err, ErrRateLimited) hold.
func (e *RateLimited) Is(target error) bool { return target == ErrRateLimited }

// RetrySeconds is RetryAfter in whole seconds, at least 1.
func (e *RateLimited) RetrySeconds() int {
	return max(1, int(math.Ceil(e.RetryAfter.Seconds())))
}

// Report is one report as a surface received it.
type Report struct {
	ID   string
	Kind store.Kind
	// N is the workaround's or dead end's number, 1-based as every
	// surface lists them.
	N       int
	Outcome string
	OS      string
	Tool    string
	Version string
	Note    string
	// Who: a token the reporter chose (an agent's stable id), or else
	// the client's address and user agent. Only their salted hash is
	// stored.
	Token, Addr, UserAgent string
}

// Limits bound the reports per reporter and per client address; each is
// a token bucket of Burst reports refilled at PerMinute a minute. Zero
// PerMinute means no limit.
type Limits struct {
	PerMinute float64
	Burst     int
}

// DefaultLimits let a person or agent report on every card of a page in
// one go and then keep reporting at one every two seconds.
var DefaultLimits = Limits{PerMinute: 30, Burst: 20}

// Service stores reports. It is safe for concurrent use.
type Service struct {
	cat *catalog.Catalog
	st  store.Store
	lim Limits

	mu      sync.Mutex
	buckets map[string]*bucket

	// Set by Instrument; nil counts nothing.
	reports *metrics.Counter
	writes  *metrics.Histogram
}

// Instrument registers the service's metrics: reports by kind, outcome
// and result (stored, replaced, invalid, unknown_entry, rate_limited,
// unavailable), and the latency of store writes.
func (s *Service) Instrument(reg *metrics.Registry) {
	s.reports = reg.Counter("errorcanon_reports_total", "Outcome reports received, by kind, outcome and result.", "kind", "outcome", "result")
	s.writes = reg.Histogram("errorcanon_store_write_seconds", "Latency of storing one outcome report (successful or not).",
		[]float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5})
}

// result names an Add's outcome for the metrics.
func result(rc store.Receipt, err error) string {
	switch {
	case err == nil && rc.Replaced:
		return "replaced"
	case err == nil:
		return "stored"
	case errors.Is(err, ErrUnknownEntry):
		return "unknown_entry"
	case errors.Is(err, ErrRateLimited):
		return "rate_limited"
	case errors.Is(err, store.ErrInvalid):
		return "invalid"
	default:
		return "unavailable"
	}
}

type bucket struct {
	l    *rate.Limiter
	seen time.Time
}

// New returns the service over a catalog and a store.
func New(cat *catalog.Catalog, st store.Store, lim Limits) *Service {
	return &Service{cat: cat, st: st, lim: lim, buckets: map[string]*bucket{}}
}

// Store returns the store.
func (s *Service) Store() store.Store { return s.st }

// Add checks and stores a report.
func (s *Service) Add(ctx context.Context, r Report) (rc store.Receipt, err error) {
	defer func() {
		outcome := r.Outcome
		if !store.ValidResult(outcome) {
			outcome = "other" // no free text in label values
		}
		kind := string(r.Kind)
		if r.Kind != store.Workaround && r.Kind != store.DeadEnd {
			kind = "other"
		}
		s.reports.Inc(kind, outcome, result(rc, err))
	}()
	e := s.cat.Entry(r.ID)
	if e == nil {
		return store.Receipt{}, fmt.Errorf("%w: %q", ErrUnknownEntry, r.ID)
	}
	n, what := len(e.Workarounds), "workaround"
	if r.Kind == store.DeadEnd {
		n, what = len(e.DeadEnds), "dead end"
	}
	if r.Kind != store.Workaround && r.Kind != store.DeadEnd {
		return store.Receipt{}, fmt.Errorf("%w: give a workaround or a dead end", store.ErrInvalid)
	}
	if r.N < 1 || r.N > n {
		return store.Receipt{}, fmt.Errorf("%w: %s has %d %s(s); the number must be 1 to %d", store.ErrInvalid, e.ID, n, what, n)
	}
	identity := "a:" + r.Addr + "\x00" + r.UserAgent
	if r.Token != "" {
		if len(r.Token) > store.MaxReporter {
			return store.Receipt{}, fmt.Errorf("%w: reporter token is longer than %d bytes", store.ErrInvalid, store.MaxReporter)
		}
		identity = "t:" + r.Token
	}
	o := store.Outcome{EntryID: e.ID, Kind: r.Kind, Item: r.N - 1, Result: store.Result(r.Outcome),
		Reporter: s.st.HashReporter(identity), OS: r.OS, Tool: r.Tool, ToolVersion: r.Version, Note: r.Note}
	if err := o.Validate(); err != nil {
		return store.Receipt{}, err
	}
	if err := s.allow(o.Reporter, r.Addr); err != nil {
		return store.Receipt{}, err
	}
	start := time.Now()
	rc, err = s.st.AddOutcome(ctx, o)
	s.writes.Observe(time.Since(start).Seconds())
	return rc, err
}

// allow takes a token from the reporter's bucket and the address's. Only
// valid reports count: a client fixing a typo is not throttled for it.
func (s *Service) allow(reporter, addr string) error {
	if s.lim.PerMinute <= 0 {
		return nil
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.buckets) > 100_000 {
		s.sweep(now)
	}
	keys := []struct{ key, scope string }{{"r:" + reporter, "reporter"}}
	if addr != "" {
		keys = append(keys, struct{ key, scope string }{"a:" + addr, "address"})
	}
	var res []*rate.Reservation
	for _, k := range keys {
		b := s.buckets[k.key]
		if b == nil {
			b = &bucket{l: rate.NewLimiter(rate.Limit(s.lim.PerMinute/60), s.lim.Burst)}
			s.buckets[k.key] = b
		}
		b.seen = now
		rv := b.l.ReserveN(now, 1)
		if d := rv.DelayFrom(now); d > 0 {
			rv.CancelAt(now)
			for _, r := range res {
				r.CancelAt(now)
			}
			return &RateLimited{RetryAfter: d, Scope: k.scope}
		}
		res = append(res, rv)
	}
	return nil
}

// sweep forgets buckets idle long enough to be full again.
func (s *Service) sweep(now time.Time) {
	idle := time.Duration(float64(s.lim.Burst)/s.lim.PerMinute*float64(time.Minute)) + time.Minute
	for k, b := range s.buckets {
		if now.Sub(b.seen) > idle {
			delete(s.buckets, k)
		}
	}
}
