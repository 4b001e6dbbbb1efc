package match_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/testutil"
)

// Whole logs captured from the real tools (testdata/logs), matched against
// the shipped catalog: the entry that explains each one comes first.
func TestRealLogs(t *testing.T) {
	c, problems := testutil.Shipped()
	if len(problems) > 0 {
		t.Logf("catalog has %d problems; matching the valid entries", len(problems))
	}
	ix, _ := match.ShippedIndex()
	tests := []struct {
		file string
		top  []string // the first results, in any order
		last string   // an entry that must rank after top, when set
	}{
		{"python-chained-traceback.log", []string{"python/json-decode-error-expecting-value"}, ""},
		{"node-esm-package-not-found.log", []string{"node/err-module-not-found-package"}, ""},
		{"go-panic-nil-map.log", []string{"go/assignment-to-entry-in-nil-map"}, ""},
		{"java-caused-by-npe.log", []string{"java/null-pointer-exception-helpful-message"}, ""},
		{"cargo-several-errors.log", []string{"rust/e0382-borrow-of-moved-value", "rust/e0499-cannot-borrow-as-mutable-more-than-once"}, ""},
		{"gcc-make-implicit-declaration.log", []string{"c/implicit-declaration-of-function", "c/undefined-reference"}, "make/recipe-failed-error-1"},
		{"ci-buried-git-error.log", []string{"git/not-a-git-repository"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			for _, id := range append(slices.Clone(tt.top), tt.last) {
				if id != "" && c.Entry(id) == nil {
					t.Fatalf("entry %s is not in the catalog; update the test if it was renamed", id)
				}
			}
			data, err := os.ReadFile(filepath.Join("testdata", "logs", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			rs, err := ix.Match(data, match.Options{Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rs {
				got = append(got, r.ID)
			}
			if len(got) < len(tt.top) {
				t.Fatalf("got %v, want %v first", got, tt.top)
			}
			for _, id := range got[:len(tt.top)] {
				if !slices.Contains(tt.top, id) {
					t.Fatalf("got %v, want %v first", got, tt.top)
				}
			}
			if tt.last != "" && !slices.Contains(got[len(tt.top):], tt.last) {
				t.Errorf("got %v, want %s after %v", got, tt.last, tt.top)
			}
			if rs[0].Kind != match.Matched || rs[0].Span == nil || string(data[rs[0].Span.Start:rs[0].Span.End]) != rs[0].Span.Text {
				t.Errorf("first result %+v has no exact span", rs[0])
			}
		})
	}
}
