// Package static writes the whole site as files for a static host or a
// CDN (errorcanon build). Each file's bytes are what the server answers
// for its path: the build asks the server's own http.Handler for every
// page in-process, as a browser would, and writes the body. Nothing is
// rendered a second way, so the two cannot drift apart.
//
// # What is published
//
// Pages lists the paths: the home page, listings, every entry in both
// languages as HTML, JSON and Markdown, figures, the about and API
// reference pages, the sitemap (and its
// parts), robots.txt, llms.txt, llms-full.txt, the Atom feed, the
// OpenAPI document, the stylesheet, script and icons, and 404.html (the
// server's 404 page, which static hosts such as GitHub Pages, Netlify
// and Cloudflare Pages serve for a missing path).
//
// # What a static host cannot do
//
// Routes that compute an answer per request are left out: the paste
// box's /match and /api/v1/match, /search and /api/v1/search, outcome
// reports, /submit/, /admin/, /mcp and its server card, /healthz, /metrics, and
// the rest of the REST API. A listing's filters and later pages
// (?category=, ?page=2) need the server too; the build writes each
// listing's first page as the server shows it without a query.
//
// In their place, errorcanon build adds Options.Extra: the files of
// internal/offline, with which the pages' own script searches and matches
// in the browser (a search index, the matcher compiled to WebAssembly, a
// service worker). Those exist only in the build.
package static

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/errorcanon/errorcanon/internal/outdir"
	"github.com/errorcanon/errorcanon/internal/render"
)

// Page is one path the site publishes and the file it is written to.
type Page struct {
	Path   string // as requested, e.g. "/errors/python/"
	File   string // slash-separated, relative to the output, e.g. "errors/python/index.html"
	Status int    // the status the server answers it with: 200, or 404 for 404.html
}

// NotFoundFile is the page static hosts serve for a missing path.
const NotFoundFile = "404.html"

// Pages lists every path of the static site for the renderer's catalog,
// in a fixed order.
func Pages(r *render.Renderer) []Page {
	var paths []string
	add := func(p ...string) { paths = append(paths, p...) }
	for _, l := range []render.Lang{render.EN, render.ZH} {
		add(render.HomePath(l), render.DomainsPath(l), render.StatsPath(l), render.AboutPath(l), render.DocsPath(l))
	}
	c := r.Catalog()
	for _, d := range c.Domains {
		add(render.DomainPath(d.ID, render.EN), render.DomainPath(d.ID, render.ZH))
	}
	for _, e := range c.Entries {
		u := render.EntryPaths(e.ID)
		add(u.HTML, u.HTMLZh, u.JSON, u.MD, u.MDZh)
	}
	add("/sitemap.xml")
	if n := r.SitemapParts(); n > 1 {
		for i := 1; i <= n; i++ {
			add(render.SitemapPartPath(i))
		}
	}
	add("/robots.txt", "/llms.txt", "/llms-full.txt", "/feed.xml", "/api/v1/openapi.json",
		render.StylesheetPath(), render.ScriptPath(), "/favicon.svg", "/favicon.ico")
	pages := make([]Page, 0, len(paths)+1)
	for _, p := range paths {
		pages = append(pages, Page{Path: p, File: FileFor(p), Status: http.StatusOK})
	}
	return append(pages, Page{Path: "/" + NotFoundFile, File: NotFoundFile, Status: http.StatusNotFound})
}

// FileFor maps a path to its file: a directory's page is its index.html.
func FileFor(p string) string {
	f := strings.TrimPrefix(p, "/")
	if f == "" || strings.HasSuffix(f, "/") {
		f += "index.html"
	}
	return f
}

// Summary is what a build wrote.
type Summary struct {
	Files   int
	Bytes   int64
	Elapsed time.Duration
}

func (s Summary) String() string {
	return fmt.Sprintf("%d files, %.1f MB in %.2f s", s.Files, float64(s.Bytes)/1e6, s.Elapsed.Seconds())
}

// Options tune a build.
type Options struct {
	// Progress, when set, is called as pages are written (done of total),
	// from one goroutine at a time.
	Progress func(done, total int)
	// Workers is how many pages are requested at once; 0 means GOMAXPROCS.
	Workers int
	// AfterEach, when set, runs after every n pages (n = AfterEvery); the
	// build uses it to drop the server's response cache, so a large
	// catalog does not hold every page in memory.
	AfterEach  func()
	AfterEvery int
	// Precompressed also writes the server's gzip and zstd forms of each
	// page that has them, as FILE.gz and FILE.zst, for hosts that serve
	// precompressed files (nginx gzip_static, Caddy's precompressed). The
	// server makes them anyway; a build that skips them is no faster.
	Precompressed bool
	// Extra files are written beside the pages: what only the static
	// build has, such as the offline search index and matcher
	// (internal/offline).
	Extra []File
}

// File is an extra file of a build, by its slash-separated path relative
// to the output.
type File struct {
	Path string
	Data []byte
}

// encodings are the compressed forms a build can write, by file suffix.
var encodings = []struct{ name, suffix string }{{"gzip", ".gz"}, {"zstd", ".zst"}}

// Build requests every page from h and writes the bodies under out,
// atomically: into a temporary directory renamed into place at the end,
// so a failed build leaves the previous output as it was. Any answer
// other than the page's expected status fails the build.
func Build(h http.Handler, pages []Page, out string, o Options) (Summary, error) {
	start := time.Now()
	var sum Summary
	err := outdir.Write(out, "build", func(tmp string) error {
		dirs := map[string]bool{}
		for _, p := range pages {
			dirs[path.Dir(p.File)] = true
		}
		for _, f := range o.Extra {
			if !filepath.IsLocal(filepath.FromSlash(f.Path)) {
				return fmt.Errorf("build: extra file %q is not a path inside the output", f.Path)
			}
			dirs[path.Dir(f.Path)] = true
		}
		for d := range dirs {
			if err := os.MkdirAll(filepath.Join(tmp, filepath.FromSlash(d)), 0o755); err != nil {
				return err
			}
		}
		workers := o.Workers
		if workers <= 0 {
			workers = runtime.GOMAXPROCS(0)
		}
		var (
			next     atomic.Int64
			done     atomic.Int64
			written  atomic.Int64
			files    atomic.Int64
			firstErr error
			errOnce  sync.Once
			failed   atomic.Bool
			progress sync.Mutex
			wg       sync.WaitGroup
		)
		fail := func(err error) { errOnce.Do(func() { firstErr = err; failed.Store(true) }) }
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for !failed.Load() {
					i := int(next.Add(1)) - 1
					if i >= len(pages) {
						return
					}
					n, err := writePage(h, pages[i], tmp, o.Precompressed)
					if err != nil {
						fail(err)
						return
					}
					written.Add(n.bytes)
					files.Add(int64(n.files))
					d := int(done.Add(1))
					if o.AfterEach != nil && o.AfterEvery > 0 && d%o.AfterEvery == 0 {
						o.AfterEach()
					}
					if o.Progress != nil {
						progress.Lock()
						o.Progress(d, len(pages))
						progress.Unlock()
					}
				}
			}()
		}
		wg.Wait()
		if firstErr != nil {
			return firstErr
		}
		for _, f := range o.Extra {
			if err := os.WriteFile(filepath.Join(tmp, filepath.FromSlash(f.Path)), f.Data, 0o644); err != nil {
				return err
			}
			files.Add(1)
			written.Add(int64(len(f.Data)))
		}
		sum.Files, sum.Bytes = int(files.Load()), written.Load()
		return nil
	})
	sum.Elapsed = time.Since(start)
	return sum, err
}

type written struct {
	files int
	bytes int64
}

// writePage requests one page and writes its body, and its compressed
// forms when asked.
func writePage(h http.Handler, p Page, dir string, precompressed bool) (written, error) {
	var w written
	body, _, err := fetch(h, p, "")
	if err != nil {
		return w, err
	}
	f := filepath.Join(dir, filepath.FromSlash(p.File))
	if err := os.WriteFile(f, body, 0o644); err != nil {
		return w, err
	}
	w.files, w.bytes = 1, int64(len(body))
	if !precompressed || p.Status != http.StatusOK {
		return w, nil
	}
	for _, enc := range encodings {
		body, got, err := fetch(h, p, enc.name)
		if err != nil {
			return w, err
		}
		if got != enc.name {
			continue // too small to compress, or the server does not for this type
		}
		if err := os.WriteFile(f+enc.suffix, body, 0o644); err != nil {
			return w, err
		}
		w.files++
		w.bytes += int64(len(body))
	}
	return w, nil
}

// Fetch requests a page from h as a plain GET without compression and
// returns its body, or an error naming the path and status when the
// answer is not the one expected.
func Fetch(h http.Handler, p Page) ([]byte, error) {
	body, _, err := fetch(h, p, "")
	return body, err
}

// fetch is Fetch with an Accept-Encoding; it returns the body and its
// Content-Encoding.
func fetch(h http.Handler, p Page, acceptEncoding string) ([]byte, string, error) {
	req := httptest.NewRequest(http.MethodGet, p.Path, nil)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	rec := &recorder{header: http.Header{}}
	h.ServeHTTP(rec, req)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	if rec.status != p.Status {
		return nil, "", fmt.Errorf("GET %s: status %d, want %d: %.200s", p.Path, rec.status, p.Status, rec.body.String())
	}
	return rec.body.Bytes(), rec.header.Get("Content-Encoding"), nil
}

// recorder is a minimal ResponseWriter (httptest.ResponseRecorder keeps
// more than a build needs, for every page).
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
