// Pre-compressed responses: a cached resource keeps its gzip and zstd
// bytes beside its identity bytes, compressed once, so serving it
// compressed costs what serving it plain does. The server compresses at
// the default levels: a page is compressed while its first visitor waits,
// and zstd's best level, 6% smaller on an entry page, costs five times
// the CPU (0.6 ms against 0.11 ms warm) and walks a 34 MB table that a
// fresh process faults in page by page (45-200 ms for each of the first
// pages, measured on the 2-core VM). The static build, made once, uses
// the best levels (internal/offline). (Brotli
// would need a dependency outside the module graph; zstd, which every
// current browser but Safari accepts, compresses about as well.)

package web

import (
	"strconv"
	"strings"

	"github.com/errorcanon/errorcanon/internal/precompress"
)

// encoded is one pre-compressed form of a body.
type encoded = precompress.Form

// compressAll returns body's pre-compressed forms (precompress.Forms).
func compressAll(body []byte) []encoded { return precompress.Forms(body, false) }

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
		v, ok := q[encs[i].Encoding]
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
