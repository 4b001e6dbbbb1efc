package offline

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/errorcanon/errorcanon/internal/matchdata"
	"github.com/errorcanon/errorcanon/internal/testutil"
)

// The manifest names every file it lists, by a path that holds its
// content's hash; the match data loads into an index made from its plan;
// without a matcher, the manifest says so and search is still there.
func TestFiles(t *testing.T) {
	c := testutil.SeedCatalog(t)
	m := &Matcher{Wasm: []byte("\x00asm fake"), Exec: []byte("// wasm_exec.js")}
	files, err := Files(c.Entries, m)
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string][]byte{}
	for _, f := range files {
		if _, dup := byPath[f.Path]; dup {
			t.Errorf("%s twice", f.Path)
		}
		byPath[f.Path] = f.Data
	}
	var man struct {
		Version int
		Search  struct {
			Base  string
			Langs map[string]struct{ Shards, Docs, Chunk int }
		}
		Match   *struct{ Wasm, Exec, Data string }
		Strings map[string]map[string]string
	}
	if err := json.Unmarshal(byPath[ManifestPath], &man); err != nil {
		t.Fatal(err)
	}
	if man.Version != 1 || man.Match == nil || len(byPath[WorkerPath]) == 0 {
		t.Fatalf("manifest %s", byPath[ManifestPath])
	}
	for _, l := range []string{"en", "zh"} {
		lang := man.Search.Langs[l]
		for i := range lang.Shards {
			if p := strings.TrimPrefix(man.Search.Base, "/") + l + "/" + strconv.Itoa(i) + ".json"; byPath[p] == nil {
				t.Errorf("no %s", p)
			}
		}
		for _, k := range stringKeys {
			if man.Strings[l][k] == "" || man.Strings[l][k] == k {
				t.Errorf("%s: no string %s", l, k)
			}
		}
	}
	for p, want := range map[string]string{man.Match.Wasm: string(m.Wasm), man.Match.Exec: string(m.Exec)} {
		if string(byPath[strings.TrimPrefix(p, "/")]) != want {
			t.Errorf("%s does not hold what was given", p)
		}
	}
	if _, fromPlan, err := matchdata.DecodeIndex(byPath[strings.TrimPrefix(man.Match.Data, "/")]); err != nil || !fromPlan {
		t.Errorf("match data: from plan %v, %v", fromPlan, err)
	}

	again, _ := Files(c.Entries, m)
	if len(again) != len(files) {
		t.Fatalf("%d files, then %d", len(files), len(again))
	}
	for i := range files {
		if again[i].Path != files[i].Path || string(again[i].Data) != string(files[i].Data) {
			t.Errorf("a second run differs at %s", files[i].Path)
		}
	}

	plain, err := Files(c.Entries, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range plain {
		if f.Path == ManifestPath && !strings.Contains(string(f.Data), `"match": null`) {
			t.Errorf("manifest without a matcher: %s", f.Data)
		}
		if strings.HasSuffix(f.Path, ".wasm") || strings.HasSuffix(f.Path, ".gob") {
			t.Errorf("%s written without a matcher", f.Path)
		}
	}
}
