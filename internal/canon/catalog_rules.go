package canon

// This file holds the rules that span entries (ValidateCatalog).

import "fmt"

// ValidateCatalog checks the rules that span entries: unique ids, unique
// regex and signature (rule 4), and related ids that exist.
func ValidateCatalog(entries []*Entry) []Problem {
	var ps []Problem
	byID := make(map[string]*Entry, len(entries))
	regexes := map[string]string{}
	sigs := map[string]string{}
	for _, e := range entries {
		if _, dup := byID[e.ID]; dup {
			ps = append(ps, Problem{ID: e.ID, Field: "id", Msg: "is used by another entry"})
		}
		byID[e.ID] = e
		if other, dup := regexes[e.Regex]; dup && e.Regex != "" {
			ps = append(ps, Problem{ID: e.ID, Field: "regex", Msg: "is the same as " + other + "'s; merge them or tell them apart"})
		} else {
			regexes[e.Regex] = e.ID
		}
		if other, dup := sigs[e.Signature]; dup && e.Signature != "" {
			ps = append(ps, Problem{ID: e.ID, Field: "signature", Msg: "is the same as " + other + "'s; merge them or tell them apart"})
		} else {
			sigs[e.Signature] = e.ID
		}
	}
	for _, e := range entries {
		check := func(field, id string) {
			switch {
			case id == e.ID:
				ps = append(ps, Problem{ID: e.ID, Field: field, Msg: "links the entry to itself"})
			case byID[id] == nil:
				ps = append(ps, Problem{ID: e.ID, Field: field, Msg: fmt.Sprintf("%q is not in the catalog", id)})
			}
		}
		for i, l := range e.Related.LeadsTo {
			check(fmt.Sprintf("related.leads_to[%d].id", i), l.ID)
		}
		for i, l := range e.Related.PrecededBy {
			check(fmt.Sprintf("related.preceded_by[%d].id", i), l.ID)
		}
		for i, l := range e.Related.ConfusedWith {
			check(fmt.Sprintf("related.confused_with[%d].id", i), l.ID)
		}
	}
	return ps
}
