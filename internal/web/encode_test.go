package web

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// TestPrecompressed: a cached page is served from its stored gzip and
// zstd bytes, as the client asks, each decoding to the identity body,
// with the encoding's ETag suffix, and 304 for that tag.
func TestPrecompressed(t *testing.T) {
	s := newServer(t, nil)
	h := s.Handler()
	p := "/errors/" + seedALB + "/"
	plain := do(h, "GET", p)
	res := s.cache[p]
	if res == nil || len(res.encs) != 2 {
		t.Fatalf("cached resource %v", res)
	}
	for _, c := range []struct{ accept, enc string }{
		{"gzip", "gzip"}, {"zstd", "zstd"}, {"gzip, deflate, br, zstd", "zstd"}, {"gzip;q=1, zstd;q=0.5", "gzip"},
		{"*", "zstd"}, {"zstd;q=0, *;q=0.1", "gzip"}, {"br", ""}, {"identity", ""}, {"gzip;q=0", ""}, {"gzip;q=nope", ""},
	} {
		rec := do(h, "GET", p, "Accept-Encoding", c.accept)
		if got := rec.Header().Get("Content-Encoding"); got != c.enc {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", c.accept, got, c.enc)
			continue
		}
		var body []byte
		var err error
		switch c.enc {
		case "gzip":
			zr, _ := gzip.NewReader(rec.Body)
			body, err = io.ReadAll(zr)
		case "zstd":
			zr, _ := zstd.NewReader(rec.Body)
			body, err = io.ReadAll(zr)
			zr.Close()
		default:
			body = rec.Body.Bytes()
		}
		if err != nil || !bytes.Equal(body, plain.Body.Bytes()) {
			t.Errorf("%q: body differs from the identity body (%v)", c.accept, err)
		}
		tag := rec.Header().Get("ETag")
		if want := strings.TrimSuffix(plain.Header().Get("ETag"), `"`); c.enc != "" && tag != want+"-"+c.enc+`"` {
			t.Errorf("%q: ETag %s", c.accept, tag)
		}
		if vary := rec.Header().Values("Vary"); strings.Count(strings.Join(vary, ","), "Accept-Encoding") != 1 {
			t.Errorf("%q: Vary %v", c.accept, vary)
		}
		if nm := do(h, "GET", p, "Accept-Encoding", c.accept, "If-None-Match", tag); nm.Code != 304 || nm.Body.Len() != 0 {
			t.Errorf("%q: If-None-Match %s: %d", c.accept, tag, nm.Code)
		}
	}
	if head := do(h, "HEAD", p, "Accept-Encoding", "gzip"); head.Header().Get("Content-Encoding") != "" {
		t.Error("HEAD answered with an encoding")
	}
}
