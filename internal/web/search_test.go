package web

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/errorcanon/errorcanon/internal/api"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/search"
	"github.com/errorcanon/errorcanon/internal/testutil"
)

// TestSearchOverTheIndex serves /api/v1/search and /search over a real
// index of the test catalog: Chinese of one and two characters, filters,
// snippets as plain parts, and the index's refusals mapped by the error
// table.
func TestSearchOverTheIndex(t *testing.T) {
	c := testCatalog(t)
	ix, err := search.Build(c.Entries)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	r, err := render.New(c, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mix, _ := match.Build(c.Entries)
	s, err := New(Config{Renderer: r, Matcher: mix, Search: ix})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	for _, tc := range []struct {
		query, want string
	}{
		{"q=awselb&lang=en", testutil.SeedGeneric},
		{"q=CloudFront&lang=en&domain=aws", seedCF},
		{"q=" + url.QueryEscape("握手") + "&lang=zh", ""}, // two characters: at least one hit
		{"q=" + url.QueryEscape("源") + "&lang=zh", ""},  // one character
		// Chinese typed on the English interface (its search box suggests
		// 证书) finds the Chinese texts too.
		{"q=" + url.QueryEscape("证书"), seedCF},
		{"q=" + url.QueryEscape("证书") + "&lang=en", seedCF},
		// lang is the interface's language, not the analyser's: English
		// words on the Chinese interface find the English texts.
		{"q=awselb&lang=zh", testutil.SeedGeneric},
	} {
		rec := do(h, "GET", "/api/v1/search?"+tc.query)
		var res api.SearchResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || rec.Code != 200 || res.Total == 0 || len(res.Items) == 0 {
			t.Errorf("%s: %d %v total %d", tc.query, rec.Code, err, res.Total)
			continue
		}
		first := res.Items[0]
		if tc.want != "" && first.ID != tc.want {
			t.Errorf("%s: first hit %s, want %s", tc.query, first.ID, tc.want)
		}
		if first.Score <= 0 {
			t.Errorf("%s: score %v", tc.query, first.Score)
		}
		marked := false
		for _, sn := range first.Snippets {
			for _, p := range sn.Parts {
				marked = marked || p.Mark
				if strings.Contains(p.Text, "<mark>") {
					t.Errorf("a part holds markup: %q", p.Text)
				}
			}
		}
		if !marked {
			t.Errorf("%s: no marked words in %+v", tc.query, first.Snippets)
		}
		// The page shows the same first hit, its words marked.
		page := do(h, "GET", "/search?"+tc.query)
		if body := page.Body.String(); page.Code != 200 || !strings.Contains(body, first.ID) || !strings.Contains(body, "<mark>") {
			t.Errorf("/search?%s: %d, lacks %s or <mark>", tc.query, page.Code, first.ID)
		}
	}
	var res api.SearchResponse
	if rec := do(h, "GET", "/api/v1/search?q=awselb&domain=api"); json.Unmarshal(rec.Body.Bytes(), &res) != nil || rec.Code != 200 || res.Total == 0 {
		t.Errorf("domain filter: %d %d", rec.Code, res.Total)
	}
	// A domain declared ahead of its first entry is not published.
	if rec := do(h, "GET", "/api/v1/search?q=awselb&domain=python"); rec.Code != 400 {
		t.Errorf("unpublished domain filter: %d, want 400", rec.Code)
	}
	// The index's refusals are bad parameters, by the error table.
	if _, err := ix.Search(context.Background(), search.Query{Text: "x", Page: 101}); api.Classify(err) != api.ProblemInvalidParameter {
		t.Errorf("page 101: %v is %s, want invalid-parameter", err, api.Classify(err).Name)
	}
}
