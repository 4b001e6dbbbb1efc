package middleware

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestClientLimiter(t *testing.T) {
	if ok, _ := (*ClientLimiter)(nil).Allow("a", time.Now()); !ok || NewClientLimiter(0, 5) != nil {
		t.Fatal("a nil limiter limits")
	}
	l := NewClientLimiter(2, 3) // 2/s, 3 at once
	now := time.Unix(1e9, 0)
	for i := range 3 {
		if ok, _ := l.Allow("a", now); !ok {
			t.Fatalf("request %d of the burst refused", i)
		}
	}
	ok, after := l.Allow("a", now)
	if ok || after != 500*time.Millisecond {
		t.Errorf("past the burst: %v, retry after %v", ok, after)
	}
	if ok, _ := l.Allow("b", now); !ok {
		t.Error("another client is limited by the first")
	}
	if ok, _ := l.Allow("a", now.Add(500*time.Millisecond)); !ok {
		t.Error("the refused request used up a token")
	}
}

func TestClientLimiterBounded(t *testing.T) {
	l := NewClientLimiter(1, 1)
	now := time.Unix(1e9, 0)
	for i := range maxClients + 10 {
		l.Allow(strings.Repeat("x", i%50)+string(rune('a'+i%26))+time.Duration(i).String(), now)
	}
	if n := len(l.clients); n > maxClients {
		t.Errorf("%d buckets kept, bound %d", n, maxClients)
	}
}

// TestGuardBurst: a burst past the gate and the queue is refused with 503
// and Retry-After, not absorbed; a burst past a client's rate gets 429.
func TestGuardBurst(t *testing.T) {
	const slots, burst = 2, 16
	entered, release := make(chan struct{}), make(chan struct{})
	var failed []error
	var mu sync.Mutex
	fail := func(w http.ResponseWriter, _ *http.Request, err error) {
		mu.Lock()
		failed = append(failed, err)
		mu.Unlock()
		w.WriteHeader(503)
	}
	gate := NewGate(slots, 0)
	h := Guard(func(*http.Request) Policy { return Policy{Gate: gate} }, fail)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		entered <- struct{}{}
		<-release
	}))
	codes := make(chan *httptest.ResponseRecorder, burst)
	for range burst {
		go func() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("POST", "/api/v1/match", nil))
			codes <- rec
		}()
	}
	for range slots {
		<-entered
	}
	// The others are refused while the two hold their slots.
	for range burst - slots {
		rec := <-codes
		if rec.Code != 503 || rec.Header().Get("Retry-After") != "1" {
			t.Errorf("refused request: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
		}
	}
	close(release)
	for range slots {
		if rec := <-codes; rec.Code != 200 {
			t.Errorf("admitted request: %d", rec.Code)
		}
	}
	for _, err := range failed {
		if !errors.Is(err, ErrOverloaded) {
			t.Errorf("fail got %v", err)
		}
	}
	// Slots are given back.
	if rel, ok := gate.Enter(t.Context()); !ok {
		t.Error("a slot was not given back")
	} else {
		rel()
	}

	lim := NewClientLimiter(0.001, 3)
	rl := Guard(func(*http.Request) Policy { return Policy{Limiter: lim} }, func(w http.ResponseWriter, _ *http.Request, err error) {
		if !errors.Is(err, ErrRateLimited) {
			t.Errorf("fail got %v", err)
		}
		w.WriteHeader(429)
	})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	got := map[int]int{}
	for range 10 {
		rec := httptest.NewRecorder()
		rl.ServeHTTP(rec, httptest.NewRequest("GET", "/search?q=x", nil))
		got[rec.Code]++
		if rec.Code == 429 && rec.Header().Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
	}
	if got[200] != 3 || got[429] != 7 {
		t.Errorf("rate-limited burst: %v", got)
	}
}

// TestGateQueues: a request waits for a slot that frees up within the
// queue time.
func TestGateQueues(t *testing.T) {
	g := NewGate(1, time.Minute)
	rel, _ := g.Enter(t.Context())
	done := make(chan bool)
	go func() { r, ok := g.Enter(t.Context()); done <- ok; r() }()
	rel()
	if !<-done {
		t.Error("the queued request was refused")
	}
}

func TestLimitBody(t *testing.T) {
	var got error
	fail := func(w http.ResponseWriter, _ *http.Request, err error) { got = err; w.WriteHeader(413) }
	read := 0
	h := LimitBody(10, fail)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 100)
		n, err := r.Body.Read(b)
		read = n
		var mb *http.MaxBytesError
		if err != nil && errors.As(err, &mb) {
			w.WriteHeader(413)
		}
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/mcp", strings.NewReader(strings.Repeat("x", 11))))
	var mb *http.MaxBytesError
	if rec.Code != 413 || !errors.As(got, &mb) || mb.Limit != 10 || read != 0 {
		t.Errorf("Content-Length over the limit: %d %v, read %d", rec.Code, got, read)
	}
	// Without a Content-Length, reading stops at the limit.
	req := httptest.NewRequest("POST", "/mcp", strings.NewReader(strings.Repeat("x", 11)))
	req.ContentLength = -1
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if read > 10 {
		t.Errorf("read %d bytes past a 10-byte limit", read)
	}
}

func TestCheckOrigin(t *testing.T) {
	h := CheckOrigin([]string{"https://app.example/", "not an origin"}, func(w http.ResponseWriter, _ *http.Request, err error) {
		if !errors.Is(err, ErrForbiddenOrigin) {
			t.Errorf("fail got %v", err)
		}
		w.WriteHeader(403)
	})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	for origin, want := range map[string]int{
		"":                           200,
		"http://127.0.0.1:8080":      200, // same origin
		"HTTP://127.0.0.1:8080":      200,
		"https://app.example":        200, // allowed
		"https://evil.example":       403,
		"http://127.0.0.1:9999":      403, // another port is another origin
		"null":                       403,
		"https://app.example.evil":   403,
		"https://app.example/path":   403,
		"javascript:alert(1)":        403,
		"http://user@127.0.0.1:8080": 403,
	} {
		req := httptest.NewRequest("POST", "http://127.0.0.1:8080/mcp", nil)
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("Origin %q: %d, want %d", origin, rec.Code, want)
		}
	}
}
