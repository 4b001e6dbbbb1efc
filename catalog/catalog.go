// Package catalog holds the shipped entries as data: domains.yaml and one
// file per entry under {domain}/. The binary embeds them; internal/catalog
// loads and checks them.
package catalog

import "embed"

// FS is the shipped catalog.
//
//go:embed domains.yaml all:*
var FS embed.FS
