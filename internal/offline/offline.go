// Package offline makes the files only the static build has: those that
// let the static site's search box and paste box work with no server, in
// the browser, and keep working offline once loaded.
//
//	offline/manifest.json                 what the site's script reads first: the paths below and its strings
//	offline/search/HASH/{en,zh}/...       the search index (internal/sitesearch), fetched a shard at a time
//	offline/match.HASH.wasm               the matcher (cmd/matchwasm), compiled for GOOS=js
//	offline/wasm_exec.HASH.js             Go's glue for it, from the toolchain that compiled it
//	offline/match-data.HASH.gob           the catalog's match data with the prebuilt plan (internal/matchdata)
//	sw.js                                 a service worker that keeps the above (and pages seen) for offline use
//
// The site's one script (internal/render/assets/app.js) is the same on
// the server and in the build; it tells them apart by the manifest, which
// only the build has, fetched on the first use of a box. Every file but
// the manifest and sw.js has its content's hash in its path, so a host
// may cache it forever.
package offline

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strings"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/matchdata"
	"github.com/errorcanon/errorcanon/internal/middleware"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/sitesearch"
	"github.com/errorcanon/errorcanon/internal/static"
)

// Paths of the files a static host must serve as they are.
const (
	ManifestPath = "offline/manifest.json" // web.OfflineManifestPath without its slash
	WorkerPath   = "sw.js"
)

// HostCSP is the Content-Security-Policy for a host that serves the
// static site and lets you set headers: the server's own
// (middleware.ContentSecurityPolicy) with 'wasm-unsafe-eval', without
// which a browser refuses to compile the matcher. Service workers fall
// under default-src 'self'.
var HostCSP = strings.Replace(middleware.ContentSecurityPolicy, "script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", 1)

//go:embed assets/sw.js
var worker []byte

// Matcher is the compiled matcher and its JavaScript glue (BuildWasm).
type Matcher struct {
	Wasm []byte // match.wasm
	Exec []byte // wasm_exec.js of the Go that compiled it
}

// manifest is offline/manifest.json.
type manifest struct {
	Version int                          `json:"version"`
	Search  searchFiles                  `json:"search"`
	Match   *matchFiles                  `json:"match"` // null: built without the matcher (--no-wasm)
	Strings map[string]map[string]string `json:"strings"`
}

type searchFiles struct {
	Base  string                     `json:"base"` // ends in "/"
	Langs map[string]sitesearch.Lang `json:"langs"`
}

type matchFiles struct {
	Wasm string `json:"wasm"`
	Exec string `json:"exec"`
	Data string `json:"data"`
}

// stringKeys are the UI strings the script needs beyond a page's own.
var stringKeys = []string{"search_n", "search_n_one", "search_none", "offline_loading", "offline_search_error", "offline_match_error"}

// Files returns the offline files for entries; m nil leaves the matcher
// out (the paste box then needs a server, as before).
func Files(entries []*canon.Entry, m *Matcher) ([]static.File, error) {
	ix, err := sitesearch.Build(entries)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(ix.Files))
	for n := range ix.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		h.Write([]byte(n + "\x00"))
		h.Write(ix.Files[n])
		h.Write([]byte{0})
	}
	base := "offline/search/" + hex.EncodeToString(h.Sum(nil))[:12] + "/"
	var files []static.File
	for _, n := range names {
		files = append(files, static.File{Path: base + n, Data: ix.Files[n]})
	}
	man := manifest{Version: 1, Search: searchFiles{Base: "/" + base, Langs: ix.Langs}, Strings: map[string]map[string]string{}}
	for _, l := range []render.Lang{render.EN, render.ZH} {
		s := map[string]string{}
		for _, k := range stringKeys {
			s[k] = render.UIString(l, k)
		}
		man.Strings[string(l)] = s
	}
	if m != nil {
		data, err := matchdata.Encode(entries)
		if err != nil {
			return nil, err
		}
		hashed := func(name, ext string, b []byte) string {
			sum := sha256.Sum256(b)
			p := "offline/" + name + "." + hex.EncodeToString(sum[:])[:12] + ext
			files = append(files, static.File{Path: p, Data: b})
			return "/" + p
		}
		man.Match = &matchFiles{Wasm: hashed("match", ".wasm", m.Wasm), Exec: hashed("wasm_exec", ".js", m.Exec), Data: hashed("match-data", ".gob", data)}
	}
	mb, err := json.MarshalIndent(man, "", " ")
	if err != nil {
		return nil, err
	}
	files = append(files, static.File{Path: ManifestPath, Data: append(mb, '\n')}, static.File{Path: WorkerPath, Data: worker})
	return files, nil
}
