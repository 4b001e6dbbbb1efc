package catalog

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"

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
	Extras   []Extra // sorted by name
}

// An Extra is data derived from the catalog that another package stores
// in the snapshot, such as the match index's plan: made once at go
// generate time instead of at every start. The catalog neither reads nor
// checks it; its maker does.
type Extra struct {
	Name string
	Data []byte
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

// WriteSnapshot loads the catalog in fsys and writes its snapshot to w,
// with the extras that extras derives from the catalog (nil for none).
// The same files and extras give the same bytes.
func WriteSnapshot(w io.Writer, fsys fs.FS, extras func(*Catalog) ([]Extra, error)) error {
	src, err := SourceHash(fsys)
	if err != nil {
		return err
	}
	c, problems := Load(fsys)
	s := snapshot{Source: src, Domains: c.Domains, Entries: c.Entries, Problems: problems}
	if extras != nil {
		if s.Extras, err = extras(c); err != nil {
			return err
		}
		slices.SortFunc(s.Extras, func(a, b Extra) int { return strings.Compare(a.Name, b.Name) })
	}
	for _, e := range c.Entries {
		s.Files = append(s.Files, c.Files[e.ID])
	}
	return gob.NewEncoder(w).Encode(&s)
}

// SameSnapshot reports whether two snapshots hold the same catalog and
// extras: made from the same files, with equal extras. (Their bytes may
// differ: gob writes maps, such as an entry's os_specific, in any order.)
func SameSnapshot(a, b []byte) bool {
	var x, y snapshot
	if gob.NewDecoder(bytes.NewReader(a)).Decode(&x) != nil || gob.NewDecoder(bytes.NewReader(b)).Decode(&y) != nil {
		return false
	}
	return x.Source == y.Source && slices.EqualFunc(x.Extras, y.Extras, func(p, q Extra) bool {
		return p.Name == q.Name && bytes.Equal(p.Data, q.Data)
	})
}

// LoadSnapshot returns the catalog of fsys from its snapshot, and false
// when there is none or it was made from other files than fsys holds
// (then Load it). The catalog is the one Load returns, without the file
// lines of its entries' fields (Locate gives line 0): validate loads.
func LoadSnapshot(fsys fs.FS) (*Catalog, Problems, bool) {
	// Decoded from the file as it is read: gob copies the message into
	// its buffer anyway, and a copy of 6 MB more costs its page faults.
	f, err := fsys.Open(SnapshotFile)
	if err != nil {
		return nil, nil, false
	}
	defer f.Close()
	var s snapshot
	if err := gob.NewDecoder(bufio.NewReaderSize(f, 64<<10)).Decode(&s); err != nil || len(s.Files) != len(s.Entries) {
		return nil, nil, false
	}
	if src, err := SourceHash(fsys); err != nil || src != s.Source {
		return nil, nil, false
	}
	for _, e := range s.Entries {
		canon.NoNil(e)
	}
	c := &Catalog{Domains: s.Domains, Files: make(map[string]string, len(s.Entries)), extras: s.Extras}
	c.index(s.Entries)
	for i, e := range s.Entries {
		c.Files[e.ID] = s.Files[i]
	}
	return c, s.Problems, true
}

// Extra returns the data stored under name in the snapshot the catalog
// was loaded from, or nil (a catalog loaded from its files has none).
func (c *Catalog) Extra(name string) []byte {
	for _, x := range c.extras {
		if x.Name == name {
			return x.Data
		}
	}
	return nil
}
