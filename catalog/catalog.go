// Package catalog holds the shipped entries as data: domains.yaml and one
// file per entry under {domain}/. The binary embeds them; internal/catalog
// loads and checks them.
package catalog

import "embed"

// The snapshot (snapshot.bin) is the loaded catalog, prebuilt, so the
// binary starts in milliseconds; a test fails while it is stale.
//go:generate go run ../cmd/errorcanon snapshot .

// FS is the shipped catalog. Its snapshot is also at hand as a string
// (SnapshotData), so that internal/catalog decodes it where the binary
// holds it instead of copying 9 MB first.
var FS = files{embedded}

//go:embed domains.yaml all:*
var embedded embed.FS

// The linker stores the file's bytes once for both.
//
//go:embed snapshot.bin
var snapshot string

type files struct{ embed.FS }

// SnapshotData returns the snapshot's bytes, from the binary's read-only
// data.
func (files) SnapshotData() string { return snapshot }
