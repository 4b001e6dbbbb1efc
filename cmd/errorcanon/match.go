package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
)

func runMatch(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "match", "[FILE...]  (reads standard input when no file is given)")
	dir := catalogFlag(e, fs)
	asJSON := fs.Bool("json", false, "print results as JSON")
	limit := fs.Int("limit", match.DefaultLimit, fmt.Sprintf("number of entries to show (1-%d)", match.MaxLimit))
	lang := fs.String("lang", e.envDefault("ERRORCANON_LANG", "en"), "language: en or zh (env ERRORCANON_LANG)")
	domain := fs.String("domain", "", "only entries of this domain")
	color := fs.String("color", "auto", "colour: auto, always or never (auto honours NO_COLOR)")
	base := fs.String("base-url", e.envDefault("ERRORCANON_BASE_URL", defaultBaseURL), "site address for links (env ERRORCANON_BASE_URL)")
	db := dbFlag(e, fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if *lang != "en" && *lang != "zh" {
		fmt.Fprintf(e.stderr, "errorcanon match: --lang must be en or zh, not %q\n", *lang)
		return 2
	}
	if *limit < 1 || *limit > match.MaxLimit {
		fmt.Fprintf(e.stderr, "errorcanon match: --limit must be 1 to %d, not %d\n", match.MaxLimit, *limit)
		return 2
	}
	useColor, err := wantColor(*color, e)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon match: %v\n", err)
		return 2
	}
	input, closeInputs, err := openInputs(e.stdin, fs.Args())
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon match: %v\n", err)
		return 2
	}
	defer closeInputs()
	c, problems, err := loadCatalog(*dir, false)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon match: %v\n", err)
		return 2
	}
	if len(problems) > 0 {
		fmt.Fprintf(e.stderr, "errorcanon match: warning: %d catalog problem(s); run 'errorcanon validate' (matching with the %d valid entries)\n", len(problems), len(c.Entries))
	}
	ix, _ := matchIndex(c)
	rs, _, err := ix.MatchReader(input, match.Options{Limit: *limit, Domain: *domain})
	if errors.Is(err, match.ErrEmpty) {
		err = errors.New("no input: pipe a log in (make 2>&1 | errorcanon match) or name files")
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon match: %v\n", err)
		return 2
	}
	// The live figures of --db (the default file only if it exists).
	live := func([]match.Summary) {}
	if out, err := storedOutcomes(ctx, e, *db); err != nil {
		fmt.Fprintf(e.stderr, "errorcanon match: warning: --db: %v (showing the editors' estimates)\n", err)
	} else if r, err := render.New(c, render.Options{Outcomes: out}); err == nil {
		live = r.LiveSummaries
	}
	if *asJSON {
		sums := match.Summarize(rs, *lang, 0)
		live(sums)
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(struct {
			Matched bool            `json:"matched"`
			Results []match.Summary `json:"results"`
		}{match.Known(rs), sums})
	} else {
		sums := match.Summarize(rs, *lang, 3)
		live(sums)
		printVerdicts(e.stdout, sums, *lang, strings.TrimRight(*base, "/"), useColor)
	}
	if !match.Known(rs) {
		return 1
	}
	return 0
}

const defaultBaseURL = "https://errorcanon.dev"

// openInputs returns the named files one after the other, or standard
// input. The matcher streams them: a log of any size is read once, with
// bounded memory (match.MatchReader).
func openInputs(stdin io.Reader, files []string) (io.Reader, func(), error) {
	if len(files) == 0 {
		return stdin, func() {}, nil
	}
	var readers []io.Reader
	var open []*os.File
	closeAll := func() {
		for _, f := range open {
			f.Close()
		}
	}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		open = append(open, f)
		readers = append(readers, f, strings.NewReader("\n"))
	}
	return io.MultiReader(readers...), closeAll, nil
}

func wantColor(mode string, e *env) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto":
		if e.getenv("NO_COLOR") != "" || e.getenv("TERM") == "dumb" {
			return false, nil
		}
		f, ok := e.stdout.(*os.File)
		if !ok {
			return false, nil
		}
		st, err := f.Stat()
		return err == nil && st.Mode()&os.ModeCharDevice != 0, nil
	}
	return false, fmt.Errorf("--color must be auto, always or never, not %q", mode)
}

type palette struct{ bold, dim, red, green, yellow, reset string }

var labels = map[string]map[string]string{
	"en": {"none": "No known entry for this error.", "closest": "Closest entries (not matches; their advice may not apply):", "hint": "Try fewer lines around the error, or search: errorcanon search WORDS",
		"matched": "matched", "fix": "fix rate", "conf": "confidence", "line": "line",
		"dont": "Don't", "do": "Do", "fails": "fails", "works": "works", "why": "why", "more": "more",
		"est": "est.", "run": "run", "check": "check", "estnote": "est. = the editors' estimate; no outcome reports yet"},
	"zh": {"none": "知识库里没有这个错误的条目。", "closest": "最接近的条目（并非匹配，其建议未必适用）：", "hint": "可以只保留报错附近的几行，或者搜索：errorcanon search 关键词",
		"matched": "已匹配", "fix": "修复率", "conf": "置信度", "line": "行",
		"dont": "别做", "do": "去做", "fails": "失败", "works": "有效", "why": "原因", "more": "详情",
		"est": "估计", "run": "执行", "check": "检查", "estnote": "估计：编辑给出的估计值，尚无使用结果反馈"},
}

// printVerdicts prints each result as a verdict card: what not to try,
// then what to do, with the command that applies it where the entry names
// one (filled from the match). Every rate printed is the catalog's
// estimate: the CLI reads no outcome reports.
func printVerdicts(w io.Writer, sums []match.Summary, lang, base string, color bool) {
	p := palette{}
	if color {
		p = palette{"\x1b[1m", "\x1b[2m", "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[0m"}
	}
	l := labels[lang]
	if !match.KnownSummaries(sums) {
		// Not known: say so, and list look-alikes by title and link only,
		// with no advice, since none of them is known to apply.
		fmt.Fprintf(w, "%s\n", l["none"])
		if len(sums) > 0 {
			fmt.Fprintf(w, "%s\n", l["closest"])
			for _, s := range sums {
				path := s.Path
				if lang == "zh" {
					path += "zh.html"
				}
				fmt.Fprintf(w, "  %s  %s%s%s%s\n", s.Title, p.dim, base, path, p.reset)
			}
		}
		fmt.Fprintf(w, "%s%s%s\n", p.dim, l["hint"], p.reset)
		return
	}
	for i, s := range sums {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if s.Kind != match.Matched {
			break // look-alikes below a match add noise, not answers
		}
		kind := l["matched"]
		title := s.Title
		if title == "" {
			title = s.Signature
		}
		fmt.Fprintf(w, "%s%s%s\n", p.bold, title, p.reset)
		fmt.Fprintf(w, "  %s%s · %s · %s %s %.0f%% · %s %.0f%%%s\n", p.dim, s.ID, kind, l["fix"], l["est"], s.FixRate*100, l["conf"], s.Confidence*100, p.reset)
		fmt.Fprintf(w, "  %s\n", s.Signature)
		if s.Span != nil {
			fmt.Fprintf(w, "  %s%s %d: %s%s\n", p.dim, l["line"], s.Span.Line, firstLine(s.Span.Text), p.reset)
		}
		fmt.Fprintf(w, "  %s\n", wrap(firstSentence(s.RootCause), 100, "  "))
		for _, d := range s.DeadEnds {
			fmt.Fprintf(w, "  %s✗ %s:%s %s %s(%s %s %.0f%%)%s\n", p.red, l["dont"], p.reset, d.Action, p.dim, l["fails"], l["est"], d.FailRate*100, p.reset)
			fmt.Fprintf(w, "      %s%s: %s%s\n", p.dim, l["why"], wrap(d.WhyFails, 96, "      "), p.reset)
		}
		for _, ws := range s.Workarounds {
			fmt.Fprintf(w, "  %s✓ %s:%s %s %s(%s %s %.0f%%)%s\n", p.green, l["do"], p.reset, ws.Action, p.dim, l["works"], l["est"], ws.SuccessRate*100, p.reset)
			if ws.Command != "" {
				fmt.Fprintf(w, "      %s:  %s$ %s%s\n", l["run"], p.bold, ws.Command, p.reset)
			}
			if ws.Check != "" {
				fmt.Fprintf(w, "      %s: %s$ %s%s\n", l["check"], p.dim, ws.Check, p.reset)
			}
		}
		path := s.Path
		if lang == "zh" {
			path += "zh.html"
		}
		fmt.Fprintf(w, "  %s%s: %s%s%s\n", p.dim, l["more"], base, path, p.reset)
	}
	fmt.Fprintf(w, "\n%s%s%s\n", p.dim, l["estnote"], p.reset)
}

// firstSentence cuts text after its first sentence (English or Chinese);
// the page has the rest.
func firstSentence(s string) string {
	for i, r := range s {
		if (r == '.' && (i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\n') && i > 20) || r == '。' {
			return s[:i+len(string(r))]
		}
	}
	return s
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

// wrap folds text at width runes, indenting continuation lines.
func wrap(s string, width int, indent string) string {
	words := strings.Fields(s)
	var b strings.Builder
	n := 0
	for _, w := range words {
		wl := len([]rune(w))
		if n > 0 && n+1+wl > width {
			b.WriteString("\n" + indent)
			n = 0
		} else if n > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += wl
	}
	return b.String()
}
