// Package catalog holds the shipped entries as data: domains.yaml and one
// file per entry under {domain}/. The binary embeds them; internal/catalog
// loads and checks them.
package catalog

import "embed"

// The snapshot (snapshot.gob) is the loaded catalog, prebuilt, so the
// binary starts in milliseconds; a test fails while it is stale.
//go:generate go run ../cmd/errorcanon snapshot .

// FS is the shipped catalog.
//
//go:embed domains.yaml all:*
var FS embed.FS
