package match

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// For inputs within the budget, MatchReader answers as Match does, with the
// same lines.
func TestMatchReaderAgreesWithMatch(t *testing.T) {
	ix := testIndex(t, pyEntries...)
	inputs := []string{traceback, "KeyError: 'a'\n", "noise\r\nKeyError: 'b'\r\n", "\x1b[31mKeyError: 'c'\x1b[0m"}
	logs, _ := filepath.Glob("testdata/logs/*")
	for _, f := range logs {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) <= streamBudget {
			inputs = append(inputs, string(b))
		}
	}
	for _, in := range inputs {
		want, err := ix.Match([]byte(in), Options{})
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := ix.MatchReader(strings.NewReader(in), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Errorf("%.40q: %v, want %v", in, ids(got), ids(want))
			continue
		}
		for i := range got {
			if got[i].ID != want[i].ID || got[i].Span.Line != want[i].Span.Line || got[i].Span.Text != want[i].Span.Text {
				t.Errorf("%.40q: result %d is %s line %d, want %s line %d", in, i, got[i].ID, got[i].Span.Line, want[i].ID, want[i].Span.Line)
			}
		}
	}
}

// filler writes n lines of ordinary output.
func filler(w *bytes.Buffer, n int) {
	for i := 0; i < n; i++ {
		w.WriteString("2024-05-01T12:00:00Z worker processed batch, all records valid\n")
	}
}

func TestMatchReaderBigLog(t *testing.T) {
	ix := testIndex(t, pyEntries...)
	var b bytes.Buffer
	b.WriteString("KeyError: 'early'\n") // far behind the budget of later candidates
	filler(&b, 200_000)                  // ~13 MB
	for i := 0; i < 100_000; i++ {       // repeated candidates, ~3.5 MB
		b.WriteString("ModuleNotFoundError: No module named 'a'\n")
	}
	filler(&b, 50_000)
	b.WriteString("FileNotFoundError: [Errno 2] No such file or directory: 'settings.yaml'\n")
	filler(&b, 10)
	in := b.Bytes()
	rs, st, err := ix.MatchReader(bytes.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Bytes != int64(len(in)) || st.Lines != 350_012 {
		t.Errorf("stats %+v for %d bytes", st, len(in))
	}
	lines := map[string]int{}
	for _, r := range rs {
		lines[r.ID] = r.Span.Line
	}
	if lines["python/file-not-found"] != 350_002 || lines["python/module-not-found"] != 300_001 {
		t.Fatalf("got %v, want python/file-not-found on line 350002 and the last python/module-not-found (line 300001)", lines)
	}
	// Offsets point into the input.
	for _, r := range rs {
		if got := string(in[r.Span.Start:r.Span.End]); got != r.Span.Text {
			t.Errorf("%s: input[%d:%d] = %q, span text %q", r.ID, r.Span.Start, r.Span.End, got, r.Span.Text)
		}
	}
	// The earliest candidate fell out of the budget; the latest ones stay.
	for _, r := range rs {
		if r.ID == "python/key-error" {
			t.Errorf("the first line should have been dropped for later candidates: %+v", r.Span)
		}
	}
	if st.Kept > streamBudget/20 {
		t.Errorf("kept %d lines", st.Kept)
	}
}

// A line of many megabytes is cut, not refused, and the line after it is
// still found with its number.
func TestMatchReaderHugeLine(t *testing.T) {
	ix := testIndex(t, pyEntries...)
	in := io.MultiReader(
		strings.NewReader("start\n"),
		io.LimitReader(repeatByte('x'), 9<<20), // one 9 MiB line
		strings.NewReader("\nKeyError: 'user'\n"),
	)
	rs, st, err := ix.MatchReader(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Cut != 1 || st.Lines != 3 {
		t.Errorf("stats %+v", st)
	}
	if len(rs) == 0 || rs[0].ID != "python/key-error" || rs[0].Span.Line != 3 || rs[0].Span.Start != 6+9<<20+1 {
		t.Fatalf("got %v %+v", ids(rs), first(rs).Span)
	}
}

func TestMatchReaderEmpty(t *testing.T) {
	ix := testIndex(t, pyEntries...)
	for _, in := range []string{"", "\n\n  \n"} {
		if _, _, err := ix.MatchReader(strings.NewReader(in), Options{}); err != ErrEmpty {
			t.Errorf("%q: %v, want ErrEmpty", in, err)
		}
	}
}

type repeatByte byte

func (r repeatByte) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// FuzzMatchReader: any input streams without error or panic, and every
// span's offsets hold its text.
func FuzzMatchReader(f *testing.F) {
	f.Add([]byte(traceback))
	f.Add([]byte("a\r\rb\x1b[1mKeyError: 'x'\n\x00"))
	ix := testIndex(f, pyEntries...)
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, _, err := ix.MatchReader(bytes.NewReader(data), Options{})
		if err != nil && err != ErrEmpty {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.Span != nil && (r.Span.Start < 0 || r.Span.End > len(data) || r.Span.Start > r.Span.End) {
				t.Fatalf("span %+v out of %d bytes", r.Span, len(data))
			}
		}
	})
}

// BenchmarkMatchReader streams 64 MiB of ordinary build and install output
// with an error at its end through the shipped catalog's index.
func BenchmarkMatchReader(b *testing.B) {
	ix, _ := shippedIndex()
	var chunk []byte
	for _, f := range []string{"go-test-v-internal.log", "apt-dpkg-install.log", "cargo-build-test-v.log"} {
		d, err := os.ReadFile(filepath.Join("testdata", "corpus", "normal-output", f))
		if err != nil {
			b.Fatal(err)
		}
		chunk = append(chunk, d...)
	}
	in := bytes.Repeat(chunk, (64<<20)/len(chunk)+1)
	in = append(in, "panic: runtime error: invalid memory address or nil pointer dereference\n"...)
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rs, _, err := ix.MatchReader(bytes.NewReader(in), Options{})
		if err != nil || len(rs) == 0 || rs[0].ID != "go/nil-pointer-dereference" {
			b.Fatalf("%v %v", ids(rs), err)
		}
	}
}
