package render

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// The two entries of the seed pages, as shipped.
var seedIDs = testutil.SeedIDs

// seedCatalog loads the shipped domain list, the two seed entries and what
// they link to (and nothing else, so the goldens do not change as the
// catalog grows).
func seedCatalog(t testing.TB) *catalog.Catalog { return testutil.SeedCatalog(t) }

func newRenderer(t testing.TB, c *catalog.Catalog) *Renderer {
	t.Helper()
	r, err := New(c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestGolden(t *testing.T) {
	c := seedCatalog(t)
	r := newRenderer(t, c)
	type gcase struct {
		name   string
		render func(io.Writer) error
	}
	var cases []gcase
	for _, id := range seedIDs {
		e := c.Entry(id)
		base := strings.ReplaceAll(id, "/", "__")
		cases = append(cases,
			gcase{base + ".html", func(w io.Writer) error { return r.EntryHTML(w, e, EN) }},
			gcase{base + ".zh.html", func(w io.Writer) error { return r.EntryHTML(w, e, ZH) }},
			gcase{base + ".json", func(w io.Writer) error { return r.EntryJSON(w, e) }},
			gcase{base + ".md", func(w io.Writer) error { return r.EntryMarkdown(w, e, EN) }},
			gcase{base + ".zh.md", func(w io.Writer) error { return r.EntryMarkdown(w, e, ZH) }},
			gcase{base + ".txt", func(w io.Writer) error { return r.EntryText(w, e, EN) }},
			gcase{base + ".zh.txt", func(w io.Writer) error { return r.EntryText(w, e, ZH) }},
		)
	}
	for _, l := range Langs {
		l := l
		cases = append(cases,
			gcase{"home." + string(l) + ".html", func(w io.Writer) error { return r.HomeHTML(w, l) }},
			gcase{"errors." + string(l) + ".html", func(w io.Writer) error { return r.DomainsHTML(w, l) }},
			gcase{"domain-api." + string(l) + ".html", func(w io.Writer) error { return r.DomainHTML(w, "api", l) }},
			gcase{"404." + string(l) + ".html", func(w io.Writer) error { return r.NotFoundHTML(w, l) }},
			gcase{"about." + string(l) + ".html", func(w io.Writer) error { return r.AboutHTML(w, l) }},
		)
	}
	site := siteCases(r, c)
	names := make([]string, 0, len(site))
	for name := range site {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		cases = append(cases, gcase{name, site[name]})
	}
	for _, gc := range cases {
		t.Run(gc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := gc.render(&buf); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", gc.name)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/render -update to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("%s differs from the golden file; if the change is intended (a template or a seed entry changed), run go test ./internal/render -update and review the diff.\n%s",
					gc.name, firstDiff(string(want), buf.String()))
			}
		})
	}
}

// firstDiff shows the first differing line.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return ""
}
