// Package flat encodes values of plain data types (bools, numbers,
// strings, and slices, arrays, maps, pointers and structs of them) in a
// compact binary form, and decodes them with every string a substring of
// the encoded data instead of a copy.
//
// It is how the catalog snapshot and the match plan are stored. gob, which
// they used before, reads each message into a new buffer and copies each
// string out of it: the shipped catalog's 7.5 MB of text was copied twice
// on every start. Decoded with flat from the binary's read-only data, the
// text is never copied and, in a process that answers one question, most
// of it is never even read; on the machines we measured, where each new
// page of memory costs several microseconds, untouched memory is the
// fastest start.
//
// The form carries no field names or types: data must be decoded into the
// type it was encoded from. Fingerprint names a type's shape so that a
// store of encoded values can refuse data of another shape.
package flat

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unsafe"
)

// Marshal returns the encoding of v.
func Marshal(v any) ([]byte, error) { return Append(nil, v) }

// Append appends the encoding of v to b: of the value it points to when v
// is a pointer, so that what Unmarshal(data, &x) reads is what Append(b,
// x) or Append(b, &x) wrote. Map entries are written in key order, so
// equal values give equal bytes.
func Append(b []byte, v any) ([]byte, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return b, fmt.Errorf("flat: Append of a nil %T", v)
		}
		rv = rv.Elem()
	}
	c, err := codecOf(rv.Type())
	if err != nil {
		return b, err
	}
	e := &encoder{b: b}
	c.enc(e, rv)
	return e.b, nil
}

// Unmarshal decodes data into the value v points to, which must be of
// the type the data was encoded from. The strings it sets are substrings
// of data. It fails, without panicking, on data that ends early or says
// more than it holds, and when bytes are left over.
func Unmarshal(data string, v any) (err error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("flat: Unmarshal needs a non-nil pointer, got %T", v)
	}
	c, err := codecOf(rv.Type().Elem())
	if err != nil {
		return err
	}
	d := &decoder{data: data}
	defer func() {
		if r := recover(); r != nil {
			de, ok := r.(decodeError)
			if !ok {
				panic(r)
			}
			err = de
		}
	}()
	c.dec(d, rv.Elem())
	if d.off != len(d.data) {
		return fmt.Errorf("flat: %d bytes left over after a %s", len(d.data)-d.off, rv.Type().Elem())
	}
	return nil
}

// Fingerprint names the shape of t as flat encodes it: the kinds of its
// parts and the names of its structs' fields. Two types with the same
// fingerprint read each other's data; a changed field changes it.
func Fingerprint(t reflect.Type) string {
	var b strings.Builder
	shape(&b, t, map[reflect.Type]int{})
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:8])
}

func shape(b *strings.Builder, t reflect.Type, seen map[reflect.Type]int) {
	if n, ok := seen[t]; ok {
		fmt.Fprintf(b, "@%d", n)
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		b.WriteString("*")
		shape(b, t.Elem(), seen)
	case reflect.Slice:
		b.WriteString("[]")
		shape(b, t.Elem(), seen)
	case reflect.Array:
		fmt.Fprintf(b, "[%d]", t.Len())
		shape(b, t.Elem(), seen)
	case reflect.Map:
		b.WriteString("map[")
		shape(b, t.Key(), seen)
		b.WriteString("]")
		shape(b, t.Elem(), seen)
	case reflect.Struct:
		seen[t] = len(seen)
		b.WriteString("struct{")
		for _, f := range exported(t) {
			b.WriteString(f.Name + " ")
			shape(b, f.Type, seen)
			b.WriteString(";")
		}
		b.WriteString("}")
	default:
		b.WriteString(t.Kind().String())
	}
}

func exported(t reflect.Type) []reflect.StructField {
	var fs []reflect.StructField
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() {
			fs = append(fs, f)
		}
	}
	return fs
}

// A codec encodes and decodes the values of one type. Codecs are made
// once per type; a type that refers to itself finds its own codec in the
// cache, filled in before it is used.
type codec struct {
	enc func(*encoder, reflect.Value)
	dec func(*decoder, reflect.Value)
	min int // the fewest bytes a value takes, to bound lengths read
}

var codecs sync.Map // reflect.Type -> *codec

var buildMu sync.Mutex

func codecOf(t reflect.Type) (*codec, error) {
	if c, ok := codecs.Load(t); ok {
		return c.(*codec), nil
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	building := map[reflect.Type]*codec{}
	c, err := build(t, building, t.String())
	if err != nil {
		return nil, err
	}
	for t, c := range building {
		codecs.Store(t, c)
	}
	return c, nil
}

func build(t reflect.Type, building map[reflect.Type]*codec, path string) (*codec, error) {
	if c, ok := codecs.Load(t); ok {
		return c.(*codec), nil
	}
	if c, ok := building[t]; ok {
		return c, nil
	}
	c := &codec{}
	building[t] = c
	switch k := t.Kind(); k {
	case reflect.Bool:
		c.min = 1
		c.enc = func(e *encoder, v reflect.Value) {
			e.b = append(e.b, b2u(v.Bool()))
		}
		c.dec = func(d *decoder, v reflect.Value) {
			switch d.byte() {
			case 0:
				v.SetBool(false)
			case 1:
				v.SetBool(true)
			default:
				d.fail("a bool that is neither 0 nor 1")
			}
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		c.min = 1
		c.enc = func(e *encoder, v reflect.Value) { e.b = binary.AppendVarint(e.b, v.Int()) }
		c.dec = decodeNumber(k)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		c.min = 1
		c.enc = func(e *encoder, v reflect.Value) { e.b = binary.AppendUvarint(e.b, v.Uint()) }
		c.dec = decodeNumber(k)
	case reflect.Float32:
		c.min = 4
		c.enc = func(e *encoder, v reflect.Value) {
			e.b = binary.LittleEndian.AppendUint32(e.b, math.Float32bits(float32(v.Float())))
		}
		c.dec = decodeNumber(k)
	case reflect.Float64:
		c.min = 8
		c.enc = func(e *encoder, v reflect.Value) {
			e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(v.Float()))
		}
		c.dec = decodeNumber(k)
	case reflect.String:
		c.min = 1
		c.enc = func(e *encoder, v reflect.Value) {
			s := v.String()
			e.b = binary.AppendUvarint(e.b, uint64(len(s)))
			e.b = append(e.b, s...)
		}
		c.dec = func(d *decoder, v reflect.Value) { v.SetString(d.take(d.length(1))) }
	case reflect.Pointer:
		elem, err := build(t.Elem(), building, path)
		if err != nil {
			return nil, err
		}
		c.min = 1
		c.enc = func(e *encoder, v reflect.Value) {
			if v.IsNil() {
				e.b = append(e.b, 0)
				return
			}
			e.b = append(e.b, 1)
			elem.enc(e, v.Elem())
		}
		c.dec = func(d *decoder, v reflect.Value) {
			switch d.byte() {
			case 0:
				v.SetZero()
			case 1:
				p := reflect.New(t.Elem())
				elem.dec(d, p.Elem())
				v.Set(p)
			default:
				d.fail("a pointer mark that is neither 0 nor 1")
			}
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			// Bytes are copied: a []byte may be written to, the data not.
			c.min = 1
			c.enc = func(e *encoder, v reflect.Value) {
				if v.IsNil() {
					e.b = append(e.b, 0)
					return
				}
				e.b = binary.AppendUvarint(e.b, uint64(v.Len())+1)
				e.b = append(e.b, v.Bytes()...)
			}
			c.dec = func(d *decoder, v reflect.Value) {
				n, ok := d.sliceLen(1)
				if !ok {
					v.SetZero()
					return
				}
				b := reflect.MakeSlice(t, n, n)
				copy(b.Bytes(), d.take(n))
				v.Set(b)
			}
			break
		}
		elem, err := build(t.Elem(), building, path+"[]")
		if err != nil {
			return nil, err
		}
		c.min = 1
		c.enc = func(e *encoder, v reflect.Value) {
			if v.IsNil() {
				e.b = append(e.b, 0)
				return
			}
			e.b = binary.AppendUvarint(e.b, uint64(v.Len())+1)
			for i := range v.Len() {
				elem.enc(e, v.Index(i))
			}
		}
		set := elemSetter(t.Elem().Kind())
		c.dec = func(d *decoder, v reflect.Value) {
			n, ok := d.sliceLen(elem.min)
			if !ok {
				v.SetZero()
				return
			}
			s := reflect.MakeSlice(t, n, n)
			if set != nil {
				// Numbers and strings are decoded straight into the
				// slice's array: a reflective call per element was most
				// of the time of a plan's long arrays, and of the
				// snapshot head's lists of ids and files.
				base, size := s.UnsafePointer(), t.Elem().Size()
				for i := range n {
					set(d, unsafe.Add(base, uintptr(i)*size))
				}
			} else {
				for i := range n {
					elem.dec(d, s.Index(i))
				}
			}
			v.Set(s)
		}
	case reflect.Array:
		elem, err := build(t.Elem(), building, path+"[]")
		if err != nil {
			return nil, err
		}
		c.min = elem.min * t.Len()
		c.enc = func(e *encoder, v reflect.Value) {
			for i := range v.Len() {
				elem.enc(e, v.Index(i))
			}
		}
		c.dec = func(d *decoder, v reflect.Value) {
			for i := range v.Len() {
				elem.dec(d, v.Index(i))
			}
		}
	case reflect.Map:
		less, ok := keyOrder(t.Key())
		if !ok {
			return nil, fmt.Errorf("flat: %s: map keys of type %s cannot be ordered", path, t.Key())
		}
		key, err := build(t.Key(), building, path+"[key]")
		if err != nil {
			return nil, err
		}
		val, err := build(t.Elem(), building, path+"[]")
		if err != nil {
			return nil, err
		}
		c.min = 1
		c.enc = func(e *encoder, v reflect.Value) {
			if v.IsNil() {
				e.b = append(e.b, 0)
				return
			}
			keys := v.MapKeys()
			slices.SortFunc(keys, less)
			e.b = binary.AppendUvarint(e.b, uint64(len(keys))+1)
			for _, k := range keys {
				key.enc(e, k)
				val.enc(e, v.MapIndex(k))
			}
		}
		c.dec = func(d *decoder, v reflect.Value) {
			n, ok := d.sliceLen(key.min + val.min)
			if !ok {
				v.SetZero()
				return
			}
			m := reflect.MakeMapWithSize(t, n)
			k, x := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
			for range n {
				key.dec(d, k)
				val.dec(d, x)
				m.SetMapIndex(k, x)
			}
			if m.Len() != n {
				d.fail("a map with a key twice")
			}
			v.Set(m)
		}
	case reflect.Struct:
		type field struct {
			i int
			c *codec
		}
		var fields []field
		for _, f := range exported(t) {
			fc, err := build(f.Type, building, path+"."+f.Name)
			if err != nil {
				return nil, err
			}
			fields = append(fields, field{f.Index[0], fc})
			c.min += fc.min
		}
		c.enc = func(e *encoder, v reflect.Value) {
			for _, f := range fields {
				f.c.enc(e, v.Field(f.i))
			}
		}
		c.dec = func(d *decoder, v reflect.Value) {
			for _, f := range fields {
				f.c.dec(d, v.Field(f.i))
			}
		}
	default:
		return nil, fmt.Errorf("flat: %s: cannot encode a %s", path, k)
	}
	return c, nil
}

// decodeNumber is the decoder of a kind of number: it writes through the
// value's address, as the slices of numbers do (elemSetter). Every value
// a codec decodes into is addressable: it is reached from the pointer
// Unmarshal was given, or made with reflect.New.
func decodeNumber(k reflect.Kind) func(*decoder, reflect.Value) {
	set := elemSetter(k)
	return func(d *decoder, v reflect.Value) { set(d, v.Addr().UnsafePointer()) }
}

// elemSetter returns, for a kind of number or for strings, what decodes
// one into the memory p points to (a number's range checked; a string a
// piece of the data, as the string codec makes it); nil for other kinds.
func elemSetter(k reflect.Kind) func(d *decoder, p unsafe.Pointer) {
	switch k {
	case reflect.String:
		return func(d *decoder, p unsafe.Pointer) { *(*string)(p) = d.take(d.length(1)) }
	case reflect.Int:
		return setSigned[int](strconv.IntSize)
	case reflect.Int8:
		return setSigned[int8](8)
	case reflect.Int16:
		return setSigned[int16](16)
	case reflect.Int32:
		return setSigned[int32](32)
	case reflect.Int64:
		return setSigned[int64](64)
	case reflect.Uint:
		return setUnsigned[uint](strconv.IntSize)
	case reflect.Uint8:
		return setUnsigned[uint8](8)
	case reflect.Uint16:
		return setUnsigned[uint16](16)
	case reflect.Uint32:
		return setUnsigned[uint32](32)
	case reflect.Uint64:
		return setUnsigned[uint64](64)
	case reflect.Float32:
		return func(d *decoder, p unsafe.Pointer) { *(*float32)(p) = math.Float32frombits(uint32(d.fixed(4))) }
	case reflect.Float64:
		return func(d *decoder, p unsafe.Pointer) { *(*float64)(p) = math.Float64frombits(d.fixed(8)) }
	}
	return nil
}

func setSigned[T int | int8 | int16 | int32 | int64](bits uint) func(*decoder, unsafe.Pointer) {
	return func(d *decoder, p unsafe.Pointer) { *(*T)(p) = T(d.signed(bits)) }
}

func setUnsigned[T uint | uint8 | uint16 | uint32 | uint64](bits uint) func(*decoder, unsafe.Pointer) {
	return func(d *decoder, p unsafe.Pointer) { *(*T)(p) = T(d.unsigned(bits)) }
}

func b2u(b bool) byte {
	if b {
		return 1
	}
	return 0
}

func keyOrder(t reflect.Type) (func(a, b reflect.Value) int, bool) {
	switch t.Kind() {
	case reflect.String:
		return func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) }, true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(a, b reflect.Value) int { return cmp.Compare(a.Int(), b.Int()) }, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return func(a, b reflect.Value) int { return cmp.Compare(a.Uint(), b.Uint()) }, true
	case reflect.Bool:
		return func(a, b reflect.Value) int { return cmp.Compare(b2u(a.Bool()), b2u(b.Bool())) }, true
	}
	return nil, false
}

type encoder struct{ b []byte }

type decoder struct {
	data string
	off  int
}

// decodeError carries a decoding failure up to Unmarshal, which recovers
// it: the codecs are closures that cannot return one cheaply.
type decodeError struct{ error }

func (d *decoder) fail(what string) {
	panic(decodeError{fmt.Errorf("flat: at byte %d: %s", d.off, what)})
}

func (d *decoder) byte() byte {
	if d.off >= len(d.data) {
		d.fail("the data ends early")
	}
	b := d.data[d.off]
	d.off++
	return b
}

func (d *decoder) take(n int) string {
	if n < 0 || n > len(d.data)-d.off {
		d.fail("the data ends early")
	}
	s := d.data[d.off : d.off+n]
	d.off += n
	return s
}

// fixed reads an n-byte little-endian number.
func (d *decoder) fixed(n int) uint64 {
	s := d.take(n)
	var x uint64
	for i := n - 1; i >= 0; i-- {
		x = x<<8 | uint64(s[i])
	}
	return x
}

func (d *decoder) uvarint() uint64 {
	var x uint64
	for shift := uint(0); ; shift += 7 {
		b := d.byte()
		if shift == 63 && b > 1 {
			d.fail("a varint overflows 64 bits")
		}
		x |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return x
		}
	}
}

// signed reads a varint that must fit in bits bits.
func (d *decoder) signed(bits uint) int64 {
	x := d.varint()
	if bits < 64 && (x < -1<<(bits-1) || x >= 1<<(bits-1)) {
		d.fail(fmt.Sprintf("%d overflows int%d", x, bits))
	}
	return x
}

// unsigned reads a uvarint that must fit in bits bits.
func (d *decoder) unsigned(bits uint) uint64 {
	x := d.uvarint()
	if bits < 64 && x >= 1<<bits {
		d.fail(fmt.Sprintf("%d overflows uint%d", x, bits))
	}
	return x
}

func (d *decoder) varint() int64 {
	u := d.uvarint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}

// length reads a count of things that take at least min bytes each, and
// fails if the data left cannot hold them.
func (d *decoder) length(min int) int {
	n := d.uvarint()
	if n > uint64(len(d.data)-d.off) || min > 0 && n > uint64((len(d.data)-d.off)/min) {
		d.fail(fmt.Sprintf("a length of %d, more than the data holds", n))
	}
	if min == 0 && n > maxEmpty {
		d.fail(fmt.Sprintf("%d values of no size", n))
	}
	return int(n)
}

// maxEmpty bounds a slice of values that take no bytes (empty structs),
// which the data's length cannot.
const maxEmpty = 1 << 16

// sliceLen reads a slice's or map's length, stored plus one so that 0
// says nil.
func (d *decoder) sliceLen(min int) (int, bool) {
	n := d.uvarint()
	if n == 0 {
		return 0, false
	}
	n--
	if n > uint64(len(d.data)-d.off) && min > 0 || min > 0 && n > uint64((len(d.data)-d.off)/min) {
		d.fail(fmt.Sprintf("a length of %d, more than the data holds", n))
	}
	if min == 0 && n > maxEmpty {
		d.fail(fmt.Sprintf("%d values of no size", n))
	}
	return int(n), true
}
