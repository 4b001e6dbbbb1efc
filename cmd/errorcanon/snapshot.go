package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/search"
)

// runSnapshot writes the snapshot of a catalog directory into it (go
// generate ./catalog), with the match index's plan. It is rewritten only
// when the files or the plan changed, so regenerating without changes
// changes nothing.
func runSnapshot(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "snapshot", "DIR")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	dir := fs.Arg(0)
	fsys := os.DirFS(dir)
	out := filepath.Join(dir, catalog.SnapshotFile)
	var b bytes.Buffer
	if err := catalog.WriteSnapshot(&b, fsys, snapshotExtras); err != nil {
		fmt.Fprintf(e.stderr, "errorcanon snapshot: %v\n", err)
		return 2
	}
	if old, err := os.ReadFile(out); err == nil && catalog.SameSnapshot(old, b.Bytes()) {
		fmt.Fprintf(e.stderr, "%s is up to date\n", out)
		return 0
	}
	// Written beside and renamed, so a reader never sees half a snapshot.
	tmp := out + ".tmp"
	if err := os.WriteFile(tmp, b.Bytes(), 0o644); err != nil {
		fmt.Fprintf(e.stderr, "errorcanon snapshot: %v\n", err)
		return 2
	}
	if err := os.Rename(tmp, out); err != nil {
		os.Remove(tmp)
		fmt.Fprintf(e.stderr, "errorcanon snapshot: %v\n", err)
		return 2
	}
	fmt.Fprintf(e.stderr, "wrote %s (%d bytes)\n", out, b.Len())
	return 0
}

// snapshotExtras derives what the snapshot carries beside the catalog:
// the match index's plan (embeddedMatch uses it) and the full-text index
// (embeddedSearch).
func snapshotExtras(c *catalog.Catalog) ([]catalog.Extra, error) {
	plan, err := match.BuildPlan(c.Entries).Encode()
	if err != nil {
		return nil, err
	}
	six, err := search.Build(c.Entries)
	if err != nil {
		return nil, err
	}
	index, err := six.Encode()
	if err != nil {
		return nil, err
	}
	return []catalog.Extra{{Name: match.PlanExtra, Data: plan}, {Name: search.IndexExtra, Data: index}}, nil
}
