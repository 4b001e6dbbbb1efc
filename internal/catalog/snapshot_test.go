package catalog

import (
	"bytes"
	"io/fs"
	"reflect"
	"testing"
	"testing/fstest"

	catalogdata "github.com/errorcanon/errorcanon/catalog"
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
// made since go generate is never hidden by the snapshot.
func TestSnapshotRefusedWhenStale(t *testing.T) {
	m := fstest.MapFS{}
	err := fs.WalkDir(catalogdata.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
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
	m[SnapshotFile] = &fstest.MapFile{Data: []byte("not gob")}
	if _, _, ok := LoadSnapshot(m); ok {
		t.Error("a corrupt snapshot was used")
	}
}
