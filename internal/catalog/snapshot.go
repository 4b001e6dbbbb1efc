package catalog

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

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

// A snapshot file is
//
//	snapshotMagic, the head's length (8 bytes, big-endian), the head (gob),
//	the extras' data, one after the other, then the body
//
// The body is one gob stream: a prelude (the type definitions, sent with
// an empty entry) and then each entry's message, where the head's Ends
// say. Read in order it decodes the whole catalog as fast as one message
// would; an entry's own message, after the prelude, decodes that entry
// alone, so a command that answers with two entries decodes two
// (OpenSnapshot) instead of all of them. The extras are read only when
// asked for.
const snapshotMagic = "errorcanon snapshot 2\n"

type snapshotHead struct {
	Source   string // SourceHash of the files it was made from
	Domains  []canon.Domain
	IDs      []string // sorted: IDs[i] is entry i's
	Files    []string // Files[i] is the file of entry i
	Problems Problems
	Extras   []extraRef // sorted by name; their data follows the head
	Prelude  int64      // the prelude's length: entry 0 starts there
	Ends     []int64    // Ends[i]: where entry i's message ends, in the body

	headLen int64 // the encoded head's length (not stored: gob skips unexported fields)
}

// extraRef places an extra's data after the head.
type extraRef struct {
	Name     string
	Off, Len int64
}

// dataStart is where the extras' data starts in the file; the body
// follows them.
func (h *snapshotHead) dataStart() int64 { return int64(len(snapshotMagic)+8) + h.headLen }

func (h *snapshotHead) extrasLen() int64 {
	n := int64(0)
	for _, x := range h.Extras {
		n += x.Len
	}
	return n
}

func (h *snapshotHead) bodyLen() int64 {
	if len(h.Ends) == 0 {
		return h.Prelude
	}
	return h.Ends[len(h.Ends)-1]
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
// The same files and extras give the same catalog (the bytes may differ:
// gob writes maps, such as an entry's os_specific, in any order).
func WriteSnapshot(w io.Writer, fsys fs.FS, extras func(*Catalog) ([]Extra, error)) error {
	src, err := SourceHash(fsys)
	if err != nil {
		return err
	}
	c, problems := Load(fsys)
	h := snapshotHead{Source: src, Domains: c.Domains, Problems: problems}
	var xs []Extra
	if extras != nil {
		if xs, err = extras(c); err != nil {
			return err
		}
		slices.SortFunc(xs, func(a, b Extra) int { return strings.Compare(a.Name, b.Name) })
	}
	var data bytes.Buffer
	for _, x := range xs {
		h.Extras = append(h.Extras, extraRef{Name: x.Name, Off: int64(data.Len()), Len: int64(len(x.Data))})
		data.Write(x.Data)
	}
	var body bytes.Buffer
	enc := gob.NewEncoder(&body)
	if err := enc.Encode(&canon.Entry{}); err != nil {
		return err
	}
	h.Prelude = int64(body.Len())
	for _, e := range c.Entries {
		if err := enc.Encode(e); err != nil {
			return fmt.Errorf("%s: %w", e.ID, err)
		}
		h.IDs = append(h.IDs, e.ID)
		h.Files = append(h.Files, c.Files[e.ID])
		h.Ends = append(h.Ends, int64(body.Len()))
	}
	var head bytes.Buffer
	if err := gob.NewEncoder(&head).Encode(&h); err != nil {
		return err
	}
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(head.Len()))
	for _, b := range [][]byte{[]byte(snapshotMagic), n[:], head.Bytes(), data.Bytes(), body.Bytes()} {
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// SameSnapshot reports whether two snapshots hold the same catalog and
// extras: made from the same files, with equal extras.
func SameSnapshot(a, b []byte) bool {
	x, err1 := openSnapshotAt(bytes.NewReader(a), int64(len(a)))
	y, err2 := openSnapshotAt(bytes.NewReader(b), int64(len(b)))
	if err1 != nil || err2 != nil || x.head.Source != y.head.Source || len(x.head.Extras) != len(y.head.Extras) {
		return false
	}
	for i, p := range x.head.Extras {
		if q := y.head.Extras[i]; p.Name != q.Name || !bytes.Equal(x.Extra(p.Name), y.Extra(q.Name)) {
			return false
		}
	}
	return true
}

// readHead reads a snapshot's head; the extras' data and the body follow
// it, at dataStart(h).
func readHead(r io.Reader) (*snapshotHead, error) {
	var pre [len(snapshotMagic) + 8]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil || string(pre[:len(snapshotMagic)]) != snapshotMagic {
		return nil, errors.New("not a snapshot of this version")
	}
	n := binary.BigEndian.Uint64(pre[len(snapshotMagic):])
	if n > 64<<20 {
		return nil, errors.New("snapshot head too large")
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, err
	}
	h := &snapshotHead{headLen: int64(n)}
	if err := gob.NewDecoder(bytes.NewReader(buf)).Decode(h); err != nil {
		return nil, err
	}
	if len(h.Files) != len(h.IDs) || len(h.Ends) != len(h.IDs) || h.Prelude < 0 ||
		!slices.IsSorted(h.IDs) || !slices.IsSorted(h.Ends) || len(h.Ends) > 0 && h.Ends[0] < h.Prelude {
		return nil, errors.New("inconsistent snapshot head")
	}
	off := int64(0)
	for _, x := range h.Extras {
		if x.Off != off || x.Len < 0 {
			return nil, errors.New("inconsistent snapshot head")
		}
		off += x.Len
	}
	return h, nil
}

// A Snapshot is an opened snapshot of a catalog: its head is read, and
// its entries are decoded when asked for. Safe for concurrent use.
type Snapshot struct {
	head *snapshotHead
	data io.ReaderAt // the extras' data, from offset 0
	body io.ReaderAt // the body, from offset 0
	file io.Closer
	mu   sync.Mutex
	pre  []byte         // the prelude, once read
	got  []*canon.Entry // entries decoded so far
}

// OpenSnapshot opens the snapshot of fsys, and returns false when there
// is none or it was made from other files than fsys holds (then Load it).
func OpenSnapshot(fsys fs.FS) (*Snapshot, bool) {
	return openSnapshot(fsys, true)
}

// OpenSnapshotUnchecked is OpenSnapshot without the check that the
// snapshot was made from the files beside it: for an embedded catalog
// in a binary whose build proves the two were made together.
func OpenSnapshotUnchecked(fsys fs.FS) (*Snapshot, bool) {
	return openSnapshot(fsys, false)
}

func openSnapshot(fsys fs.FS, check bool) (*Snapshot, bool) {
	f, err := fsys.Open(SnapshotFile)
	if err != nil {
		return nil, false
	}
	st, err := f.Stat()
	ra, ok := f.(io.ReaderAt)
	if err != nil || !ok {
		// Every fs.FS this program opens (embed, os.DirFS, fstest) reads at
		// offsets; another one is loaded from its files.
		f.Close()
		return nil, false
	}
	s, err := openSnapshotAt(ra, st.Size())
	if err == nil && check {
		if src, herr := SourceHash(fsys); herr != nil || src != s.head.Source {
			err = errors.New("stale")
		}
	}
	if err != nil {
		f.Close()
		return nil, false
	}
	s.file = f
	return s, true
}

// openSnapshotAt opens the snapshot of size bytes that r reads.
func openSnapshotAt(r io.ReaderAt, size int64) (*Snapshot, error) {
	h, err := readHead(bufio.NewReader(io.NewSectionReader(r, 0, size)))
	if err != nil {
		return nil, err
	}
	start := h.dataStart()
	if start+h.extrasLen()+h.bodyLen() != size {
		return nil, errors.New("snapshot cut short or too long")
	}
	return &Snapshot{head: h,
		data: io.NewSectionReader(r, start, h.extrasLen()),
		body: io.NewSectionReader(r, start+h.extrasLen(), h.bodyLen()),
		got:  make([]*canon.Entry, len(h.IDs))}, nil
}

// Close closes the snapshot's file; entries not yet decoded are then nil.
func (s *Snapshot) Close() error {
	if s.file == nil {
		return nil
	}
	return s.file.Close()
}

// Len returns the number of entries.
func (s *Snapshot) Len() int { return len(s.head.IDs) }

// IDs returns the entries' ids, sorted; entry i has IDs()[i]. The slice
// is shared: do not change it.
func (s *Snapshot) IDs() []string { return s.head.IDs }

// Problems returns the problems found when the snapshot was made.
func (s *Snapshot) Problems() Problems { return s.head.Problems }

// Extra returns the data stored under name, read now, or nil.
func (s *Snapshot) Extra(name string) []byte {
	for _, x := range s.head.Extras {
		if x.Name == name {
			b, _ := s.readExtra(x)
			return b
		}
	}
	return nil
}

func (s *Snapshot) readExtra(x extraRef) ([]byte, error) {
	b := make([]byte, x.Len)
	if x.Len == 0 {
		return b, nil // ReadAt at the section's end says EOF, even for nothing
	}
	_, err := s.data.ReadAt(b, x.Off)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// Entry returns entry i, decoded on first use; nil if it cannot be read
// (a snapshot is written whole or not at all, so only a damaged file
// gives nil).
func (s *Snapshot) Entry(i int) *canon.Entry {
	if i < 0 || i >= len(s.got) {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.got[i]; e != nil {
		return e
	}
	if s.pre == nil {
		pre := make([]byte, s.head.Prelude)
		if _, err := s.body.ReadAt(pre, 0); err != nil {
			return nil
		}
		s.pre = pre
	}
	from := s.head.Prelude
	if i > 0 {
		from = s.head.Ends[i-1]
	}
	buf := make([]byte, int64(len(s.pre))+s.head.Ends[i]-from)
	copy(buf, s.pre)
	if _, err := s.body.ReadAt(buf[len(s.pre):], from); err != nil {
		return nil
	}
	dec := gob.NewDecoder(bytes.NewReader(buf))
	e := new(canon.Entry)
	if dec.Decode(new(canon.Entry)) != nil || dec.Decode(e) != nil || e.ID != s.head.IDs[i] {
		return nil
	}
	canon.NoNil(e)
	s.got[i] = e
	return e
}

// EntryByID returns the entry with the given id, or nil.
func (s *Snapshot) EntryByID(id string) *canon.Entry {
	if i, ok := slices.BinarySearch(s.head.IDs, id); ok {
		return s.Entry(i)
	}
	return nil
}

// Catalog decodes every entry (in one pass over the body) and returns
// the catalog, or false if the body cannot be read.
func (s *Snapshot) Catalog() (*Catalog, Problems, bool) {
	h := s.head
	dec := gob.NewDecoder(bufio.NewReaderSize(io.NewSectionReader(s.body, 0, h.bodyLen()), 64<<10))
	if dec.Decode(new(canon.Entry)) != nil {
		return nil, nil, false
	}
	entries := make([]*canon.Entry, len(h.IDs))
	for i := range entries {
		e := new(canon.Entry)
		if dec.Decode(e) != nil || e.ID != h.IDs[i] {
			return nil, nil, false
		}
		canon.NoNil(e)
		entries[i] = e
	}
	c := &Catalog{Domains: h.Domains, Files: make(map[string]string, len(entries))}
	for _, x := range h.Extras {
		data, err := s.readExtra(x)
		if err != nil {
			return nil, nil, false
		}
		c.extras = append(c.extras, Extra{Name: x.Name, Data: data})
	}
	c.index(entries)
	for i, e := range entries {
		c.Files[e.ID] = h.Files[i]
	}
	return c, h.Problems, true
}

// LoadSnapshot returns the catalog of fsys from its snapshot, and false
// when there is none or it was made from other files than fsys holds
// (then Load it). The catalog is the one Load returns, without the file
// lines of its entries' fields (Locate gives line 0): validate loads.
func LoadSnapshot(fsys fs.FS) (*Catalog, Problems, bool) {
	s, ok := OpenSnapshot(fsys)
	if !ok {
		return nil, nil, false
	}
	defer s.Close()
	return s.Catalog()
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
