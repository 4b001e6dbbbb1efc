package match

// Miss is an example that does not rank its own entry first (quality
// rule 3 of the entry schema).
type Miss struct {
	ID      string // the entry whose example it is
	Example int    // index into its examples
	Got     string // the entry that ranked first, "" when none matched
}

// CheckExamples matches every example of every indexed entry against the
// whole index and returns those whose own entry does not rank first.
func (ix *Index) CheckExamples() []Miss {
	var misses []Miss
	for _, in := range ix.entries {
		for i, ex := range in.e.Examples {
			rs, err := ix.Match([]byte(ex), Options{Limit: 1, NoFuzzy: true})
			got := ""
			if err == nil && len(rs) > 0 {
				got = rs[0].ID
			}
			if got != in.e.ID {
				misses = append(misses, Miss{ID: in.e.ID, Example: i, Got: got})
			}
		}
	}
	return misses
}
