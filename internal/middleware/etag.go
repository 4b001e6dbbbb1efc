// ETags: one strong tag per body, and If-None-Match answered with 304.

package middleware

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
)

// ETag returns body's strong entity tag: the first 16 bytes of its
// SHA-256, in hex, quoted.
func ETag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// NotModified sets the ETag header to etag and, when the request's
// If-None-Match names it, answers 304 Not Modified (without Content-Type)
// and reports true; the caller then writes nothing more. The 304 echoes
// the tag the client holds: Compress gives compressed responses the tag
// with an encoding suffix, and a 304 is not compressed.
func NotModified(w http.ResponseWriter, r *http.Request, etag string) bool {
	h := w.Header()
	h.Set("ETag", etag)
	tag, ok := matchETag(r.Header.Get("If-None-Match"), etag)
	if !ok {
		return false
	}
	h.Set("ETag", tag)
	h.Del("Content-Type")
	w.WriteHeader(http.StatusNotModified)
	return true
}

// matchETag reports whether an If-None-Match header names etag, compared
// weakly as RFC 9110 asks, ignoring the -gzip/-zstd suffix that the
// compression layer adds. It returns the client's tag.
func matchETag(header, etag string) (string, bool) {
	if header == "" {
		return "", false
	}
	base := strings.Trim(etag, `"`)
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" {
			return etag, true
		}
		opaque := strings.Trim(strings.TrimPrefix(tag, "W/"), `"`)
		for _, suffix := range []string{"", "-gzip", "-zstd"} {
			if opaque == base+suffix {
				return `"` + opaque + `"`, true
			}
		}
	}
	return "", false
}
