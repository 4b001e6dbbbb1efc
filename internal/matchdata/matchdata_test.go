package matchdata

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	catalogdata "github.com/errorcanon/errorcanon/catalog"
	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/testutil"
)

// The data round-trips into entries that match as the originals do, with
// the index made from the stored plan.
func TestRoundTrip(t *testing.T) {
	c := testutil.SeedCatalog(t)
	data, err := Encode(c.Entries)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Decode(data); err != nil {
		t.Fatal(err)
	}
	want, _ := match.Build(c.Entries)
	got, fromPlan, err := DecodeIndex(data)
	if err != nil {
		t.Fatal(err)
	}
	if !fromPlan {
		t.Error("the index was derived again, not made from the stored plan")
	}
	again, _ := Encode(c.Entries)
	if string(again) != string(data) {
		t.Error("two encodings of the same entries differ")
	}
	for _, e := range c.Entries {
		for _, ex := range e.Examples {
			a, _ := want.Match([]byte(ex), match.Options{Limit: 3})
			b, _ := got.Match([]byte(ex), match.Options{Limit: 3})
			ja, _ := json.Marshal(match.Summarize(a, "zh", 3))
			jb, _ := json.Marshal(match.Summarize(b, "zh", 3))
			if string(ja) != string(jb) {
				t.Errorf("%s: answers differ:\n%s\n%s", e.ID, ja, jb)
			}
		}
	}
	for _, bad := range []string{"", "{}", string(data[:len(data)/2])} {
		if _, err := Decode([]byte(bad)); err == nil {
			t.Errorf("Decode(%q) succeeded", bad)
		}
	}
}

// TestWasm compiles cmd/matchwasm for GOOS=js, runs it in Node.js on the
// shipped catalog's data, and checks that a pasted Python traceback gets
// its entry; it logs the sizes and the time to the first answer
// (BENCHMARKS.md). It takes about 15 s, so it runs under CI=true or with
// ERRORCANON_WASM=1, and never with -short or without node:
//
//	ERRORCANON_WASM=1 go test ./internal/matchdata -run TestWasm -v
func TestWasm(t *testing.T) {
	if testing.Short() || (os.Getenv("CI") != "true" && os.Getenv("ERRORCANON_WASM") == "") {
		t.Skip("compiles a WebAssembly binary and runs it in node: set ERRORCANON_WASM=1")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	dir := t.TempDir()
	wasm := filepath.Join(dir, "match.wasm")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s", "-o", wasm, "github.com/errorcanon/errorcanon/cmd/matchwasm")
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	c, _, ok := catalog.LoadSnapshot(catalogdata.FS)
	if !ok {
		t.Skip("no current snapshot of the shipped catalog")
	}
	data, err := Encode(c.Entries)
	if err != nil {
		t.Fatal(err)
	}
	dataFile := filepath.Join(dir, "match-data.gob")
	os.WriteFile(dataFile, data, 0o644)
	input := filepath.Join(dir, "in.txt")
	os.WriteFile(input, []byte("Traceback (most recent call last):\n  File \"/srv/app/main.py\", line 3, in <module>\n    import requests\nModuleNotFoundError: No module named 'requests'\n"), 0o644)
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	wasmExec := filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js")
	out, err := exec.Command(node, "testdata/run.js", wasmExec, wasm, dataFile, input).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var res struct {
		Instantiate, Load, FirstMatch, FirstAnswer, NextMatch float64
		Same                                                  bool
		Answer                                                struct {
			Matched bool
			Results []struct{ ID string }
		}
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(out, &raw); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for k, p := range map[string]*float64{"instantiate_ms": &res.Instantiate, "load_ms": &res.Load, "first_match_ms": &res.FirstMatch, "first_answer_ms": &res.FirstAnswer, "next_match_ms": &res.NextMatch} {
		json.Unmarshal(raw[k], p)
	}
	json.Unmarshal(raw["same"], &res.Same)
	json.Unmarshal(raw["answer"], &res.Answer)
	if !res.Answer.Matched || len(res.Answer.Results) == 0 || res.Answer.Results[0].ID != "python/module-not-found-error" {
		t.Fatalf("answer: %s", raw["answer"])
	}
	if !res.Same {
		t.Error("a second match answered differently")
	}
	st, _ := os.Stat(wasm)
	t.Logf("match.wasm %d bytes, match-data.gob %d bytes; instantiate %.0f ms, load data and build the index %.0f ms, first match %.1f ms: first answer %.0f ms; next match %.2f ms",
		st.Size(), len(data), res.Instantiate, res.Load, res.FirstMatch, res.FirstAnswer, res.NextMatch)
}
