// This file writes the tools' Markdown answers: compact, dead ends
// before workarounds, in English or Chinese.

package mcpserver

import (
	"fmt"
	"strings"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/search"
)

// Labels of the Markdown answers. Short on purpose: every character is a
// token the model pays for.
var labels = map[string]map[string]string{
	"en": {
		"matched": "matched", "fuzzy": "similar, not an exact match", "fix": "fix rate", "line": "line",
		"cause": "Cause", "dont": "Don't (dead ends)", "do": "Do (best first)", "fails": "fails", "works": "works", "est": "est.", "run": "run", "check": "check",
		"more": "Full entry", "also": "Also possible", "none": "No entry in the catalog matches this text.",
		"none_hint":      "Try the single most specific error line, or search_errors with key words from it.",
		"none_hint_list": "Try the single most specific error line, or browse the domain's entries with list_errors.",
		"cut":            "The query was cut to its first %d bytes: pass a few key words; to identify an error from its full text use match_error.",
		"fuzzy_hint":     "This error is not in the ErrorCanon catalog: no known entry explains it. The closest entries below only resemble it and are not answers; do not apply their advice without checking that the error message is really the same.",
		"closest":        "Closest entries (not matches)",
		"results":        "results", "text": "Text", "error": "error",
	},
	"zh": {
		"matched": "已匹配", "fuzzy": "相似，非精确匹配", "fix": "修复率", "line": "行",
		"cause": "原因", "dont": "别做（死路）", "do": "去做（按推荐顺序）", "fails": "失败", "works": "有效", "est": "估计", "run": "执行", "check": "检查",
		"more": "完整条目", "also": "其他可能", "none": "目录中没有条目匹配这段文本。",
		"none_hint":      "试试只传最具体的那一行报错，或用 search_errors 按关键词搜索。",
		"none_hint_list": "试试只传最具体的那一行报错，或用 list_errors 浏览该领域的条目。",
		"cut":            "查询过长，只用了前 %d 字节：请只传几个关键词；要从完整报错识别错误，请用 match_error。",
		"fuzzy_hint":     "ErrorCanon 目录中没有这个错误：没有已知条目能解释它。下面最接近的条目只是相似，并不是答案；除非确认报错信息确实相同，否则不要照搬其中的建议。",
		"closest":        "最接近的条目（并非匹配）",
		"results":        "结果", "text": "文本", "error": "错误",
	},
}

func lbl(lang, key string) string {
	if l, ok := labels[lang]; ok {
		return l[key]
	}
	return labels["en"][key]
}

func pct(f float64) string { return fmt.Sprintf("%.0f%%", f*100) }

// code quotes s as inline code, with a fence longer than any backtick run
// inside it.
func code(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "\n", " ")
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		pad = " "
	}
	return fence + pad + s + pad + fence
}

// oneLine flattens text for a list item.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// matchMarkdown writes match_error's answer: the best entry in full (dead
// ends first, then workarounds with their first command), the others in
// one line each.
func (s *Server) matchMarkdown(rs []matchResult, lang, domain string) string {
	var b strings.Builder
	if len(rs) == 0 {
		// Name search_errors only when the server has it.
		hint := "none_hint"
		if s.search == nil {
			hint = "none_hint_list"
		}
		b.WriteString(lbl(lang, "none") + "\n" + lbl(lang, hint) + "\n")
		if domain != "" {
			fmt.Fprintf(&b, "(Only domain %s was searched; leave domain out to search every domain.)\n", domain)
		}
		return b.String()
	}
	if rs[0].Kind != "matched" {
		// Not known: title and link only, no advice (a wrong fix stated
		// with confidence is worse than none).
		b.WriteString(lbl(lang, "fuzzy_hint") + "\n\n" + lbl(lang, "closest") + ":\n")
		for _, r := range rs {
			fmt.Fprintf(&b, "- %s · %s · %s\n", oneLine(r.Title), code(r.ID), r.URL)
		}
		return b.String()
	}
	writeResult(&b, rs[0], lang, true)
	if len(rs) > 1 {
		fmt.Fprintf(&b, "\n%s:\n", lbl(lang, "also"))
		for _, r := range rs[1:] {
			fmt.Fprintf(&b, "- %s (%s, %s %s): %s\n", r.ID, kindLabel(r.Kind, lang), lbl(lang, "fix"), pct(r.FixRate), code(r.Signature))
		}
	}
	return b.String()
}

// estPct is a rate labelled "est." while it is the editors' estimate.
func estPct(lang string, v float64, estimate bool) string {
	if estimate {
		return lbl(lang, "est") + " " + pct(v)
	}
	return pct(v)
}

func kindLabel(kind, lang string) string {
	if kind == "matched" {
		return lbl(lang, "matched")
	}
	return lbl(lang, "fuzzy")
}

// writeResult writes one entry's verdict card.
func writeResult(b *strings.Builder, r matchResult, lang string, full bool) {
	title := r.Title
	if title == "" {
		title = r.Signature
	}
	fmt.Fprintf(b, "## %s\n", oneLine(title))
	fmt.Fprintf(b, "%s · %s · %s %s · %s\n", code(r.ID), kindLabel(r.Kind, lang), lbl(lang, "fix"), estPct(lang, r.FixRate, r.fixEst), code(r.Signature))
	if r.Line > 0 && full {
		fmt.Fprintf(b, "%s %d: %s\n", lbl(lang, "line"), r.Line, code(firstLine(r.MatchedText)))
	}
	if full {
		fmt.Fprintf(b, "%s: %s\n", lbl(lang, "cause"), r.RootCause)
	}
	if len(r.DeadEnds) > 0 {
		fmt.Fprintf(b, "\n%s:\n", lbl(lang, "dont"))
		for _, d := range r.DeadEnds {
			if full {
				fmt.Fprintf(b, "- ✗ %s (%s %s): %s\n", oneLine(d.Action), lbl(lang, "fails"), estPct(lang, d.FailRate, d.Reports == 0), d.WhyFails)
			} else {
				fmt.Fprintf(b, "- ✗ %s (%s %s)\n", oneLine(d.Action), lbl(lang, "fails"), estPct(lang, d.FailRate, d.Reports == 0))
			}
		}
	}
	if len(r.Workarounds) > 0 {
		fmt.Fprintf(b, "\n%s:\n", lbl(lang, "do"))
		for i, w := range r.Workarounds {
			fmt.Fprintf(b, "%d. ✓ %s (%s %s)\n", i+1, oneLine(w.Action), lbl(lang, "works"), estPct(lang, w.SuccessRate, w.Reports == 0))
			if w.Command != "" {
				fmt.Fprintf(b, "   %s: %s\n", lbl(lang, "run"), code(w.Command))
			}
			if w.Check != "" {
				fmt.Fprintf(b, "   %s: %s\n", lbl(lang, "check"), code(w.Check))
			}
		}
	}
	fmt.Fprintf(b, "\n%s: get_error id=%q · %s\n", lbl(lang, "more"), r.ID, r.URL)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

func (s *Server) batchMarkdown(items []batchItem, lang string) string {
	var b strings.Builder
	for i, it := range items {
		if i > 0 {
			b.WriteString("\n---\n")
		}
		fmt.Fprintf(&b, "# %s %d\n", lbl(lang, "text"), it.Index)
		switch {
		case it.Error != "":
			fmt.Fprintf(&b, "%s: %s\n", lbl(lang, "error"), it.Error)
		case len(it.Results) == 0:
			b.WriteString(lbl(lang, "none") + "\n")
		case it.Results[0].Kind != "matched":
			b.WriteString(lbl(lang, "none") + " " + lbl(lang, "closest") + ":\n")
			for _, r := range it.Results {
				fmt.Fprintf(&b, "- %s · %s\n", oneLine(r.Title), code(r.ID))
			}
		default:
			writeResult(&b, it.Results[0], lang, false)
			for _, r := range it.Results[1:] {
				fmt.Fprintf(&b, "- %s: %s\n", r.ID, code(r.Signature))
			}
		}
	}
	return b.String()
}

// searchMarkdown writes search_errors' answer for the query q as
// searched; cut says it was cut to search.MaxQueryBytes.
func (s *Server) searchMarkdown(q string, cut bool, out searchOutput, lang string) string {
	var b strings.Builder
	if lang == "zh" {
		fmt.Fprintf(&b, "%s 共有 %d 个结果\n", code(q), out.Total)
	} else {
		fmt.Fprintf(&b, "%d results for %s\n", out.Total, code(q))
	}
	if cut {
		fmt.Fprintf(&b, lbl(lang, "cut")+"\n", search.MaxQueryBytes)
	}
	b.WriteString("\n")
	for _, h := range out.Hits {
		fmt.Fprintf(&b, "- %s · %s (%s %s): %s\n", oneLine(h.Title), code(h.ID), lbl(lang, "fix"), estPct(lang, h.FixRate, h.fixEst), code(h.Signature))
		if h.Snippet != "" {
			fmt.Fprintf(&b, "  %s\n", oneLine(h.Snippet))
		}
	}
	if out.NextCursor != "" {
		fmt.Fprintf(&b, "\nMore: call again with cursor=%q.\n", out.NextCursor)
	}
	return b.String()
}

func domainsMarkdown(out domainsOutput, lang string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d domains, %d entries.\n\n", len(out.Domains), out.Entries)
	for _, d := range out.Domains {
		fmt.Fprintf(&b, "- %s (%s, %d): %s\n", d.ID, d.Name, d.Entries, d.Description)
	}
	return b.String()
}

func listMarkdown(out listOutput, offset int, lang string) string {
	var b strings.Builder
	if len(out.Errors) == 0 {
		fmt.Fprintf(&b, "No entries on this page (%d match the filters).\n", out.Total)
		return b.String()
	}
	fmt.Fprintf(&b, "Entries %d-%d of %d:\n\n", offset+1, offset+len(out.Errors), out.Total)
	for _, e := range out.Errors {
		fmt.Fprintf(&b, "- %s · %s (%s %s, %s): %s\n", oneLine(e.Title), code(e.ID), lbl(lang, "fix"), estPct(lang, e.FixRate, e.fixEst), e.Verification, code(e.Signature))
	}
	if out.NextCursor != "" {
		fmt.Fprintf(&b, "\nMore: call again with the same filters and cursor=%q.\n", out.NextCursor)
	}
	return b.String()
}

func (s *Server) relatedMarkdown(root *canon.Entry, out relatedOutput, lang string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s\n%s · %s\n\n", oneLine(canon.Pick(lang, root.Title, root.TitleZh)), code(root.ID), code(root.Signature))
	if len(out.Related) == 0 {
		b.WriteString("No related entries.\n")
		return b.String()
	}
	for _, r := range out.Related {
		fmt.Fprintf(&b, "- %s %s %s", r.From, r.Relation, r.ID)
		if r.Probability > 0 {
			fmt.Fprintf(&b, " (p=%.2f)", r.Probability)
		}
		fmt.Fprintf(&b, ": %s %s", oneLine(r.Title), code(r.Signature))
		if r.Note != "" {
			fmt.Fprintf(&b, " — %s", oneLine(r.Note))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func statsMarkdown(out statsOutput) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d entries in %d domains; %d workarounds, %d dead ends; mean fix rate %s, mean confidence %s.\n",
		out.Entries, out.Domains, out.Workarounds, out.DeadEnds, pct(out.MeanFixRate), pct(out.MeanConfidence))
	for _, sec := range []struct {
		name string
		rows []countRow
	}{{"By domain", out.ByDomain}, {"By category", out.ByCategory}, {"By verification", out.ByVerification}, {"By verdict (resolvable)", out.ByResolvable}} {
		parts := make([]string, len(sec.rows))
		for i, c := range sec.rows {
			parts[i] = fmt.Sprintf("%s %d", c.Key, c.Count)
		}
		fmt.Fprintf(&b, "\n%s: %s\n", sec.name, strings.Join(parts, ", "))
	}
	return b.String()
}
