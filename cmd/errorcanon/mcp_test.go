package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

const gitErr = "fatal: not a git repository (or any of the parent directories): .git"

// mcpCall calls a tool and returns its text, failing on a protocol error.
func mcpCall(t *testing.T, cs *mcp.ClientSession, name string, args map[string]any) (string, bool) {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String(), res.IsError
}

// exercise runs the same conversation over any transport: list the tools,
// match an error, get an entry, and bad input that must not end the session.
func exercise(t *testing.T, cs *mcp.ClientSession) {
	t.Helper()
	ctx := context.Background()
	tools, err := cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range tools.Tools {
		names = append(names, tool.Name)
	}
	for _, want := range []string{"match_error", "batch_match", "get_error", "search_errors", "list_domains", "list_errors", "get_related", "get_stats"} {
		if !strings.Contains(" "+strings.Join(names, " ")+" ", " "+want+" ") {
			t.Errorf("tools/list lacks %s: %v", want, names)
		}
	}
	txt, isErr := mcpCall(t, cs, "match_error", map[string]any{"text": gitErr})
	if isErr || !strings.Contains(txt, "`git/not-a-git-repository` · matched") || !strings.Contains(txt, "Don't") {
		t.Errorf("match_error: %s", txt)
	}
	txt, isErr = mcpCall(t, cs, "match_error", map[string]any{"text": gitErr, "limit": "one"})
	if !isErr || !strings.Contains(txt, "match_error takes:") {
		t.Errorf("bad argument: %v %s", isErr, txt)
	}
	if _, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "no_such_tool"}); err == nil || !strings.Contains(err.Error(), "match_error") {
		t.Errorf("unknown tool: %v", err)
	}
	txt, isErr = mcpCall(t, cs, "get_error", map[string]any{"id": "git/not-a-git-repository", "format": "json"})
	var doc map[string]any
	if isErr || json.Unmarshal([]byte(txt), &doc) != nil || doc["id"] != "git/not-a-git-repository" {
		t.Errorf("get_error json: %.200s", txt)
	}
	txt, isErr = mcpCall(t, cs, "search_errors", map[string]any{"query": "not a git repository", "limit": 3})
	if isErr || !strings.Contains(txt, "git/not-a-git-repository") {
		t.Errorf("search_errors: %s", txt)
	}
	res, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: "errorcanon://errors/git/not-a-git-repository"})
	if err != nil || len(res.Contents) != 1 || !strings.Contains(res.Contents[0].Text, "not a git repository") {
		t.Errorf("resource: %v %v", res, err)
	}
}

// TestMCPStdioBinary runs the binary as a client would: a subprocess
// speaking MCP on its standard input and output (the test binary, run as
// errorcanon by TestMain).
func TestMCPStdioBinary(t *testing.T) {
	t.Parallel()
	bin, env := binary(t)
	cmd := exec.Command(bin, "mcp")
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	ctx := context.Background()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "stdio-test", Version: "1"}, nil).Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if info := cs.InitializeResult().ServerInfo; info.Name != "errorcanon" {
		t.Errorf("server info %+v", info)
	}
	exercise(t, cs)
	if err := cs.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	if cmd.ProcessState == nil || !cmd.ProcessState.Success() {
		t.Errorf("the server did not exit cleanly when its input closed: %v; stderr:\n%s", cmd.ProcessState, stderr.String())
	}
}

// TestMCPCommand runs `errorcanon mcp` in-process over pipes.
func TestMCPCommand(t *testing.T) {
	t.Parallel()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	var errb lockedBuffer
	e := &env{stdin: inR, stdout: outW, stderr: &errb, getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	go func() { done <- run(context.Background(), e, []string{"mcp"}); outW.Close() }()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "inproc", Version: "1"}, nil).Connect(context.Background(), &mcp.IOTransport{Reader: outR, Writer: inW}, nil)
	if err != nil {
		t.Fatal(err)
	}
	exercise(t, cs)
	cs.Close()
	if code := <-done; code != 0 {
		t.Errorf("exit code %d; stderr:\n%s", code, errb.String())
	}
	if s := errb.String(); s != "" {
		t.Errorf("a clean session logs nothing, got:\n%s", s)
	}
}

func TestMCPFlags(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"mcp", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"mcp", "--nope"}, 2, "flag provided but not defined"},
		{[]string{"mcp", "--catalog", "/no/such/dir"}, 2, "no such file"},
		{[]string{"mcp", "--base-url", "ftp://x"}, 2, "--base-url"},
		{[]string{"mcp", "-h"}, 0, "-catalog directory"},
	} {
		code, stdout, stderr := runCmd(ctx, nil, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) || stdout != "" {
			t.Errorf("%v: code %d stdout %q stderr %q", c.args, code, stdout, stderr)
		}
	}
}

// TestMCPOnServe: `errorcanon serve` answers MCP at /mcp (driven by the
// SDK's streamable HTTP client) and serves the server card.
func TestMCPOnServe(t *testing.T) {
	t.Parallel()
	addr, stop, logs := startServe(t, map[string]string{"ERRORCANON_BASE_URL": "https://kb.example.org"})
	base := "http://" + addr
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "serve-test", Version: "1"}, nil).Connect(context.Background(), &mcp.StreamableClientTransport{Endpoint: base + "/mcp"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	exercise(t, cs)
	txt, _ := mcpCall(t, cs, "match_error", map[string]any{"text": gitErr, "limit": 1})
	if !strings.Contains(txt, "https://kb.example.org/errors/git/not-a-git-repository/") {
		t.Errorf("answers do not link to --base-url: %s", txt)
	}
	// The same server counts the same way over MCP and the REST API.
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "get_stats", Arguments: map[string]any{}})
	if err != nil || res.IsError {
		t.Fatalf("get_stats: %v %+v", err, res)
	}
	var viaMCP, viaAPI map[string]any
	b, _ := json.Marshal(res.StructuredContent)
	_ = json.Unmarshal(b, &viaMCP)
	_, body := get(t, base+"/api/v1/stats")
	if err := json.Unmarshal([]byte(body), &viaAPI); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"entries", "domains", "workarounds", "dead_ends", "mean_fix_rate", "mean_confidence"} {
		if viaMCP[k] == nil || viaMCP[k] != viaAPI[k] {
			t.Errorf("%s: get_stats says %v, /api/v1/stats says %v", k, viaMCP[k], viaAPI[k])
		}
	}
	cs.Close()

	resp, body := get(t, base+"/.well-known/mcp/server-card.json")
	var card struct {
		Name    string `json:"name"`
		Remotes []struct {
			Type, URL string
		} `json:"remotes"`
		Meta map[string]json.RawMessage `json:"_meta"`
	}
	if err := json.Unmarshal([]byte(body), &card); err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("server card: %d %v %.200s", resp.StatusCode, err, body)
	}
	if card.Name == "" || len(card.Remotes) != 1 || card.Remotes[0].URL != "https://kb.example.org/mcp" || !strings.Contains(string(card.Meta["dev.errorcanon/tools"]), `"match_error"`) {
		t.Errorf("server card: %+v", card)
	}

	// A page whose name was rebound to 127.0.0.1 is refused; the site's own
	// host (a reverse proxy forwarding it) is not.
	for host, want := range map[string]int{"attacker.example": 403, "kb.example.org": 200} {
		req, _ := http.NewRequest("POST", base+"/mcp", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"ping"}`))
		req.Host = host
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != want {
			t.Errorf("Host %s: %d, want %d", host, r.StatusCode, want)
		}
	}
	if code := stop(); code != 0 {
		t.Errorf("serve exited %d:\n%s", code, logs.String())
	}
	if strings.Contains(logs.String(), "server session connected") {
		t.Errorf("the SDK's per-session Info logs reach the request log:\n%s", logs.String())
	}
}

// TestMCPStdioBatchBinary: the reproduction against the binary
// over real pipes. A batch is answered per the protocol version (an error
// per request from 2025-06-18 on, the batch answered as an array for
// 2025-03-26), ids the SDK cannot echo exactly are refused, and the
// session goes on and exits 0 when its input closes.
func TestMCPStdioBatchBinary(t *testing.T) {
	t.Parallel()
	bin, env := binary(t)
	for _, version := range []string{"", "2025-03-26", "2025-06-18"} {
		cmd := exec.Command(bin, "mcp")
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		in, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		outPipe, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		out := bufio.NewReader(outPipe)
		send := func(line string) {
			if _, err := io.WriteString(in, line+"\n"); err != nil {
				t.Fatal(err)
			}
		}
		recv := func() string {
			line, err := out.ReadString('\n')
			if err != nil {
				t.Fatalf("%q: reading an answer: %v; stderr:\n%s", version, err, stderr.String())
			}
			return line
		}
		if version != "" {
			send(`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"` + version + `","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`)
			if a := recv(); !strings.Contains(a, `"protocolVersion":"`+version+`"`) {
				t.Fatalf("initialize: %s", a)
			}
			send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
		}
		send(`[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":3,"method":"ping"}]`)
		if version == "2025-03-26" {
			var batch []map[string]any
			a := recv()
			if err := json.Unmarshal([]byte(a), &batch); err != nil || len(batch) != 2 || batch[0]["result"] == nil || batch[1]["result"] == nil {
				t.Errorf("%q: batch answer %s", version, a)
			}
		} else {
			for _, id := range []string{"1", "3"} {
				if a := recv(); !strings.HasPrefix(a, `{"jsonrpc":"2.0","id":`+id+`,"error":{"code":-32600`) || !strings.Contains(a, "batches were removed") {
					t.Errorf("%q: batch element %s: %s", version, id, a)
				}
			}
		}
		send(`{"jsonrpc":"2.0","id":123456789012345678901234567890,"method":"ping"}`)
		if a := recv(); !strings.HasPrefix(a, `{"jsonrpc":"2.0","id":123456789012345678901234567890,"error":{"code":-32600`) {
			t.Errorf("%q: unsafe id: %s", version, a)
		}
		send(`{"jsonrpc":"2.0","id":2,"method":"ping"}`)
		if a := recv(); a != `{"jsonrpc":"2.0","id":2,"result":{}}`+"\n" {
			t.Errorf("%q: after the batch: %s", version, a)
		}
		in.Close()
		if rest, _ := io.ReadAll(out); len(rest) > 0 {
			t.Errorf("%q: unexpected output %s", version, rest)
		}
		if err := cmd.Wait(); err != nil {
			t.Errorf("%q: exit: %v; stderr:\n%s", version, err, stderr.String())
		}
	}
}
