package match

import (
	"slices"
	"testing"

	"github.com/errorcanon/errorcanon/internal/canon"
)

func TestPackedRoundTrip(t *testing.T) {
	for _, lists := range [][][]int32{
		nil,
		{nil},
		{{1, 2, 3}, nil, {-7}, {0, 1 << 30, -(1 << 31)}},
	} {
		r := packRanges(lists)
		if got := r.unpack(); !slices.EqualFunc(got, lists, slices.Equal[[]int32]) || len(got) != len(lists) {
			t.Errorf("packRanges(%v).unpack() = %v", lists, got)
		}
	}
	vs := []uint32{0, 1, 255, 256, 1<<32 - 1}
	p := packU32s(vs)
	for i, v := range vs {
		if p.at(i) != v {
			t.Errorf("packU32s: at(%d) = %d, want %d", i, p.at(i), v)
		}
	}
	hs := []uint16{0, 1, 1<<16 - 1}
	q := packU16s(hs)
	for i, v := range hs {
		if q.at(i) != v {
			t.Errorf("packU16s: at(%d) = %d, want %d", i, q.at(i), v)
		}
	}
}

// Counts whose stored values are out of order or out of range (a damaged
// plan) find nothing where they are wrong, and never panic.
func TestCountsDamaged(t *testing.T) {
	good := countTerms([]*canon.Entry{{Signature: "connection refused"}, {Signature: "connection reset by peer"}})
	if s, e := good.postings("connection"); e-s != 2 {
		t.Fatalf("connection: %d postings, want 2", e-s)
	}
	bad := good
	bad.TermEnds = packU32s([]uint32{1 << 30, 0, 3, 2, 1, 0})[:good.TermEnds.len()*4]
	bad.Starts = packU32s(slices.Repeat([]uint32{1 << 31}, good.Starts.len()))
	bad.Docs = packU32s(slices.Repeat([]int32{-5}, good.Docs.len()))
	for _, tok := range []string{"connection", "refused", "peer", "zzz", ""} {
		if s, e := bad.postings(tok); s != e {
			t.Errorf("%q: postings [%d, %d) in damaged counts", tok, s, e)
		}
	}
	t2 := bm25From(good, []string{"a", "b"})
	t2.c.Docs = bad.Docs
	if hs := t2.search("connection refused", 5, ""); len(hs) != 0 {
		t.Errorf("search over documents out of range found %v", hs)
	}
	if s := t2.similarity("connection refused", 0); s != 0 {
		t.Errorf("similarity over documents out of range = %v", s)
	}
}

// FuzzPlanData: whatever the bytes, FromPlanData refuses them or gives an
// index that matches without panicking.
func FuzzPlanData(f *testing.F) {
	es := Synthetic(12, 1)
	data, err := BuildPlan(es).Encode()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(data[:len(data)/2])
	ids := entryIDs(es)
	entry := func(n int32) *canon.Entry { return es[n] }
	f.Fuzz(func(t *testing.T, b []byte) {
		ix, err := FromPlanData(string(b), ids, entry)
		if err != nil {
			return
		}
		for _, e := range es[:3] {
			for _, ex := range e.Examples {
				_, _ = ix.Match([]byte(ex+"\n"), Options{})
			}
		}
		_, _ = ix.Match([]byte("error: something else went wrong entirely\n"), Options{})
	})
}
