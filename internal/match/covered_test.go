package match

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testdata/corpus/covered holds real tool output for errors that the
// catalog did not cover when the negative corpus was made and covers now,
// each with the entry that explains it (expected.tsv). They stay as a
// regression test on text no entry author wrote.
func TestCoveredCorpus(t *testing.T) {
	ix, _ := shippedIndex()
	f, err := os.Open(filepath.Join("testdata", "corpus", "covered", "expected.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, want, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			t.Fatalf("expected.tsv: bad line %q", sc.Text())
		}
		b, err := os.ReadFile(filepath.Join("testdata", "corpus", "covered", name))
		if err != nil {
			t.Fatal(err)
		}
		rs, err := ix.Match(b, Options{Limit: 1, NoFuzzy: true})
		if err != nil || len(rs) == 0 || rs[0].ID != want {
			t.Errorf("%s: got %v, want %s", name, ids(rs), want)
		}
		n++
	}
	if n < 100 {
		t.Errorf("only %d covered files", n)
	}
}
