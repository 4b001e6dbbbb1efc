package importer

import (
	"encoding/json"
	"testing"

	"github.com/errorcanon/errorcanon/internal/canon"
)

// FuzzConvert feeds arbitrary bytes to both parsers: never a panic, and
// whatever is converted is an imported entry that meets the schema rules
// once its domain is known.
func FuzzConvert(f *testing.F) {
	good, _ := json.Marshal(peerCanon())
	f.Add(good)
	f.Add([]byte(`{"id":"a/b/c","error":{"signature":"x","regex":"(?=x)","domain":"a"}}`))
	f.Add([]byte(`{"id":"go/x","domain":"go","signature":"s","regex":"s","examples":["s"],"url":"https://e.example/x"}`))
	f.Add([]byte(`[{"id":1}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, conv := range []func(string, []byte) (*canon.Entry, *Skip){convertDeadends, convertErrorCanon} {
			e, s := conv("f.json", data)
			if (e == nil) == (s == nil) {
				t.Fatalf("want an entry or a skip, got %v and %v", e, s)
			}
			if s != nil && (s.Reason == "" || s.Detail == "") {
				t.Fatalf("a skip without its reason: %+v", s)
			}
			if e == nil {
				continue
			}
			if e.Source == nil {
				t.Fatalf("%s: an import without its source", e.ID)
			}
			if _, _, ok := canon.SplitID(e.ID); !ok {
				t.Fatalf("id %q is not {domain}/{slug}", e.ID)
			}
			res := &Result{}
			res.finish([]*canon.Entry{e}, Deadends)
			for _, imported := range res.Entries {
				known := map[string]bool{imported.Domain: true}
				if ps := canon.Validate(imported, known); len(ps) > 0 {
					t.Fatalf("imported %s breaks a rule: %v", imported.ID, ps)
				}
			}
		}
	})
}
