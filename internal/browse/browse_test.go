package browse

import (
	"errors"
	"fmt"
	"testing"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/catalog"
)

func testCatalog() *catalog.Catalog {
	domains := []canon.Domain{{ID: "go", Name: "Go"}, {ID: "python", Name: "Python"}, {ID: "empty", Name: "Empty"}}
	mk := func(id, domain, cat, ver, res string, fix, conf float64, first, last string) *canon.Entry {
		return &canon.Entry{ID: id, Domain: domain, Category: cat, Verification: ver, Resolvable: res,
			FixRate: fix, Confidence: conf, FirstSeen: first, LastVerified: last,
			Workarounds: []canon.Workaround{{}}, DeadEnds: []canon.DeadEnd{{}, {}}}
	}
	return catalog.New(domains, []*canon.Entry{
		mk("python/c", "python", "import_error", "reproduced", "true", 0.9, 0.8, "2020-01-01", "2026-01-03"),
		mk("python/a", "python", "type_error", "ai_generated", "partial", 0.5, 0.3, "2021-05-01", "2026-01-01"),
		mk("python/b", "python", "import_error", "reproduced", "true", 0.9, 0.95, "2019-01-01", "2026-01-03"),
		mk("go/z", "go", "build_error", "human_reviewed", "false", 0.1, 1.0, "2023-01-01", "2025-12-31"),
	})
}

func ids(es []*canon.Entry) string {
	s := ""
	for _, e := range es {
		s += e.ID + " "
	}
	return s
}

func TestSelectFiltersSortsPages(t *testing.T) {
	c := testCatalog()
	for _, tc := range []struct {
		q     Query
		want  string
		total int
		pages int
	}{
		{Query{}, "go/z python/a python/b python/c ", 4, 1},
		{Query{Domain: "python"}, "python/a python/b python/c ", 3, 1},
		{Query{Domain: "python", Category: "import_error"}, "python/b python/c ", 2, 1},
		{Query{Verification: "reproduced", Resolvable: "true"}, "python/b python/c ", 2, 1},
		{Query{Resolvable: "false"}, "go/z ", 1, 1},
		{Query{Sort: SortFixRate}, "python/b python/c python/a go/z ", 4, 1}, // ties by id
		{Query{Sort: SortConfidence}, "go/z python/b python/c python/a ", 4, 1},
		{Query{Sort: SortNewest}, "go/z python/a python/c python/b ", 4, 1},
		{Query{Sort: SortName, PerPage: 3}, "go/z python/a python/b ", 4, 2},
		{Query{PerPage: 3, Page: 2}, "python/c ", 4, 2},
		{Query{PerPage: 3, Page: 9}, "", 4, 2}, // past the end: empty, not an error
		{Query{Domain: "empty"}, "", 0, 1},
	} {
		res := Select(c, tc.q)
		if got := ids(res.Entries); got != tc.want || res.Total != tc.total || res.Pages != tc.pages {
			t.Errorf("Select(%+v) = %q total %d pages %d; want %q %d %d", tc.q, got, res.Total, res.Pages, tc.want, tc.total, tc.pages)
		}
	}
	// Select does not reorder the catalog.
	if got := ids(c.Entries); got != "go/z python/a python/b python/c " {
		t.Errorf("catalog order changed: %s", got)
	}
}

func TestCheck(t *testing.T) {
	c := testCatalog()
	for _, tc := range []struct {
		q     Query
		param string
	}{
		{Query{}, ""},
		{Query{Domain: "go", Category: "build_error", Verification: "reproduced", Resolvable: "partial", Sort: SortNewest, Page: 3, PerPage: 200}, ""},
		{Query{Domain: "nope"}, "domain"},
		{Query{Domain: "../etc"}, "domain"},
		{Query{Category: "<script>"}, "category"},
		{Query{Verification: "verified"}, "verification"},
		{Query{Resolvable: "yes"}, "resolvable"},
		{Query{Sort: "random"}, "sort"},
		{Query{Page: -1}, "page"},
		{Query{PerPage: 201}, "per_page"},
	} {
		err := tc.q.Check(c)
		var be *Error
		switch {
		case tc.param == "" && err != nil:
			t.Errorf("Check(%+v) = %v, want nil", tc.q, err)
		case tc.param != "" && (!errors.As(err, &be) || be.Param != tc.param):
			t.Errorf("Check(%+v) = %v, want an error about %s", tc.q, err, tc.param)
		}
	}
}

func TestFiltered(t *testing.T) {
	for q, want := range map[Query]bool{
		{}: false, {Domain: "go"}: false, {Sort: SortName, Page: 1, PerPage: DefaultPerPage}: false,
		{Sort: SortFixRate}: true, {Page: 2}: true, {Category: "x"}: true,
	} {
		if got := q.Filtered(); got != want {
			t.Errorf("%+v.Filtered() = %v", q, got)
		}
	}
}

func TestComputeAndRecent(t *testing.T) {
	c := testCatalog()
	s := Compute(c)
	if s.Entries != 4 || s.Domains != 2 || s.Workarounds != 4 || s.DeadEnds != 8 || s.Reproduced != 2 {
		t.Errorf("totals: %+v", s)
	}
	if s.MeanFixRate != 0.6 || s.MeanConfidence != 0.763 {
		t.Errorf("means %v %v", s.MeanFixRate, s.MeanConfidence)
	}
	if fmt.Sprint(s.ByDomain) != "[{go 1} {python 3}]" {
		t.Errorf("by domain %v", s.ByDomain)
	}
	if len(s.ByCategory) != len(canon.Categories) || s.ByCategory[2] != (Count{"import_error", 2}) {
		t.Errorf("by category %v", s.ByCategory)
	}
	sum := 0
	for _, b := range s.FixRate {
		sum += b.Count
	}
	// 0.1 is in the second bucket, 0.5 in the sixth, 0.9 twice in the last; 1.0 (confidence) in the last.
	if sum != 4 || s.FixRate[1].Count != 1 || s.FixRate[5].Count != 1 || s.FixRate[9].Count != 2 || s.Confidence[9].Count != 2 {
		t.Errorf("fix-rate buckets %v, confidence %v", s.FixRate, s.Confidence)
	}
	if got := ids(Recent(c, 3)); got != "python/c python/b python/a " {
		t.Errorf("Recent = %s", got)
	}
}
