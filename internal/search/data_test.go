package search

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	catalogdata "github.com/errorcanon/errorcanon/catalog"
	"github.com/errorcanon/errorcanon/internal/catalog"
)

// An index read back from its data answers every query as the index
// that was encoded, scores and snippets included.
func TestDataRoundTrip(t *testing.T) {
	es := testEntries()
	built := build(t, es)
	data, err := built.Encode()
	if err != nil {
		t.Fatal(err)
	}
	rev := slices.Clone(es)
	slices.Reverse(rev)
	read, err := FromData(string(data), rev)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := read.Encode(); string(again) != string(data) {
		t.Fatal("the index read back encodes to other bytes")
	}
	for _, q := range []Query{{Text: "lock file"}, {Text: "锁"}, {Text: "permision", Lang: "en"}, {Text: "连接", Lang: "zh"},
		{}, {Text: "npm", Domain: "node"}, {Text: "connection refused econnrefused"}} {
		a, err1 := built.Search(context.Background(), q)
		b, err2 := read.Search(context.Background(), q)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%+v: read back %+v, built %+v", q, b, a)
		}
	}
}

// Data of other entries, or of another version, is refused.
func TestDataRefused(t *testing.T) {
	es := testEntries()
	data, err := build(t, es).Encode()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := FromData(string(data), es[1:]); err == nil || !strings.Contains(err.Error(), "entries") {
		t.Errorf("fewer entries: %v", err)
	}
	other := slices.Clone(es)
	cp := *other[0]
	cp.ID = "node/zzz"
	other[0] = &cp
	if _, err := FromData(string(data), other); err == nil || !strings.Contains(err.Error(), "other entries") {
		t.Errorf("other entries: %v", err)
	}
	if _, err := FromData(string(data[:len(data)/2]), es); err == nil {
		t.Error("half the data read")
	}
}

// The index in the embedded snapshot is the one this code makes of the
// shipped catalog: a change to analysis or indexing needs go generate
// ./catalog (and a new dataVersion when the encoding changes).
func TestEmbeddedIndexFresh(t *testing.T) {
	c, _, ok := catalog.LoadSnapshot(catalogdata.FS)
	if !ok {
		t.Fatal("stale snapshot: go generate ./catalog")
	}
	data := c.Extra(IndexExtra)
	if data == "" {
		t.Fatal("the snapshot has no search index: go generate ./catalog")
	}
	read, err := FromData(data, c.Entries)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := read.Encode()
	want, err := shippedIndex(t).Encode()
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatal("the snapshot's search index is stale: go generate ./catalog")
	}
}

// Damaged data is an error or an index that searches without panicking.
func FuzzFromData(f *testing.F) {
	es := testEntries()
	ix, err := Build(es)
	if err != nil {
		f.Fatal(err)
	}
	data, err := ix.Encode()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(data[:len(data)-7])
	f.Fuzz(func(t *testing.T, b []byte) {
		read, err := FromData(string(b), es)
		if err != nil {
			return
		}
		for _, q := range []Query{{Text: "lock file"}, {Text: "锁 连接"}, {Text: "permision denied", Lang: "en"}, {Text: "index lock", Lang: "zh"}} {
			if _, err := read.Search(context.Background(), q); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// typoCandidates misses no term within one edit that keeps the first
// character: checked against every term of the shipped index's typo
// fields for words of the catalog, typos of them and short words.
func TestTypoCandidatesComplete(t *testing.T) {
	ix := shippedIndex(t)
	words := []string{"a", "ab", "x", "permission", "permision", "permisssion", "pemission", "connect", "conect",
		"refus", "timeout", "tiemout", "pxrmission", "pxermission", "prmission", "cnnect", "锁", "锁文", "文件", "modul", "mdoul", "é", "éa"}
	// The fields typo-tolerant words are searched in, as clauses says.
	var fields []int
	for _, c := range (&terms{}).clauses(&word{en: "w", fuzzy: true}) {
		if c.kind == fuzzy {
			fields = append(fields, c.field)
		}
	}
	if len(fields) == 0 {
		t.Fatal("no field takes typos")
	}
	for _, f := range fields {
		fi := &ix.fields[f]
		for i, term := range fi.Terms {
			if i%97 == 0 && len(words) < 400 {
				words = append(words, term, term[:len(term)-1]+"q")
			}
		}
		for _, w := range words {
			got := map[int]int{}
			fi.typoCandidates(w, func(t int) { got[t]++ })
			first, _ := utf8.DecodeRuneInString(w)
			for i, term := range fi.Terms {
				if r, _ := utf8.DecodeRuneInString(term); r == first && withinOneEdit(w, term) && got[i] == 0 {
					t.Errorf("field %d, %q: %q is within one edit but not a candidate", f, w, term)
				}
			}
			for i, n := range got {
				if n > 1 {
					t.Errorf("field %d, %q: %q a candidate %d times", f, w, fi.Terms[i], n)
				}
			}
		}
	}
}
