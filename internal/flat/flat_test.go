package flat

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"testing/quick"
	"unsafe"
)

type inner struct {
	Name  string
	Note  *string
	Rates []float64
}

type sample struct {
	B       bool
	I       int
	I8      int8
	I64     int64
	U16     uint16
	U32     uint32
	F32     float32
	F64     float64
	S       string
	Strs    []string
	Bytes   []byte
	Arr     [3]int32
	Ptr     *inner
	Inners  []inner
	Map     map[string]inner
	IntMap  map[int32][]string
	Nested  [][]int32
	Numbers numbers
}

// numbers has a slice of each kind of number, which decode on a path of
// their own.
type numbers struct {
	Ints    []int
	Int8s   []int8
	Int16s  []int16
	Int64s  []int64
	Uints   []uint
	Uint16s []uint16
	Uint32s []uint32
	Uint64s []uint64
	F32s    []float32
}

// TestRoundTrip: every value of a type that uses each kind decodes to
// itself, nil and empty slices and maps kept apart.
func TestRoundTrip(t *testing.T) {
	f := func(v sample) bool {
		b, err := Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var got sample
		if err := Unmarshal(string(b), &got); err != nil {
			t.Fatalf("%v\n%#v", err, v)
		}
		return reflect.DeepEqual(fixNaN(v), fixNaN(got))
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 500}); err != nil {
		t.Fatal(err)
	}
	for _, v := range []sample{
		{},
		{Strs: []string{}, Bytes: []byte{}, Map: map[string]inner{}, Inners: []inner{{}}, Nested: [][]int32{nil, {}}},
		{I: math.MinInt, I64: math.MaxInt64, F64: math.Inf(-1), S: "证书\x00\xff", Ptr: &inner{Note: new(string)}},
	} {
		b, err := Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var got sample
		if err := Unmarshal(string(b), &got); err != nil || !reflect.DeepEqual(v, got) {
			t.Errorf("%#v\ndecoded as %#v (%v)", v, got, err)
		}
	}
}

func fixNaN(v sample) sample {
	if v.F32 != v.F32 {
		v.F32 = 0
	}
	if v.F64 != v.F64 {
		v.F64 = 0
	}
	for i, f := range v.Numbers.F32s {
		if f != f {
			v.Numbers.F32s[i] = 0
		}
	}
	for _, in := range v.Inners {
		for i, f := range in.Rates {
			if f != f {
				in.Rates[i] = 0
			}
		}
	}
	return v
}

// TestStringsShareTheData: decoded strings point into the data, which is
// the point of the package; bytes are copied.
func TestStringsShareTheData(t *testing.T) {
	b, _ := Marshal(sample{S: "hello", Strs: []string{"a longer string"}, Bytes: []byte("raw")})
	data := string(b)
	var got sample
	if err := Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	within := func(s string) bool {
		p, lo := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(data)))
		return p >= lo && p+uintptr(len(s)) <= lo+uintptr(len(data))
	}
	if !within(got.S) || !within(got.Strs[0]) {
		t.Error("a decoded string is a copy")
	}
	bp := uintptr(unsafe.Pointer(unsafe.SliceData(got.Bytes)))
	if lo := uintptr(unsafe.Pointer(unsafe.StringData(data))); bp >= lo && bp < lo+uintptr(len(data)) {
		t.Error("decoded bytes share the data: writing to them would write to read-only memory")
	}
}

// TestDeterministic: maps are written in key order.
// TestPointerOrValue: Unmarshal(data, &x) reads what Append wrote of x
// or of &x.
func TestPointerOrValue(t *testing.T) {
	v := inner{Name: "n", Rates: []float64{0.5}}
	a, _ := Marshal(v)
	b, _ := Marshal(&v)
	if string(a) != string(b) {
		t.Fatal("a value and a pointer to it encode differently")
	}
	var got inner
	if err := Unmarshal(string(b), &got); err != nil || !reflect.DeepEqual(v, got) {
		t.Fatalf("%+v (%v)", got, err)
	}
	if _, err := Marshal((*inner)(nil)); err == nil {
		t.Error("a nil pointer encoded")
	}
}

func TestDeterministic(t *testing.T) {
	v := sample{Map: map[string]inner{}, IntMap: map[int32][]string{}}
	for i := range 50 {
		v.Map[strings.Repeat("k", i)] = inner{Name: "x"}
		v.IntMap[int32(i*7%50)] = []string{"y"}
	}
	first, _ := Marshal(v)
	for range 20 {
		if b, _ := Marshal(v); string(b) != string(first) {
			t.Fatal("the same value encoded to different bytes")
		}
	}
}

func TestBadData(t *testing.T) {
	good, _ := Marshal(sample{S: "hello", Strs: []string{"a", "b"}, Map: map[string]inner{"k": {}}})
	for i := range len(good) {
		var got sample
		if err := Unmarshal(string(good[:i]), &got); err == nil {
			t.Errorf("decoding the first %d of %d bytes: no error", i, len(good))
		}
	}
	var got sample
	if err := Unmarshal(string(good)+"x", &got); err == nil || !strings.Contains(err.Error(), "left over") {
		t.Errorf("a byte too many: %v", err)
	}
	huge := []byte{0} // B
	huge = append(huge, 0, 0, 0, 0, 0)
	huge = append(huge, make([]byte, 12)...)
	huge = append(huge, 0xff, 0xff, 0xff, 0xff, 0x0f) // S: a length of 4 GiB
	if err := Unmarshal(string(huge), &got); err == nil || !strings.Contains(err.Error(), "more than the data holds") {
		t.Errorf("a length past the end: %v", err)
	}
	if err := Unmarshal(string(good), got); err == nil {
		t.Error("Unmarshal into a non-pointer: no error")
	}
}

func TestUnexportedSkipped(t *testing.T) {
	type withPrivate struct {
		A       string
		private int
	}
	b, err := Marshal(withPrivate{A: "a", private: 7})
	if err != nil {
		t.Fatal(err)
	}
	var got withPrivate
	if err := Unmarshal(string(b), &got); err != nil || got != (withPrivate{A: "a"}) {
		t.Fatalf("%+v (%v)", got, err)
	}
}

func TestUnsupported(t *testing.T) {
	type withFunc struct{ F func() }
	type withAny struct{ A any }
	type floatKeys struct{ M map[float64]int }
	for _, v := range []any{withFunc{}, withAny{}, floatKeys{}, make(chan int)} {
		if _, err := Marshal(v); err == nil {
			t.Errorf("%T: no error", v)
		}
	}
}

func TestRecursive(t *testing.T) {
	type node struct {
		V    string
		Next *node
		Kids []node
	}
	v := node{V: "a", Next: &node{V: "b", Kids: []node{{V: "c"}}}}
	b, err := Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var got node
	if err := Unmarshal(string(b), &got); err != nil || !reflect.DeepEqual(v, got) {
		t.Fatalf("%+v (%v)", got, err)
	}
}

func TestFingerprint(t *testing.T) {
	type a struct {
		X string
		Y []int
	}
	type b struct {
		X string
		Y []int
		z bool // unexported: not encoded, not in the shape
	}
	type renamed struct {
		X string
		Z []int
	}
	type retyped struct {
		X string
		Y []int64
	}
	_ = b{}.z
	fa := Fingerprint(reflect.TypeFor[a]())
	if fb := Fingerprint(reflect.TypeFor[b]()); fb != fa {
		t.Errorf("same shape, fingerprints %s and %s", fa, fb)
	}
	for _, other := range []reflect.Type{reflect.TypeFor[renamed](), reflect.TypeFor[retyped](), reflect.TypeFor[*a]()} {
		if Fingerprint(other) == fa {
			t.Errorf("%s has the fingerprint of a", other)
		}
	}
}

func FuzzUnmarshal(f *testing.F) {
	good, _ := Marshal(sample{S: "x", Strs: []string{"a"}, Ptr: &inner{Name: "n"}, Map: map[string]inner{"k": {}}, Nested: [][]int32{{1}}})
	f.Add(good)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		var v sample
		if Unmarshal(string(data), &v) != nil {
			return
		}
		// What decodes encodes back to the same bytes, but for map order
		// and non-canonical varints, which decode too: check the value.
		b, err := Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var again sample
		if err := Unmarshal(string(b), &again); err != nil || !reflect.DeepEqual(fixNaN(v), fixNaN(again)) {
			t.Fatalf("re-encoding changed the value: %v", err)
		}
	})
}

// TestNumberOverflow: a number too large for its field's type, or for its
// slice's element type, is an error.
func TestNumberOverflow(t *testing.T) {
	type one struct{ X int64 }
	type small struct{ X int8 }
	b, _ := Marshal(one{X: 300})
	var sm small
	if err := Unmarshal(string(b), &sm); err == nil || !strings.Contains(err.Error(), "overflows") {
		t.Errorf("decoded %v (%v)", sm, err)
	}
	type wide struct{ X []int64 }
	type narrow struct{ X []int16 }
	b, _ = Marshal(wide{X: []int64{1, 1 << 20}})
	var n narrow
	if err := Unmarshal(string(b), &n); err == nil || !strings.Contains(err.Error(), "overflows") {
		t.Errorf("decoded %v (%v)", n, err)
	}
	type uwide struct{ X []uint64 }
	type unarrow struct{ X []uint16 }
	b, _ = Marshal(uwide{X: []uint64{1 << 17}})
	var u unarrow
	if err := Unmarshal(string(b), &u); err == nil || !strings.Contains(err.Error(), "overflows") {
		t.Errorf("decoded %v (%v)", u, err)
	}
	type ubyte struct{ X uint8 }
	b, _ = Marshal(struct{ X uint64 }{X: 256})
	var ub ubyte
	if err := Unmarshal(string(b), &ub); err == nil || !strings.Contains(err.Error(), "overflows") {
		t.Errorf("decoded %v (%v)", ub, err)
	}
}
