package mcpserver

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/errorcanon/errorcanon/internal/browse"
	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/catalog"
)

// TestStatsAgreeWithTheAPI: get_stats reports the counts /api/v1/stats
// serves (browse.Compute, as JSON), also for a catalog with a domain that
// has no entries yet.
func TestStatsAgreeWithTheAPI(t *testing.T) {
	c, _ := shipped(t)
	withEmpty := catalog.New(append(slices.Clone(c.Domains), canon.Domain{ID: "zig", Name: "Zig", Description: "No entries yet."}), slices.Clone(c.Entries))
	for _, tc := range []struct {
		name string
		cat  *catalog.Catalog
	}{
		{"shipped catalog", c},
		{"with an empty domain", withEmpty},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The API's answer, decoded as a client reads it.
			b, err := json.Marshal(browse.Compute(tc.cat))
			if err != nil {
				t.Fatal(err)
			}
			var api statsOutput
			if err := json.Unmarshal(b, &api); err != nil {
				t.Fatal(err)
			}
			_, cs := connect(t, func(cfg *Config) { cfg.Catalog = tc.cat })
			var mcp statsOutput
			ok(t, cs, "get_stats", nil, &mcp)

			if mcp.Entries != api.Entries || mcp.Domains != api.Domains || mcp.Workarounds != api.Workarounds || mcp.DeadEnds != api.DeadEnds ||
				mcp.MeanFixRate != api.MeanFixRate || mcp.MeanConfidence != api.MeanConfidence {
				t.Errorf("figures differ:\nmcp %+v\napi %+v", mcp, api)
			}
			for _, by := range []struct {
				name     string
				mcp, api []countRow
			}{
				{"domain", mcp.ByDomain, api.ByDomain},
				{"category", mcp.ByCategory, api.ByCategory},
				{"verification", mcp.ByVerification, api.ByVerification},
				{"resolvable", mcp.ByResolvable, api.ByResolvable},
			} {
				if m, a := nonZero(by.mcp), nonZero(by.api); !maps(m, a) {
					t.Errorf("by %s: mcp %v, api %v", by.name, m, a)
				}
			}
		})
	}
	if n := len(withEmpty.InDomain("zig")); n != 0 {
		t.Fatalf("zig has %d entries", n)
	}
}

func nonZero(cs []countRow) map[string]int {
	m := map[string]int{}
	for _, c := range cs {
		if c.Count != 0 {
			m[c.Key] = c.Count
		}
	}
	return m
}

func maps(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestListErrorsFollowsBrowse: list_errors pages through browse.Select's
// order, also when the limit changes between pages (a window over two of
// browse's pages).
func TestListErrorsFollowsBrowse(t *testing.T) {
	c, _ := shipped(t)
	all := browse.Select(c, browse.Query{Domain: "python", Sort: browse.SortFixRate, PerPage: browse.MaxPerPage}).Entries
	if len(all) < 9 {
		t.Fatalf("python has %d entries; the test wants 9", len(all))
	}
	_, cs := connect(t, nil)
	for _, tc := range []struct {
		name         string
		first, limit int
	}{
		{"same limit", 3, 3},
		{"larger limit", 3, 5},
		{"smaller limit", 4, 2},
	} {
		var out listOutput
		ok(t, cs, "list_errors", map[string]any{"domain": "python", "limit": tc.first}, &out)
		next := listOutput{}
		ok(t, cs, "list_errors", map[string]any{"domain": "python", "limit": tc.limit, "cursor": out.NextCursor}, &next)
		var got, want []string
		for _, e := range append(out.Errors, next.Errors...) {
			got = append(got, e.ID)
		}
		for _, e := range all[:tc.first+tc.limit] {
			want = append(want, e.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, want)
		}
	}
}
