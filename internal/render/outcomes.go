package render

import (
	"math"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/match"
)

// Outcomes is the seam between the renderer and the outcome reports that
// people and agents send ("I tried workaround 2 and it worked"), kept by
// internal/store. NoOutcomes (or a nil Options.Outcomes) means no reports:
// every rate is the editor's estimate, labelled so.
//
// An implementation must be safe for concurrent use and cheap: it is called
// once per rendered entry. Rendered output depends on it, so a server that
// caches rendered bytes must drop its cache when reports change.
type Outcomes interface {
	// Counts returns the reports received for one entry. The slices are
	// indexed like the entry's Workarounds and DeadEnds; missing or short
	// slices mean zero reports for the rest.
	Counts(id string) EntryCounts
}

// EntryCounts are the reports for one entry.
type EntryCounts struct {
	Workarounds []Tally
	DeadEnds    []Tally
}

// Tally counts the reports about one workaround or dead end by outcome.
type Tally struct {
	Worked            int
	WorkedWithChanges int
	DidNotWork        int
}

// Reports is how many reports the tally holds.
func (t Tally) Reports() int {
	return max(t.Worked, 0) + max(t.WorkedWithChanges, 0) + max(t.DidNotWork, 0)
}

// NoOutcomes is the Outcomes of a site without a report store.
type NoOutcomes struct{}

// Counts returns no reports.
func (NoOutcomes) Counts(string) EntryCounts { return EntryCounts{} }

// PriorStrength is how many reports the editor's estimate counts as. Each
// rate is the mean of a Beta posterior whose prior is Beta(k·p, k·(1−p))
// for the estimate p and k = PriorStrength, updated by the reports: a
// success adds 1 to α, a failure 1 to β.
//
// Why 4: an estimate is an informed guess, not data. With k = 4 the first
// few reports already move a rate visibly (one failure takes an 85%
// estimate to 68%), four reports weigh as much as the editor, and by 30
// reports the estimate is about a tenth of the figure; yet one stray
// report cannot swing a rate from 85% to 0% or 100%, which a flat prior
// (or k near 0) would.
const PriorStrength = 4

// Stat is one workaround's or dead end's figures. For a workaround the
// rates are success rates (worked and worked_with_changes count as
// successes), for a dead end fail rates (did_not_work counts).
type Stat struct {
	Estimate          float64 `json:"estimate"`
	Reports           int     `json:"reports"`
	Worked            int     `json:"worked"`
	WorkedWithChanges int     `json:"worked_with_changes"`
	DidNotWork        int     `json:"did_not_work"`
	// Rate is the posterior mean; the estimate while Reports is 0.
	Rate float64 `json:"rate"`
	// Interval is the posterior's central 90% interval.
	Interval [2]float64 `json:"interval_90"`
}

// Stats are an entry's live figures, as served in the JSON form.
type Stats struct {
	Reports       int    `json:"reports"`
	PriorStrength int    `json:"prior_strength"`
	Workarounds   []Stat `json:"workarounds"`
	DeadEnds      []Stat `json:"dead_ends"`
	// Order lists the workarounds' numbers (1-based, as in the catalog) in
	// the order they are shown: by the 90% interval's lower bound once any
	// workaround has reports, else as the editor ordered them.
	Order []int `json:"order"`
}

// posterior computes a Stat from an estimate and the reports, counting
// as successes the reports for which success is true.
func posterior(estimate float64, t Tally, success func(Tally) int) Stat {
	s := Stat{Estimate: estimate, Worked: max(t.Worked, 0), WorkedWithChanges: max(t.WorkedWithChanges, 0), DidNotWork: max(t.DidNotWork, 0)}
	s.Reports = s.Worked + s.WorkedWithChanges + s.DidNotWork
	ok := min(max(success(s.tally()), 0), s.Reports)
	// An estimate of exactly 0 or 1 would make an improper prior.
	p := min(max(estimate, 0.01), 0.99)
	a := PriorStrength*p + float64(ok)
	b := PriorStrength*(1-p) + float64(s.Reports-ok)
	s.Rate = estimate
	if s.Reports > 0 {
		s.Rate = round4(a / (a + b))
	}
	s.Interval = [2]float64{round4(betaQuantile(0.05, a, b)), round4(betaQuantile(0.95, a, b))}
	return s
}

func (s Stat) tally() Tally {
	return Tally{Worked: s.Worked, WorkedWithChanges: s.WorkedWithChanges, DidNotWork: s.DidNotWork}
}

func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }

func fixed(t Tally) int  { return t.Worked + t.WorkedWithChanges }
func failed(t Tally) int { return t.DidNotWork }

// Stats computes an entry's figures from its estimates and reports: the
// numbers every surface (page, JSON, Markdown, text, MCP) shows.
func (r *Renderer) Stats(e *canon.Entry) Stats { return StatsOf(r.outcomes, e) }

// StatsOf is Stats with the reports of o, for a caller without a
// Renderer (the CLI's match, which loads only the entries it shows).
func StatsOf(o Outcomes, e *canon.Entry) Stats {
	c := o.Counts(e.ID)
	s := Stats{PriorStrength: PriorStrength, Workarounds: make([]Stat, len(e.Workarounds)), DeadEnds: make([]Stat, len(e.DeadEnds))}
	ranked := false
	for i, w := range e.Workarounds {
		var t Tally
		if i < len(c.Workarounds) {
			t = c.Workarounds[i]
		}
		s.Workarounds[i] = posterior(w.SuccessRate, t, fixed)
		s.Reports += s.Workarounds[i].Reports
		ranked = ranked || s.Workarounds[i].Reports > 0
	}
	for i, d := range e.DeadEnds {
		var t Tally
		if i < len(c.DeadEnds) {
			t = c.DeadEnds[i]
		}
		s.DeadEnds[i] = posterior(d.FailRate, t, failed)
		s.Reports += s.DeadEnds[i].Reports
	}
	s.Order = make([]int, len(e.Workarounds))
	for i := range s.Order {
		s.Order[i] = i + 1
	}
	if ranked {
		sort.SliceStable(s.Order, func(i, j int) bool {
			return s.Workarounds[s.Order[i]-1].Interval[0] > s.Workarounds[s.Order[j]-1].Interval[0]
		})
	}
	return s
}

// FixRate is an entry's fix rate with the live figures: what every
// surface shows in place of the catalog's e.FixRate.
func (r *Renderer) FixRate(e *canon.Entry) float64 { return r.Stats(e).FixRate() }

// FixRateEstimated reports whether an entry's fix rate is still the
// editors' estimate: no workaround has a report.
func (r *Renderer) FixRateEstimated(e *canon.Entry) bool { return !r.Stats(e).ranked() }

// FixRate is the entry's fix rate as served: the rate of the best
// workaround (see best).
func (s Stats) FixRate() float64 {
	if b := s.best(); b >= 0 {
		return s.Workarounds[b].Rate
	}
	return 0
}

// best is the index of the best workaround, or -1: once reports exist, the
// first in Order (the highest lower bound); before, the highest estimate
// (the first on ties).
func (s Stats) best() int {
	if len(s.Workarounds) == 0 {
		return -1
	}
	if s.ranked() {
		return s.Order[0] - 1
	}
	b := 0
	for i, w := range s.Workarounds {
		if w.Rate > s.Workarounds[b].Rate {
			b = i
		}
	}
	return b
}

func (s Stats) ranked() bool {
	for _, w := range s.Workarounds {
		if w.Reports > 0 {
			return true
		}
	}
	return false
}

// fixRateText is the entry's fix rate as a short label: "est. 85%" while
// the best workaround's rate is the editor's estimate, "—" with no
// workaround.
func (r *Renderer) fixRateText(e *canon.Entry, l Lang) string {
	s := r.Stats(e)
	b := s.best()
	if b < 0 {
		return "—"
	}
	return ratePct(l, s.Workarounds[b].Rate, s.Workarounds[b].Reports)
}

// Estimated reports whether any rate has no report behind it yet, and so
// is still the editor's estimate.
func (s Stats) Estimated() bool {
	for _, w := range s.Workarounds {
		if w.Reports == 0 {
			return true
		}
	}
	for _, d := range s.DeadEnds {
		if d.Reports == 0 {
			return true
		}
	}
	return false
}

// Figure is a rate in full, in a language: "87% (n=34, 90% interval
// 78–93%)", or "est. 85%, no reports yet" before any report.
func Figure(l Lang, s Stat) string {
	if s.Reports == 0 {
		return must(tf(l, "figure_none", pct(s.Estimate)))
	}
	return must(tf(l, "figure", pct(s.Rate), s.Reports, pctNum(s.Interval[0]), pct(s.Interval[1])))
}

// pctNum is a whole percentage without the sign.
func pctNum(v float64) string { p := pct(v); return p[:len(p)-1] }

// quantiles memoizes betaQuantile: listings compute the figures of every
// entry they show, and without reports they are the same few priors.
var (
	quantiles     sync.Map // quantileKey -> float64
	quantileCount atomic.Int64
)

type quantileKey struct{ q, a, b float64 }

// maxQuantiles bounds the memo (each entry is a few dozen bytes).
const maxQuantiles = 100_000

// betaQuantile returns x with I_x(a, b) = q, memoized.
func betaQuantile(q, a, b float64) float64 {
	k := quantileKey{q, a, b}
	if v, ok := quantiles.Load(k); ok {
		return v.(float64)
	}
	v := betaQuantileBisect(q, a, b)
	if quantileCount.Load() < maxQuantiles {
		if _, loaded := quantiles.LoadOrStore(k, v); !loaded {
			quantileCount.Add(1)
		}
	}
	return v
}

// betaQuantileBisect returns x with I_x(a, b) = q, by bisection on the
// regularized incomplete beta function (60 halvings: exact to 1e-18).
func betaQuantileBisect(q, a, b float64) float64 {
	lo, hi := 0.0, 1.0
	for range 60 {
		mid := (lo + hi) / 2
		if betaInc(mid, a, b) < q {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// betaInc is the regularized incomplete beta function I_x(a, b), by the
// continued fraction of Numerical Recipes (betacf), using the symmetry
// I_x(a,b) = 1 − I_{1−x}(b,a) where the fraction converges slowly.
func betaInc(x, a, b float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	}
	la, _ := math.Lgamma(a + b)
	lb, _ := math.Lgamma(a)
	lc, _ := math.Lgamma(b)
	front := math.Exp(la - lb - lc + a*math.Log(x) + b*math.Log(1-x))
	if x < (a+1)/(a+b+2) {
		return front * betaCF(x, a, b) / a
	}
	return 1 - front*betaCF(1-x, b, a)/b
}

func betaCF(x, a, b float64) float64 {
	const tiny = 1e-300
	qab, qap, qam := a+b, a+1, a-1
	c, d := 1.0, 1-qab*x/qap
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m <= 300; m++ {
		fm := float64(m)
		m2 := 2 * fm
		aa := fm * (b - fm) * x / ((qam + m2) * (a + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		h *= d * c
		aa = -(a + fm) * (qab + fm) * x / ((a + m2) * (qap + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-14 {
			break
		}
	}
	return h
}

// liveSteps puts the live rates of the first dead end and workaround (the
// ones a result shows) on a match result.
func (r *Renderer) liveSteps(v *resultView, e *canon.Entry, l Lang) {
	st := r.Stats(e)
	if v.DeadEnd != "" && len(st.DeadEnds) > 0 {
		v.DeadEndRate = ratePct(l, st.DeadEnds[0].Rate, st.DeadEnds[0].Reports)
	}
	if v.Fix != "" && len(st.Workarounds) > 0 {
		v.FixRateStep = ratePct(l, st.Workarounds[0].Rate, st.Workarounds[0].Reports)
	}
}

// LiveSummaries replaces the editor's estimates in match summaries with
// the live figures (the entry's fix rate, each listed workaround's
// success rate and dead end's fail rate), so the API, MCP and the CLI
// give the numbers the pages show. It changes sums in place.
func (r *Renderer) LiveSummaries(sums []match.Summary) { LiveSummaries(r.outcomes, r.entry, sums) }

// LiveSummaries is the method's work with the reports of o and the
// entries entry finds.
func LiveSummaries(o Outcomes, entry func(id string) *canon.Entry, sums []match.Summary) {
	for i := range sums {
		s := &sums[i]
		e := entry(s.ID)
		if e == nil {
			continue
		}
		st := StatsOf(o, e)
		s.FixRate = st.FixRate()
		for j := range s.Workarounds {
			if j < len(st.Workarounds) {
				s.Workarounds[j].SuccessRate = st.Workarounds[j].Rate
				s.Workarounds[j].Figure = st.Workarounds[j].figure()
			}
		}
		for j := range s.DeadEnds {
			if j < len(st.DeadEnds) {
				s.DeadEnds[j].FailRate = st.DeadEnds[j].Rate
				s.DeadEnds[j].Figure = st.DeadEnds[j].figure()
			}
		}
	}
}

// figure is what a summary's step shows of a live rate: nothing while it
// is the estimate.
func (s Stat) figure() match.Figure {
	if s.Reports == 0 {
		return match.Figure{}
	}
	iv := s.Interval
	return match.Figure{Reports: s.Reports, Interval: &iv}
}
