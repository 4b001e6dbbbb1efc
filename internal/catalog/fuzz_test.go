package catalog

import (
	"bytes"
	"testing"
	"testing/fstest"

	"github.com/errorcanon/errorcanon/internal/canon"
)

// FuzzLoad loads an arbitrary entry file, as YAML and as JSON, and an
// arbitrary domain list, then checks the catalog with the quality rules:
// nothing panics, and what loads without problems has valid ids.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(good), []byte(domains))
	f.Add([]byte(`{"id":"python/key-error","domain":"python","regex":"(","examples":[1]}`), []byte(domains))
	f.Add([]byte("id: [\n"), []byte("domains: {}"))
	f.Add([]byte("&a [*a, *a]\n"), []byte("domains:\n  - id: ../x\n"))
	f.Add([]byte("id: python/x\n"+"tags: !!binary AAAA\n"), []byte(domains))
	f.Fuzz(func(t *testing.T, entry, doms []byte) {
		for _, name := range []string{"python/key-error.yaml", "python/key-error.json"} {
			fsys := fstest.MapFS{"domains.yaml": {Data: doms}, name: {Data: entry}}
			c, problems := LoadAll(fsys)
			if c == nil {
				t.Fatal("LoadAll returned no catalog")
			}
			ds := map[string]bool{}
			for _, d := range c.Domains {
				ds[d.ID] = true
			}
			for _, e := range c.Entries {
				_ = canon.Validate(e, ds)
			}
			_ = canon.ValidateCatalog(c.Entries)
			if len(problems) == 0 {
				for _, e := range c.Entries {
					if _, _, ok := canon.SplitID(e.ID); !ok {
						t.Errorf("entry with a bad id %q loaded without problems", e.ID)
					}
				}
			}
		}
	})
}

// FuzzSnapshot opens arbitrary bytes as a snapshot and decodes what it
// holds: nothing panics, and an opened snapshot's entries are those its
// head names or none.
func FuzzSnapshot(f *testing.F) {
	m := fstest.MapFS{"domains.yaml": {Data: []byte(domains)}, "python/key-error.yaml": {Data: []byte(good)}}
	var b bytes.Buffer
	if err := WriteSnapshot(&b, m, nil); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add(b.Bytes()[:len(b.Bytes())/2])
	f.Add([]byte(snapshotMagic()))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := openSnapshotData(string(data))
		if err != nil {
			return
		}
		for i := range s.Len() {
			if e := s.Entry(i); e != nil && e.ID != s.IDs()[i] {
				t.Fatalf("entry %d is %s, its head says %s", i, e.ID, s.IDs()[i])
			}
		}
		_, _, _ = s.Catalog()
		_ = s.Extra("x")
	})
}
