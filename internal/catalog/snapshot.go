package catalog

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/flat"
)

// A snapshot is a loaded catalog, encoded: decoding it takes milliseconds
// where loading the YAML (decode, validate, derive) takes a few hundred, so
// the binary embeds one for its catalog and a command that answers one
// question starts at once. It records a hash of the files it was made
// from; LoadSnapshot refuses a snapshot whose files have changed since, so
// a stale one is never served (go generate ./catalog makes a fresh one,
// and a test fails while the embedded one is stale).

// SnapshotFile is the snapshot's name at the catalog's root.
const SnapshotFile = "snapshot.bin"

// A snapshot file is
//
//	the magic line, the head's length (8 bytes, big-endian), the head,
//	the extras' data, one after the other, then the entries, one after
//	the other
//
// The head and each entry are encoded with package flat, so a snapshot
// held in memory (the binary's own, in its read-only data) decodes
// without copying its text: every string of every entry is a piece of
// it. An entry decodes alone, from where the head's Ends say, so a
// command that answers with two entries decodes two (OpenSnapshot)
// instead of all of them. The magic line names the shapes of the head and
// of an entry (flat.Fingerprint): a snapshot made by code whose entries
// had other fields is refused, not misread.
func snapshotMagic() string { return "errorcanon snapshot 3 " + snapshotShapes + "\n" }

// snapshotShapes are flat.Fingerprint of snapshotHead and of canon.Entry,
// written down rather than computed: walking the types and hashing them
// took half a millisecond of every process that opens the snapshot.
// TestSnapshotShapes fails, printing the new value, when either type
// changes.
const snapshotShapes = "59869d1f70bd1c09 86e6eb48bfd63819"

type snapshotHead struct {
	Source   string // SourceHash of the files it was made from
	Domains  []canon.Domain
	IDs      []string // sorted: IDs[i] is entry i's
	Files    []string // Files[i] is the file of entry i
	Problems Problems
	Extras   []extraRef // sorted by name; their data follows the head
	Ends     []int64    // Ends[i]: where entry i ends, from the first entry's start

	headLen int64 // the encoded head's length (not stored: flat skips unexported fields)
}

// extraRef places an extra's data after the head.
type extraRef struct {
	Name     string
	Off, Len int64
}

// dataStart is where the extras' data starts in the file; the entries
// follow them.
func (h *snapshotHead) dataStart() int64 { return int64(len(snapshotMagic())+8) + h.headLen }

func (h *snapshotHead) extrasLen() int64 {
	n := int64(0)
	for _, x := range h.Extras {
		n += x.Len
	}
	return n
}

func (h *snapshotHead) bodyLen() int64 {
	if len(h.Ends) == 0 {
		return 0
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
// The same files and extras give the same bytes.
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
	var body []byte
	for _, e := range c.Entries {
		if body, err = flat.Append(body, e); err != nil {
			return fmt.Errorf("%s: %w", e.ID, err)
		}
		h.IDs = append(h.IDs, e.ID)
		h.Files = append(h.Files, c.Files[e.ID])
		h.Ends = append(h.Ends, int64(len(body)))
	}
	head, err := flat.Marshal(&h)
	if err != nil {
		return err
	}
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(head)))
	for _, b := range [][]byte{[]byte(snapshotMagic()), n[:], head, data.Bytes(), body} {
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// SameSnapshot reports whether two snapshots hold the same catalog and
// extras: made from the same files, with equal extras.
func SameSnapshot(a, b []byte) bool {
	x, err1 := openSnapshotData(string(a))
	y, err2 := openSnapshotData(string(b))
	if err1 != nil || err2 != nil || x.head.Source != y.head.Source || len(x.head.Extras) != len(y.head.Extras) {
		return false
	}
	for i, p := range x.head.Extras {
		if q := y.head.Extras[i]; p.Name != q.Name || x.Extra(p.Name) != y.Extra(q.Name) {
			return false
		}
	}
	return true
}

// readHead reads the head at the start of a snapshot; the extras' data
// and the entries follow it, at dataStart(h).
func readHead(data string) (*snapshotHead, error) {
	magic := snapshotMagic()
	if !strings.HasPrefix(data, magic) || len(data) < len(magic)+8 {
		return nil, errors.New("not a snapshot of this version")
	}
	n := binary.BigEndian.Uint64([]byte(data[len(magic) : len(magic)+8]))
	if n > uint64(len(data)-len(magic)-8) {
		return nil, errors.New("snapshot head longer than the snapshot")
	}
	h := &snapshotHead{headLen: int64(n)}
	from := len(magic) + 8
	if err := flat.Unmarshal(data[from:from+int(n)], h); err != nil {
		return nil, err
	}
	if len(h.Files) != len(h.IDs) || len(h.Ends) != len(h.IDs) ||
		!slices.IsSorted(h.IDs) || !slices.IsSorted(h.Ends) || len(h.Ends) > 0 && h.Ends[0] < 0 {
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
	head   *snapshotHead
	extras string // the extras' data
	body   string // the entries
	mu     sync.Mutex
	got    []*canon.Entry // entries decoded so far
}

// OpenSnapshot opens the snapshot of fsys, and returns false when there
// is none or it was made from other files than fsys holds (then Load it).
//
// When fsys has a method SnapshotData() string (the embedded catalog
// does), the snapshot is that string, used in place; otherwise it is read
// from the file SnapshotFile. The entries' strings are pieces of it.
func OpenSnapshot(fsys fs.FS) (*Snapshot, bool) {
	return openSnapshot(fsys, true)
}

// OpenSnapshotUnchecked is OpenSnapshot without the check that the
// snapshot was made from the files beside it: for an embedded catalog
// in a binary whose build proves the two were made together.
func OpenSnapshotUnchecked(fsys fs.FS) (*Snapshot, bool) {
	return openSnapshot(fsys, false)
}

// A SnapshotFS holds its snapshot in memory, as a string.
type SnapshotFS interface {
	fs.FS
	SnapshotData() string
}

func openSnapshot(fsys fs.FS, check bool) (*Snapshot, bool) {
	var data string
	if sf, ok := fsys.(SnapshotFS); ok {
		data = sf.SnapshotData()
	} else {
		b, err := fs.ReadFile(fsys, SnapshotFile)
		if err != nil {
			return nil, false
		}
		// b is this function's alone and never written again: the string
		// can share it.
		data = unsafe.String(unsafe.SliceData(b), len(b))
	}
	s, err := openSnapshotData(data)
	if err == nil && check {
		if src, herr := SourceHash(fsys); herr != nil || src != s.head.Source {
			err = errors.New("stale")
		}
	}
	if err != nil {
		return nil, false
	}
	return s, true
}

// openSnapshotData opens the snapshot data holds.
func openSnapshotData(data string) (*Snapshot, error) {
	h, err := readHead(data)
	if err != nil {
		return nil, err
	}
	start := h.dataStart()
	if start+h.extrasLen()+h.bodyLen() != int64(len(data)) {
		return nil, errors.New("snapshot cut short or too long")
	}
	body := start + h.extrasLen()
	return &Snapshot{head: h,
		extras: data[start:body],
		body:   data[body:],
		got:    make([]*canon.Entry, len(h.IDs))}, nil
}

// Len returns the number of entries.
func (s *Snapshot) Len() int { return len(s.head.IDs) }

// IDs returns the entries' ids, sorted; entry i has IDs()[i]. The slice
// is shared: do not change it.
func (s *Snapshot) IDs() []string { return s.head.IDs }

// Problems returns the problems found when the snapshot was made.
func (s *Snapshot) Problems() Problems { return s.head.Problems }

// Extra returns the data stored under name, or "" if there is none. It is
// a piece of the snapshot, not a copy.
func (s *Snapshot) Extra(name string) string {
	for _, x := range s.head.Extras {
		if x.Name == name {
			return s.extras[x.Off : x.Off+x.Len]
		}
	}
	return ""
}

// entryData returns entry i's encoding.
func (s *Snapshot) entryData(i int) string {
	from := int64(0)
	if i > 0 {
		from = s.head.Ends[i-1]
	}
	return s.body[from:s.head.Ends[i]]
}

// decode decodes entry i, or returns nil if it does not decode (a
// snapshot is written whole or not at all, so only a damaged one).
func (s *Snapshot) decode(i int) *canon.Entry {
	e := new(canon.Entry)
	if flat.Unmarshal(s.entryData(i), e) != nil || e.ID != s.head.IDs[i] {
		return nil
	}
	canon.NoNil(e)
	return e
}

// Entry returns entry i, decoded on first use; nil if it cannot be read.
func (s *Snapshot) Entry(i int) *canon.Entry {
	if i < 0 || i >= len(s.got) {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.got[i]; e != nil {
		return e
	}
	e := s.decode(i)
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

// Catalog decodes every entry and returns the catalog, or false if an
// entry does not decode.
func (s *Snapshot) Catalog() (*Catalog, Problems, bool) {
	h := s.head
	entries := make([]*canon.Entry, len(h.IDs))
	s.mu.Lock()
	defer s.mu.Unlock()
	// The entries decode independently: one goroutine per CPU, each on
	// its own stretch, so that a start that decodes them all (serve)
	// waits for the slowest stretch, not for the sum.
	workers := min(runtime.GOMAXPROCS(0), 1+len(entries)/200)
	var bad atomic.Bool
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w * len(entries) / workers; i < (w+1)*len(entries)/workers; i++ {
				e := s.got[i]
				if e == nil {
					if e = s.decode(i); e == nil {
						bad.Store(true)
						return
					}
					s.got[i] = e
				}
				entries[i] = e
			}
		})
	}
	wg.Wait()
	if bad.Load() {
		return nil, nil, false
	}
	c := &Catalog{Domains: h.Domains, Files: make(map[string]string, len(entries))}
	for _, x := range h.Extras {
		c.extras = append(c.extras, snapshotExtra{x.Name, s.Extra(x.Name)})
	}
	c.index(entries)
	for i, e := range entries {
		c.Files[e.ID] = h.Files[i]
	}
	return c, h.Problems, true
}

// snapshotExtra is an extra of the snapshot a catalog was loaded from.
type snapshotExtra struct{ name, data string }

// LoadSnapshot returns the catalog of fsys from its snapshot, and false
// when there is none or it was made from other files than fsys holds
// (then Load it). The catalog is the one Load returns, without the file
// lines of its entries' fields (Locate gives line 0): validate loads.
func LoadSnapshot(fsys fs.FS) (*Catalog, Problems, bool) {
	s, ok := OpenSnapshot(fsys)
	if !ok {
		return nil, nil, false
	}
	return s.Catalog()
}

// Extra returns the data stored under name in the snapshot the catalog
// was loaded from, or "" (a catalog loaded from its files has none). It
// is a piece of the snapshot, not a copy.
func (c *Catalog) Extra(name string) string {
	for _, x := range c.extras {
		if x.name == name {
			return x.data
		}
	}
	return ""
}
