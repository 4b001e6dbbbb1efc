package offline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
)

// module is this program's module path.
const module = "github.com/errorcanon/errorcanon"

// ErrNoToolchain is BuildWasm's error when no Go toolchain is on PATH.
var ErrNoToolchain = errors.New("compiling the matcher to WebAssembly needs the Go toolchain (go) on PATH")

// BuildWasm compiles cmd/matchwasm for GOOS=js GOARCH=wasm with the go on
// PATH (-trimpath -buildvcs=false -ldflags=-s: the same source and Go give
// the same bytes), and reads that Go's wasm_exec.js. The source is the
// module of the current directory when it is ErrorCanon's (a checkout),
// else this binary's own version from the module cache (go mod download;
// a binary from go install ...@vX.Y.Z). A binary built from a checkout,
// run elsewhere, finds neither: the error says what to do.
//
// A process compiles it once: later calls return the first success.
func BuildWasm(ctx context.Context) (*Matcher, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return nil, ErrNoToolchain
	}
	built.Lock()
	defer built.Unlock()
	if built.m != nil {
		return built.m, nil
	}
	m, err := buildWasm(ctx, goBin)
	if err == nil {
		built.m = m
	}
	return m, err
}

var built struct {
	sync.Mutex
	m *Matcher
}

func buildWasm(ctx context.Context, goBin string) (*Matcher, error) {
	src, err := source(ctx, goBin)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "errorcanon-wasm-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "match.wasm")
	cmd := exec.CommandContext(ctx, goBin, "build", "-trimpath", "-buildvcs=false", "-ldflags=-s", "-o", out, "./cmd/matchwasm")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOFLAGS=-mod=readonly", "GOWORK=off")
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("compiling the matcher to WebAssembly in %s: %v\n%s", src, err, b)
	}
	wasm, err := os.ReadFile(out)
	if err != nil {
		return nil, err
	}
	root, err := goEnv(ctx, goBin, "GOROOT")
	if err != nil {
		return nil, err
	}
	var exe []byte
	for _, p := range []string{"lib/wasm/wasm_exec.js", "misc/wasm/wasm_exec.js"} { // Go 1.24 moved it to lib
		if exe, err = os.ReadFile(filepath.Join(root, filepath.FromSlash(p))); err == nil {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("wasm_exec.js of the Go in %s: %w", root, err)
	}
	return &Matcher{Wasm: wasm, Exec: exe}, nil
}

// source finds the directory of ErrorCanon's source to compile.
func source(ctx context.Context, goBin string) (string, error) {
	cmd := exec.CommandContext(ctx, goBin, "list", "-m", "-json")
	cmd.Env = append(os.Environ(), "GOWORK=off")
	if b, err := cmd.Output(); err == nil {
		var m struct{ Path, Dir string }
		if json.Unmarshal(b, &m) == nil && m.Path == module && m.Dir != "" {
			return m.Dir, nil
		}
	}
	bi, ok := debug.ReadBuildInfo()
	v := ""
	if ok && bi.Main.Path == module {
		v = bi.Main.Version
	}
	if v == "" || v == "(devel)" || strings.Contains(v, "+dirty") {
		return "", fmt.Errorf("compiling the matcher to WebAssembly needs ErrorCanon's source: run errorcanon build inside a checkout of %s, or pass --no-wasm (search still works offline; the paste box then needs errorcanon serve)", module)
	}
	cmd = exec.CommandContext(ctx, goBin, "mod", "download", "-json", module+"@"+v)
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	b, err := cmd.Output()
	var m struct{ Dir, Error string }
	if jerr := json.Unmarshal(b, &m); jerr != nil || m.Dir == "" {
		return "", fmt.Errorf("fetching ErrorCanon %s's source to compile the matcher (go mod download): %v %s; pass --no-wasm to build without it", v, err, m.Error)
	}
	return m.Dir, nil
}

func goEnv(ctx context.Context, goBin, name string) (string, error) {
	b, err := exec.CommandContext(ctx, goBin, "env", name).Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %w", name, err)
	}
	return string(bytes.TrimSpace(b)), nil
}
