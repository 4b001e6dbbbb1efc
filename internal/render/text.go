package render

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/termtext"
)

// EntryText writes an entry as plain text for a terminal of 80 columns
// (EntryTextWidth).
func (r *Renderer) EntryText(w io.Writer, e *canon.Entry, l Lang) error {
	return r.EntryTextWidth(w, e, l, 80)
}

// EntryTextWidth writes an entry as plain text for a terminal of width
// columns (errorcanon show --format text): the verdict first, then the
// same sections as the page. Prose is wrapped to the width in display
// cells, and the Markdown of the steps is laid out for the terminal (code
// blocks indented, without fences, never wrapped). Control characters
// other than newline and tab are dropped, so an entry cannot send escape
// sequences to the terminal.
func (r *Renderer) EntryTextWidth(w io.Writer, e *canon.Entry, l Lang, width int) error {
	v := r.view(e, l)
	x := &mdWriter{l: l} // reuses the line helpers and the error latch
	T := x.t
	head := func(key string) {
		x.blank()
		x.line(strings.ToUpper(T(key)))
	}
	// para writes prose after prefix, wrapped, continuation lines at
	// indent.
	para := func(prefix, text, indent string) {
		text = termtext.Inline(oneLine(text))
		x.line(prefix + termtext.Wrap(text, width, termtext.Width(prefix), indent))
	}
	indent := func(s, pre string) {
		for _, ln := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
			if strings.TrimSpace(ln) == "" {
				x.line("")
			} else {
				x.line(pre + ln)
			}
		}
	}

	x.line(oneLine(v.Title))
	indent(v.Signature, "  ")
	x.line(v.ID)
	meta := []string{}
	if v.ErrorCode != "" {
		meta = append(meta, v.ErrorCode)
	}
	meta = append(meta, v.DomainName, v.CategoryLabel, v.VerifyLabel, v.ResolvableLabel)
	x.line(strings.Join(meta, " · "))
	x.linef("%s %s · %s %s · %s %d · %s %s · %s %s", T("fix_rate"), v.FixRate, T("confidence"), v.Confidence,
		T("evidence"), v.Evidence, T("first_seen"), orDash(v.FirstSeen), T("last_verified"), orDash(v.LastVerified))
	if v.Estimated {
		x.line(T("est_note"))
	}

	head("verdict")
	if d := v.TopDeadEnd; d != nil {
		x.linef("  %s%s%s", x.plain("verdict_dont"), oneLine(d.Action), x.tf("paren", x.tf("fail_pct", d.Rate)))
	}
	if f := v.TopFix; f != nil {
		x.linef("  %s%s%s", x.plain("verdict_do"), oneLine(f.Action), x.tf("paren", x.tf("success_pct", f.Rate)))
	} else {
		x.linef("  %s%s", x.plain("verdict_do"), T("verdict_no_fix"))
	}

	head("sec_root_cause")
	x.linef("  %s%s", x.plain("cause_type"), v.RootCauseTypeLb)
	para("  ", v.RootCause, "  ")
	para("  "+autonym[v.Other]+x.t("colon"), v.RootCauseOther, "  ")

	head("sec_workarounds")
	if len(v.Workarounds) == 0 {
		x.line("  " + T("verdict_no_fix"))
	}
	for _, o := range v.Workarounds {
		para(fmt.Sprintf("  %d. [%s] ", o.N, x.tf("success_pct", o.Rate)), o.Action, "     ")
		if o.Condition != "" {
			para("     "+x.plain("when"), o.Condition, "     ")
		}
		if o.Command != "" {
			x.linef("     %s%s", x.plain("command"), o.Command)
		}
		if o.Check != "" {
			x.linef("     %s%s", x.plain("check"), o.Check)
		}
		if md := termtext.Markdown(o.How, width, "     "); md != "" {
			x.line(md)
		}
		if o.Tradeoff != "" {
			para("     "+x.plain("tradeoff"), o.Tradeoff, "     ")
		}
		x.line("     " + o.Figure)
		for _, s := range o.Sources {
			x.linef("     %s%s", x.plain("sources"), s)
		}
	}

	head("sec_dead_ends")
	for _, o := range v.DeadEnds {
		para(fmt.Sprintf("  %d. [%s] ", o.N, x.tf("fail_pct", o.Rate)), o.Action, "     ")
		if o.Condition != "" {
			para("     "+x.plain("when"), o.Condition, "     ")
		}
		para("     "+x.plain("why_fails"), o.WhyFails, "     ")
		if o.Misconception != "" {
			para("     "+x.plain("misconception"), o.Misconception, "     ")
		}
		x.line("     " + o.Figure)
		for _, s := range o.Sources {
			x.linef("     %s%s", x.plain("sources"), s)
		}
	}

	head("sec_signature")
	indent(v.Signature, "  ")
	x.linef("  %s%s", x.plain("regex"), v.Regex)

	head("sec_examples")
	for i, ex := range v.Examples {
		if i > 0 {
			x.line("  --")
		}
		indent(ex, "  ")
	}

	if len(v.Versions) > 0 {
		head("sec_versions")
		for _, o := range v.Versions {
			parts := []string{o.Version}
			if o.Product != "" {
				parts = append(parts, o.Product)
			}
			if o.Range != "" {
				parts = append(parts, T("col_range")+" "+o.Range)
			}
			parts = append(parts, o.StatusLabel)
			for _, f := range [][2]string{{"col_introduced", o.Introduced}, {"col_deprecated", o.Deprecated}, {"col_removed", o.Remove}} {
				if f[1] != "" {
					parts = append(parts, T(f[0])+" "+f[1])
				}
			}
			x.line("  - " + strings.Join(parts, " · "))
			if o.Notes != "" {
				para("    ", o.Notes, "    ")
			}
			if o.BehaviorChange != "" {
				para("    "+x.plain("behavior_change"), o.BehaviorChange, "    ")
			}
		}
	}

	if len(v.OS) > 0 {
		head("sec_os")
		for _, o := range v.OS {
			para("  "+o.Label+x.t("colon"), o.Note, "    ")
		}
	}

	if v.HasRelated() {
		head("sec_related")
		rel := func(key string, items []relatedView) {
			for _, o := range items {
				s := fmt.Sprintf("  %s%s%s", x.plain(key), o.ID, x.tf("paren", oneLine(o.Title)))
				if o.Probability != "" {
					s += " · " + x.tf("probability", o.Probability)
				}
				x.line(s)
				if o.Note != "" {
					para("    ", o.Note, "    ")
				}
			}
		}
		rel("leads_to", v.LeadsTo)
		rel("preceded_by", v.PrecededBy)
		rel("confused_with", v.ConfusedWith)
	}

	head("sec_evidence")
	if rec := v.Record; rec != nil {
		x.line("  " + x.tf("reproduced_by", rec.Verified))
	}
	for _, ev := range v.EvidenceItems {
		x.linef("  %s%s%s", ev.KindLabel, x.t("colon"), ev.URL)
		para("    ", ev.Note, "    ")
	}
	if v.Record == nil && len(v.EvidenceItems) == 0 {
		x.line("  " + T("no_evidence"))
	}

	head("sec_docs")
	for _, d := range v.Docs {
		x.line("  " + d)
	}

	if rp := v.Reproduce; rp != nil {
		head("sec_reproduce")
		if len(rp.Requires) > 0 {
			x.linef("  %s%s", x.plain("requires"), strings.Join(rp.Requires, " "))
		}
		indent(rp.Script, "  | ")
		if rp.TimeoutS > 0 {
			x.line("  " + x.tf("timeout", rp.TimeoutS))
		}
		if rec := v.Record; rec != nil {
			x.linef("  %s (%s)", T("recorded_output"), rec.Verified)
			indent(rec.Output, "  > ")
		}
	}

	if len(v.Tags) > 0 {
		head("sec_tags")
		x.line("  " + strings.Join(v.Tags, ", "))
	}
	x.blank()
	x.line(r.Abs(EntryPagePath(e.ID, l)))
	if x.err != nil {
		return x.err
	}
	_, err := w.Write(stripControl(x.buf.Bytes()))
	return err
}

// stripControl drops control characters except newline and tab.
func stripControl(b []byte) []byte {
	s := string(b)
	if !strings.ContainsFunc(s, isBadControl) {
		return b
	}
	return bytes.Map(func(r rune) rune {
		if isBadControl(r) {
			return -1
		}
		return r
	}, b)
}

func isBadControl(r rune) bool {
	return r != '\n' && r != '\t' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029')
}
