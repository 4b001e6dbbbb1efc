package render

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/errorcanon/errorcanon/internal/canon"
)

// EntryMarkdown writes an entry as a Markdown document in a language. It
// carries every field the page shows; entry texts pass through
// safeMarkdown, verbatim texts (signature, examples, regex, script) go in
// fenced code blocks, and short labels are escaped.
func (r *Renderer) EntryMarkdown(w io.Writer, e *canon.Entry, l Lang) error {
	v := r.view(e, l)
	m := &mdWriter{l: l}
	T := func(k string) string { return m.t(k) }

	m.linef("# %s", escInline(oneLine(v.Title)))
	m.blank()
	m.fenced("text", v.Signature)
	m.blank()
	meta := []string{"`" + v.ID + "`"}
	if v.ErrorCode != "" {
		meta = append(meta, "**"+escInline(v.ErrorCode)+"**")
	}
	meta = append(meta, escInline(v.DomainName), escInline(v.CategoryLabel), escInline(v.VerifyLabel), "**"+escInline(v.ResolvableLabel)+"**")
	m.line(strings.Join(meta, " · "))
	m.blank()
	m.linef("%s [HTML](%s) · [JSON](%s) · [%s](%s)", T("also_as"), r.Link(EntryPagePath(e.ID, l)), r.Link(v.Paths.JSON),
		autonym[v.Other], r.Link(EntryMarkdownPath(e.ID, v.Other)))
	m.blank()
	m.linef("| %s | %s | %s | %s | %s |", T("fix_rate"), T("confidence"), T("evidence"), T("first_seen"), T("last_verified"))
	m.line("|---|---|---|---|---|")
	m.linef("| %s | %s | [%d](#%s) | %s | %s |", v.FixRate, v.Confidence, v.Evidence, anchor(T("sec_evidence")),
		cell(orDash(escInline(v.FirstSeen))), cell(orDash(escInline(v.LastVerified))))
	if v.Estimated {
		m.blank()
		m.line(escInline(T("est_note")))
	}

	m.h2("verdict")
	if d := v.TopDeadEnd; d != nil {
		m.linef("- %s%s%s", m.lbl("verdict_dont"), mdOneLine(d.Action), m.tf("paren", m.tf("fail_pct", d.Rate)))
	}
	if f := v.TopFix; f != nil {
		m.linef("- %s%s%s", m.lbl("verdict_do"), mdOneLine(f.Action), m.tf("paren", m.tf("success_pct", f.Rate)))
	} else {
		m.linef("- %s%s", m.lbl("verdict_do"), T("verdict_no_fix"))
	}

	m.h2("sec_root_cause")
	m.line(m.plain("cause_type") + escInline(v.RootCauseTypeLb))
	m.blank()
	m.block(safeMarkdown(v.RootCause))
	m.blank()
	m.quote("**" + autonym[v.Other] + "** " + safeMarkdown(v.RootCauseOther))

	m.h2("sec_workarounds")
	if len(v.Workarounds) == 0 {
		m.line(T("verdict_no_fix"))
	}
	for i, x := range v.Workarounds {
		if i > 0 {
			m.blank()
		}
		m.linef("### %d. %s%s", x.N, mdOneLine(x.Action), m.tf("paren", m.tf("success_pct", x.Rate)))
		m.blank()
		if x.Condition != "" {
			m.linef("%s%s", m.lbl("when"), mdOneLine(x.Condition))
			m.blank()
		}
		if x.Command != "" {
			m.line(strings.TrimRight(m.lbl("command"), " "))
			m.blank()
			m.fenced("sh", x.Command)
			m.blank()
		}
		if x.Check != "" {
			m.line(strings.TrimRight(m.lbl("check"), " "))
			m.blank()
			m.fenced("sh", x.Check)
			m.blank()
		}
		m.block(safeMarkdown(x.How))
		if x.Tradeoff != "" {
			m.blank()
			m.linef("%s%s", m.lbl("tradeoff"), mdOneLine(x.Tradeoff))
		}
		m.blank()
		m.line(x.Figure)
		m.sources(x.Sources)
	}

	m.h2("sec_dead_ends")
	m.line(T("dead_ends_intro"))
	for _, x := range v.DeadEnds {
		m.blank()
		m.linef("### %d. %s%s", x.N, mdOneLine(x.Action), m.tf("paren", m.tf("fail_pct", x.Rate)))
		m.blank()
		if x.Condition != "" {
			m.linef("%s%s", m.lbl("when"), mdOneLine(x.Condition))
			m.blank()
		}
		m.linef("%s%s", m.lbl("why_fails"), safeMarkdown(strings.TrimSpace(x.WhyFails)))
		if x.Misconception != "" {
			m.blank()
			m.linef("%s%s", m.lbl("misconception"), mdOneLine(x.Misconception))
		}
		m.blank()
		m.line(x.Figure)
		m.sources(x.Sources)
	}

	m.h2("sec_signature")
	m.fenced("text", v.Signature)
	m.blank()
	m.line(strings.TrimRight(m.plain("regex"), " "))
	m.blank()
	m.fenced("text", v.Regex)

	m.h2("sec_examples")
	for i, ex := range v.Examples {
		if i > 0 {
			m.blank()
		}
		m.fenced("text", ex)
	}

	if len(v.Versions) > 0 {
		m.h2("sec_versions")
		m.linef("| %s | %s | %s | %s | %s | %s | %s | %s |", T("col_version"), T("col_product"), T("col_range"), T("col_status"),
			T("col_introduced"), T("col_deprecated"), T("col_removed"), T("col_notes"))
		m.line("|---|---|---|---|---|---|---|---|")
		for _, x := range v.Versions {
			notes := mdOneLine(x.Notes)
			if x.BehaviorChange != "" {
				if notes != "" {
					notes += " "
				}
				notes += m.lbl("behavior_change") + mdOneLine(x.BehaviorChange)
			}
			rng := ""
			if x.Range != "" {
				rng = "`" + strings.ReplaceAll(x.Range, "`", "'") + "`"
			}
			m.linef("| %s | %s | %s | %s | %s | %s | %s | %s |", cell(escInline(x.Version)), cell(escInline(x.Product)), cell(rng),
				cell(escInline(x.StatusLabel)), cell(escInline(x.Introduced)), cell(escInline(x.Deprecated)), cell(escInline(x.Remove)), cell(notes))
		}
	}

	if len(v.OS) > 0 {
		m.h2("sec_os")
		for _, o := range v.OS {
			m.linef("- **%s**%s%s", escInline(o.Label), m.t("colon"), mdOneLine(o.Note))
		}
	}

	if v.HasRelated() {
		m.h2("sec_related")
		rel := func(key string, items []relatedView, noteLabel string) {
			if len(items) == 0 {
				return
			}
			m.blank()
			m.linef("### %s", T(key))
			m.blank()
			for _, x := range items {
				s := fmt.Sprintf("- [%s](%s) (`%s`)", escInline(oneLine(x.Title)), r.Link(x.Path), x.ID)
				if x.Probability != "" {
					s += " · " + m.tf("probability", x.Probability)
				}
				if x.Note != "" {
					if noteLabel != "" {
						s += " · " + m.lbl(noteLabel) + mdOneLine(x.Note)
					} else {
						s += m.t("colon") + mdOneLine(x.Note)
					}
				}
				m.line(s)
			}
		}
		rel("leads_to", v.LeadsTo, "when")
		rel("preceded_by", v.PrecededBy, "")
		rel("confused_with", v.ConfusedWith, "")
	}

	m.h2("sec_evidence")
	if rec := v.Record; rec != nil {
		m.line(escInline(m.tf("reproduced_by", rec.Verified)))
	}
	for _, ev := range v.EvidenceItems {
		m.linef("- **%s** <%s>%s%s", escInline(ev.KindLabel), escURL(ev.URL), m.t("colon"), mdOneLine(ev.Note))
	}
	if v.Record == nil && len(v.EvidenceItems) == 0 {
		m.line(escInline(T("no_evidence")))
	}

	m.h2("sec_docs")
	for _, d := range v.Docs {
		m.linef("- <%s>", escURL(d))
	}

	if rp := v.Reproduce; rp != nil {
		m.h2("sec_reproduce")
		m.line(T("repro_intro"))
		if len(rp.Requires) > 0 {
			m.blank()
			req := make([]string, len(rp.Requires))
			for i, c := range rp.Requires {
				req[i] = "`" + strings.ReplaceAll(c, "`", "'") + "`"
			}
			m.linef("%s%s", m.lbl("requires"), strings.Join(req, " "))
		}
		m.blank()
		m.fenced("sh", rp.Script)
		if rp.TimeoutS > 0 {
			m.blank()
			m.line(m.tf("timeout", rp.TimeoutS))
		}
		if rec := v.Record; rec != nil {
			m.blank()
			m.linef("%s (%s)", T("recorded_output"), rec.Verified)
			m.blank()
			m.fenced("text", rec.Output)
		}
	}

	if len(v.Tags) > 0 {
		m.h2("sec_tags")
		tags := make([]string, len(v.Tags))
		for i, tg := range v.Tags {
			tags[i] = "`" + strings.ReplaceAll(tg, "`", "'") + "`"
		}
		m.line(strings.Join(tags, " "))
	}
	if m.err != nil {
		return m.err
	}
	_, err := w.Write(m.buf.Bytes())
	return err
}

type mdWriter struct {
	l   Lang
	buf bytes.Buffer
	err error
}

func (m *mdWriter) t(key string) string {
	s, err := t(m.l, key)
	if err != nil && m.err == nil {
		m.err = err
	}
	return s
}

func (m *mdWriter) tf(key string, args ...any) string {
	s, err := tf(m.l, key, args...)
	if err != nil && m.err == nil {
		m.err = err
	}
	return s
}

// lbl is a bold label with its colon: "**When:** " or "**适用条件：**".
func (m *mdWriter) lbl(key string) string {
	c := m.t("colon")
	core := strings.TrimRight(c, " ")
	return "**" + m.t(key) + core + "**" + c[len(core):]
}

// plain is a label with its colon, unformatted.
func (m *mdWriter) plain(key string) string { return m.t(key) + m.t("colon") }

func (m *mdWriter) line(s string) { m.buf.WriteString(s); m.buf.WriteByte('\n') }

func (m *mdWriter) linef(format string, args ...any) { m.line(fmt.Sprintf(format, args...)) }

func (m *mdWriter) blank() { m.buf.WriteByte('\n') }

func (m *mdWriter) h2(key string) {
	m.blank()
	m.line("## " + m.t(key))
	m.blank()
}

// block writes a Markdown text as its own blocks.
func (m *mdWriter) block(s string) { m.line(strings.TrimSpace(s)) }

// quote writes s as a block quote.
func (m *mdWriter) quote(s string) {
	for _, ln := range strings.Split(strings.TrimSpace(s), "\n") {
		if ln == "" {
			m.line(">")
		} else {
			m.line("> " + ln)
		}
	}
}

// fenced writes verbatim text in a code fence longer than any run of
// backticks inside it.
func (m *mdWriter) fenced(info, s string) {
	f := fence(s)
	m.line(f + info)
	m.line(strings.TrimRight(s, "\n"))
	m.line(f)
}

func (m *mdWriter) sources(src []string) {
	if len(src) == 0 {
		return
	}
	links := make([]string, len(src))
	for i, s := range src {
		links[i] = "<" + escURL(s) + ">"
	}
	m.blank()
	m.line(m.plain("sources") + strings.Join(links, " "))
}

func fence(s string) string {
	longest, run := 0, 0
	for _, c := range s {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// escInline escapes a plain text (a signature, a name) so that Markdown
// shows it as it is: no emphasis, links, code or HTML.
func escInline(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch c {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '#', '!', '&':
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// mdOneLine prepares an entry text for a heading, list item or table cell.
func mdOneLine(s string) string { return oneLine(safeMarkdown(s)) }

// cell makes a table cell: pipes escaped, empty shown as a dash.
func cell(s string) string {
	if s == "" {
		return "—"
	}
	return strings.ReplaceAll(s, "|", `\|`)
}

// escURL keeps a URL inside an autolink's angle brackets.
func escURL(s string) string {
	r := strings.NewReplacer("<", "%3C", ">", "%3E", " ", "%20", "\n", "")
	return r.Replace(s)
}

// orDash shows an unknown value as a dash.
func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// anchor is the fragment a Markdown renderer such as GitHub's gives a
// heading: lower case, spaces as hyphens.
func anchor(heading string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(heading)), " ", "-")
}
