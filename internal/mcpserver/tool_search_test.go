package mcpserver

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/errorcanon/errorcanon/internal/search"
)

// TestSearchErrorsWithTheIndex runs search_errors on the real full-text
// index over the shipped catalog: English, Chinese, filters and paging.
func TestSearchErrorsWithTheIndex(t *testing.T) {
	c, _ := shipped(t)
	six, err := search.Build(c.Entries)
	if err != nil {
		t.Fatal(err)
	}
	defer six.Close()
	_, cs := connect(t, func(cfg *Config) { cfg.Search = six.Search })

	var out searchOutput
	md := ok(t, cs, "search_errors", map[string]any{"query": "no module named"}, &out)
	if out.Total == 0 || !hasHit(out, pythonID) {
		t.Fatalf("English query: %+v", out)
	}
	if strings.Contains(md, "<mark>") || strings.Contains(md, "&#") {
		t.Errorf("snippets leak HTML into the Markdown:\n%s", md)
	}

	out = searchOutput{}
	ok(t, cs, "search_errors", map[string]any{"query": "找不到模块"}, &out)
	if out.Total == 0 {
		t.Errorf("Chinese query found nothing")
	}

	out = searchOutput{}
	ok(t, cs, "search_errors", map[string]any{"query": "error", "domain": "git"}, &out)
	for _, h := range out.Hits {
		if !strings.HasPrefix(h.ID, "git/") {
			t.Errorf("domain filter ignored: %s", h.ID)
		}
	}

	// Page through a broad query two hits at a time: no hit twice, all of
	// them in the end.
	seen := map[string]bool{}
	cursor := ""
	total := 0
	for pages := 0; pages < 60; pages++ {
		args := map[string]any{"query": "pip install", "limit": 2}
		if cursor != "" {
			args["cursor"] = cursor
		}
		out = searchOutput{}
		ok(t, cs, "search_errors", args, &out)
		total = out.Total
		for _, h := range out.Hits {
			if seen[h.ID] {
				t.Fatalf("%s on two pages", h.ID)
			}
			seen[h.ID] = true
		}
		if cursor = out.NextCursor; cursor == "" {
			break
		}
	}
	if total < 3 || len(seen) != total {
		t.Errorf("paged through %d of %d hits", len(seen), total)
	}

	// A cursor is tied to its query and page size.
	out = searchOutput{}
	ok(t, cs, "search_errors", map[string]any{"query": "pip install", "limit": 2}, &out)
	msg := toolError(t, cs, "search_errors", map[string]any{"query": "pip install", "limit": 3, "cursor": out.NextCursor})
	wantContains(t, "cursor of another search", msg, "same filters")
	// A long query is cut as the index cuts it, and the answer says so.
	md = ok(t, cs, "search_errors", map[string]any{"query": strings.Repeat("word ", 200)}, nil)
	wantContains(t, "long query", md, fmt.Sprintf("cut to its first %d bytes", search.MaxQueryBytes), "key words", "match_error")
	md = ok(t, cs, "search_errors", map[string]any{"query": strings.Repeat("找不到", 200), "lang": "zh"}, nil)
	wantContains(t, "long Chinese query", md, fmt.Sprintf("前 %d 字节", search.MaxQueryBytes), "match_error")
	if !utf8.ValidString(md) {
		t.Errorf("a cut Chinese query is not valid UTF-8: %q", md)
	}
}

func hasHit(out searchOutput, id string) bool {
	for _, h := range out.Hits {
		if h.ID == id {
			return true
		}
	}
	return false
}
