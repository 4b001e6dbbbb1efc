package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"strings"
	"unicode"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/lazyregexp"
	"github.com/errorcanon/errorcanon/internal/search"
	"github.com/errorcanon/errorcanon/internal/termtext"
)

func runSearch(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "search", "QUERY...  (words in English or Chinese; flags may follow them)")
	dir := catalogFlag(e, fs)
	lang := fs.String("lang", "", "search and show only `en` or zh texts (default: search both, show ERRORCANON_LANG, else Chinese for a Chinese query)")
	domain := fs.String("domain", "", "only entries of this `domain`")
	category := fs.String("category", "", "only entries of this `category`, e.g. network_error")
	limit := fs.Int("limit", search.DefaultPerPage, fmt.Sprintf("number of entries to show (1-%d)", search.MaxPerPage))
	page := fs.Int("page", 1, fmt.Sprintf("page of results (1-%d)", search.MaxPage))
	asJSON := fs.Bool("json", false, "print results as JSON (snippets as HTML with <mark>)")
	color := fs.String("color", "auto", "colour: auto, always or never (auto honours NO_COLOR)")
	width := widthFlag(e, fs)
	words, code, ok := parseInterspersed(fs, args)
	if !ok {
		return code
	}
	if len(words) == 0 {
		fmt.Fprintln(e.stderr, "errorcanon search: what to look for? e.g. errorcanon search connection refused")
		fs.Usage()
		return 2
	}
	if *lang != "" && *lang != "en" && *lang != "zh" {
		fmt.Fprintf(e.stderr, "errorcanon search: --lang must be en or zh, not %q\n", *lang)
		return 2
	}
	if *page < 1 || *page > search.MaxPage {
		fmt.Fprintf(e.stderr, "errorcanon search: --page must be 1 to %d, not %d\n", search.MaxPage, *page)
		return 2
	}
	if *limit < 1 || *limit > search.MaxPerPage {
		fmt.Fprintf(e.stderr, "errorcanon search: --limit must be 1 to %d, not %d\n", search.MaxPerPage, *limit)
		return 2
	}
	useColor, err := wantColor(*color, e)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon search: %v\n", err)
		return 2
	}
	c, problems, err := loadCatalog(*dir, false)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon search: %v\n", err)
		return 2
	}
	if len(problems) > 0 {
		fmt.Fprintf(e.stderr, "errorcanon search: warning: %d catalog problem(s); run 'errorcanon validate' (searching the %d valid entries)\n", len(problems), len(c.Entries))
	}
	ix, err := searchIndex(c)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon search: %v\n", err)
		return 2
	}
	if !isEmbedded(c) {
		defer ix.Close()
	}
	q := search.Query{Text: strings.Join(words, " "), Lang: *lang, Domain: *domain, Category: *category, Page: *page, PerPage: *limit}
	res, err := ix.Search(ctx, q)
	if errors.Is(err, search.ErrInvalid) {
		fmt.Fprintf(e.stderr, "errorcanon search: %s\n", strings.TrimPrefix(err.Error(), search.ErrInvalid.Error()+": "))
		return 2
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon search: %v\n", err)
		return 2
	}
	if res.Truncated {
		fmt.Fprintf(e.stderr, "errorcanon search: the query was cut to its first %d bytes\n", search.MaxQueryBytes)
	}
	show := *lang
	if show == "" {
		show = e.getenv("ERRORCANON_LANG")
	}
	if show != "en" && show != "zh" {
		show = "en"
		if hasHan(res.Query) {
			show = "zh"
		}
	}
	if *asJSON {
		printSearchJSON(e.stdout, res, show)
	} else {
		printSearch(e.stdout, res, show, useColor, termWidth(e, *width))
	}
	if res.Total == 0 {
		return 1
	}
	return 0
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

var searchLabels = map[string]map[string]string{
	"en": {"none": "No entry matches %q.", "hint": "Try fewer or other words; for a whole error message or log: errorcanon match",
		"partial": "No entry has every word; these have at least half of them.", "count": "%d of %d entries (page %d of %d)",
		"more": "more: --page %d", "show": "whole entry: errorcanon show ID",
		"signature": "signature", "signature_zh": "signature", "examples": "example", "root_cause": "cause", "root_cause_zh": "cause",
		"workarounds": "fix", "workarounds_zh": "fix", "dead_ends": "dead end", "dead_ends_zh": "dead end", "error_code": "code", "tags": "tags"},
	"zh": {"none": "没有条目匹配 %q。", "hint": "换几个词或少用几个词；整段报错或日志请用：errorcanon match",
		"partial": "没有条目包含全部词语；以下条目至少包含一半。", "count": "%d / %d 个条目（第 %d 页，共 %d 页）",
		"more": "更多：--page %d", "show": "查看完整条目：errorcanon show ID --lang zh",
		"signature": "签名", "signature_zh": "签名", "examples": "示例", "root_cause": "根因", "root_cause_zh": "根因",
		"workarounds": "解决", "workarounds_zh": "解决", "dead_ends": "无效做法", "dead_ends_zh": "无效做法", "error_code": "错误码", "tags": "标签"},
}

// printSearch prints each hit: id, signature, and the snippets of the
// fields other than the signature, with matches in bold on a terminal.
func printSearch(w io.Writer, res *search.Results, lang string, color bool, width int) {
	p := palette{}
	if color {
		p = palette{"\x1b[1m", "\x1b[2m", "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[0m"}
	}
	l := searchLabels[lang]
	if res.Total == 0 {
		fmt.Fprintf(w, l["none"]+"\n%s%s%s\n", plain(res.Query), p.dim, l["hint"], p.reset)
		return
	}
	if res.Partial {
		fmt.Fprintf(w, "%s%s%s\n\n", p.yellow, l["partial"], p.reset)
	}
	for i, h := range res.Hits {
		if i > 0 {
			fmt.Fprintln(w)
		}
		e := h.Entry
		title := canon.Pick(lang, e.Title, e.TitleZh)
		if title == "" {
			title = canon.Pick(lang, e.Signature, e.SignatureZh)
		}
		fmt.Fprintf(w, "%s%s%s\n", p.bold, termtext.Wrap(plain(title), width, 0, "  "), p.reset)
		fmt.Fprintf(w, "  %s%s · %s · %s%s\n", p.dim, h.ID, e.Category, e.Verification, p.reset)
		fmt.Fprintf(w, "  %s\n", plain(canon.Pick(lang, e.Signature, e.SignatureZh)))
		for _, s := range h.Snippets {
			if s.Field == "signature" || s.Field == "signature_zh" {
				continue
			}
			colon := ": "
			if lang == "zh" {
				colon = "："
			}
			label := "  " + p.dim + l[s.Field] + colon + p.reset
			fmt.Fprintf(w, "%s%s\n", label, termtext.Wrap(terminalSnippet(s.HTML, p), width, termtext.Width(label), "    "))
		}
	}
	fmt.Fprintf(w, "\n%s"+l["count"], p.dim, len(res.Hits), res.Total, res.Page, max(1, res.Pages()))
	if res.Page < res.Pages() {
		fmt.Fprintf(w, " · "+l["more"], res.Page+1)
	}
	fmt.Fprintf(w, " · %s%s\n", l["show"], p.reset)
}

// terminalSnippet turns a snippet's HTML into terminal text: <mark> becomes
// bold (or nothing), entities are unescaped, control characters dropped,
// and the Markdown of the text it comes from (code fences, backticks) is
// dropped.
func terminalSnippet(s string, p palette) string {
	s = mdFence.ReplaceAllString(s, " ")
	s = strings.ReplaceAll(s, "`", "")
	var b strings.Builder
	for s != "" {
		i := strings.Index(s, "<mark>")
		j := strings.Index(s, "</mark>")
		if i < 0 || j < i {
			b.WriteString(plain(html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s))))
			break
		}
		b.WriteString(plain(html.UnescapeString(s[:i])))
		b.WriteString(p.bold + plain(html.UnescapeString(s[i+len("<mark>"):j])) + p.reset)
		s = s[j+len("</mark>"):]
	}
	return b.String()
}

// mdFence is a code fence with its language, as it appears in a snippet
// of a Markdown field.
var mdFence = lazyregexp.New("(?:```|~~~)[A-Za-z0-9_+-]*")

// plain replaces control characters (escape sequences from a hostile
// catalog included) with spaces.
func plain(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

func printSearchJSON(w io.Writer, res *search.Results, lang string) {
	type hit struct {
		ID        string           `json:"id"`
		Score     float64          `json:"score"`
		Signature string           `json:"signature"`
		Path      string           `json:"path"`
		Fields    []string         `json:"fields"`
		Snippets  []search.Snippet `json:"snippets"`
	}
	out := struct {
		Query     string        `json:"query"`
		Truncated bool          `json:"truncated"`
		Partial   bool          `json:"partial"`
		Total     int           `json:"total"`
		Page      int           `json:"page"`
		PerPage   int           `json:"per_page"`
		Hits      []hit         `json:"hits"`
		Facets    search.Facets `json:"facets"`
	}{res.Query, res.Truncated, res.Partial, res.Total, res.Page, res.PerPage, []hit{}, res.Facets}
	for _, h := range res.Hits {
		path := h.Entry.Path()
		if lang == "zh" {
			path += "zh.html"
		}
		out.Hits = append(out.Hits, hit{h.ID, h.Score, canon.Pick(lang, h.Entry.Signature, h.Entry.SignatureZh), path, h.Fields, h.Snippets})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(out)
}
