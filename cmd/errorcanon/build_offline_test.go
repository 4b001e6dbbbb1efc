package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/errorcanon/errorcanon/internal/offline"
	"github.com/errorcanon/errorcanon/internal/testutil"
)

// Without go on PATH, build stops and says what to do; --no-wasm builds
// the site with its search index and without the matcher.
func TestBuildWithoutGo(t *testing.T) {
	cat := testutil.SeedDir(t, nil)
	t.Setenv("PATH", t.TempDir())
	out := filepath.Join(t.TempDir(), "site")
	code, msg := runBuildCmd(t, "--catalog", cat, "--out", out)
	if code != 1 || !strings.Contains(msg, "--no-wasm") || !strings.Contains(msg, "needs the Go toolchain") {
		t.Fatalf("build without go: %d\n%s", code, msg)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed build left an output")
	}
	if code, msg := runBuildCmd(t, "--catalog", cat, "--out", out, "--no-wasm"); code != 0 {
		t.Fatalf("build --no-wasm: %d\n%s", code, msg)
	}
	man, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(offline.ManifestPath)))
	if err != nil || !strings.Contains(string(man), `"match": null`) {
		t.Errorf("manifest of a --no-wasm build: %v\n%s", err, man)
	}
	if m, _ := filepath.Glob(filepath.Join(out, "offline", "*.wasm")); len(m) != 0 {
		t.Errorf("--no-wasm wrote %v", m)
	}
}
