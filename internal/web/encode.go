// Pre-compressed responses: a cached resource keeps its gzip and zstd
// bytes beside its identity bytes, compressed once at their best level,
// so serving it compressed costs what serving it plain does. (Brotli
// would need a dependency outside the module graph; zstd, which every
// current browser but Safari accepts, compresses about as well.)

package web

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// minCompress is the smallest body worth compressing (gzhttp's default).
const minCompress = 1024

// encoded is one pre-compressed form of a body.
type encoded struct {
	name string // Content-Encoding
	body []byte
}

// The zstd encoders: EncodeAll is safe for concurrent use.
var (
	zstdBest, _    = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression), zstd.WithEncoderConcurrency(1))
	zstdDefault, _ = zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
)

// compressAll returns body's zstd and gzip forms, those that are smaller
// than body, zstd first: at the best levels for pages kept for the
// server's life, at the default ones for pages of a bounded cache
// (search), which may be made for one request.
func compressAll(body []byte, best bool) []encoded {
	if len(body) < minCompress {
		return nil
	}
	zenc, glevel := zstdDefault, gzip.DefaultCompression
	if best {
		zenc, glevel = zstdBest, gzip.BestCompression
	}
	var out []encoded
	if z := zenc.EncodeAll(body, nil); len(z) < len(body) {
		out = append(out, encoded{"zstd", z})
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, glevel)
	_, _ = zw.Write(body)
	_ = zw.Close()
	if buf.Len() < len(body) {
		out = append(out, encoded{"gzip", buf.Bytes()})
	}
	return out
}

// pickEncoding returns the form of encs to send for an Accept-Encoding
// header: the one with the highest q-value (ties go to the earlier in
// encs), or nil for identity. "*" stands for every coding not named.
func pickEncoding(header string, encs []encoded) *encoded {
	if header == "" || len(encs) == 0 {
		return nil
	}
	q := acceptedCodings(header)
	var best *encoded
	bestQ := 0.0
	for i := range encs {
		v, ok := q[encs[i].name]
		if !ok {
			v = q["*"]
		}
		if v > bestQ {
			best, bestQ = &encs[i], v
		}
	}
	return best
}

// acceptedCodings parses an Accept-Encoding header into coding → q-value
// (lower-case codings; an unparsable q counts as 0).
func acceptedCodings(header string) map[string]float64 {
	q := map[string]float64{}
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			continue
		}
		v := 1.0
		for _, p := range strings.Split(params, ";") {
			if s, ok := strings.CutPrefix(strings.TrimSpace(p), "q="); ok {
				f, err := strconv.ParseFloat(s, 64)
				if err != nil || f < 0 || f > 1 {
					f = 0
				}
				v = f
			}
		}
		if old, seen := q[name]; !seen || v > old {
			q[name] = v
		}
	}
	return q
}
