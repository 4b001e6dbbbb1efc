package render

import (
	"fmt"
	"html"
	"html/template"
	"sort"
	"strings"

	"github.com/errorcanon/errorcanon/internal/browse"
	"github.com/errorcanon/errorcanon/internal/termtext"
)

// The figures page draws its charts on the server as inline SVG: no
// script, no request, colours from the stylesheet's classes (the CSP
// allows no inline style). Every chart is followed by a table with its
// numbers, for screen readers and for copying.

type statsView struct {
	Figures []figure
	Charts  []chartView
}

type chartView struct {
	ID, Title, Note string
	SVG             template.HTML
	KeyHead         string // first column's heading
	Rows            []chartRow
}

type chartRow struct {
	Label, Href string
	Count       int
	Share       string
}

type bar struct {
	label string
	n     int
}

func (r *Renderer) statsView(s browse.Stats, l Lang) *statsView {
	v := &statsView{Figures: r.figures(l)}
	u := ui(l)
	rows := func(cs []browse.Count, lab func(string) string, href func(string) string, skipZero bool) ([]chartRow, []bar) {
		var rs []chartRow
		var bs []bar
		for _, c := range cs {
			if skipZero && c.Count == 0 {
				continue
			}
			row := chartRow{Label: lab(c.Key), Count: c.Count, Share: share(c.Count, s.Entries)}
			if href != nil && c.Count > 0 {
				row.Href = href(c.Key)
			}
			rs = append(rs, row)
			bs = append(bs, bar{row.Label, c.Count})
		}
		return rs, bs
	}
	add := func(id, title, head string, rs []chartRow, svg template.HTML) {
		v.Charts = append(v.Charts, chartView{ID: id, Title: title, KeyHead: head, Rows: rs, SVG: svg})
	}

	byCount := func(cs []browse.Count) []browse.Count {
		out := append([]browse.Count(nil), cs...)
		sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
		return out
	}
	rs, bs := rows(byCount(s.ByDomain), func(k string) string { return r.domainName(k, l) }, func(k string) string { return DomainPath(k, l) }, true)
	add("chart-domains", u["chart_domains"], u["col_domain"], rs, barChart(u["chart_domains"], bs))
	rs, bs = rows(byCount(s.ByCategory), func(k string) string { return label(l, "cat_", k) }, func(k string) string { return DomainsPath(l) + "?category=" + k }, true)
	add("chart-categories", u["chart_categories"], u["filter_category"], rs, barChart(u["chart_categories"], bs))
	rs, bs = rows(s.ByVerification, func(k string) string { return label(l, "ver_", k) }, func(k string) string { return DomainsPath(l) + "?verification=" + k }, false)
	add("chart-verification", u["chart_verification"], u["filter_verification"], rs, barChart(u["chart_verification"], bs))
	rs, bs = rows(s.ByResolvable, func(k string) string { return label(l, "res_", k) }, func(k string) string { return DomainsPath(l) + "?resolvable=" + k }, false)
	add("chart-resolvable", u["chart_resolvable"], u["filter_resolvable"], rs, barChart(u["chart_resolvable"], bs))

	hist := func(id, title string, b []browse.Bucket) {
		var rs []chartRow
		var bs []bar
		for i, x := range b {
			lab := fmt.Sprintf("%d–%d%%", int(x.From*100+0.5), int(x.To*100+0.5))
			if i < len(b)-1 {
				lab = fmt.Sprintf("%d–%d%%", int(x.From*100+0.5), int(x.To*100+0.5)-1)
			}
			rs = append(rs, chartRow{Label: lab, Count: x.Count, Share: share(x.Count, s.Entries)})
			bs = append(bs, bar{fmt.Sprintf("%d", int(x.From*100+0.5)), x.Count})
		}
		add(id, title, u["col_range"], rs, histogram(title, bs))
	}
	hist("chart-fix-rate", u["chart_fix_rate"], s.FixRate)
	hist("chart-confidence", u["chart_confidence"], s.Confidence)
	return v
}

func share(n, total int) string {
	if total == 0 || n == 0 {
		return "0%"
	}
	if v := float64(n) / float64(total); v < 0.005 {
		return "<1%"
	}
	return pct(float64(n) / float64(total))
}

// Chart geometry, in SVG user units; the SVG scales to its box.
const (
	chartW     = 480
	rowH       = 26
	valueRoom  = 40
	histH      = 200
	histBottom = 24
	histTop    = 18
)

func barChart(title string, bars []bar) template.HTML {
	maxN := 1
	for _, b := range bars {
		maxN = max(maxN, b.n)
	}
	h := len(bars)*rowH + 4
	// The label column is as wide as the longest label needs.
	labelW := 0
	for _, b := range bars {
		labelW = max(labelW, textWidth(clip(b.label, 24)))
	}
	labelW = min(max(labelW+4, 60), 190)
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart bars" viewBox="0 0 %d %d" role="img" aria-label="%s" focusable="false">`, chartW, h, html.EscapeString(title))
	span := float64(chartW - labelW - 8 - valueRoom)
	for i, b := range bars {
		y := i*rowH + 4
		w := span * float64(b.n) / float64(maxN)
		if b.n > 0 && w < 2 {
			w = 2
		}
		fmt.Fprintf(&sb, `<text class="ch-label" x="%d" y="%d" text-anchor="end">%s</text>`, labelW, y+15, html.EscapeString(clip(b.label, 24)))
		fmt.Fprintf(&sb, `<rect class="ch-bar" x="%d" y="%d" width="%.1f" height="18" rx="3"></rect>`, labelW+8, y+1, w)
		fmt.Fprintf(&sb, `<text class="ch-value" x="%.1f" y="%d">%d</text>`, float64(labelW+8)+w+5, y+15, b.n)
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

// histogram draws vertical bars, one per bucket, labelled with the
// bucket's lower bound and the last with 100.
func histogram(title string, bars []bar) template.HTML {
	maxN := 1
	for _, b := range bars {
		maxN = max(maxN, b.n)
	}
	left := 16
	slot := (chartW - 2*left) / max(1, len(bars))
	plot := float64(histH - histBottom - histTop)
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart hist" viewBox="0 0 %d %d" role="img" aria-label="%s" focusable="false">`, chartW, histH, html.EscapeString(title))
	base := histH - histBottom
	fmt.Fprintf(&sb, `<line class="ch-axis" x1="%d" y1="%d" x2="%d" y2="%d"></line>`, left, base, chartW-left, base)
	for i, b := range bars {
		x := left + i*slot
		hgt := plot * float64(b.n) / float64(maxN)
		if b.n > 0 && hgt < 2 {
			hgt = 2
		}
		fmt.Fprintf(&sb, `<rect class="ch-bar" x="%d" y="%.1f" width="%d" height="%.1f" rx="2"></rect>`, x+3, float64(base)-hgt, slot-6, hgt)
		if b.n > 0 {
			fmt.Fprintf(&sb, `<text class="ch-value" x="%d" y="%.1f" text-anchor="middle">%d</text>`, x+slot/2, float64(base)-hgt-4, b.n)
		}
		fmt.Fprintf(&sb, `<text class="ch-tick" x="%d" y="%d" text-anchor="middle">%s</text>`, x, base+16, html.EscapeString(b.label))
	}
	fmt.Fprintf(&sb, `<text class="ch-tick" x="%d" y="%d" text-anchor="middle">100</text>`, left+len(bars)*slot, base+16)
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

// textWidth estimates the width of a label at the charts' 13px font: wide
// for CJK, narrower for Latin letters.
func textWidth(s string) int {
	w := 0.0
	for _, r := range s {
		switch {
		case termtext.IsCJK(r):
			w += 13
		case r >= 'A' && r <= 'Z', r == 'm', r == 'w':
			w += 8.5
		default:
			w += 7
		}
	}
	return int(w + 0.5)
}
