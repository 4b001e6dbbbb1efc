package testutil

// This file holds the shipped catalog as tests see it: loaded once per
// test binary, from the embedded snapshot.

import (
	"sync"

	catalogdata "github.com/errorcanon/errorcanon/catalog"
	"github.com/errorcanon/errorcanon/internal/catalog"
)

// shipped decodes the embedded snapshot (milliseconds) when it was made
// from these very files, and loads the YAML (seconds on a loaded machine)
// only when it is stale; internal/catalog's TestEmbeddedSnapshotFresh
// checks that both give the same catalog.
var shipped = sync.OnceValues(func() (*catalog.Catalog, catalog.Problems) {
	if c, problems, ok := catalog.LoadSnapshot(catalogdata.FS); ok {
		return c, problems
	}
	return catalog.Load(catalogdata.FS)
})

// Shipped is the shipped catalog and its problems, loaded once per test
// binary. Callers must not modify it. Its entries carry no file lines
// (catalog.Locate gives line 0); tests of line numbers load the files.
func Shipped() (*catalog.Catalog, catalog.Problems) { return shipped() }
