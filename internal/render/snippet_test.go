package render

import (
	"reflect"
	"testing"

	"github.com/errorcanon/errorcanon/internal/search"
)

func TestMarkedParts(t *testing.T) {
	for in, want := range map[string][]SnippetPart{
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
	hits := SearchHits([]search.Hit{{ID: "a/b", Snippets: []search.Snippet{{Field: "signature", HTML: "a <mark>b</mark>"}}}})
	want := []SearchHit{{ID: "a/b", Snippets: []Snippet{{Field: "signature", Parts: []SnippetPart{{Text: "a "}, {Text: "b", Mark: true}}}}}}
	if !reflect.DeepEqual(hits, want) {
		t.Errorf("SearchHits = %+v", hits)
	}
}
