package match

import "github.com/errorcanon/errorcanon/internal/canon"

// Summary is a result in the compact form the CLI, the API and the MCP
// tools share: what not to try before what to do, in one language.
type Summary struct {
	ID          string     `json:"id"`
	Path        string     `json:"path"`
	Kind        Kind       `json:"kind"`
	Title       string     `json:"title"`
	Signature   string     `json:"signature"`
	Domain      string     `json:"domain"`
	Category    string     `json:"category"`
	Resolvable  string     `json:"resolvable"`
	FixRate     float64    `json:"fix_rate"`
	Confidence  float64    `json:"confidence"`
	RootCause   string     `json:"root_cause"`
	DeadEnds    []DeadEnd  `json:"dead_ends"`
	Workarounds []WorkStep `json:"workarounds"`
	Span        *Span      `json:"span,omitempty"`
	Score       Score      `json:"score"`
}

// DeadEnd is a dead end in short.
type DeadEnd struct {
	Action   string  `json:"action"`
	WhyFails string  `json:"why_fails"`
	FailRate float64 `json:"fail_rate"`
	Figure
}

// Figure is what backs a rate once outcome reports exist: how many, and
// the 90% interval of the rate (render.Stat). Zero while the rate is
// the editors' estimate.
type Figure struct {
	Reports  int         `json:"reports,omitempty"`
	Interval *[2]float64 `json:"interval_90,omitempty"`
}

// WorkStep is a workaround in short. Command is the shell command that
// applies it, its {placeholders} filled from the match; it is empty when
// the entry names none or a placeholder found no value (then Steps, the
// first line of its steps' first code block, may still help a reader, but
// it may be code of any language, never a command to run as is).
type WorkStep struct {
	Action      string  `json:"action"`
	Command     string  `json:"command,omitempty"`
	Check       string  `json:"check,omitempty"`
	Steps       string  `json:"first_step,omitempty"`
	SuccessRate float64 `json:"success_rate"`
	Figure
}

// Known reports whether the results explain the text: whether a regex
// matched. Fuzzy results are look-alikes, shown as "closest entries",
// never as answers.
func Known(rs []Result) bool { return len(rs) > 0 && rs[0].Kind == Matched }

// KnownSummaries is Known for summaries.
func KnownSummaries(sums []Summary) bool { return len(sums) > 0 && sums[0].Kind == Matched }

// Summarize turns results into summaries in lang ("en" or "zh"), keeping
// at most max dead ends and workarounds each (0: all). A fuzzy result
// carries no advice: it is not known to explain the text, and a wrong fix
// shown with confidence is worse than none.
func Summarize(rs []Result, lang string, max int) []Summary {
	out := make([]Summary, 0, len(rs))
	for _, r := range rs {
		e := r.Entry
		s := Summary{
			ID: e.ID, Path: e.Path(), Kind: r.Kind, Signature: e.Signature,
			Title:  canon.Pick(lang, e.Title, e.TitleZh),
			Domain: e.Domain, Category: e.Category, Resolvable: e.Resolvable,
			FixRate: e.FixRate, Confidence: e.Confidence,
			RootCause: canon.Pick(lang, e.RootCause, e.RootCauseZh),
			Span:      r.Span, Score: r.Score,
			DeadEnds: []DeadEnd{}, Workarounds: []WorkStep{},
		}
		if r.Kind != Matched {
			s.RootCause = ""
			out = append(out, s)
			continue
		}
		for i, d := range e.DeadEnds {
			if max > 0 && i == max {
				break
			}
			s.DeadEnds = append(s.DeadEnds, DeadEnd{Action: canon.Pick(lang, d.Action, d.ActionZh), WhyFails: canon.Pick(lang, d.WhyFails, d.WhyFailsZh), FailRate: d.FailRate})
		}
		for i, w := range e.Workarounds {
			if max > 0 && i == max {
				break
			}
			step := WorkStep{Action: canon.Pick(lang, w.Action, w.ActionZh), Steps: canon.FirstCommand(w.How), SuccessRate: w.SuccessRate}
			if w.Command != "" {
				if c, ok := canon.FillCommand(w.Command, r.Groups); ok {
					step.Command = c
				}
			}
			if w.Check != "" {
				if c, ok := canon.FillCommand(w.Check, r.Groups); ok {
					step.Check = c
				}
			}
			s.Workarounds = append(s.Workarounds, step)
		}
		out = append(out, s)
	}
	return out
}
