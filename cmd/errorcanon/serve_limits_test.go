package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestServeRefusesBursts: with small limits, a burst on match, search and
// MCP is refused with 429 problem documents past each client's burst; a
// body over the limit on /mcp gets 413 before it is read; a foreign
// Origin on /mcp gets 403. Nothing is absorbed.
func TestServeRefusesBursts(t *testing.T) {
	t.Parallel()
	addr, stop, logs := startServe(t, map[string]string{
		"ERRORCANON_MATCH_RATE": "0.001", "ERRORCANON_MATCH_BURST": "3",
		"ERRORCANON_SEARCH_RATE": "0.001", "ERRORCANON_SEARCH_BURST": "4",
		"ERRORCANON_MCP_RATE": "0.001", "ERRORCANON_MCP_BURST": "30",
		"ERRORCANON_MCP_ORIGINS": "https://agent.example",
	}, "--max-matches", "4")
	base := "http://" + addr
	// The test's own client: its bursts dial connections that may never
	// carry a request, which the server's graceful shutdown waits 5 s for
	// (net/http's rule for new connections) unless the client closes them.
	hc := &http.Client{Transport: &http.Transport{}}
	do := func(method, path, body string, hdr map[string]string) (*http.Response, []byte) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	problem := func(what string, resp *http.Response, b []byte, status int, typ string) {
		t.Helper()
		var p struct {
			Type   string
			Status int
			Limit  int
		}
		if resp.StatusCode != status || resp.Header.Get("Content-Type") != "application/problem+json" || json.Unmarshal(b, &p) != nil ||
			!strings.HasSuffix(p.Type, "/"+typ) || p.Status != status {
			t.Errorf("%s: %d %s %s", what, resp.StatusCode, resp.Header.Get("Content-Type"), b)
		}
	}
	burst := func(n int, f func() int) map[int]int {
		var mu sync.Mutex
		got := map[int]int{}
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				c := f()
				mu.Lock()
				got[c]++
				mu.Unlock()
			})
		}
		wg.Wait()
		return got
	}
	matchBody := `{"text":"` + gitErr + `"}`
	got := burst(16, func() int {
		resp, _ := do("POST", "/api/v1/match", matchBody, map[string]string{"Content-Type": "application/json"})
		return resp.StatusCode
	})
	if got[200] != 3 || got[429] != 13 {
		t.Errorf("match burst: %v, want 3×200 13×429", got)
	}
	resp, b := do("GET", "/api/v1/match?q=x", "", nil)
	problem("match past the rate", resp, b, 429, "rate-limited")
	if resp.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	got = burst(10, func() int { resp, _ := do("GET", "/search?q=git", "", nil); return resp.StatusCode })
	if got[200] != 4 || got[429] != 6 {
		t.Errorf("search burst: %v, want 4×200 6×429", got)
	}

	mcpHdr := map[string]string{"Content-Type": "application/json", "Accept": "application/json, text/event-stream", "Mcp-Protocol-Version": "2025-06-18"}
	ping := `{"jsonrpc":"2.0","id":1,"method":"ping"}`
	// A body over the limit is refused from its Content-Length.
	big := bytes.Repeat([]byte("x"), 12<<20)
	req, _ := http.NewRequest("POST", base+"/mcp", bytes.NewReader(big))
	for k, v := range mcpHdr {
		req.Header.Set(k, v)
	}
	r, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(r.Body)
	r.Body.Close()
	problem("12 MiB on /mcp", r, b, 413, "input-too-large")

	for origin, want := range map[string]int{"https://evil.example": 403, "null": 403, "http://" + addr: 200, "https://agent.example": 200, "": 200} {
		h := map[string]string{"Origin": origin}
		for k, v := range mcpHdr {
			h[k] = v
		}
		resp, b := do("POST", "/mcp", ping, h)
		if want == 403 {
			problem("Origin "+origin, resp, b, 403, "forbidden-origin")
		} else if resp.StatusCode != want {
			t.Errorf("Origin %q: %d %s", origin, resp.StatusCode, b)
		}
	}
	got = burst(40, func() int { resp, _ := do("POST", "/mcp", ping, mcpHdr); return resp.StatusCode })
	if got[429] == 0 || got[200]+got[429] != 40 {
		t.Errorf("mcp burst: %v", got)
	}
	// Errors before routing are problem documents too: a query string
	// that does not parse, headers past the limit (net/http's own limit
	// is higher, so the handler answers).
	resp, b = do("GET", "/api/v1/errors?domain=%zz", "", nil)
	problem("unparsable query", resp, b, 400, "invalid-parameter")
	resp, b = do("GET", "/api/v1/stats", "", map[string]string{"X-Big": strings.Repeat("a", 100<<10)})
	problem("100 KiB header", resp, b, 431, "headers-too-large")

	hc.CloseIdleConnections()
	if code := stop(); code != 0 {
		t.Errorf("serve exited %d:\n%s", code, logs.String())
	}
}
