package match

import (
	"bytes"
	"encoding/binary"
	"math"
	"reflect"
	"slices"
	"sync"
	"testing"

	catalogdata "github.com/errorcanon/errorcanon/catalog"
	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/catalog"
)

// A plan survives its encoding, encodes the same way twice, and an index
// built from the decoded plan answers as Build's does.
func TestPlanRoundTrip(t *testing.T) {
	c, _, ok := catalog.LoadSnapshot(catalogdata.FS)
	if !ok {
		t.Fatal("stale snapshot: go generate ./catalog")
	}
	p := BuildPlan(c.Entries)
	b1, err := p.Encode()
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := BuildPlan(c.Entries).Encode()
	if !bytes.Equal(b1, b2) {
		t.Fatal("two plans of the same entries encode differently")
	}
	q, err := DecodePlan(string(b1))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p, q) {
		t.Fatal("the decoded plan differs")
	}
	fromPlan, err := FromPlan(q, c.Entries)
	if err != nil {
		t.Fatal(err)
	}
	built, _ := Build(c.Entries)
	// With their automatons: thousands of examples, which cold indexes
	// search pattern by pattern (TestDirectHitsEqualAutomaton checks
	// that both ways find the same).
	built.Warm()
	fromPlan.Warm()
	for _, e := range c.Entries {
		for _, ex := range e.Examples {
			a, _ := built.Match([]byte(ex), Options{Limit: 3})
			b, _ := fromPlan.Match([]byte(ex), Options{Limit: 3})
			if len(a) != len(b) {
				t.Fatalf("%s: %d results built, %d from the plan", e.ID, len(a), len(b))
			}
			for i := range a {
				// Scores sum over a map: equal up to the order of additions.
				if a[i].ID != b[i].ID || a[i].Kind != b[i].Kind || math.Abs(a[i].Score.Total-b[i].Score.Total) > 1e-9 {
					t.Fatalf("%s: result %d: %+v built, %+v from the plan", e.ID, i, a[i], b[i])
				}
			}
		}
	}
}

// A plan made from other entries, or by another version, is refused.
func TestPlanRefused(t *testing.T) {
	es := Synthetic(50, 1)
	p := BuildPlan(es)
	if _, err := FromPlan(p, es[1:]); err == nil {
		t.Error("a plan of other entries was used")
	}
	old := *p
	old.Version = PlanVersion - 1
	if _, err := FromPlan(&old, es); err == nil {
		t.Error("a plan of another version was used")
	}
	bad := *p
	bad.Owners = append([][]int32{{int32(len(p.Entries) + 5)}}, p.Owners[1:]...)
	if _, err := FromPlan(&bad, es); err == nil {
		t.Error("a plan whose owners point past its entries was used")
	}
	if _, err := FromPlan(p, es); err != nil {
		t.Errorf("the plan of these entries: %v", err)
	}
}

// The plan in the embedded snapshot is the one this code makes for the
// shipped catalog: a change to how plans are made needs go generate
// ./catalog (and a new PlanVersion when the encoding changes).
func TestEmbeddedPlanFresh(t *testing.T) {
	c, _, ok := catalog.LoadSnapshot(catalogdata.FS)
	if !ok {
		t.Fatal("stale snapshot: go generate ./catalog")
	}
	data := c.Extra(PlanExtra)
	if data == "" {
		t.Fatal("the snapshot has no match plan: go generate ./catalog")
	}
	got, err := DecodePlan(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, BuildPlan(c.Entries)) {
		t.Fatal("the snapshot's match plan is stale: go generate ./catalog")
	}
}

// An index made from a plan with entries got on demand (FromPlanFunc, as
// `errorcanon match` makes it from the snapshot) answers as Build's does,
// and asks only for the entries its results name.
func TestFromPlanFuncLoadsOnlyResults(t *testing.T) {
	c, _, ok := catalog.LoadSnapshot(catalogdata.FS)
	if !ok {
		t.Fatal("stale snapshot: go generate ./catalog")
	}
	built, _ := Build(c.Entries)
	loaded := map[string]bool{}
	var mu sync.Mutex
	ids := entryIDs(c.Entries)
	lazy, err := FromPlanFunc(BuildPlan(c.Entries), ids, func(n int32) *canon.Entry {
		mu.Lock()
		defer mu.Unlock()
		loaded[c.Entries[n].ID] = true
		return c.Entries[n]
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(loaded) != 0 {
		t.Fatalf("building the index loaded %d entries", len(loaded))
	}
	inputs := []string{"panic: runtime error: invalid memory address or nil pointer dereference", "my build says something odd about widgets and gears", "fatal: not a git repository (or any of the parent directories): .git"}
	for i, e := range c.Entries {
		if i%7 == 0 {
			inputs = append(inputs, e.Examples[0])
		}
	}
	for _, in := range inputs {
		clear(loaded)
		a, _ := built.Match([]byte(in), Options{Limit: 3})
		b, _ := lazy.Match([]byte(in), Options{Limit: 3})
		if len(a) != len(b) {
			t.Fatalf("%q: %d results built, %d lazily", in, len(a), len(b))
		}
		named := map[string]bool{}
		for i := range a {
			if a[i].ID != b[i].ID || a[i].Kind != b[i].Kind || a[i].Score != b[i].Score || b[i].Entry != a[i].Entry {
				t.Fatalf("%q: result %d: %+v built, %+v lazily", in, i, a[i], b[i])
			}
			named[b[i].ID] = true
		}
		for id := range loaded {
			if !named[id] {
				// A candidate that matched but was ranked out may be
				// loaded; one that never matched may not.
				if rs, _ := lazy.Match([]byte(in), Options{Limit: MaxLimit, NoFuzzy: true}); !containsID(rs, id) {
					t.Errorf("%q: loaded %s, which is not among its results", in, id)
				}
			}
		}
	}
}

func containsID(rs []Result, id string) bool {
	for _, r := range rs {
		if r.ID == id {
			return true
		}
	}
	return false
}

// shippedIDs returns the shipped catalog and its entries' ids.
func shippedIDs(t *testing.T) (*catalog.Catalog, []string) {
	t.Helper()
	c, _, ok := catalog.LoadSnapshot(catalogdata.FS)
	if !ok {
		t.Fatal("stale snapshot: go generate ./catalog")
	}
	return c, entryIDs(c.Entries)
}

// decoded counts the entries of ix decoded so far.
func decoded(ix *Index) int {
	n := 0
	for i := range ix.entries {
		if ix.entries[i].Load() != nil {
			n++
		}
	}
	return n
}

// An index made from an encoded plan (FromPlanData, as `errorcanon match`
// makes it) decodes an entry's part of the plan only when a match needs
// it, and answers as Build's index does, on examples of every domain, on
// a look-alike and on nothing known.
func TestFromPlanDataDecodesOnDemand(t *testing.T) {
	c, ids := shippedIDs(t)
	built, _ := Build(c.Entries)
	data, err := BuildPlan(c.Entries).Encode()
	if err != nil {
		t.Fatal(err)
	}
	entry := func(n int32) *canon.Entry { return c.Entries[n] }
	fresh := func() *Index {
		ix, err := FromPlanData(string(data), ids, entry)
		if err != nil {
			t.Fatal(err)
		}
		return ix
	}
	ix := fresh()
	if n := decoded(ix); n != 0 {
		t.Fatalf("making the index decoded %d entries", n)
	}
	if _, err := ix.Match([]byte("panic: runtime error: invalid memory address or nil pointer dereference\n"), Options{}); err != nil {
		t.Fatal(err)
	}
	if n := decoded(ix); n == 0 || n > len(c.Entries)/20 {
		t.Errorf("one short match decoded %d of %d entries", n, len(c.Entries))
	}
	inputs := []string{"my build says something odd about widgets and gears", "permission denied while opening the lock file"}
	for i, e := range c.Entries {
		if i%5 == 0 {
			inputs = append(inputs, e.Examples...)
		}
	}
	ix = fresh()
	for _, in := range inputs {
		a, _ := built.Match([]byte(in), Options{Limit: 3})
		b, _ := ix.Match([]byte(in), Options{Limit: 3})
		if len(a) != len(b) {
			t.Fatalf("%q: %d results built, %d from the encoded plan", in, len(a), len(b))
		}
		for i := range a {
			if a[i].ID != b[i].ID || a[i].Kind != b[i].Kind || a[i].Score != b[i].Score || b[i].Entry != a[i].Entry {
				t.Fatalf("%q: result %d: %+v built, %+v from the encoded plan", in, i, a[i], b[i])
			}
		}
	}
	if _, err := FromPlanData(string(data), ids[1:], entry); err == nil {
		t.Error("a plan of other entries was accepted")
	}
}

// A damaged encoded plan is refused when its head is, and an entry whose
// own part is damaged matches nothing rather than panic.
func TestFromPlanDataDamaged(t *testing.T) {
	c, ids := shippedIDs(t)
	p := BuildPlan(c.Entries)
	data, _ := p.Encode()
	entry := func(n int32) *canon.Entry { return c.Entries[n] }
	for name, d := range map[string][]byte{"empty": nil, "cut short": data[:len(data)-10], "longer": append(slices.Clone(data), 0), "head only": data[:100]} {
		if _, err := FromPlanData(string(d), ids, entry); err == nil {
			t.Errorf("%s: accepted", name)
		}
		if _, err := DecodePlan(string(d)); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
	// Find the record of the entry a Go nil dereference matches, and
	// break it: its length byte says more than the record holds.
	ix, err := FromPlanData(string(data), ids, entry)
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("panic: runtime error: invalid memory address or nil pointer dereference\n")
	rs, _ := ix.Match(msg, Options{NoFuzzy: true})
	if len(rs) == 0 {
		t.Fatal("no match on the undamaged plan")
	}
	var k int
	for k = range p.Entries {
		if p.Entries[k].ID == rs[0].ID {
			break
		}
	}
	head := 4 + int(binary.LittleEndian.Uint32(data))
	from := head
	if k > 0 {
		from += int(ix.ends.at(k - 1))
	}
	broken := slices.Clone(data)
	for i := from; i < head+int(ix.ends.at(k)); i++ {
		broken[i] = 0xff
	}
	ix, err = FromPlanData(string(broken), ids, entry)
	if err != nil {
		t.Fatal(err)
	}
	rs2, err := ix.Match(msg, Options{NoFuzzy: true})
	if err != nil {
		t.Fatal(err)
	}
	if containsID(rs2, rs[0].ID) {
		t.Errorf("%s still matched with its part of the plan damaged", rs[0].ID)
	}
}

// Matches running at once on an index that decodes its entries on first
// use, while Warm decodes them all, see the same entries (run with -race).
func TestFromPlanDataConcurrent(t *testing.T) {
	c, ids := shippedIDs(t)
	data, _ := BuildPlan(c.Entries).Encode()
	ix, err := FromPlanData(string(data), ids, func(n int32) *canon.Entry { return c.Entries[n] })
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(ix.Warm)
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < len(c.Entries); i += 40 {
				e := c.Entries[i]
				rs, err := ix.Match([]byte(e.Examples[0]), Options{Limit: MaxLimit, NoFuzzy: true})
				if err != nil || !containsID(rs, e.ID) {
					t.Errorf("%s: its first example does not match it (%v)", e.ID, err)
				}
			}
		})
	}
	wg.Wait()
	if n := decoded(ix); n != len(c.Entries) {
		t.Errorf("Warm left %d of %d entries undecoded", len(c.Entries)-n, len(c.Entries))
	}
}
