package render

import "github.com/errorcanon/errorcanon/internal/canon"

// Outcomes is the seam between the renderer and the outcome reports that
// agents and users send ("I tried workaround 2 and it worked"). The report
// store arrives in a later issue; until then NoOutcomes (or a nil
// Options.Outcomes) means no reports, and every blended rate equals the
// curated rate from the catalog.
//
// An implementation must be safe for concurrent use and cheap: it is called
// once per rendered entry. Rendered output depends on it, so a server that
// caches rendered bytes must drop its cache (or key it on a version) when
// reports change.
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

// Tally counts the reports about one workaround or dead end: how many
// people tried it and reported back, and how many of them it fixed the
// error for.
type Tally struct {
	Reports int
	Fixed   int
}

// NoOutcomes is the Outcomes of a site without a report store.
type NoOutcomes struct{}

// Counts returns no reports.
func (NoOutcomes) Counts(string) EntryCounts { return EntryCounts{} }

// PriorWeight is how many reports the curated rate counts as when it is
// blended with real reports: blended = (curated*PriorWeight + observed) /
// (PriorWeight + reports). With few reports the curated figure dominates;
// with many the reports do.
const PriorWeight = 10

// Stat is one workaround's or dead end's figures: the curated rate from
// the catalog, the reports and the blended rate. For a workaround the
// rates are success rates, for a dead end fail rates.
type Stat struct {
	Curated float64 `json:"curated_rate"`
	Reports int     `json:"reports"`
	// Observed is how many reports agree with the rate's sense: fixed for
	// a workaround, not fixed for a dead end.
	Observed int     `json:"observed"`
	Blended  float64 `json:"blended_rate"`
}

// Stats are an entry's live figures, as served in the JSON form.
type Stats struct {
	Reports     int    `json:"reports"`
	PriorWeight int    `json:"prior_weight"`
	Workarounds []Stat `json:"workarounds"`
	DeadEnds    []Stat `json:"dead_ends"`
}

func blend(curated float64, reports, observed int) Stat {
	reports = max(reports, 0)
	observed = min(max(observed, 0), reports)
	b := curated
	if reports > 0 {
		b = (curated*PriorWeight + float64(observed)) / float64(PriorWeight+reports)
	}
	return Stat{Curated: curated, Reports: reports, Observed: observed, Blended: b}
}

// stats computes an entry's figures from its curated rates and reports.
func (r *Renderer) stats(e *canon.Entry) Stats {
	c := r.outcomes.Counts(e.ID)
	s := Stats{PriorWeight: PriorWeight, Workarounds: make([]Stat, len(e.Workarounds)), DeadEnds: make([]Stat, len(e.DeadEnds))}
	for i, w := range e.Workarounds {
		var t Tally
		if i < len(c.Workarounds) {
			t = c.Workarounds[i]
		}
		s.Workarounds[i] = blend(w.SuccessRate, t.Reports, t.Fixed)
		s.Reports += s.Workarounds[i].Reports
	}
	for i, d := range e.DeadEnds {
		var t Tally
		if i < len(c.DeadEnds) {
			t = c.DeadEnds[i]
		}
		failed := t.Reports - min(max(t.Fixed, 0), t.Reports)
		s.DeadEnds[i] = blend(d.FailRate, t.Reports, failed)
		s.Reports += s.DeadEnds[i].Reports
	}
	return s
}

// FixRate is the best workaround's rate, blended with reports: the
// entry's fix rate as served.
func (s Stats) FixRate() float64 {
	if b := s.best(); b >= 0 {
		return s.Workarounds[b].Blended
	}
	return 0
}

// best is the index of the workaround with the highest blended rate (the
// first on ties), or -1.
func (s Stats) best() int {
	b := -1
	for i, w := range s.Workarounds {
		if b < 0 || w.Blended > s.Workarounds[b].Blended {
			b = i
		}
	}
	return b
}

// fixRateText is the entry's fix rate as a label: "est. 85%" while the
// best workaround's rate is the editor's estimate, "—" with no workaround.
func (r *Renderer) fixRateText(e *canon.Entry, l Lang) string {
	s := r.stats(e)
	b := s.best()
	if b < 0 {
		return "—"
	}
	return ratePct(l, s.Workarounds[b].Blended, s.Workarounds[b].Reports)
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
