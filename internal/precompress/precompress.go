// Package precompress makes the compressed forms of a body that are kept
// ahead of requests: the server's cached pages (internal/web) and the
// static build's own files (internal/offline), zstd and gzip, each kept
// only when it is smaller than the body.
package precompress

import (
	"bytes"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Min is the smallest body worth compressing (gzhttp's default): below
// it the saving is less than the headers that announce it.
const Min = 1024

// Form is one compressed form of a body.
type Form struct {
	Encoding string // its Content-Encoding: "zstd" or "gzip"
	Body     []byte
}

// The zstd encoders, made on first use (a server never uses the best
// one): EncodeAll is safe for concurrent use.
var (
	zstdBest = sync.OnceValue(func() *zstd.Encoder {
		e, _ := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression), zstd.WithEncoderConcurrency(1))
		return e
	})
	zstdDefault = sync.OnceValue(func() *zstd.Encoder {
		e, _ := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
		return e
	})
)

// Forms returns body's zstd and gzip forms, those that are smaller than
// body, zstd first: at the best levels for files made once, ahead of
// time (a static build's), at the default ones for what is made while a
// request waits (a server's pages).
func Forms(body []byte, best bool) []Form {
	if len(body) < Min {
		return nil
	}
	zenc, glevel := zstdDefault(), gzip.DefaultCompression
	if best {
		zenc, glevel = zstdBest(), gzip.BestCompression
	}
	var out []Form
	if z := zenc.EncodeAll(body, nil); len(z) < len(body) {
		out = append(out, Form{"zstd", z})
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, glevel)
	_, _ = zw.Write(body)
	_ = zw.Close()
	if buf.Len() < len(body) {
		out = append(out, Form{"gzip", buf.Bytes()})
	}
	return out
}
