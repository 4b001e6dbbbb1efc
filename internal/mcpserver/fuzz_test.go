package mcpserver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/errorcanon/errorcanon/internal/search"
)

// FuzzFrameFilter feeds arbitrary bytes to the stdio frame filter: it
// never panics, passes the SDK only lines that are JSON-RPC messages with
// ids it echoes exactly, and answers only with JSON lines.
func FuzzFrameFilter(f *testing.F) {
	for _, s := range []string{
		initLine + "\n" + `[{"jsonrpc":"2.0","id":1,"method":"ping"}]` + "\n",
		`{"jsonrpc":"2.0","id":1.5,"method":"ping"}` + "\n" + `[]` + "\n" + "not json\n",
		`[{"jsonrpc":"2.0","id":1,"method":"ping"},{"x":1},3]` + "\r\n",
		`{"jsonrpc":"2.0","id":123456789012345678901234567890,"method":"ping"}`,
		"\n\n \t\n" + string(make([]byte, 300)) + "\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var sdk, out bytes.Buffer
		held := &lockedWriter{w: &out}
		held.cond = sync.NewCond(&held.countMu)
		ff := &frameFilter{sdk: &sdk, out: &out, max: 256, held: held, version: "2025-03-26"}
		if len(data) > 0 && data[0]&1 == 1 {
			ff.version = ""
		}
		if err := ff.run(bytes.NewReader(data)); err != nil {
			t.Fatalf("run: %v", err)
		}
		sc := bufio.NewScanner(&sdk)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if e := checkMessage(sc.Bytes()); e != nil {
				t.Errorf("passed to the SDK: %q (%v)", sc.Bytes(), e)
			}
		}
		sc = bufio.NewScanner(&out)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if !json.Valid(sc.Bytes()) {
				t.Errorf("answer is not JSON: %q", sc.Bytes())
			}
		}
	})
}

// FuzzCursor: any cursor decodes to an offset or an error, never a
// negative offset, and the server's own cursors round-trip.
func FuzzCursor(f *testing.F) {
	f.Add("", "k", 0)
	f.Add(encodeCursor("search\x00x", 20), "search\x00x", 20)
	f.Add("!!notbase64", "k", 1)
	f.Fuzz(func(t *testing.T, c, key string, off int) {
		if n, err := decodeCursor(c, key); err == nil && n < 0 {
			t.Errorf("cursor %q decoded to %d", c, n)
		}
		if off >= 0 {
			if n, err := decodeCursor(encodeCursor(key, off), key); err != nil || n != off {
				t.Errorf("round trip of %q@%d: %d %v", key, off, n, err)
			}
		}
	})
}

// FuzzToolArguments calls every tool with arbitrary JSON arguments over
// an in-memory session: bad arguments are a tool error or a protocol
// error, never a panic or a lost session.
func FuzzToolArguments(f *testing.F) {
	for _, s := range []string{`{}`, `null`, `{"text":"fatal: not a git repository"}`, `{"id":"../../etc/passwd","format":"json"}`,
		`{"query":"锁","cursor":"AAAA","limit":-1}`, `{"texts":[1,2,3]}`, `{"domain":{"x":1},"depth":1e300}`, `[]`, `"x"`} {
		f.Add(uint8(0), []byte(s))
		f.Add(uint8(5), []byte(s))
	}
	var once sync.Once
	var cs *mcp.ClientSession
	var names []string
	f.Fuzz(func(t *testing.T, which uint8, args []byte) {
		once.Do(func() {
			c, ix := shipped(t)
			s, err := New(Config{Catalog: c, Index: ix, Renderer: testR,
				Search: func(context.Context, search.Query) (*search.Results, error) { return &search.Results{}, nil }})
			if err != nil {
				t.Fatal(err)
			}
			for _, tool := range s.Tools() {
				names = append(names, tool.Name)
			}
			st, ct := mcp.NewInMemoryTransports()
			if _, err := s.MCP().Connect(context.Background(), st, nil); err != nil {
				t.Fatal(err)
			}
			if cs, err = mcp.NewClient(&mcp.Implementation{Name: "fuzz", Version: "1"}, nil).Connect(context.Background(), ct, nil); err != nil {
				t.Fatal(err)
			}
		})
		if !json.Valid(args) {
			return
		}
		name := names[int(which)%len(names)]
		_, _ = cs.CallTool(context.Background(), &mcp.CallToolParams{Name: name, Arguments: json.RawMessage(args)})
		if err := cs.Ping(context.Background(), nil); err != nil {
			t.Fatalf("session lost after %s %s: %v", name, args, err)
		}
	})
}
