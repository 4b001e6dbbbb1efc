package web

import (
	"net/http"
	"testing"
)

// The server answers the static build's manifest path with what tells the
// site's script to use the API, uncached by shared caches' rules.
func TestOfflineManifest(t *testing.T) {
	h := newServer(t, nil).Handler()
	rec := do(h, http.MethodGet, OfflineManifestPath)
	if rec.Code != http.StatusOK || rec.Body.String() != serverManifest {
		t.Fatalf("GET %s: %d %q", OfflineManifestPath, rec.Code, rec.Body.String())
	}
	if got := rec.Header().Get("Content-Type"); got != TypeJSON {
		t.Errorf("Content-Type %q", got)
	}
	if got := rec.Header().Get("Cache-Control"); got != "no-cache" {
		t.Errorf("Cache-Control %q", got)
	}
	if rec := do(h, http.MethodHead, OfflineManifestPath); rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Errorf("HEAD: %d, %d bytes", rec.Code, rec.Body.Len())
	}
}
