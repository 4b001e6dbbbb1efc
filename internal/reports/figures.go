package reports

import (
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/store"
)

// Figures is the renderer's view of the store's live figures: it
// implements render.Outcomes.
type Figures struct{ F *store.Figures }

// Counts returns an entry's tallies in the renderer's terms.
func (o Figures) Counts(id string) render.EntryCounts {
	t := o.F.Entry(id)
	return render.EntryCounts{Workarounds: conv(t.Workarounds), DeadEnds: conv(t.DeadEnds)}
}

func conv(ts []store.Tally) []render.Tally {
	out := make([]render.Tally, len(ts))
	for i, x := range ts {
		out[i] = render.Tally{Worked: x.Worked, WorkedWithChanges: x.WorkedWithChanges, DidNotWork: x.DidNotWork}
	}
	return out
}
