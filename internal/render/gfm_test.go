package render

// internal/render/gfm is a fork of goldmark's table, strikethrough and
// linkify extensions that compiles its regexps on first use. These tests
// hold it to rendering exactly what upstream renders: every text of the
// shipped catalog, hand-written cases of each extension, and a fuzzer.

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/errorcanon/errorcanon/internal/render/gfm"
	"github.com/errorcanon/errorcanon/internal/testutil"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
)

// gfmPair is one goldmark configuration built twice: with upstream's
// extensions and with the fork's.
type gfmPair struct {
	name           string
	upstream, fork goldmark.Markdown
}

var gfmPairs = sync.OnceValue(func() []gfmPair {
	// goldmark as render configures it, and goldmark with the renderer
	// options render does not set (XHTML aligns table cells with an
	// attribute, unsafe passes raw HTML through, attributes on headings),
	// which reach the fork's table renderer as they reach upstream's.
	plain := func(ext ...goldmark.Extender) goldmark.Markdown {
		return goldmark.New(
			goldmark.WithExtensions(ext...),
			goldmark.WithParserOptions(parser.WithAttribute()),
			goldmark.WithRendererOptions(html.WithXHTML(), html.WithUnsafe(), html.WithHardWraps()),
		)
	}
	return []gfmPair{
		{"render", newMarkdown(extension.Table, extension.Strikethrough, extension.Linkify), newMarkdown(gfm.Table, gfm.Strikethrough, gfm.Linkify)},
		{"xhtml", plain(extension.Table, extension.Strikethrough, extension.Linkify), plain(gfm.Table, gfm.Strikethrough, gfm.Linkify)},
	}
})

// gfmDiff returns how the fork's HTML for s differs from upstream's, or
// "" when it does not.
func gfmDiff(s string) string {
	for _, p := range gfmPairs() {
		var want, got bytes.Buffer
		errWant := p.upstream.Convert([]byte(s), &want)
		errGot := p.fork.Convert([]byte(s), &got)
		if (errWant == nil) != (errGot == nil) {
			return p.name + ": upstream error " + errString(errWant) + ", fork error " + errString(errGot)
		}
		if want.String() != got.String() {
			return p.name + ":\n" + firstDiff(want.String(), got.String()) + "\nupstream:\n" + want.String() + "\nfork:\n" + got.String()
		}
	}
	return ""
}

func errString(err error) string {
	if err == nil {
		return "none"
	}
	return err.Error()
}

// gfmCases are hand-written texts for each extension's corners.
var gfmCases = []string{
	// Tables.
	"| a | b |\n|---|---|\n| 1 | 2 |",
	"| left | center | right | none |\n|:-----|:------:|------:|------|\n| 1 | 2 | 3 | 4 |",
	"a | b\n:-- | --:\nc | d",
	"| a |\n|:-:|\n| b |",
	"| a | b |\n| --- | --- |\n| only one |\n| three | cells | here |",
	"| a | b | c |\n|---|---|---|\n|   |   |   |\n||",
	"| escaped \\| pipe | b |\n|---|---|\n| x \\| y | `code \\| pipe` |",
	"| `a|b` | c |\n|---|---|\n| `x \\| y` | `\\|` |",
	"| `one \\| two \\| three` | b |\n|---|---|\n| **`bold \\| code`** | `` double \\| ticks `` |",
	"Some paragraph text\n| a | b |\n|---|---|\n| 1 | 2 |",
	"Line one\nline two\n| a | b |\n| - | - |\n| 1 | 2 |\nafter the table",
	"| a | b |\n|---|---|\n| 1 | 2 |\n\nA paragraph after.",
	"| a | b |\n|---|---|",
	"| a | b |\n|---|---|\n\n| c |\n|---|\n| d |",
	"|a|b|\n|-|-|\n|*em*|[link](https://example.com)|\n|~~del~~|https://example.com/x|",
	"| a | b |\n|---|\n| 1 | 2 |",
	"| a |\n|---|---|\n| 1 | 2 |",
	"|---|---|\n| a | b |",
	"    | indented | code |\n    |---|---|",
	"| a | b |\n   |---|---|\n| 1 | 2 |",
	"| a | b |\n    |---|---|",
	"| a | b |\n|--- |: --|",
	"| a | b |\n|-:-|---|",
	"- item\n\n  | a | b |\n  |---|---|\n  | 1 | 2 |",
	"> | a | b |\n> |---|---|\n> | 1 | 2 |",
	"| 中文 | 表格 |\n|---|---|\n| 错误 | 原因 |",
	"| a | b |\n|---|---|\n| 1 | 2 |\n| <span> | `<b>` |\n| ![img](x.png) | \\\\ |",
	"| a |\n| - |\n| b |\n# heading\n| c |",
	"a\n|---|",
	"| a | b |\n| :---: | :--- |\n| 1 | 2 |  \n| 3 | 4 |\\\n| 5 | 6 |",
	"Table:\n\n|a|\n|-|\n|\\||\n|`\\|`|\n|\\`\\|\\`|",
	// Strikethrough.
	"~~deleted~~ and ~single~ and ~~~triple~~~",
	"~~a ~b~ c~~ and ~a~~ and ~~a~",
	"~~ not ~~ and a~~b~~c and ~~*em*~~ and *~~em~~*",
	"~~unclosed and ~also unclosed",
	"x ~~multi\nline~~ y",
	"`~~code~~` ~~`code`~~ \\~~escaped~~",
	"~~中文删除~~线 and 删除~~中文~~",
	"~~[link](https://example.com)~~ ~~https://example.com~~",
	"~ ~~ ~~~ ~~~~",
	// Linkify.
	"www.example.com and http://example.com and https://example.com/path?q=1&r=2#frag",
	"ftp://ftp.example.org/file.txt and sftp://example.org and mailto:x@example.com",
	"Write to foo@bar.example.com or foo.bar+baz@example.co.uk.",
	"no-dot@localhost and a@b.c and _a@example.com and a@example.com_ and a@example.com-x",
	"See https://example.com. Or https://example.com, or https://example.com! Or https://example.com?",
	"Trailing: https://example.com/a: https://example.com/a; https://example.com/*x*",
	"(see https://example.com/foo) and (https://en.wikipedia.org/wiki/Foo_(bar)) and https://example.com/a_(b)_c)",
	"((https://example.com/x)) and [https://example.com](https://example.com) and <https://example.com>",
	"https://example.com/&amp; https://example.com/a&b; https://example.com/a&hellip;",
	"*https://example.com* _www.example.com_ ~https://example.com~ ~~www.example.com~~",
	"中文https://example.com/路径中文 和 www.example.com。还有https://example.com，以及（https://example.com）",
	"错误见 https://github.com/errorcanon/errorcanon/issues/10 或 foo@example.com。",
	"http://localhost:8080/x https://127.0.0.1:443/ http://example.com:8080/path",
	"https://example.com/" + strings.Repeat("a", 300) + " www." + strings.Repeat("b", 260) + ".com",
	"HTTP://EXAMPLE.COM Www.example.com www.example",
	"`https://example.com` and ```www.example.com``` and \\https://example.com",
	"[a www.example.com link](https://x.example) and ![https://example.com](img.png)",
	"http://ex ample.com https:// www. ftp:/x",
	"https://example.com/\"quoted\" https://example.com/'q' https://example.com/<tag>",
	"https://example.com/`tick` https://example.com/{braces}[brackets]^",
	"Line\nhttps://example.com/at-line-start\n  www.example.com/indented",
	"# https://example.com heading\n\n- www.example.com item\n\n> https://example.com quote",
	"Email in table:\n\n| who | url |\n|---|---|\n| a@example.com | https://example.com/a\\|b |",
}

func TestGFMSameAsUpstreamCases(t *testing.T) {
	for _, s := range gfmCases {
		if d := gfmDiff(s); d != "" {
			t.Errorf("%q: the fork renders differently from upstream, %s", s, d)
		}
	}
}

// TestGFMSameAsUpstreamCatalog renders every string of the shipped
// catalog (Markdown or not) and of the OpenAPI description the API
// reference page renders.
func TestGFMSameAsUpstreamCatalog(t *testing.T) {
	c, _ := testutil.Shipped()
	seen := map[string]bool{}
	for _, e := range c.Entries {
		collectStrings(reflect.ValueOf(e), seen)
	}
	for i := range c.Domains {
		collectStrings(reflect.ValueOf(&c.Domains[i]), seen)
	}
	spec, err := os.ReadFile("../api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(spec, &doc); err != nil {
		t.Fatal(err)
	}
	collectStrings(reflect.ValueOf(doc), seen)
	texts := make([]string, 0, len(seen))
	for s := range seen {
		texts = append(texts, s)
	}
	sort.Strings(texts)
	if len(c.Entries) < 100 || len(texts) < 1000 {
		t.Fatalf("only %d entries and %d texts: not the shipped catalog", len(c.Entries), len(texts))
	}
	bad := 0
	for _, s := range texts {
		if d := gfmDiff(s); d != "" {
			t.Errorf("%q: the fork renders differently from upstream, %s", s, d)
			if bad++; bad == 10 {
				t.Fatal("more differences left out")
			}
		}
	}
	t.Logf("%d entries, %d distinct texts", len(c.Entries), len(texts))
}

// collectStrings adds every string reachable from v to seen.
func collectStrings(v reflect.Value, seen map[string]bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			collectStrings(v.Elem(), seen)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				collectStrings(v.Field(i), seen)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			collectStrings(v.Index(i), seen)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			collectStrings(it.Key(), seen)
			collectStrings(it.Value(), seen)
		}
	case reflect.String:
		if s := v.String(); strings.TrimSpace(s) != "" {
			seen[s] = true
		}
	}
}

// FuzzGFMSameAsUpstream: for any text, the fork's HTML is upstream's.
func FuzzGFMSameAsUpstream(f *testing.F) {
	for _, s := range gfmCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d := gfmDiff(s); d != "" {
			t.Fatalf("%q: the fork renders differently from upstream, %s", s, d)
		}
	})
}
