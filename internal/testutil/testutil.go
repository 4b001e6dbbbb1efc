// Package testutil holds fixtures that several packages' tests share: the
// seed catalog (the two entries of the seed pages and the generic ALB 502
// entry, linked only among themselves), built once per test binary.
package testutil

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/fstest"

	"go.yaml.in/yaml/v3"

	catalogdata "github.com/errorcanon/errorcanon/catalog"
	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/catalog"
)

// The two entries of the seed pages in ../shared/seeds.
const (
	SeedALB = "api/http-502-bad-gateway-aws-alb-ssl-handshake"
	SeedCF  = "aws/cloudfront-custom-origin-ssl-handshake-failure"
)

// SeedIDs are the seed entries, in id order.
var SeedIDs = []string{SeedALB, SeedCF}

// SeedGeneric is the entry that answers a bare ALB 502, which the seed
// page's entry used to claim; the fixture holds it so that the two can be
// told apart.
const SeedGeneric = "api/http-502-bad-gateway-aws-alb"

var seedFS = sync.OnceValues(func() (fstest.MapFS, error) {
	ids := map[string]bool{SeedALB: true, SeedCF: true, SeedGeneric: true}
	m := fstest.MapFS{}
	b, err := fs.ReadFile(catalogdata.FS, catalog.DomainsFile)
	if err != nil {
		return nil, err
	}
	m[catalog.DomainsFile] = &fstest.MapFile{Data: b}
	for id := range ids {
		b, err := fs.ReadFile(catalogdata.FS, id+".yaml")
		if err != nil {
			return nil, err
		}
		// Links to entries outside the fixture are dropped, so that it
		// loads cleanly and stays the same as the catalog grows.
		if b, err = pruneRelated(b, ids); err != nil {
			return nil, fmt.Errorf("%s: %v", id, err)
		}
		m[id+".yaml"] = &fstest.MapFile{Data: b}
		if g, err := fs.ReadFile(catalogdata.FS, id+canon.GoldenExt); err == nil {
			m[id+canon.GoldenExt] = &fstest.MapFile{Data: g}
		}
	}
	return m, nil
})

// pruneRelated removes related links to ids outside keep from an entry
// file, keeping everything else as written.
func pruneRelated(data []byte, keep map[string]bool) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "related" {
			continue
		}
		rel := root.Content[i+1]
		for j := 0; j+1 < len(rel.Content); j += 2 {
			list := rel.Content[j+1]
			var kept []*yaml.Node
			for _, item := range list.Content {
				for k := 0; k+1 < len(item.Content); k += 2 {
					if item.Content[k].Value == "id" && keep[item.Content[k+1].Value] {
						kept = append(kept, item)
					}
				}
			}
			list.Content = kept
			list.Style = yaml.FlowStyle // [] when empty
			if len(kept) > 0 {
				list.Style = 0
			}
		}
	}
	return yaml.Marshal(&doc)
}

// SeedFS is the shipped domain list with the seed entries, the generic ALB
// entry and their golden files. Callers must not modify it.
func SeedFS(t testing.TB) fstest.MapFS {
	t.Helper()
	m, err := seedFS()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// SeedCatalog loads SeedFS and fails the test on any problem.
func SeedCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	c, problems := catalog.Load(SeedFS(t))
	if len(problems) > 0 {
		t.Fatalf("seed entries have problems:\n%v", problems)
	}
	return c
}

// SeedDir writes SeedFS into a new temporary directory, plus extra files
// (path relative to the catalog: content), and returns the directory.
func SeedDir(t testing.TB, extra map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{}
	for p, f := range SeedFS(t) {
		files[p] = string(f.Data)
	}
	for p, s := range extra {
		files[p] = s
	}
	for p, s := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
