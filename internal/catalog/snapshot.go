package catalog

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"path"

	"github.com/errorcanon/errorcanon/internal/canon"
)

// A snapshot is a loaded catalog, encoded: decoding it takes milliseconds
// where loading the YAML (decode, validate, derive) takes a few hundred, so
// the binary embeds one for its catalog and a command that answers one
// question starts at once. It records a hash of the files it was made
// from; LoadSnapshot refuses a snapshot whose files have changed since, so
// a stale one is never served (go generate ./catalog makes a fresh one,
// and a test fails while the embedded one is stale).

// SnapshotFile is the snapshot's name at the catalog's root.
const SnapshotFile = "snapshot.gob"

type snapshot struct {
	Source   string // SourceHash of the files it was made from
	Domains  []canon.Domain
	Entries  []*canon.Entry
	Files    []string // Files[i] is the file of Entries[i]
	Problems Problems
}

// SourceHash hashes what a catalog is loaded from: the domain list, the
// entry files and their golden files, by path. It runs on every start
// from the snapshot, so it streams each file through one buffer (no copy
// of the 12 MB catalog on the heap) into CRC-32C, which the CPU computes:
// it detects edits, not forgeries, and the embedded files are the
// binary's own.
func SourceHash(fsys fs.FS) (string, error) {
	h := crc32.New(crc32.MakeTable(crc32.Castagnoli))
	n := 0
	buf := make([]byte, 64<<10)
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !(p == DomainsFile || isEntryFile(p) || path.Ext(p) == canon.GoldenExt) {
			return nil
		}
		f, err := fsys.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		fmt.Fprintf(h, "%s\x00", p)
		m, err := io.CopyBuffer(struct{ io.Writer }{h}, struct{ io.Reader }{f}, buf)
		fmt.Fprintf(h, "\x00%d\x00", m)
		n++
		return err
	})
	return fmt.Sprintf("crc32c:%08x:%d", h.Sum32(), n), err
}

// WriteSnapshot loads the catalog in fsys and writes its snapshot to w.
func WriteSnapshot(w io.Writer, fsys fs.FS) error {
	src, err := SourceHash(fsys)
	if err != nil {
		return err
	}
	c, problems := Load(fsys)
	s := snapshot{Source: src, Domains: c.Domains, Entries: c.Entries, Problems: problems}
	for _, e := range c.Entries {
		s.Files = append(s.Files, c.Files[e.ID])
	}
	return gob.NewEncoder(w).Encode(&s)
}

// SnapshotSource returns the source hash a snapshot was made from.
func SnapshotSource(data []byte) (string, error) {
	var s snapshot
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&s); err != nil {
		return "", err
	}
	return s.Source, nil
}

// LoadSnapshot returns the catalog of fsys from its snapshot, and false
// when there is none or it was made from other files than fsys holds
// (then Load it). The catalog is the one Load returns, without the file
// lines of its entries' fields (Locate gives line 0): validate loads.
func LoadSnapshot(fsys fs.FS) (*Catalog, Problems, bool) {
	data, err := fs.ReadFile(fsys, SnapshotFile)
	if err != nil {
		return nil, nil, false
	}
	var s snapshot
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&s); err != nil || len(s.Files) != len(s.Entries) {
		return nil, nil, false
	}
	if src, err := SourceHash(fsys); err != nil || src != s.Source {
		return nil, nil, false
	}
	for _, e := range s.Entries {
		canon.NoNil(e)
	}
	c := &Catalog{Domains: s.Domains, Files: make(map[string]string, len(s.Entries))}
	c.index(s.Entries)
	for i, e := range s.Entries {
		c.Files[e.ID] = s.Files[i]
	}
	return c, s.Problems, true
}
