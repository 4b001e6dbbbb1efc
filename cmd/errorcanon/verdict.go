package main

// This file prints match's answer for a terminal: one verdict card per
// matched entry, what to do first, then what not to try, then the cause,
// wrapped to the terminal's width in display cells.

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/termtext"
)

// widthFlag adds --width, the number of columns to wrap to.
func widthFlag(e *env, fs *flag.FlagSet) *int {
	def, _ := strconv.Atoi(e.getenv("ERRORCANON_WIDTH"))
	return fs.Int("width", def, "wrap output to this many `columns` (0: the terminal's width, 80 when not a terminal; env ERRORCANON_WIDTH)")
}

// termWidth is the width to wrap to: the flag's when set, else the
// terminal's (COLUMNS when the terminal does not say), else 80.
func termWidth(e *env, flagWidth int) int {
	if flagWidth > 0 {
		return max(flagWidth, 40)
	}
	if f, ok := e.stdout.(*os.File); ok {
		if w := terminalColumns(f); w > 0 {
			return max(w, 40)
		}
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			if w, err := strconv.Atoi(e.getenv("COLUMNS")); err == nil && w > 0 {
				return max(w, 40)
			}
		}
	}
	return 80
}

var labels = map[string]map[string]string{
	"en": {"none": "No known entry for this error.", "closest": "Closest entries (not matches; their advice may not apply):", "hint": "Try fewer lines around the error, or search: errorcanon search WORDS",
		"matched": "matched", "fix": "fix rate", "conf": "confidence", "line": "line",
		"dont": "Don't", "do": "Do", "fails": "fails", "works": "works", "why": "why", "more": "more", "cause": "Cause",
		"est": "est.", "run": "run", "check": "check", "estnote": "est. = the editors' estimate; no outcome reports yet",
		"measured": "n=%d, 90%% interval %.0f–%.0f%%",
		"colon":    ": ", "gap": " ", "open": "(", "close": ")", "sep": " · "},
	"zh": {"none": "知识库里没有这个错误的条目。", "closest": "最接近的条目（并非匹配，其建议未必适用）：", "hint": "可以只保留报错附近的几行，或者搜索：errorcanon search 关键词",
		"matched": "已匹配", "fix": "修复率", "conf": "置信度", "line": "行",
		"dont": "别做", "do": "去做", "fails": "失败", "works": "有效", "why": "原因", "more": "详情", "cause": "起因",
		"est": "估计", "run": "执行", "check": "检查", "estnote": "估计：编辑给出的估计值，尚无使用结果反馈",
		"measured": "n=%d，90%% 区间 %.0f–%.0f%%",
		"colon":    "：", "gap": "", "open": "（", "close": "）", "sep": " · "},
}

// verdicts prints match results as verdict cards.
type verdicts struct {
	lang, base string
	width      int
	// entry finds a result's entry (for the cause sentence); nil or a
	// nil answer falls back to the first sentence of the summary's root
	// cause.
	entry func(id string) *canon.Entry
}

// print writes each matched result as a card: the best workaround first
// with its filled command, the other workarounds, what not to try, the
// cause, the link. A result that is not known to explain the text is
// listed by title and link only.
func (v verdicts) print(w io.Writer, sums []match.Summary, color bool) {
	p := palette{}
	if color {
		p = palette{"\x1b[1m", "\x1b[2m", "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[0m"}
	}
	l := labels[v.lang]
	wrap := func(s string, first int, indent string) string {
		return termtext.Wrap(s, v.width, first, indent)
	}
	// line prints a labelled paragraph: prefix (already styled) takes
	// cells of its own, continuation lines start with indent.
	line := func(prefix, text, indent string) {
		fmt.Fprintf(w, "%s%s\n", prefix, wrap(text, termtext.Width(prefix), indent))
	}
	link := func(path string) string {
		if v.lang == "zh" {
			path += "zh.html"
		}
		return v.base + path
	}
	if !match.KnownSummaries(sums) {
		line("", l["none"], "")
		if len(sums) > 0 {
			line("", l["closest"], "")
			for _, s := range sums {
				line("  ", s.Title+"  "+p.dim+link(s.Path)+p.reset, "    ")
			}
		}
		line(p.dim, l["hint"]+p.reset, "")
		return
	}
	estimated := false
	// rate is a figure in words: the estimate, marked, or the measured
	// rate with what backs it. No-break spaces keep it on one line.
	rate := func(what string, f float64, fig match.Figure) string {
		if fig.Reports > 0 && fig.Interval != nil {
			m := fmt.Sprintf(l["measured"], fig.Reports, fig.Interval[0]*100, fig.Interval[1]*100)
			return fmt.Sprintf("%s%s\u00a0%.0f%%%s%s%s", l["open"], what, f*100, l["sep"], strings.ReplaceAll(m, " ", "\u00a0"), l["close"])
		}
		estimated = true
		return fmt.Sprintf("%s%s\u00a0%s\u00a0%.0f%%%s", l["open"], what, l["est"], f*100, l["close"])
	}
	// fixRate is the header's fix rate: measured once its workaround has
	// reports.
	fixRate := func(s match.Summary) string {
		for _, ws := range s.Workarounds {
			if ws.Reports > 0 && ws.SuccessRate == s.FixRate {
				return fmt.Sprintf("%s\u00a0%.0f%%\u00a0(n=%d)", l["fix"], s.FixRate*100, ws.Reports)
			}
		}
		estimated = true
		return fmt.Sprintf("%s\u00a0%s\u00a0%.0f%%", l["fix"], l["est"], s.FixRate*100)
	}
	for i, s := range sums {
		if s.Kind != match.Matched {
			break // look-alikes below a match add noise, not answers
		}
		if i > 0 {
			fmt.Fprintln(w)
		}
		title := s.Title
		if title == "" {
			title = s.Signature
		}
		line(p.bold, title+p.reset, "")
		line("  "+p.dim, strings.Join([]string{s.ID, l["matched"],
			fixRate(s),
			fmt.Sprintf("%s\u00a0%.0f%%", l["conf"], s.Confidence*100)}, l["sep"])+p.reset, "  ")
		if s.Span != nil {
			// The matched line is printed whole, never wrapped: it is
			// what the reader searches their log for.
			text := s.Span.Lines
			if text == "" {
				text = s.Span.Text
			}
			if i := strings.IndexByte(text, '\n'); i >= 0 {
				text = text[:i] + " …"
			}
			fmt.Fprintf(w, "  %s%s %d%s%s%s\n", p.dim, l["line"], s.Span.Line, l["colon"], text, p.reset)
		}
		for _, ws := range s.Workarounds {
			line(fmt.Sprintf("  %s✓ %s%s%s", p.green, l["do"], l["colon"], p.reset), ws.Action+l["gap"]+p.dim+rate(l["works"], ws.SuccessRate, ws.Figure)+p.reset, "    ")
			if ws.Command != "" {
				fmt.Fprintf(w, "      %s%s  %s$ %s%s\n", l["run"], l["colon"], p.bold, ws.Command, p.reset)
			}
			if ws.Check != "" {
				fmt.Fprintf(w, "      %s%s %s$ %s%s\n", l["check"], l["colon"], p.dim, ws.Check, p.reset)
			}
		}
		for _, d := range s.DeadEnds {
			line(fmt.Sprintf("  %s✗ %s%s%s", p.red, l["dont"], l["colon"], p.reset), d.Action+l["gap"]+p.dim+rate(l["fails"], d.FailRate, d.Figure)+p.reset, "    ")
			line("      "+p.dim+l["why"]+l["colon"], termtext.Inline(d.WhyFails)+p.reset, "      ")
		}
		line("  "+l["cause"]+l["colon"], termtext.Inline(v.cause(s)), "  ")
		fmt.Fprintf(w, "  %s%s%s%s%s\n", p.dim, l["more"], l["colon"], link(s.Path), p.reset)
	}
	if estimated {
		fmt.Fprintf(w, "\n%s%s%s\n", p.dim, wrap(l["estnote"], 0, ""), p.reset)
	}
}

// cause is the sentence of the entry's root cause that names the
// mechanism (canon.CauseSentence).
func (v verdicts) cause(s match.Summary) string {
	if v.entry != nil {
		if e := v.entry(s.ID); e != nil {
			return canon.CauseSentence(e, v.lang)
		}
	}
	if ss := canon.Sentences(s.RootCause, v.lang); len(ss) > 0 {
		return ss[0]
	}
	return s.RootCause
}
