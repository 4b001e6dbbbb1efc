package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/errorcanon/errorcanon/internal/termtext"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// The verdict card, as a terminal shows it, at 80 and 120 columns in both
// languages (over the seed entries, which other work does not change):
// what to do first, then what not to try, then the cause; the matched
// line whole; no line wider than the terminal but that line and commands.
func TestVerdictGolden(t *testing.T) {
	t.Parallel()
	dir := seedDir(t, nil)
	in := "deploy step 3 of 4\n" + albResponse
	for _, lang := range []string{"en", "zh"} {
		for _, width := range []int{80, 120} {
			name := fmt.Sprintf("verdict-%s-%d.txt", lang, width)
			t.Run(name, func(t *testing.T) {
				code, out, errs := runStdin(t, in, "match", "--catalog", dir, "--db", "none", "--lang", lang, "--width", fmt.Sprint(width))
				if code != 0 {
					t.Fatalf("code %d: %s", code, errs)
				}
				golden(t, filepath.Join("testdata", name), out)
				for _, ln := range strings.Split(out, "\n") {
					if termtext.Width(ln) > width && !strings.Contains(ln, "$ ") && !strings.Contains(ln, "HTTP/2 502") {
						t.Errorf("%d cells wide: %q", termtext.Width(ln), ln)
					}
				}
				do, dont, cause := strings.Index(out, "✓"), strings.Index(out, "✗"), strings.Index(out, labels[lang]["cause"]+labels[lang]["colon"])
				if do < 0 || dont < do || cause < dont {
					t.Errorf("want do (%d), then don't (%d), then the cause (%d)", do, dont, cause)
				}
				if lang == "zh" && strings.Contains(out, "行 2: ") {
					t.Errorf("Chinese output with an ASCII colon after a label")
				}
			})
		}
	}
}

// golden compares got with the file, or rewrites it with -update.
func golden(t *testing.T, file, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (go test -update rewrites it); got:\n%s", file, got)
	}
}

// --version names the module version (or "(devel)") and the Go release,
// from the build info the toolchain records.
func TestVersion(t *testing.T) {
	for _, arg := range []string{"--version", "version"} {
		code, out, errs := runCmd(context.Background(), nil, arg)
		if code != 0 || !strings.HasPrefix(out, "errorcanon ") || !strings.Contains(out, runtime.Version()) || errs != "" {
			t.Errorf("%s: code %d, %q %q", arg, code, out, errs)
		}
	}
}
