// Load limits: per-client rate limits, a cap on concurrent costly
// requests with a short queue, and request body limits. A refused request
// is answered by the server's fail function, with Retry-After set for 429
// and 503, so every surface answers it in its own form (a problem
// document, an error page).

package middleware

import (
	"context"
	"errors"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Errors a limit hands to the fail function.
var (
	// ErrRateLimited: the client sent more requests than its rate allows.
	ErrRateLimited = errors.New("rate limited")
	// ErrOverloaded: no slot freed up for the request while it queued.
	ErrOverloaded = errors.New("overloaded")
)

// ClientLimiter keeps one token bucket per client (by IP address): rate
// requests a second on average, burst at once. A nil *ClientLimiter
// allows everything.
type ClientLimiter struct {
	rate  rate.Limit
	burst int

	mu      sync.Mutex
	clients map[string]*rate.Limiter
}

// maxClients bounds the buckets kept; past it, the full (idle) ones are
// dropped, and if none is, all are.
const maxClients = 10_000

// NewClientLimiter returns a limiter of perSecond requests a second and
// burst at once per client, or nil (no limit) when perSecond is not
// positive. A burst below 1 is taken as 1.
func NewClientLimiter(perSecond float64, burst int) *ClientLimiter {
	if perSecond <= 0 {
		return nil
	}
	return &ClientLimiter{rate: rate.Limit(perSecond), burst: max(burst, 1), clients: map[string]*rate.Limiter{}}
}

// Allow takes a token of client's bucket, or reports how long until one is
// there.
func (c *ClientLimiter) Allow(client string, now time.Time) (ok bool, retryAfter time.Duration) {
	if c == nil {
		return true, 0
	}
	c.mu.Lock()
	l := c.clients[client]
	if l == nil {
		if len(c.clients) >= maxClients {
			c.sweep(now)
		}
		l = rate.NewLimiter(c.rate, c.burst)
		c.clients[client] = l
	}
	c.mu.Unlock()
	r := l.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// sweep drops the buckets that are full again (clients that went
// quiet); c.mu is held.
func (c *ClientLimiter) sweep(now time.Time) {
	for k, l := range c.clients {
		if l.TokensAt(now) >= float64(c.burst) {
			delete(c.clients, k)
		}
	}
	if len(c.clients) >= maxClients {
		clear(c.clients)
	}
}

// Gate admits at most n requests at a time; others queue for up to wait.
// A nil *Gate admits everything.
type Gate struct {
	slots chan struct{}
	wait  time.Duration
}

// NewGate returns a gate of n slots, or nil (no cap) when n is not
// positive.
func NewGate(n int, wait time.Duration) *Gate {
	if n <= 0 {
		return nil
	}
	return &Gate{slots: make(chan struct{}, n), wait: wait}
}

// Enter takes a slot, waiting up to the gate's queue time (or until ctx
// ends), and returns the function that gives it back.
func (g *Gate) Enter(ctx context.Context) (release func(), ok bool) {
	if g == nil {
		return func() {}, true
	}
	select {
	case g.slots <- struct{}{}:
		return g.release, true
	default:
	}
	if g.wait <= 0 {
		return nil, false
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return g.release, true
	case <-t.C:
		return nil, false
	case <-ctx.Done():
		return nil, false
	}
}

func (g *Gate) release() { <-g.slots }

// Policy is what Guard applies to one request: its client's rate limit
// and the gate it must pass. Either may be nil.
type Policy struct {
	Limiter *ClientLimiter
	Gate    *Gate
}

// Guard applies the policy that policy picks for each request (the zero
// Policy lets it through). A request over its rate gets fail with
// ErrRateLimited, one that found no slot in time ErrOverloaded, both
// with Retry-After set.
func Guard(policy func(*http.Request) Policy, fail func(http.ResponseWriter, *http.Request, error)) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p := policy(r)
			if ok, after := p.Limiter.Allow(ClientIP(r), time.Now()); !ok {
				setRetryAfter(w, after)
				fail(w, r, ErrRateLimited)
				return
			}
			release, ok := p.Gate.Enter(r.Context())
			if !ok {
				setRetryAfter(w, time.Second)
				fail(w, r, ErrOverloaded)
				return
			}
			defer release()
			next.ServeHTTP(w, r)
		})
	}
}

func setRetryAfter(w http.ResponseWriter, d time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(d.Seconds())))))
}

// ClientIP is the client a rate limit counts against: the address the
// request came from (a reverse proxy's own address when there is one).
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// LimitBody refuses a request whose Content-Length is over n bytes before
// reading it, and bounds the body of the others to n bytes
// (http.MaxBytesReader), so reading past it fails with an
// *http.MaxBytesError. The refusal is fail with an *http.MaxBytesError.
func LimitBody(n int64, fail func(http.ResponseWriter, *http.Request, error)) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > n {
				fail(w, r, &http.MaxBytesError{Limit: n})
				return
			}
			if r.Body != nil {
				r.Body = http.MaxBytesReader(w, r.Body, n)
			}
			next.ServeHTTP(w, r)
		})
	}
}
