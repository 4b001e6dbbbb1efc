package web

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/errorcanon/errorcanon/internal/api"
	"github.com/errorcanon/errorcanon/internal/browse"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/search"
	"github.com/errorcanon/errorcanon/internal/testutil"
)

func TestMarkedParts(t *testing.T) {
	for in, want := range map[string][]render.SnippetPart{
		"plain":                                {{Text: "plain"}},
		"a <mark>b</mark> c":                   {{Text: "a "}, {Text: "b", Mark: true}, {Text: " c"}},
		"<mark>x</mark><mark>y</mark>":         {{Text: "x", Mark: true}, {Text: "y", Mark: true}},
		"&lt;script&gt; <mark>&amp;</mark>":    {{Text: "<script> "}, {Text: "&", Mark: true}},
		"run ```sh <mark>pip</mark> `x` **y**": {{Text: "run  "}, {Text: "pip", Mark: true}, {Text: " x y"}},
		"cut <mark>open":                       {{Text: "cut "}, {Text: "open", Mark: true}},
		"":                                     nil,
	} {
		if got := markedParts(in); !reflect.DeepEqual(got, want) {
			t.Errorf("markedParts(%q) = %+v, want %+v", in, got, want)
		}
	}
}

// TestSearcherOverTheIndex runs the adapter over a real index of the test
// catalog: Chinese of one and two characters, filters, pages, and the
// index's refusals as ErrBadSearch.
func TestSearcherOverTheIndex(t *testing.T) {
	c := testCatalog(t)
	ix, err := search.Build(c.Entries)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	s := Searcher(ix)
	ctx := context.Background()
	for _, tc := range []struct {
		q    api.SearchQuery
		want string
	}{
		{api.SearchQuery{Text: "awselb", Lang: render.EN}, testutil.SeedGeneric},
		{api.SearchQuery{Text: "CloudFront", Lang: render.EN, Filters: browse.Query{Domain: "aws"}}, seedCF},
		{api.SearchQuery{Text: "握手", Lang: render.ZH}, ""}, // two characters: at least one hit
		{api.SearchQuery{Text: "源", Lang: render.ZH}, ""},  // one character
	} {
		res, err := s.Search(ctx, tc.q)
		if err != nil || res.Total == 0 || len(res.Hits) == 0 || len(res.Scores) != len(res.Hits) {
			t.Errorf("%+v: %v total %d", tc.q, err, res.Total)
			continue
		}
		if tc.want != "" && res.Hits[0].ID != tc.want {
			t.Errorf("%+v: first hit %s, want %s", tc.q, res.Hits[0].ID, tc.want)
		}
		marked := false
		for _, sn := range res.Hits[0].Snippets {
			for _, p := range sn.Parts {
				marked = marked || p.Mark
				if strings.Contains(p.Text, "<mark>") {
					t.Errorf("a part holds markup: %q", p.Text)
				}
			}
		}
		if !marked {
			t.Errorf("%+v: no marked words in %+v", tc.q, res.Hits[0].Snippets)
		}
	}
	if res, err := s.Search(ctx, api.SearchQuery{Text: "awselb", Filters: browse.Query{Domain: "python"}}); err != nil || res.Total != 0 {
		t.Errorf("domain filter: %v %d", err, res.Total)
	}
	if _, err := s.Search(ctx, api.SearchQuery{Text: "x", Filters: browse.Query{Page: 101}}); !errors.Is(err, api.ErrBadSearch) {
		t.Errorf("page 101: %v, want ErrBadSearch", err)
	}
}
