package web

import (
	"net/http/httptest"
	"sync"
	"testing"

	catalogdata "github.com/errorcanon/errorcanon/catalog"
	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
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
