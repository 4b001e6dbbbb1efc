package mcpserver

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
)

// rawSession drives ServeStdio with raw lines, as a client's process pipe
// would.
type rawSession struct {
	t    *testing.T
	in   *io.PipeWriter
	out  *bufio.Reader
	done chan error
}

func startStdio(t *testing.T) *rawSession {
	t.Helper()
	c, ix := shipped(t)
	s, err := New(Config{Catalog: c, Index: ix, Renderer: testR})
	if err != nil {
		t.Fatal(err)
	}
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	rs := &rawSession{t: t, in: inW, out: bufio.NewReaderSize(outR, 1<<20), done: make(chan error, 1)}
	go func() { rs.done <- s.ServeStdio(context.Background(), inR, outW); outW.Close() }()
	t.Cleanup(func() { inW.Close(); outR.Close() })
	return rs
}

func (rs *rawSession) send(line string) {
	rs.t.Helper()
	if _, err := io.WriteString(rs.in, line+"\n"); err != nil {
		rs.t.Fatal(err)
	}
}

// recv reads one message.
func (rs *rawSession) recv() map[string]any {
	rs.t.Helper()
	line, err := rs.out.ReadBytes('\n')
	if err != nil {
		rs.t.Fatalf("reading a message: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(line, &m); err != nil {
		rs.t.Fatalf("not JSON: %q", line)
	}
	return m
}

const initLine = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`

func callLine(id int, tool, args string) string {
	return `{"jsonrpc":"2.0","id":` + itoa(id) + `,"method":"tools/call","params":{"name":"` + tool + `","arguments":` + args + `}}`
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// TestStdioSurvivesBrokenMessages: lines that are not JSON, not JSON-RPC,
// or far too long each get a JSON-RPC error, and the session goes on.
func TestStdioSurvivesBrokenMessages(t *testing.T) {
	rs := startStdio(t)
	rs.send(initLine)
	if m := rs.recv(); m["id"] != 1.0 || m["result"] == nil {
		t.Fatalf("initialize: %v", m)
	}
	rs.send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)

	for _, c := range []struct {
		line   string
		id     any
		code   float64
		detail string
	}{
		{"this is not json", nil, -32700, "one JSON-RPC 2.0 object on one line"},
		{`{"jsonrpc":"2.0","id":5,"method":`, nil, -32700, "parse error"},
		{`{"id":6,"hello":"world"}`, 6.0, -32600, "not a JSON-RPC 2.0 message"},
		{`[]`, nil, -32600, "non-empty array"},
		{`{"jsonrpc":"2.0","id":"big","method":"tools/call","params":{"name":"match_error","arguments":{"text":"` + strings.Repeat("x", MaxFrame+100<<10) + `"}}}`, nil, -32600, "larger than"},
	} {
		rs.send(c.line)
		m := rs.recv()
		e, _ := m["error"].(map[string]any)
		if m["id"] != c.id || e == nil || e["code"] != c.code || !strings.Contains(e["message"].(string), c.detail) {
			t.Errorf("%.60s: got %v", c.line, m)
		}
	}

	// A text over the tool's limit but within the frame gets the tool's
	// advice, not a transport error.
	rs.send(callLine(7, "match_error", `{"text":"`+strings.Repeat("y", maxText+10)+`"}`))
	m := rs.recv()
	res, _ := m["result"].(map[string]any)
	if m["id"] != 7.0 || res == nil || res["isError"] != true || !strings.Contains(toJSON(res), "last 200 lines") {
		t.Errorf("oversize text: %.300v", m)
	}

	rs.send(callLine(8, "match_error", `{"text":"fatal: not a git repository (or any of the parent directories): .git"}`))
	m = rs.recv()
	if m["id"] != 8.0 || !strings.Contains(toJSON(m), "git/not-a-git-repository") {
		t.Errorf("after the broken messages: %.300v", m)
	}
}

func toJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

// TestStdioAnswersEverythingBeforeEOF: requests sent just before standard
// input closes are still answered.
func TestStdioAnswersEverythingBeforeEOF(t *testing.T) {
	rs := startStdio(t)
	rs.send(initLine)
	rs.send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	for i := 2; i < 12; i++ {
		rs.send(callLine(i, "match_error", `{"text":"ModuleNotFoundError: No module named 'yaml'","limit":1}`))
	}
	rs.in.Close()
	got := map[float64]bool{}
	for {
		line, err := rs.out.ReadBytes('\n')
		if err != nil {
			break
		}
		var m map[string]any
		if json.Unmarshal(line, &m) == nil {
			if id, ok := m["id"].(float64); ok {
				got[id] = true
			}
		}
	}
	for i := 1; i < 12; i++ {
		if !got[float64(i)] {
			t.Errorf("request %d was not answered before the session closed", i)
		}
	}
	if err := <-rs.done; err != nil {
		t.Errorf("ServeStdio: %v", err)
	}
}
