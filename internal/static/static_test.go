package static

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	catalogdata "github.com/errorcanon/errorcanon/catalog"
	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/testutil"
	"github.com/errorcanon/errorcanon/internal/web"
)

func seedSite(t testing.TB) (*render.Renderer, http.Handler) {
	c := testutil.SeedCatalog(t)
	return site(t, c)
}

func site(t testing.TB, c *catalog.Catalog) (*render.Renderer, http.Handler) {
	r, err := render.New(c, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix, _ := match.Build(c.Entries)
	srv, err := web.New(web.Config{Renderer: r, Matcher: ix, NoPrecompress: true})
	if err != nil {
		t.Fatal(err)
	}
	return r, srv.Handler()
}

func TestFileFor(t *testing.T) {
	for in, want := range map[string]string{
		"/": "index.html", "/zh.html": "zh.html", "/errors/": "errors/index.html",
		"/errors/go/x/": "errors/go/x/index.html", "/errors/go/x/zh.md": "errors/go/x/zh.md",
		"/static/site.css": "static/site.css",
	} {
		if got := FileFor(in); got != want {
			t.Errorf("FileFor(%q) = %q, want %q", in, got, want)
		}
	}
}

// A page the server fails to answer fails the build, and the previous
// output stays as it was, with no temporary directory left behind.
func TestFailedBuildKeepsPreviousOutput(t *testing.T) {
	r, h := seedSite(t)
	out := filepath.Join(t.TempDir(), "site")
	sum, err := Build(h, Pages(r), out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	home, _ := os.ReadFile(filepath.Join(out, "index.html"))
	failing := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if strings.HasSuffix(req.URL.Path, "/zh.md") {
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		}
		h.ServeHTTP(w, req)
	})
	_, err = Build(failing, Pages(r), out, Options{})
	if err == nil || !strings.Contains(err.Error(), "status 500") {
		t.Fatalf("err = %v, want the failing page's status", err)
	}
	if now, _ := os.ReadFile(filepath.Join(out, "index.html")); string(now) != string(home) {
		t.Error("the previous output changed")
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".site.*"))
	if len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	if sum.Files != len(Pages(r)) || sum.Bytes == 0 {
		t.Errorf("summary %v", sum)
	}
}

// replicated makes a catalog of n entries from the shipped ones, renamed,
// so pages have real sizes: the synthetic catalog for the build benchmark.
func replicated(b *testing.B, n int) *catalog.Catalog {
	c, _, ok := catalog.LoadSnapshot(catalogdata.FS)
	if !ok {
		b.Skip("no current snapshot of the shipped catalog")
	}
	var es []*canon.Entry
	for i := 0; len(es) < n; i++ {
		src := c.Entries[i%len(c.Entries)]
		e := *src
		if i >= len(c.Entries) {
			e.ID = fmt.Sprintf("%s-r%d", src.ID, i/len(c.Entries))
		}
		e.Related = canon.Related{}
		es = append(es, &e)
	}
	return catalog.New(c.Domains, es)
}

// BenchmarkBuild measures a whole build per entry: the shipped catalog,
// and 10,000 entries made of copies of it.
//
//	go test ./internal/static -run XXX -bench Build -benchtime 1x
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{0, 10_000} {
		name := "shipped"
		if n > 0 {
			name = fmt.Sprintf("replicated-%d", n)
		}
		b.Run(name, func(b *testing.B) {
			var c *catalog.Catalog
			if n == 0 {
				var ok bool
				if c, _, ok = catalog.LoadSnapshot(catalogdata.FS); !ok {
					b.Skip("no current snapshot")
				}
			} else {
				c = replicated(b, n)
			}
			r, _ := render.New(c, render.Options{})
			ix, _ := match.Build(c.Entries)
			b.ResetTimer()
			for b.Loop() {
				srv, _ := web.New(web.Config{Renderer: r, Matcher: ix, NoPrecompress: true})
				out := filepath.Join(b.TempDir(), "out")
				if _, err := Build(srv.Handler(), Pages(r), out, Options{AfterEach: srv.Invalidate, AfterEvery: 2000}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/float64(len(c.Entries)), "ms/entry")
		})
	}
}
