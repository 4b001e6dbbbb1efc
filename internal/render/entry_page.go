// Parts of the entry page computed from the view: which columns of the
// versions table have values, and the table of contents of long pages.

package render

// versionCols says which optional columns of the versions table have a
// value in some row; the others are left out. Version and status always
// show.
type versionCols struct {
	Product, Range, Introduced, Deprecated, Removed, Notes bool
}

func columnsOf(vs []versionView) versionCols {
	var c versionCols
	for _, v := range vs {
		c.Product = c.Product || v.Product != ""
		c.Range = c.Range || v.Range != ""
		c.Introduced = c.Introduced || v.Introduced != ""
		c.Deprecated = c.Deprecated || v.Deprecated != ""
		c.Removed = c.Removed || v.Remove != ""
		c.Notes = c.Notes || v.Notes != "" || v.BehaviorChange != ""
	}
	return c
}

// tocItem is one line of the table of contents.
type tocItem struct{ ID, Label string }

// tocMinItems is how many workarounds, dead ends, version rows and OS
// notes make a page long enough for a table of contents.
const tocMinItems = 6

// toc is the table of contents of an entry page, or nil when the page is
// short: its sections in page order, those the page has.
func toc(v *entryView, l Lang) []tocItem {
	if len(v.Workarounds)+len(v.DeadEnds)+len(v.Versions)+len(v.OS) < tocMinItems {
		return nil
	}
	T := ui(l)
	// The versions table is above the table of contents.
	items := []tocItem{{"root-cause", T["sec_root_cause"]}, {"workarounds", T["sec_workarounds"]},
		{"dead-ends", T["sec_dead_ends"]}, {"signature", T["sec_signature"]}, {"examples", T["sec_examples"]}, {"os", T["sec_os"]},
		{"related", T["sec_related"]}, {"evidence", T["sec_evidence"]}, {"docs", T["sec_docs"]}, {"reproduce", T["sec_reproduce"]}}
	has := map[string]bool{"os": len(v.OS) > 0, "related": v.HasRelated(), "reproduce": v.Reproduce != nil}
	out := items[:0]
	for _, it := range items {
		if ok, optional := has[it.ID]; !optional || ok {
			out = append(out, it)
		}
	}
	return out
}
