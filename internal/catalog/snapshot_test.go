package catalog

import (
	"bytes"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	catalogdata "github.com/errorcanon/errorcanon/catalog"
	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/flat"
)

// The embedded snapshot is fresh and holds exactly what loading the files
// gives: the binary serves the same catalog either way.
func TestEmbeddedSnapshotFresh(t *testing.T) {
	want, wantProblems := Load(catalogdata.FS)
	got, gotProblems, ok := LoadSnapshot(catalogdata.FS)
	if !ok {
		t.Fatalf("catalog/%s is missing or stale: run go generate ./catalog and commit it", SnapshotFile)
	}
	if !reflect.DeepEqual(got.Domains, want.Domains) || !reflect.DeepEqual(got.Files, want.Files) {
		t.Errorf("domains or files differ")
	}
	if !reflect.DeepEqual(gotProblems, wantProblems) {
		t.Errorf("problems %v, want %v", gotProblems, wantProblems)
	}
	if len(got.Entries) != len(want.Entries) {
		t.Fatalf("%d entries, want %d", len(got.Entries), len(want.Entries))
	}
	for i := range want.Entries {
		if !reflect.DeepEqual(got.Entries[i], want.Entries[i]) {
			t.Errorf("%s differs from its file", want.Entries[i].ID)
		}
	}
}

// A snapshot of other files than those beside it is refused, so an edit
// made since go generate is never hidden by the snapshot. The catalog is
// the shipped domain list and git's entries: loading the whole catalog
// again would add seconds and test nothing more.
func TestSnapshotRefusedWhenStale(t *testing.T) {
	m := fstest.MapFS{}
	err := fs.WalkDir(catalogdata.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (p != DomainsFile && !strings.HasPrefix(p, "git/")) {
			return err
		}
		b, err := fs.ReadFile(catalogdata.FS, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteSnapshot(&b, m, nil); err != nil {
		t.Fatal(err)
	}
	m[SnapshotFile] = &fstest.MapFile{Data: b.Bytes()}
	if _, _, ok := LoadSnapshot(m); !ok {
		t.Fatal("a fresh snapshot was refused")
	}
	f := m["git/not-a-git-repository.yaml"]
	f.Data = bytes.Replace(f.Data, []byte("confidence: 0.85"), []byte("confidence: 0.8"), 1)
	if _, _, ok := LoadSnapshot(m); ok {
		t.Error("a snapshot older than an entry's file was used")
	}
	m[SnapshotFile] = &fstest.MapFile{Data: []byte("not a snapshot")}
	if _, _, ok := LoadSnapshot(m); ok {
		t.Error("a corrupt snapshot was used")
	}
}

// An entry decoded alone (the prelude, then its own message) is the entry
// the whole catalog's decoding gives, for every entry: a command that
// answers with two entries decodes two and sees what serve serves.
func TestSnapshotEntryAlone(t *testing.T) {
	s, ok := OpenSnapshot(catalogdata.FS)
	if !ok {
		t.Fatalf("catalog/%s is missing or stale: run go generate ./catalog", SnapshotFile)
	}
	c, _, ok := s.Catalog()
	if !ok {
		t.Fatal("the snapshot's body does not decode")
	}
	if s.Len() != len(c.Entries) || s.Len() == 0 {
		t.Fatalf("%d ids, %d entries", s.Len(), len(c.Entries))
	}
	// Backwards, so no entry is decoded after its neighbour by chance.
	for i := s.Len() - 1; i >= 0; i-- {
		e := s.Entry(i)
		if e == nil || !reflect.DeepEqual(e, c.Entries[i]) {
			t.Fatalf("entry %d (%s) decoded alone differs from the catalog's", i, c.Entries[i].ID)
		}
		if s.EntryByID(e.ID) != e {
			t.Fatalf("EntryByID(%s) is not the entry decoded before", e.ID)
		}
	}
	if s.Entry(-1) != nil || s.Entry(s.Len()) != nil || s.EntryByID("no/such-entry") != nil {
		t.Error("an entry out of range was found")
	}
	if s.Extra("no-such-extra") != "" {
		t.Error("an extra that is not there was found")
	}
}

// A damaged snapshot is refused whole, never half read: cut short, or with
// its head's lengths wrong.
func TestSnapshotDamaged(t *testing.T) {
	data, err := fs.ReadFile(catalogdata.FS, SnapshotFile)
	if err != nil {
		t.Fatal(err)
	}
	magic := snapshotMagic()
	for name, b := range map[string][]byte{
		"cut short":   data[:len(data)-100],
		"no body":     data[:len(magic)+8+100],
		"other magic": append([]byte("errorcanon snapshot 2\n"), data[len(magic):]...),
		"other shape": append([]byte(magic[:strings.LastIndexByte(magic, ' ')+1]+"0123456789abcdef\n"), data[len(magic):]...),
		"huge head":   append(append([]byte(magic), 0xff, 0, 0, 0, 0, 0, 0, 0), data[len(magic)+8:]...),
		"longer":      append(slices.Clone(data), 0),
		"empty":       nil,
	} {
		if _, ok := OpenSnapshotUnchecked(fstest.MapFS{SnapshotFile: {Data: b}}); ok {
			t.Errorf("%s: opened", name)
		}
	}
	if _, ok := OpenSnapshotUnchecked(fstest.MapFS{SnapshotFile: {Data: data}}); !ok {
		t.Error("the snapshot itself was refused")
	}
}

// snapshotShapes must name the types as they are: a snapshot of entries
// with other fields would otherwise be misread.
func TestSnapshotShapes(t *testing.T) {
	got := flat.Fingerprint(reflect.TypeFor[snapshotHead]()) + " " + flat.Fingerprint(reflect.TypeFor[canon.Entry]())
	if got != snapshotShapes {
		t.Errorf("snapshotShapes = %q, but the types are %q now: set it so (then go generate ./catalog)", snapshotShapes, got)
	}
}
