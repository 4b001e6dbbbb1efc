package render

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/testutil"
)

const hostile = testutil.Hostile

// rawTag finds a tag in Markdown that is not backslash-escaped.
var rawTag = regexp.MustCompile(`(^|[^\\])<(script|img|b )`)

// hostileEntry is fullEntry with every text, example, URL, tag, version
// and note replaced by a script tag; only the fields that address
// entries (id, domain and related ids) and the closed vocabularies keep
// their values, since the renderer looks them up.
func hostileEntry() *canon.Entry {
	e := fullEntry()
	keep := map[string]bool{"ID": true, "Domain": true, "Category": true, "Verification": true, "Resolvable": true,
		"RootCauseType": true, "Status": true, "FirstSeen": false, "LastVerified": false}
	testutil.FillStrings(reflect.ValueOf(e).Elem(), hostile, keep)
	e.OSSpecific[hostile] = canon.OSNote{Note: hostile, NoteZh: hostile}
	e.Docs = append(e.Docs, "javascript:alert(1)")
	e.Workarounds[0].Sources = append(e.Workarounds[0].Sources, "javascript:alert(1)")
	// Markdown that tries to smuggle HTML, images and script URLs.
	e.Workarounds[0].How = hostile + "\n\n<img src=x onerror=alert(1)>\n\nInline <b onclick=\"alert(1)\">x</b> " +
		"[a](javascript:alert(1)) ![i](https://tracker.example/p.png)\n\n```\n" + hostile + "\n```"
	e.Workarounds[0].HowZh = e.Workarounds[0].How
	return e
}

func TestHostileTextIsEscapedEverywhere(t *testing.T) {
	seed := seedCatalog(t)
	e := hostileEntry()
	c := catalog.New(seed.Domains, append(append([]*canon.Entry{}, seed.Entries...), e))
	r := newRenderer(t, c)

	for _, l := range Langs {
		for name, f := range map[string]func(*bytes.Buffer) error{
			"html":    func(b *bytes.Buffer) error { return r.EntryHTML(b, e, l) },
			"listing": func(b *bytes.Buffer) error { return r.DomainHTML(b, "api", l) },
		} {
			out := render(t, f)
			if strings.Contains(out, "<script>alert") || strings.Contains(out, "<img") || strings.Contains(out, "<b onclick") {
				t.Errorf("%s %s: hostile markup is not escaped", l, name)
			}
			doc := checkHTML(t, out) // no inline handlers, scripts, images, javascript: links
			if name == "html" && !strings.Contains(textOf(doc), hostile) {
				t.Errorf("%s %s: the hostile text is not shown as text", l, name)
			}
		}
		md := render(t, func(b *bytes.Buffer) error { return r.EntryMarkdown(b, e, l) })
		// Outside code blocks the Markdown holds no raw HTML.
		outside := stripFences(md)
		if rawTag.MatchString(outside) {
			t.Errorf("%s Markdown: raw HTML outside code:\n%s", l, outside)
		}
		// And what is inside fences is shown verbatim, as code.
		if !strings.Contains(md, "```text\n"+hostile+"\n```") {
			t.Errorf("%s Markdown: the signature is not a verbatim code block", l)
		}
		// The Markdown itself, rendered the way a Markdown viewer would,
		// has no live HTML.
		if html := string(mdBlock(md)); strings.Contains(html, "<script") || strings.Contains(html, "<img") {
			t.Errorf("%s Markdown renders to live HTML", l)
		}

		txt := render(t, func(b *bytes.Buffer) error { return r.EntryText(b, e, l) })
		if !strings.Contains(txt, hostile) {
			t.Errorf("%s text: a terminal shows entry text as it is, got no %q", l, hostile)
		}
	}

	js := render(t, func(b *bytes.Buffer) error { return r.EntryJSON(b, e) })
	if strings.Contains(js, "<") || strings.Contains(js, ">") {
		t.Error("JSON holds a raw < or >; encoding/json should escape them")
	}
	var back canon.Entry
	if err := json.Unmarshal([]byte(js), &back); err != nil || back.RootCause != hostile {
		t.Errorf("JSON does not carry the text unchanged: %v %q", err, back.RootCause)
	}
}

func TestTextDropsControlCharacters(t *testing.T) {
	seed := seedCatalog(t)
	e := fullEntry()
	e.RootCause = "red \x1b[31mALERT\x1b[0m bell\a"
	c := catalog.New(seed.Domains, append(append([]*canon.Entry{}, seed.Entries...), e))
	r := newRenderer(t, c)
	txt := render(t, func(b *bytes.Buffer) error { return r.EntryText(b, e, EN) })
	if strings.ContainsAny(txt, "\x1b\a") {
		t.Error("text form passes control characters to the terminal")
	}
	if !strings.Contains(txt, "red [31mALERT[0m bell") {
		t.Error("text form lost the printable part of the text")
	}
}

func TestEntryMarkdownInHTML(t *testing.T) {
	for _, tc := range []struct{ in, want, not string }{
		{"use `a<b`", "<code>a&lt;b</code>", "<b"},
		{"<div>x</div>", "&lt;div&gt;x&lt;/div&gt;", "<div"},
		{"a <i>b</i>", "&lt;i&gt;", "<i>"},
		{"[x](javascript:alert(1))", `<a href="">x</a>`, "javascript:"},
		{"![alt](https://t.example/x.png)", `<a href="https://t.example/x.png">alt</a>`, "<img"},
		{"# Title", "<h4>Title</h4>", "<h1"},
		{"中文第一行\n第二行", "中文第一行第二行", "\n第二行"},
		{"see\n`code`", "see\n<code>code</code>", "see<code>"},
	} {
		got := string(mdBlock(tc.in))
		if !strings.Contains(got, tc.want) || strings.Contains(got, tc.not) {
			t.Errorf("mdBlock(%q) = %q, want it to contain %q and not %q", tc.in, got, tc.want, tc.not)
		}
	}
	if got := string(mdInline("Set **x** to `1`.")); got != "Set <strong>x</strong> to <code>1</code>." {
		t.Errorf("mdInline = %q", got)
	}
	if got := string(mdInline("two\n\nparagraphs <b>")); strings.Contains(got, "<p>") || strings.Contains(got, "<b>") {
		t.Errorf("mdInline of two paragraphs = %q", got)
	}
	for _, tc := range []struct{ in, want string }{
		{"plain `<b>` code", "plain `<b>` code"},
		{"a <b>bold</b>", "a &lt;b&gt;bold&lt;/b&gt;"},
		{"<script>x</script>\n\nafter", "&lt;script&gt;x&lt;/script&gt;\n\nafter"},
		{"```\n<script>\n```", "```\n<script>\n```"},
		{"see ![logo](https://t.example/x.png)", "see \\![logo](https://t.example/x.png)"},
	} {
		if got := safeMarkdown(tc.in); got != tc.want {
			t.Errorf("safeMarkdown(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// stripFences removes fenced code blocks and code spans from Markdown.
func stripFences(md string) string {
	var b strings.Builder
	in := ""
	for _, ln := range strings.Split(md, "\n") {
		trim := strings.TrimSpace(ln)
		if in == "" && strings.HasPrefix(trim, "```") {
			in = strings.TrimRight(trim, "abcdefghijklmnopqrstuvwxyz")
			continue
		}
		if in != "" {
			if trim == in {
				in = ""
			}
			continue
		}
		b.WriteString(ln + "\n")
	}
	return regexp.MustCompile("`[^`]*`").ReplaceAllString(b.String(), "")
}
