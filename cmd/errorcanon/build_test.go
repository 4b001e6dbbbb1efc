package main

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/errorcanon/errorcanon/internal/offline"
	"github.com/errorcanon/errorcanon/internal/outdir"
	"github.com/errorcanon/errorcanon/internal/static"
	"github.com/errorcanon/errorcanon/internal/testutil"
)

func runBuildCmd(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := run(context.Background(), e, append([]string{"build"}, args...))
	return code, out.String() + errb.String()
}

// readTree returns every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// pathOf maps a built file back to the path it was requested as.
func pathOf(file string) string {
	if file == "index.html" {
		return "/"
	}
	if d, ok := strings.CutSuffix(file, "/index.html"); ok {
		return "/" + d + "/"
	}
	return "/" + file
}

// buildOnly reports whether a built file is one only the static build
// has: the offline search index and matcher, and the service worker (and
// their compressed forms).
func buildOnly(f string) bool {
	return strings.HasPrefix(f, offline.WorkerPath) || strings.HasPrefix(f, "offline/")
}

// The static build's files are, byte for byte, what serve answers for
// the same paths with the same base URL; every page the sitemap lists and
// every site link in a built page is a file; two builds are identical.
func TestBuildMatchesServe(t *testing.T) {
	t.Parallel()
	cat := testutil.SeedDir(t, nil)
	base := "https://static.example"
	out := filepath.Join(t.TempDir(), "site")
	if code, msg := runBuildCmd(t, "--catalog", cat, "--base-url", base, "--out", out, "--precompressed"); code != 0 {
		t.Fatalf("build: %d\n%s", code, msg)
	}
	files := readTree(t, out)
	for _, f := range []string{"index.html.gz", "sw.js.zst", "offline/manifest.json.gz"} {
		if _, ok := files[f]; !ok {
			t.Errorf("--precompressed wrote no %s", f)
		}
	}
	addr, stop, _ := startServe(t, nil, "--catalog", cat, "--base-url", base, "--db", "none")
	defer stop()
	pages := 0
	for f, body := range files {
		if f == outdir.Marker || buildOnly(f) {
			continue
		}
		want := http.StatusOK
		if f == static.NotFoundFile {
			want = http.StatusNotFound
		}
		raw, enc := f, ""
		for _, s := range []struct{ suffix, name string }{{".gz", "gzip"}, {".zst", "zstd"}} {
			if r, ok := strings.CutSuffix(f, s.suffix); ok {
				raw, enc = r, s.name
			}
		}
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+pathOf(raw), nil)
		req.Header.Set("Accept-Encoding", "identity")
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s: serve answers %d, want %d", f, resp.StatusCode, want)
		}
		if !bytes.Equal(got, body) {
			t.Errorf("%s differs from serve's %s (%d bytes built, %d served)", f, pathOf(raw), len(body), len(got))
		}
		if enc == "" {
			pages++
		}
	}
	if pages < 5*len(testutil.SeedCatalog(t).Entries) {
		t.Errorf("only %d pages built", pages)
	}

	// Everything the sitemap lists, and every link of the site in a built
	// page, is a file (server-only routes aside).
	serverOnly := regexp.MustCompile(`^/(match|search|api/v1/(match|search|errors|domains|stats|problems)|admin|mcp|healthz|metrics|\.well-known)`)
	locs := regexp.MustCompile(`<loc>`+regexp.QuoteMeta(base)+`([^<]*)</loc>`).FindAllStringSubmatch(string(files["sitemap.xml"]), -1)
	if len(locs) == 0 {
		t.Fatal("the sitemap lists nothing")
	}
	for _, m := range locs {
		if _, ok := files[static.FileFor(m[1])]; !ok {
			t.Errorf("the sitemap lists %s, which was not built", m[1])
		}
	}
	href := regexp.MustCompile(`(?:href|src|action)="(/[^"?#]*)`)
	for f, body := range files {
		if !strings.HasSuffix(f, ".html") {
			continue
		}
		for _, m := range href.FindAllStringSubmatch(string(body), -1) {
			if p := m[1]; !serverOnly.MatchString(p) {
				if _, ok := files[static.FileFor(p)]; !ok {
					t.Errorf("%s links to %s, which was not built", f, p)
				}
			}
		}
	}

	// A build without the compressed forms (the default) writes the same
	// pages, and so does a second one.
	for i := range 2 {
		out2 := filepath.Join(t.TempDir(), "site")
		if code, msg := runBuildCmd(t, "--catalog", cat, "--base-url", base, "--out", out2); code != 0 {
			t.Fatalf("build %d: %d\n%s", i, code, msg)
		}
		again := readTree(t, out2)
		n := 0
		for f, b := range files {
			if strings.HasSuffix(f, ".gz") || strings.HasSuffix(f, ".zst") {
				continue
			}
			n++
			if !bytes.Equal(again[f], b) {
				t.Errorf("build %d: %s differs", i, f)
			}
		}
		if len(again) != n {
			t.Errorf("build %d: %d files, want %d", i, len(again), n)
		}
	}
}

// A build that cannot start leaves the previous output as it was, and a
// directory of someone else's files is never replaced.
func TestBuildKeepsPreviousOutput(t *testing.T) {
	cat := testutil.SeedDir(t, nil)
	out := filepath.Join(t.TempDir(), "site")
	if code, msg := runBuildCmd(t, "--catalog", cat, "--out", out, "--precompressed=false"); code != 0 {
		t.Fatalf("build: %d\n%s", code, msg)
	}
	before := readTree(t, out)
	broken := testutil.SeedDir(t, map[string]string{"python/broken.yaml": "id: [unclosed\n"})
	if code, _ := runBuildCmd(t, "--catalog", broken, "--out", out); code == 0 {
		t.Fatal("a catalog with problems built")
	}
	after := readTree(t, out)
	if len(after) != len(before) {
		t.Errorf("the previous output changed: %d files, was %d", len(after), len(before))
	}
	mine := t.TempDir()
	os.WriteFile(filepath.Join(mine, "notes.txt"), []byte("mine"), 0o644)
	code, msg := runBuildCmd(t, "--catalog", cat, "--out", mine)
	if code == 0 || !strings.Contains(msg, "not empty") {
		t.Errorf("build over someone's directory: %d\n%s", code, msg)
	}
}
