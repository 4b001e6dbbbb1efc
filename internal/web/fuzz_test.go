package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
)

// FuzzSiteQuery sends arbitrary query strings to the site's pages that
// read them (listQuery's listings, /search, /match) and form bodies to
// POST /match: the answer is never a 5xx.
func FuzzSiteQuery(f *testing.F) {
	r, err := render.New(testCatalog(f), render.Options{})
	if err != nil {
		f.Fatal(err)
	}
	ix, _ := match.Build(r.Catalog().Entries)
	s, err := New(Config{Renderer: r, Matcher: ix, Search: &oneHit{}})
	if err != nil {
		f.Fatal(err)
	}
	h := s.Handler()
	for _, q := range []string{"category=x&sort=fix_rate&page=2&per_page=5", "q=%E8%AF%81&lang=zh&domain=aws&page=101",
		"q=%zz", "q=\u200b&lang=xx", "page=-1&per_page=1e9&resolvable=maybe", "q=" + strings.Repeat("字", 400)} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		for _, path := range []string{"/errors/", "/errors/aws/", "/errors/zh.html", "/search", "/match"} {
			req := httptest.NewRequest("GET", "/", nil)
			req.URL.Path, req.URL.RawQuery = path, q
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("GET %s?%s: %d", path, q, rec.Code)
			}
		}
		req := httptest.NewRequest("POST", "/match", strings.NewReader(q))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("POST /match %q: %d", q, rec.Code)
		}
	})
}

// FuzzAcceptHeaders parses arbitrary Accept-Language and Accept-Encoding
// headers: no panic, and the encoding picked is one the header accepts.
func FuzzAcceptHeaders(f *testing.F) {
	for _, s := range []string{"zh-CN,zh;q=0.9,en;q=0.8", "en;q=0, zh;q=nope", "*;q=0.1, gzip;q=0", "br, gzip, zstd", ";;,,q=", "zh-Hant;q=1.5"} {
		f.Add(s)
	}
	encs := []encoded{{Encoding: "zstd"}, {Encoding: "gzip"}}
	f.Fuzz(func(t *testing.T, header string) {
		_ = prefersChinese(header)
		if e := pickEncoding(header, encs); e != nil {
			q := acceptedCodings(header)
			v, ok := q[e.Encoding]
			if !ok {
				v = q["*"]
			}
			if v <= 0 {
				t.Errorf("%q: picked %s, which it refuses", header, e.Encoding)
			}
		}
	})
}
