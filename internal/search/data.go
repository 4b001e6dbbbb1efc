// This file stores an Index as data and reads it back: the embedded
// catalog's index is made at go generate time and kept in the catalog
// snapshot, so a process that searches (errorcanon search, the MCP
// server, serve's first search) reads it instead of analyzing every
// entry's text (about a second of CPU for the shipped catalog).

package search

import (
	"errors"
	"fmt"
	"slices"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/flat"
)

// IndexExtra names the encoded index among a catalog snapshot's extras.
const IndexExtra = "search-index"

// dataVersion changes with the encoding or with how texts are analyzed
// and indexed: data of another version is refused (then Build).
const dataVersion = 1

type indexData struct {
	Version int
	IDs     []string // the entries indexed, sorted
	Fields  [nFields]fieldIndex
}

// Encode returns ix as data for FromData. The same entries give the same
// bytes.
func (ix *Index) Encode() ([]byte, error) {
	d := indexData{Version: dataVersion, Fields: ix.fields}
	for _, e := range ix.sorted {
		d.IDs = append(d.IDs, e.ID)
	}
	return flat.Marshal(&d)
}

// FromData returns the index data holds, which Encode made of the same
// entries (in any order; skipped as Build skips them). Data made of other
// entries or by another version is an error: Build the index then. The
// index's strings are pieces of data.
func FromData(data string, entries []*canon.Entry) (*Index, error) {
	var d indexData
	if err := flat.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("search: index data: %w", err)
	}
	if d.Version != dataVersion {
		return nil, fmt.Errorf("search: index data of version %d, not %d", d.Version, dataVersion)
	}
	ix := newIndex(entries)
	if len(d.IDs) != len(ix.sorted) {
		return nil, fmt.Errorf("search: index data of %d entries, not %d", len(d.IDs), len(ix.sorted))
	}
	for i, e := range ix.sorted {
		if d.IDs[i] != e.ID {
			return nil, fmt.Errorf("search: index data of other entries (%q, not %q)", d.IDs[i], e.ID)
		}
	}
	for f := range d.Fields {
		if err := d.Fields[f].check(len(ix.sorted), fieldDefs[f].positions); err != nil {
			return nil, fmt.Errorf("search: index data, field %d: %w", f, err)
		}
	}
	ix.fields = d.Fields
	for f := range ix.fields {
		ix.fields[f].skip2 = new(skipTable)
	}
	ix.facetTables()
	return ix, nil
}

// check reports whether fi is whole: every list as long as the others say
// and every number in range, so that searching it never reads out of
// bounds.
func (fi *fieldIndex) check(n int, positions bool) error {
	bad := errors.New("inconsistent lists")
	if len(fi.Lens) != n || len(fi.Start) != len(fi.Terms)+1 || len(fi.TFs) != len(fi.Docs) ||
		!slices.IsSorted(fi.Terms) || !slices.IsSorted(fi.Start) || fi.Start[0] != 0 || int(fi.Start[len(fi.Start)-1]) != len(fi.Docs) {
		return bad
	}
	for i := range fi.Terms {
		if i > 0 && fi.Terms[i] == fi.Terms[i-1] || fi.Start[i] == fi.Start[i+1] {
			return bad // a term twice, or held by no entry
		}
		for j := fi.Start[i] + 1; j < fi.Start[i+1]; j++ {
			if fi.Docs[j-1] >= fi.Docs[j] {
				return bad // postings out of entry order
			}
		}
	}
	for j, d := range fi.Docs {
		if d < 0 || int(d) >= n || fi.TFs[j] < 1 {
			return bad
		}
	}
	if positions {
		if len(fi.PosAt) != len(fi.Docs)+1 || !slices.IsSorted(fi.PosAt) || fi.PosAt[0] != 0 || int(fi.PosAt[len(fi.PosAt)-1]) != len(fi.Pos) {
			return bad
		}
	} else if len(fi.PosAt) != 0 || len(fi.Pos) != 0 {
		return bad
	}
	for _, l := range fi.Lens {
		if l < 0 {
			return bad
		}
	}
	if fi.AvgLen < 0 || fi.AvgLen != fi.AvgLen { // NaN
		return bad
	}
	return nil
}
