package match

import "encoding/binary"

// The plan's number lists are kept as strings of little-endian bytes.
// Package flat decodes a string as a piece of its input, so a plan read
// from the catalog snapshot uses these lists where they lie in the
// binary: nothing is decoded or allocated when a process starts, and a
// lookup touches only the pages it reads. Readers never trust a stored
// value as an index without checking it (a damaged plan must not panic).

// u32s is a list of uint32s.
type u32s string

func packU32s[T uint32 | int32](vs []T) u32s {
	b := make([]byte, 0, 4*len(vs))
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint32(b, uint32(v))
	}
	return u32s(b)
}

func (a u32s) len() int { return len(a) / 4 }

func (a u32s) at(i int) uint32 {
	s := a[4*i : 4*i+4]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// span returns piece i of a list cut at the ends a holds: [a[i-1], a[i])
// (from 0 for the first piece); ok is false when the ends are out of
// order or past limit, the list's length.
func (a u32s) span(i, limit int) (s, e int, ok bool) {
	if i > 0 {
		s = int(a.at(i - 1))
	}
	e = int(a.at(i))
	if s > e || e > limit {
		return 0, 0, false
	}
	return s, e, true
}

// whole reports whether a holds whole numbers only.
func (a u32s) whole() bool { return len(a)%4 == 0 }

// u16s is a list of uint16s.
type u16s string

func packU16s(vs []uint16) u16s {
	b := make([]byte, 0, 2*len(vs))
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint16(b, v)
	}
	return u16s(b)
}

func (a u16s) len() int { return len(a) / 2 }

func (a u16s) at(i int) uint16 {
	s := a[2*i : 2*i+2]
	return uint16(s[0]) | uint16(s[1])<<8
}

// ranges is a list of lists of int32s: list i is
// Items[Ends[i-1]:Ends[i]] (from 0 for the first).
type ranges struct {
	Ends  u32s
	Items u32s // int32s
}

func packRanges(lists [][]int32) ranges {
	var ends []uint32
	var items []int32
	for _, l := range lists {
		items = append(items, l...)
		ends = append(ends, uint32(len(items)))
	}
	return ranges{Ends: packU32s(ends), Items: packU32s(items)}
}

func (r ranges) len() int { return r.Ends.len() }

func (r ranges) whole() bool { return r.Ends.whole() && r.Items.whole() }

// bounds returns where list i lies in Items; an empty range when the
// stored ends are out of order or past the items.
func (r ranges) bounds(i int) (int, int) {
	s, e, _ := r.Ends.span(i, r.Items.len())
	return s, e
}

func (r ranges) item(j int) int32 { return int32(r.Items.at(j)) }

// unpack returns the lists, each a fresh slice (nil when empty, as
// appending builds them).
func (r ranges) unpack() [][]int32 {
	out := make([][]int32, r.len())
	for i := range out {
		s, e := r.bounds(i)
		for j := s; j < e; j++ {
			out[i] = append(out[i], r.item(j))
		}
	}
	return out
}
