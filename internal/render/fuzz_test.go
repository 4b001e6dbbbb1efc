package render

import (
	"regexp"
	"strings"
	"testing"
)

// Tags mdBlock and mdInline may write; anything else in their output is
// entry text that escaped.
var allowedTag = regexp.MustCompile(`^</?(p|a|em|strong|code|pre|ul|ol|li|blockquote|h[4-6]|hr|br|table|thead|tbody|tr|th|td|del)[ >/]`)

// FuzzMarkdown renders arbitrary entry text as HTML and as Markdown: it
// never panics, and raw HTML in it never comes out as a tag other than
// the ones Markdown makes.
func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{
		"Run `pip install x`\n\n```sh\nrm -rf /\n```", "<script>alert(1)</script>", "# Title\n\n- a\n- b\n\n| a | b |\n|---|---|\n| 1 | 2 |",
		"![img](https://evil.example/x.png) <img src=x onerror=alert(1)>", "[x](javascript:alert(1)) https://example.com ~~del~~",
		"> quote\n\n<!-- comment --> <a href='x'>", "\x00\xff\u202e", strings.Repeat("*", 200),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{string(mdBlock(s)), string(mdInline(s))} {
			for i := strings.IndexByte(out, '<'); i >= 0; {
				if !allowedTag.MatchString(out[i:]) {
					t.Fatalf("%q rendered a tag Markdown does not make: %q", s, out[i:min(len(out), i+40)])
				}
				j := strings.IndexByte(out[i+1:], '<')
				if j < 0 {
					break
				}
				i += 1 + j
			}
			if strings.Contains(strings.ToLower(out), "href=\"javascript:") {
				t.Fatalf("%q rendered a javascript: link: %s", s, out)
			}
		}
		_ = safeMarkdown(s)
	})
}
