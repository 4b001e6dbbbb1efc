package web

import (
	"net/http/httptest"
	"sync"
	"testing"

	catalogdata "github.com/errorcanon/errorcanon/catalog"
	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/search"
)

// shippedServer is a server over the shipped catalog, built once.
var shippedServer = sync.OnceValues(func() (*Server, error) {
	c, _ := catalog.Load(catalogdata.FS)
	r, err := render.New(c, render.Options{})
	if err != nil {
		return nil, err
	}
	ix, _ := match.Build(c.Entries)
	return New(Config{Renderer: r, Matcher: ix})
})

// BenchmarkStatic serves cached pages through the whole middleware chain,
// as identity and as the encodings clients ask for:
//
//	go test ./internal/web -run '^$' -bench Static -benchmem
func BenchmarkStatic(b *testing.B) {
	s, err := shippedServer()
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	for _, path := range []string{"/errors/git/not-a-git-repository/", "/llms-full.txt"} {
		for _, enc := range []string{"identity", "gzip", "zstd", "br, gzip, zstd"} {
			b.Run(path+"/"+enc, func(b *testing.B) {
				req := httptest.NewRequest("GET", path, nil)
				req.Header.Set("Accept-Encoding", enc)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req) // first render
				if rec.Code != 200 {
					b.Fatalf("%d", rec.Code)
				}
				b.SetBytes(int64(rec.Body.Len()))
				b.ResetTimer()
				for b.Loop() {
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
				}
			})
		}
	}
}

// BenchmarkSearchPage renders /search for a common query over the shipped
// catalog, end to end (search, snippets, facets, the page):
//
//	go test ./internal/web -run '^$' -bench SearchPage -cpuprofile /tmp/search.prof
func BenchmarkSearchPage(b *testing.B) {
	c, _ := catalog.Load(catalogdata.FS)
	r, err := render.New(c, render.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ix, _ := match.Build(c.Entries)
	six, err := search.Build(c.Entries)
	if err != nil {
		b.Fatal(err)
	}
	s, err := New(Config{Renderer: r, Matcher: ix, Search: six})
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	for _, q := range []string{"permission+denied", "connection+refused", "%E8%AF%81%E4%B9%A6"} {
		b.Run(q, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/search?q="+q, nil)
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}
