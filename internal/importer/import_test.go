package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	catalogdata "github.com/errorcanon/errorcanon/catalog"
	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/outdir"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/testutil"
)

// writePeer writes canon files as the peer lays them out.
func writePeer(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, "data", "canons", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// An import is a catalog that loads without a problem, and a served page
// carries the attribution.
func TestImportWritesALoadableCatalog(t *testing.T) {
	good, _ := jsonOf(peerCanon())
	other := peerCanon()
	other["id"] = "python/importerror/py311-linux"
	other["url"] = "https://deadends.dev/python/importerror/py311-linux"
	set(other, "error.signature", "ImportError: cannot import name 'x' from 'y'")
	set(other, "error.regex", `ImportError: cannot import name '(\w+)'`)
	otherData, _ := jsonOf(other)
	big := append([]byte(`{"id":"python/big/x","error":{"signature":"`), bytes.Repeat([]byte("a"), 2*MaxFile)...)
	src := writePeer(t, map[string][]byte{
		"python/modulenotfounderror/py311-linux.json": good,
		"python/importerror/py311-linux.json":         otherData,
		"python/broken.json":                          []byte("{not json"),
		"python/big.json":                             big,
	})
	res, err := Convert(Deadends, src)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Entries) != 2 || len(res.Report.Skipped) != 2 {
		t.Fatalf("imported %v, skipped %v; want 2 and 2", res.Report.Imported, res.Report.Skipped)
	}
	counts := res.Report.Counts()
	if counts[ReasonNotJSON] != 1 || counts[ReasonTooLarge] != 1 {
		t.Errorf("skips by reason: %v", counts)
	}
	// The leads_to link survives: its target was imported too.
	out := filepath.Join(t.TempDir(), "imported")
	if err := Write(out, res); err != nil {
		t.Fatal(err)
	}
	c, problems := catalog.Load(os.DirFS(out))
	if len(problems) > 0 {
		t.Fatalf("the import does not load cleanly:\n%v", problems)
	}
	if len(c.Entries) != 2 || len(c.Entry("python/modulenotfounderror-py311-linux").Related.LeadsTo) != 1 {
		t.Fatalf("loaded %d entries, links %+v", len(c.Entries), c.Entry("python/modulenotfounderror-py311-linux"))
	}
	e := c.Entry("python/modulenotfounderror-py311-linux")
	if e.Verification != "ai_generated" || e.Source == nil || e.Source.License != "CC-BY-4.0" {
		t.Errorf("verification %q, source %+v", e.Verification, e.Source)
	}
	r, err := render.New(c, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []render.Lang{render.EN, render.ZH} {
		var page bytes.Buffer
		if err := r.EntryHTML(&page, e, l); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{e.Source.URL, "CC BY 4.0", "Install with the same interpreter"} {
			if !strings.Contains(page.String(), want) {
				t.Errorf("%s page lacks %q", l, want)
			}
		}
	}
	var js bytes.Buffer
	if err := r.EntryJSON(&js, e); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(js.String(), `"license": "CC-BY-4.0"`) && !strings.Contains(js.String(), `"license":"CC-BY-4.0"`) {
		t.Errorf("the JSON form lacks the source's licence")
	}
	notice, _ := os.ReadFile(filepath.Join(out, "NOTICE.md"))
	if !strings.Contains(string(notice), "CC-BY-4.0") {
		t.Errorf("NOTICE.md lacks the licence:\n%s", notice)
	}
}

// A failed write leaves the previous output as it was, and a directory
// that is not an earlier output is never replaced.
func TestWriteIsAtomic(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if err := outdir.Write(out, "import", func(tmp string) error {
		return os.WriteFile(filepath.Join(tmp, "a"), []byte("first"), 0o644)
	}); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := outdir.Write(out, "import", func(tmp string) error {
		if err := os.WriteFile(filepath.Join(tmp, "a"), []byte("half"), 0o644); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "a")); string(b) != "first" {
		t.Errorf("after a failed write the output holds %q", b)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".out.*"))
	if len(left) > 0 {
		t.Errorf("temporary directories left behind: %v", left)
	}
	mine := t.TempDir()
	os.WriteFile(filepath.Join(mine, "thesis.tex"), []byte("x"), 0o644)
	if err := outdir.Write(mine, "import", func(string) error { return nil }); err == nil {
		t.Errorf("a directory of someone's files was replaced")
	}
	if _, err := os.Stat(filepath.Join(mine, "thesis.tex")); err != nil {
		t.Errorf("their file is gone: %v", err)
	}
}

// Our own JSON form imports back: every seed entry's index.json becomes an
// imported entry with the same texts.
func TestImportErrorCanonJSON(t *testing.T) {
	c := testutil.SeedCatalog(t)
	r, err := render.New(c, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, e := range c.Entries {
		var b bytes.Buffer
		if err := r.EntryJSON(&b, e); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, e.ID, "index.json")
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, b.Bytes(), 0o644)
	}
	res, err := Convert(ErrorCanon, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Entries) != len(c.Entries) {
		t.Fatalf("imported %d of %d; skipped: %v", len(res.Entries), len(c.Entries), res.Report.Skipped)
	}
	for _, e := range res.Entries {
		orig := c.Entry(e.ID)
		if e.RootCauseZh != orig.RootCauseZh || e.Regex != orig.Regex || e.Source == nil || e.Reproduce != nil || e.Verification != "ai_generated" {
			t.Errorf("%s: texts, regex, source or verification differ after the round trip", e.ID)
		}
	}
}

// Imports never join the shipped catalog.
func TestShippedCatalogHasNoImports(t *testing.T) {
	n := 0
	err := fs.WalkDir(catalogdata.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") || p == catalog.DomainsFile {
			return err
		}
		data, err := fs.ReadFile(catalogdata.FS, p)
		if err != nil {
			return err
		}
		var doc struct {
			Source *canon.Source `yaml:"source"`
		}
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if doc.Source != nil {
			t.Errorf("%s is an import (source %s); imports are served with --catalog, not shipped", p, doc.Source.Name)
		}
		n++
		return nil
	})
	if err != nil || n == 0 {
		t.Fatalf("read %d entries: %v", n, err)
	}
}

// TestDeadendsData imports a real copy of deadends.dev's data and reports
// the counts and what our matcher answers on the imported set. It needs
// the copy (scripts/compare-deadends.sh makes one) and is skipped without:
//
//	DEADENDS_DIR=/path/to/copy go test ./internal/importer -run TestDeadendsData -v
func TestDeadendsData(t *testing.T) {
	dir := os.Getenv("DEADENDS_DIR")
	if dir == "" {
		t.Skip("DEADENDS_DIR not set: scripts/compare-deadends.sh sets it")
	}
	res, err := Convert(Deadends, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s", res.Report.Summary())
	if len(res.Entries) == 0 {
		t.Fatal("nothing imported")
	}
	out := filepath.Join(t.TempDir(), "out")
	if err := Write(out, res); err != nil {
		t.Fatal(err)
	}
	c, problems := catalog.Load(os.DirFS(out))
	if len(problems) > 0 {
		t.Fatalf("%d problem(s) loading the import, first: %v", len(problems), problems[0])
	}
	if len(c.Entries) != len(res.Entries) {
		t.Fatalf("loaded %d of %d", len(c.Entries), len(res.Entries))
	}
	// Served alone, every entry answers its own example.
	alone := 0
	for _, e := range c.Entries {
		ix, _ := match.Build([]*canon.Entry{e})
		rs, err := ix.Match([]byte(e.Examples[0]), match.Options{Limit: 1, NoFuzzy: true})
		if err == nil && len(rs) == 1 && rs[0].ID == e.ID {
			alone++
		}
	}
	if alone != len(c.Entries) {
		t.Errorf("served alone, %d of %d entries match their own example", alone, len(c.Entries))
	}
	// Every skip has a reason and a detail.
	reasons := map[string]bool{}
	for _, s := range res.Report.Skipped {
		if s.Reason == "" || s.Detail == "" {
			t.Errorf("skip without a reason: %+v", s)
		}
		reasons[s.Reason] = true
	}
	rs := make([]string, 0, len(reasons))
	for r := range reasons {
		rs = append(rs, r)
	}
	sort.Strings(rs)
	t.Logf("reasons: %v; walked %d files", rs, countFiles(t, out))
}

func countFiles(t *testing.T, dir string) int {
	n := 0
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, _ error) error {
		if d != nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

func jsonOf(v any) ([]byte, error) { return json.Marshal(v) }
