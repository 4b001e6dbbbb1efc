package web

import (
	"net/http"
)

// OfflineManifestPath is where a static build keeps the manifest of its
// offline search index and matcher (internal/offline). The site's script
// asks it on the first use of the search or paste box; the server answers
// that it is one, so the script uses its API instead.
const OfflineManifestPath = "/offline/manifest.json"

// serverManifest is the server's answer at OfflineManifestPath.
const serverManifest = `{"server":true}` + "\n"

func (s *Server) offlineManifest(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", TypeJSON)
	w.Header().Set("Cache-Control", "no-cache")
	if r.Method != http.MethodHead {
		_, err := w.Write([]byte(serverManifest))
		return err
	}
	return nil
}
