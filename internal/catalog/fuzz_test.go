package catalog

import (
	"testing"
	"testing/fstest"

	"github.com/errorcanon/errorcanon/internal/canon"
)

// FuzzLoad loads an arbitrary entry file, as YAML and as JSON, and an
// arbitrary domain list, then checks the catalog with the quality rules:
// nothing panics, and what loads without problems has valid ids.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(good), []byte(domains))
	f.Add([]byte(`{"id":"python/key-error","domain":"python","regex":"(","examples":[1]}`), []byte(domains))
	f.Add([]byte("id: [\n"), []byte("domains: {}"))
	f.Add([]byte("&a [*a, *a]\n"), []byte("domains:\n  - id: ../x\n"))
	f.Add([]byte("id: python/x\n"+"tags: !!binary AAAA\n"), []byte(domains))
	f.Fuzz(func(t *testing.T, entry, doms []byte) {
		for _, name := range []string{"python/key-error.yaml", "python/key-error.json"} {
			fsys := fstest.MapFS{"domains.yaml": {Data: doms}, name: {Data: entry}}
			c, problems := LoadAll(fsys)
			if c == nil {
				t.Fatal("LoadAll returned no catalog")
			}
			ds := map[string]bool{}
			for _, d := range c.Domains {
				ds[d.ID] = true
			}
			for _, e := range c.Entries {
				_ = canon.Validate(e, ds)
			}
			_ = canon.ValidateCatalog(c.Entries)
			if len(problems) == 0 {
				for _, e := range c.Entries {
					if _, _, ok := canon.SplitID(e.ID); !ok {
						t.Errorf("entry with a bad id %q loaded without problems", e.ID)
					}
				}
			}
		}
	})
}
