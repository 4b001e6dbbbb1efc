package mcpserver

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func initLineFor(version string) string {
	return strings.Replace(initLine, "2025-06-18", version, 1)
}

// TestStdioBatchRemoved: from 2025-06-18 on (and before initialize), each
// request of a batch gets its own error, and the session goes on.
func TestStdioBatchRemoved(t *testing.T) {
	for _, init := range []string{"", "2025-06-18", "2025-11-25"} {
		rs := startStdio(t)
		if init != "" {
			rs.send(initLineFor(init))
			if m := rs.recv(); m["result"] == nil {
				t.Fatalf("initialize %s: %v", init, m)
			}
		}
		rs.send(`[{"jsonrpc":"2.0","id":11,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/initialized"},{"jsonrpc":"2.0","id":"b","method":"tools/list"}]`)
		for _, want := range []any{11.0, "b"} {
			m := rs.recv()
			e, _ := m["error"].(map[string]any)
			if m["id"] != want || e == nil || e["code"] != -32600.0 || !strings.Contains(e["message"].(string), "batches were removed") {
				t.Errorf("%q: batch element %v: got %v", init, want, m)
			}
		}
		rs.send(`{"jsonrpc":"2.0","id":12,"method":"ping"}`)
		if m := rs.recv(); m["id"] != 12.0 || m["result"] == nil {
			t.Errorf("%q: after the batch: %v", init, m)
		}
	}
}

// TestStdioBatch2025: a 2025-03-26 session gets the batch answered as one
// array, invalid elements included, and goes on.
func TestStdioBatch2025(t *testing.T) {
	rs := startStdio(t)
	rs.send(initLineFor("2025-03-26"))
	if m := rs.recv(); m["result"].(map[string]any)["protocolVersion"] != "2025-03-26" {
		t.Fatalf("initialize: %v", m)
	}
	rs.send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	rs.send(`[{"jsonrpc":"2.0","id":1,"method":"ping"},` + callLine(2, "match_error", `{"text":"fatal: not a git repository (or any of the parent directories): .git","limit":1}`) +
		`,{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":99}},{"jsonrpc":"2.0","id":1.5,"method":"ping"},{"nope":1}]`)
	line, err := rs.out.ReadBytes('\n')
	if err != nil {
		t.Fatal(err)
	}
	var answers []map[string]any
	if err := json.Unmarshal(line, &answers); err != nil {
		t.Fatalf("not a batch answer: %.300s", line)
	}
	byID := map[string]map[string]any{}
	for _, a := range answers {
		b, _ := json.Marshal(a["id"])
		byID[string(b)] = a
	}
	if len(answers) != 4 || byID["1"]["result"] == nil || !strings.Contains(toJSON(byID["2"]), "git/not-a-git-repository") ||
		byID["1.5"]["error"] == nil || byID["null"]["error"] == nil {
		t.Errorf("batch answer: %.600s", line)
	}
	// An id still waiting in a batch is refused; the session goes on.
	rs.send(`{"jsonrpc":"2.0","id":3,"method":"ping"}`)
	if m := rs.recv(); m["id"] != 3.0 || m["result"] == nil {
		t.Errorf("after the batch: %v", m)
	}
}

// TestStdioIDs: ids the SDK would not echo exactly are refused with their
// own id echoed; ids it echoes pass.
func TestStdioIDs(t *testing.T) {
	rs := startStdio(t)
	rs.send(initLine)
	rs.recv()
	for _, id := range []string{"123456789012345678901234567890", "1.5", "9007199254740993", "-9007199254740992", "1e300"} {
		rs.send(`{"jsonrpc":"2.0","id":` + id + `,"method":"ping"}`)
		line, _ := rs.out.ReadBytes('\n')
		if !strings.HasPrefix(string(line), `{"jsonrpc":"2.0","id":`+id+`,"error":{"code":-32600`) || !strings.Contains(string(line), "cannot be echoed exactly") {
			t.Errorf("id %s: %s", id, line)
		}
	}
	for _, c := range []struct{ id, echo string }{{"9007199254740991", "9007199254740991"}, {"-42", "-42"}, {`"x"`, `"x"`}, {"7.0", "7"}} {
		rs.send(`{"jsonrpc":"2.0","id":` + c.id + `,"method":"ping"}`)
		line, _ := rs.out.ReadBytes('\n')
		if !strings.HasPrefix(string(line), `{"jsonrpc":"2.0","id":`+c.echo+`,"result"`) {
			t.Errorf("id %s: %s", c.id, line)
		}
	}
}

func TestCheckID(t *testing.T) {
	for id, ok := range map[string]bool{"": true, "null": true, `"s"`: true, "0": true, "-0": true, "9007199254740991": true, "-9007199254740991": true,
		"9007199254740992": false, "1.5": false, "1e2": true, "1e-2": false, "123456789012345678901234567890": false, "true": true} {
		if got := checkID(json.RawMessage(id)) == nil; got != ok {
			t.Errorf("checkID(%s) passes: %v, want %v", id, got, ok)
		}
	}
}

// TestHTTPIDs: over streamable HTTP too, ids the SDK cannot echo exactly
// are refused with 400 and a JSON-RPC error carrying the id as sent.
func TestHTTPIDs(t *testing.T) {
	c, ix := shipped(t)
	s, err := New(Config{Catalog: c, Index: ix, Renderer: testR})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	post := func(body string) (int, string) {
		req, _ := http.NewRequest("POST", srv.URL, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set("Mcp-Protocol-Version", "2025-06-18")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, id := range []string{"123456789012345678901234567890", "1.5", "9007199254740993"} {
		code, body := post(`{"jsonrpc":"2.0","id":` + id + `,"method":"ping"}`)
		if code != 400 || !strings.HasPrefix(body, `{"jsonrpc":"2.0","id":`+id+`,"error":{"code":-32600`) {
			t.Errorf("id %s: %d %s", id, code, body)
		}
	}
	if code, body := post(`{"jsonrpc":"2.0","id":9007199254740991,"method":"ping"}`); code != 200 || !strings.Contains(body, `"id":9007199254740991`) {
		t.Errorf("safe id: %d %s", code, body)
	}
}
