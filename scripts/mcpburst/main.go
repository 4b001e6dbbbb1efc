// Command mcpburst sends a burst of concurrent MCP tools/call requests,
// each carrying one large match_error text, to an errorcanon server on
// this machine, and reports the answers' statuses and the server's peak
// resident memory (VmHWM from /proc/PID/status).
//
//	go run ./scripts/mcpburst -pid $(pgrep -n errorcanon) -n 64 -mib 12
//
// It only talks to loopback addresses.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

func main() {
	addr := flag.String("url", "http://127.0.0.1:8080/mcp", "the MCP endpoint (loopback only)")
	n := flag.Int("n", 64, "concurrent requests")
	mib := flag.Float64("mib", 12, "size of each request's text, MiB")
	pid := flag.Int("pid", 0, "the server's process id, for its peak RSS")
	flag.Parse()
	u, err := url.Parse(*addr)
	if err != nil {
		fail(err)
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		fail(fmt.Errorf("%s is not a loopback address", u.Host))
	}
	line := "2026-12-05 10:00:00 INFO worker: step finished without error, moving on\n"
	text := strings.Repeat(line, int(*mib*(1<<20))/len(line)+1)[:int(*mib*(1<<20))]
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "tools/call",
		"params": map[string]any{"name": "match_error", "arguments": map[string]any{"text": text}}})
	client := &http.Client{Timeout: 120 * time.Second, Transport: &http.Transport{MaxConnsPerHost: *n, MaxIdleConnsPerHost: *n}}
	before := hwm(*pid)
	start := time.Now()
	var mu sync.Mutex
	codes := map[string]int{}
	var wg sync.WaitGroup
	for range *n {
		wg.Go(func() {
			req, _ := http.NewRequest("POST", *addr, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json, text/event-stream")
			req.Header.Set("Mcp-Protocol-Version", "2025-06-18")
			key := ""
			resp, err := client.Do(req)
			if err != nil {
				key = "error"
			} else {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				key = fmt.Sprint(resp.StatusCode)
			}
			mu.Lock()
			codes[key]++
			mu.Unlock()
		})
	}
	wg.Wait()
	var keys []string
	for k := range codes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s×%d", k, codes[k]))
	}
	fmt.Printf("%d requests of %.0f MiB (body %.1f MiB) in %.1fs: %s; server peak RSS %s before, %s after\n",
		*n, *mib, float64(len(body))/(1<<20), time.Since(start).Seconds(), strings.Join(parts, " "), before, hwm(*pid))
}

// hwm is the peak resident set size of pid, as /proc reports it.
func hwm(pid int) string {
	if pid == 0 {
		return "?"
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "?"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "mcpburst:", err)
	os.Exit(2)
}
