package termtext

import (
	"strings"
	"testing"
)

func TestWidth(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want int
	}{
		{"abc", 3}, {"证书", 4}, {"a，b", 4}, {"\x1b[1mbold\x1b[0m", 4}, {"e\u0301", 1}, {"ｆｕｌｌ", 8}, {"", 0},
	} {
		if got := Width(tc.s); got != tc.want {
			t.Errorf("Width(%q) = %d, want %d", tc.s, got, tc.want)
		}
	}
}

func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		s     string
		width int
		want  string
	}{
		{"one two three four", 9, "one two\n  three\n  four"},
		{"averyveryverylongword x", 5, "averyveryverylongword\n  x"},
		// Chinese breaks between characters, never before closing
		// punctuation, and fits the cells.
		{"证书链追溯不到这个，CA。", 10, "证书链追溯\n  不到这\n  个，CA。"},
		{"（有效\u00a0估计\u00a060%）", 10, "（有效 估\n  计 60%）"},
	} {
		got := Wrap(tc.s, tc.width, 0, "  ")
		got = strings.ReplaceAll(got, "\u00a0", " ")
		if got != tc.want {
			t.Errorf("Wrap(%q, %d) =\n%s\nwant\n%s", tc.s, tc.width, got, tc.want)
		}
		for _, ln := range strings.Split(got, "\n") {
			if Width(ln) > tc.width && !strings.Contains(ln, "long") {
				t.Errorf("%q is %d cells wide", ln, Width(ln))
			}
		}
	}
}

func TestMarkdown(t *testing.T) {
	md := "Run it with **the same** interpreter, see [the docs](https://docs.python.org/3/):\n\n```sh\npython3 -m pip install requests   # a long line stays whole\n```\n\n- first `item`\n- second"
	want := "  Run it with the same\n  interpreter, see the docs\n  (https://docs.python.org/3/):\n\n    python3 -m pip install requests   # a long line stays whole\n\n  - first item\n  - second"
	if got := Markdown(md, 30, "  "); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
