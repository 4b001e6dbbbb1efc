package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/testutil"
)

const (
	seedALB = testutil.SeedALB
	seedCF  = testutil.SeedCF
)

// lockedBuffer is written by the server's goroutines and read by the test.
type lockedBuffer = testutil.Buffer

// runCmd runs the CLI in-process with the given environment.
func runCmd(ctx context.Context, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	var out, errb lockedBuffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}
	code = run(ctx, e, args)
	return code, out.String(), errb.String()
}

// seedDir writes a catalog directory with the domain list and the seed
// entries, plus extra files.
func seedDir(t *testing.T, extra map[string]string) string { return testutil.SeedDir(t, extra) }

// The tests use a catalog directory with the two seed entries, never the
// embedded catalog, which other work changes all the time.

func TestShow(t *testing.T) {
	dir := seedDir(t, nil)
	ctx := context.Background()
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"show", seedALB}, []string{seedALB, "ROOT CAUSE", "DEAD ENDS", "Don't: "}},
		{[]string{"show", seedALB, "--lang", "zh"}, []string{"根因分析", "无效尝试", "不要："}},
		{[]string{"show", "--format", "md", seedALB}, []string{"# 502 Bad Gateway from an ALB: the TLS handshake with the target failed\n", "## Workarounds", "## Evidence", "## Official documentation"}},
		{[]string{"show", seedCF, "--format", "md", "--lang", "zh"}, []string{"## 解决方案", "[English]("}},
		{[]string{"show", "--format=json", seedCF}, []string{`"id": "` + seedCF + `"`, `"stats"`}},
		{[]string{"show", "https://errorcanon.dev/errors/" + seedCF + "/zh.html"}, []string{seedCF}},
		{[]string{"show", "--base-url", "http://localhost:9999", seedALB}, []string{"http://localhost:9999/errors/" + seedALB + "/"}},
	} {
		code, out, errOut := runCmd(ctx, nil, append(tc.args, "--catalog", dir)...)
		if code != 0 {
			t.Errorf("%v: exit %d, stderr %s", tc.args, code, errOut)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %q", tc.args, w)
			}
		}
	}
	// JSON output is the entry.
	_, out, _ := runCmd(ctx, nil, "show", seedALB, "--format", "json", "--catalog", dir)
	var e canon.Entry
	if err := json.Unmarshal([]byte(out), &e); err != nil || e.ID != seedALB || len(e.DeadEnds) == 0 {
		t.Errorf("show --format json does not decode into the entry: %v", err)
	}
	// ERRORCANON_LANG is the --lang twin.
	if _, out, _ := runCmd(ctx, map[string]string{"ERRORCANON_LANG": "zh", "ERRORCANON_CATALOG": dir}, "show", seedALB); !strings.Contains(out, "根因分析") {
		t.Error("ERRORCANON_LANG=zh is ignored")
	}
}

func TestShowErrors(t *testing.T) {
	ctx := context.Background()
	dir := seedDir(t, nil)
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"show", "api/no-such-entry"}, 1, `no entry "api/no-such-entry"`},
		{[]string{"show", "http-502-bad-gateway-aws-alb-ssl-handshake"}, 1, seedALB}, // suggests the full id
		{[]string{"show", "../../etc/passwd"}, 1, "no entry"},
		{[]string{"show"}, 2, "which entry"},
		{[]string{"show", seedALB, seedCF}, 2, "one id at a time"},
		{[]string{"show", seedALB, "--format", "yaml"}, 2, "--format must be"},
		{[]string{"show", seedALB, "--lang", "fr"}, 2, "unknown language"},
		{[]string{"show", "--no-such-flag", seedALB}, 2, "flag provided but not defined"},
		{[]string{"show", seedALB, "--catalog", "/no/such/dir"}, 2, "no such file"},
		{[]string{"show", "--base-url", "ftp://x", seedALB}, 2, "base URL"},
	} {
		code, out, errOut := runCmd(ctx, map[string]string{"ERRORCANON_CATALOG": dir}, tc.args...)
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d (stderr %s)", tc.args, code, tc.code, errOut)
		}
		if !strings.Contains(errOut, tc.msg) {
			t.Errorf("%v: stderr %q lacks %q", tc.args, errOut, tc.msg)
		}
		if out != "" {
			t.Errorf("%v: printed to stdout on error: %q", tc.args, out)
		}
	}
	// An entry whose file is broken is named with its problems.
	broken := seedDir(t, map[string]string{"api/broken-entry.yaml": "id: api/broken-entry\nnot_a_field: 1\n"})
	code, _, errOut := runCmd(ctx, nil, "show", "--catalog", broken, "api/broken-entry")
	if code != 1 || !strings.Contains(errOut, "its file has problems") || !strings.Contains(errOut, "not_a_field") {
		t.Errorf("show of a broken entry: exit %d, stderr %s", code, errOut)
	}
}

// startServe runs serve in the background and returns its address, a
// function that stops it (cancelling its context) and returns its exit
// code, and its log.
func startServe(t *testing.T, vars map[string]string, args ...string) (addr string, stop func() int, logs *lockedBuffer) {
	t.Helper()
	ready := make(chan net.Addr, 1)
	ctx, cancel := context.WithCancel(context.Background())
	logs = &lockedBuffer{}
	done := make(chan int, 1)
	go func() {
		e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: logs, getenv: func(k string) string { return vars[k] },
			listening: func(a net.Addr) { ready <- a }}
		done <- run(ctx, e, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...))
	}()
	select {
	case a := <-ready:
		addr = a.String()
	case code := <-done:
		cancel()
		t.Fatalf("serve exited with %d before listening:\n%s", code, logs.String())
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("serve did not start listening")
	}
	return addr, func() int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(30 * time.Second):
			t.Fatal("serve did not stop after its context was cancelled")
			return -1
		}
	}, logs
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestServe(t *testing.T) {
	addr, stop, logs := startServe(t, map[string]string{"ERRORCANON_BASE_URL": "https://kb.example.org"}, "--catalog", seedDir(t, nil))
	base := "http://" + addr
	for path, ctype := range map[string]string{
		"/":                                  "text/html; charset=utf-8",
		"/errors/" + seedALB + "/":           "text/html; charset=utf-8",
		"/errors/" + seedALB + "/zh.html":    "text/html; charset=utf-8",
		"/errors/" + seedALB + "/index.json": "application/json; charset=utf-8",
		"/errors/" + seedALB + "/index.md":   "text/markdown; charset=utf-8",
		"/errors/" + seedALB + "/zh.md":      "text/markdown; charset=utf-8",
		"/errors/api/":                       "text/html; charset=utf-8",
		"/healthz":                           "text/plain; charset=utf-8",
		"/stats/":                            "text/html; charset=utf-8",
		"/feed.xml":                          "application/atom+xml; charset=utf-8",
		"/api/v1/errors?domain=api":          "application/json; charset=utf-8",
		"/api/v1/openapi.json":               "application/json; charset=utf-8",
		"/search?q=awselb":                   "text/html; charset=utf-8",
		"/api/v1/search?q=awselb":            "application/json; charset=utf-8",
	} {
		resp, body := get(t, base+path)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != ctype {
			t.Errorf("GET %s: %d %q", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if path == "/errors/"+seedALB+"/" && !strings.Contains(body, `href="https://kb.example.org/errors/`+seedALB+`/"`) {
			t.Errorf("ERRORCANON_BASE_URL is not used for canonical links")
		}
		if strings.Contains(path, "search?q=awselb") && !strings.Contains(body, seedALB) {
			t.Errorf("GET %s does not find %s", path, seedALB)
		}
		if path == "/api/v1/openapi.json" && !strings.Contains(body, `"url": "https://kb.example.org"`) {
			t.Errorf("openapi.json does not name the base URL as its server")
		}
	}
	if resp, _ := get(t, base+"/errors/../etc/passwd"); resp.StatusCode != 404 {
		t.Errorf("traversal: %d", resp.StatusCode)
	}
	if code := stop(); code != 0 {
		t.Errorf("serve exit %d after cancel:\n%s", code, logs.String())
	}
	l := logs.String()
	for _, want := range []string{"msg=listening", "addr=" + addr, "msg=request", "msg=\"shutting down\"", "msg=stopped"} {
		if !strings.Contains(l, want) {
			t.Errorf("serve log lacks %q:\n%s", want, l)
		}
	}
	// The port is released.
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("server still answers after shutdown")
	}
}

// TestServeLinksToItself serves without --base-url: every link a client
// follows leads back to this server (built from the request in the API,
// root-relative in the site's files), while canonical and hreflang URLs
// keep the public address.
func TestServeLinksToItself(t *testing.T) {
	addr, stop, logs := startServe(t, nil, "--catalog", seedDir(t, nil))
	base := "http://" + addr
	for path, want := range map[string]string{
		"/api/v1/errors?per_page=1":          `"url": "` + base + `/errors/`,
		"/api/v1/errors?per_page=1&page=2":   `"prev": "` + base + `/api/v1/errors?`,
		"/api/v1/match?q=awselb%2F2.0+502":   `"api": "` + base + `/api/v1/errors/`,
		"/api/v1/errors/" + seedALB:          `"json": "` + base + `/errors/` + seedALB + `/index.json"`,
		"/api/v1/openapi.json":               `"url": "/"`,
		"/errors/" + seedALB + "/index.json": `"json": "/errors/` + seedALB + `/index.json"`,
		"/errors/" + seedALB + "/index.md":   `[JSON](/errors/` + seedALB + `/index.json)`,
		"/llms.txt":                          `(/api/v1/openapi.json)`,
		"/errors/" + seedALB + "/":           `<link rel="canonical" href="https://errorcanon.dev/errors/` + seedALB + `/">`,
	} {
		resp, body := get(t, base+path)
		if resp.StatusCode != 200 || !strings.Contains(body, want) {
			t.Errorf("GET %s: %d, lacks %s", path, resp.StatusCode, want)
		}
	}
	if code := stop(); code != 0 {
		t.Errorf("serve exit %d:\n%s", code, logs.String())
	}
}

func TestServeRefusesBrokenCatalog(t *testing.T) {
	broken := map[string]string{
		"api/bad-regex.yaml": "id: api/bad-regex\nnot_a_field: 1\n",
	}
	dir := seedDir(t, broken)
	code, _, errOut := runCmd(context.Background(), nil, "serve", "--addr", "127.0.0.1:0", "--catalog", dir)
	if code != 1 || !strings.Contains(errOut, "not starting") || !strings.Contains(errOut, "api/bad-regex.yaml") || !strings.Contains(errOut, "not_a_field") {
		t.Errorf("serve with a broken catalog: exit %d, stderr:\n%s", code, errOut)
	}

	// With --skip-invalid it serves the valid entries and logs the skipped.
	addr, stop, logs := startServe(t, nil, "--catalog", dir, "--skip-invalid", "--log-format", "json")
	if resp, _ := get(t, "http://"+addr+"/errors/"+seedALB+"/"); resp.StatusCode != 200 {
		t.Errorf("valid entry: %d", resp.StatusCode)
	}
	if resp, _ := get(t, "http://"+addr+"/errors/api/bad-regex/"); resp.StatusCode != 404 {
		t.Errorf("skipped entry: %d", resp.StatusCode)
	}
	if code := stop(); code != 0 {
		t.Errorf("exit %d", code)
	}
	found := false
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("--log-format json wrote %q", line)
		}
		if p, _ := rec["problem"].(string); rec["msg"] == "catalog problem" && strings.Contains(p, "api/bad-regex.yaml") {
			found = true
		}
	}
	if !found {
		t.Errorf("the skipped entry is not logged:\n%s", logs.String())
	}
	// ERRORCANON_SKIP_INVALID is the flag's twin.
	_, stop, _ = startServe(t, map[string]string{"ERRORCANON_SKIP_INVALID": "1"}, "--catalog", dir)
	if code := stop(); code != 0 {
		t.Errorf("exit %d", code)
	}
}

func TestServeUsageErrors(t *testing.T) {
	ctx := context.Background()
	dir := seedDir(t, nil)
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"serve", "extra"}, 2, "unexpected argument"},
		{[]string{"serve", "--base-url", "not a url"}, 2, "--base-url"},
		{[]string{"serve", "--log-format", "xml"}, 2, "--log-format"},
		{[]string{"serve", "--catalog", "/no/such/dir"}, 2, "no such file"},
		{[]string{"serve", "--addr", "256.0.0.1:-1"}, 1, "errorcanon serve:"},
	} {
		code, _, errOut := runCmd(ctx, map[string]string{"ERRORCANON_CATALOG": dir}, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, errOut, tc.code, tc.msg)
		}
	}
	// A taken port is an error, not a hang.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if code, _, errOut := runCmd(ctx, map[string]string{"ERRORCANON_ADDR": ln.Addr().String(), "ERRORCANON_CATALOG": dir}, "serve"); code != 1 || !strings.Contains(errOut, "address already in use") {
		t.Errorf("serve on a taken port (via ERRORCANON_ADDR): exit %d, %s", code, errOut)
	}
}
