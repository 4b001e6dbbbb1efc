package render

import (
	"bytes"
	"html"
	"html/template"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/errorcanon/errorcanon/internal/render/gfm"
	"github.com/errorcanon/errorcanon/internal/termtext"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Entry texts (how, root causes, actions, notes...) are CommonMark written
// by catalog authors and by importers of other sites' data. They are
// rendered with raw HTML disabled; instead of goldmark's default of
// dropping raw HTML, it is shown as escaped text, so a reader sees exactly
// what the entry says and nothing in it can run. Images become links (a
// page never loads anything from another host) and headings are pushed
// below the page's own h2/h3.

// md is made on first use: a process that renders no Markdown (errorcanon
// match) does not pay for it. The GFM extensions are internal/render/gfm's
// fork of goldmark's, which compiles no regexp at init (see its doc).
var md = sync.OnceValue(func() goldmark.Markdown {
	return newMarkdown(gfm.Table, gfm.Strikethrough, gfm.Linkify)
})

// newMarkdown is entry texts' goldmark with the given GFM extensions:
// tests give it upstream's to compare.
func newMarkdown(ext ...goldmark.Extender) goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(ext...),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(headingShift{}, 100))),
		goldmark.WithRendererOptions(
			renderer.WithNodeRenderers(util.Prioritized(safeNodes{}, 100)),
		),
	)
}

// headingShift turns a "# Title" inside an entry text into an h4 or lower.
type headingShift struct{}

func (headingShift) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			h.Level = min(h.Level+3, 6)
		}
		return ast.WalkContinue, nil
	})
}

// safeNodes renders raw HTML as text and images as links, and drops soft
// line breaks between two Chinese characters (which a browser would show
// as a space: Chinese texts are often wrapped in catalog files).
type safeNodes struct{}

func (safeNodes) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindText, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		t := n.(*ast.Text)
		value := t.Segment.Value(src)
		if t.IsRaw() {
			ghtml.DefaultWriter.RawWrite(w, value)
		} else {
			ghtml.DefaultWriter.Write(w, value)
		}
		switch {
		case t.HardLineBreak():
			_, _ = w.WriteString("<br>\n")
		case t.SoftLineBreak():
			if next, ok := t.NextSibling().(*ast.Text); ok && len(value) > 0 {
				last, _ := utf8.DecodeLastRune(value)
				first, _ := utf8.DecodeRune(next.Segment.Value(src))
				if termtext.IsCJK(last) && termtext.IsCJK(first) {
					break
				}
			}
			_ = w.WriteByte('\n')
		}
		return ast.WalkContinue, nil
	})
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			segs := n.(*ast.RawHTML).Segments
			for i := 0; i < segs.Len(); i++ {
				s := segs.At(i)
				_, _ = w.WriteString(html.EscapeString(string(s.Value(src))))
			}
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(ast.KindHTMLBlock, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		b := n.(*ast.HTMLBlock)
		var raw strings.Builder
		for i := 0; i < b.Lines().Len(); i++ {
			s := b.Lines().At(i)
			raw.Write(s.Value(src))
		}
		if b.HasClosure() {
			raw.Write(b.ClosureLine.Value(src))
		}
		_, _ = w.WriteString("<p>")
		_, _ = w.WriteString(html.EscapeString(strings.TrimRight(raw.String(), "\n")))
		_, _ = w.WriteString("</p>\n")
		return ast.WalkSkipChildren, nil
	})
	reg.Register(ast.KindImage, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		img := n.(*ast.Image)
		dest := util.URLEscape(img.Destination, true)
		alt := plainText(img, src)
		if alt == "" {
			alt = string(dest)
		}
		if ghtml.IsDangerousURL(dest) {
			_, _ = w.WriteString(html.EscapeString(alt))
		} else {
			_, _ = w.WriteString(`<a href="` + html.EscapeString(string(dest)) + `">` + html.EscapeString(alt) + `</a>`)
		}
		return ast.WalkSkipChildren, nil
	})
}

func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			b.Write(t.Segment.Value(src))
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// mdBlock renders an entry text as HTML blocks.
func mdBlock(s string) template.HTML {
	var buf bytes.Buffer
	if err := md().Convert([]byte(s), &buf); err != nil {
		return template.HTML("<p>" + html.EscapeString(s) + "</p>")
	}
	return template.HTML(buf.String()) // safe: safeNodes escapes raw HTML
}

// mdInline renders a one-paragraph entry text (an action, a condition)
// without its <p>, for use inside headings and list items. Text that is
// more than one paragraph comes out as escaped plain text.
func mdInline(s string) template.HTML {
	src := []byte(s)
	doc := md().Parser().Parse(text.NewReader(src))
	p := doc.FirstChild()
	if p == nil || p.NextSibling() != nil || p.Kind() != ast.KindParagraph {
		return template.HTML(html.EscapeString(s))
	}
	var buf bytes.Buffer
	for c := p.FirstChild(); c != nil; c = c.NextSibling() {
		if err := md().Renderer().Render(&buf, src, c); err != nil {
			return template.HTML(html.EscapeString(s))
		}
	}
	return template.HTML(strings.TrimSpace(buf.String()))
}

// safeMarkdown returns an entry text for inclusion in a Markdown document:
// unchanged, except that raw HTML (outside code) is escaped so that a
// Markdown viewer shows it as text. This is the Markdown twin of mdBlock.
func safeMarkdown(s string) string {
	src := []byte(s)
	doc := md().Parser().Parse(text.NewReader(src))
	type span struct{ start, stop int }
	var spans []span
	var images []int
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.RawHTML:
			for i := 0; i < n.Segments.Len(); i++ {
				s := n.Segments.At(i)
				spans = append(spans, span{s.Start, s.Stop})
			}
		case *ast.Image:
			// "![alt](url)" becomes "\![alt](url)", a link: a viewer of our
			// Markdown loads nothing from another host either.
			if c, ok := n.FirstChild().(*ast.Text); ok && c.Segment.Start >= 2 && string(src[c.Segment.Start-2:c.Segment.Start]) == "![" {
				images = append(images, c.Segment.Start-2)
			}
		case *ast.HTMLBlock:
			for i := 0; i < n.Lines().Len(); i++ {
				s := n.Lines().At(i)
				spans = append(spans, span{s.Start, s.Stop})
			}
			if n.HasClosure() {
				spans = append(spans, span{n.ClosureLine.Start, n.ClosureLine.Stop})
			}
		}
		return ast.WalkContinue, nil
	})
	if len(spans) == 0 && len(images) == 0 {
		return s
	}
	// Edits in source order: escape < and > in raw HTML spans, put a
	// backslash before the ! of images.
	var b strings.Builder
	img := map[int]bool{}
	for _, i := range images {
		img[i] = true
	}
	inSpan := make([]bool, len(src))
	for _, sp := range spans {
		for i := sp.start; i < sp.stop && i < len(src); i++ {
			inSpan[i] = true
		}
	}
	for i, c := range src {
		switch {
		case img[i]:
			b.WriteString("\\!")
		case inSpan[i] && c == '<':
			b.WriteString("&lt;")
		case inSpan[i] && c == '>':
			b.WriteString("&gt;")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
