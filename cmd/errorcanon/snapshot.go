package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/errorcanon/errorcanon/internal/catalog"
)

// runSnapshot writes the snapshot of a catalog directory into it (go
// generate ./catalog). A snapshot already made from the same files is left
// as it is, so regenerating without changes changes nothing.
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
	src, err := catalog.SourceHash(fsys)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon snapshot: %v\n", err)
		return 2
	}
	out := filepath.Join(dir, catalog.SnapshotFile)
	if old, err := os.ReadFile(out); err == nil {
		if s, err := catalog.SnapshotSource(old); err == nil && s == src {
			fmt.Fprintf(e.stderr, "%s is up to date\n", out)
			return 0
		}
	}
	var b bytes.Buffer
	if err := catalog.WriteSnapshot(&b, fsys); err != nil {
		fmt.Fprintf(e.stderr, "errorcanon snapshot: %v\n", err)
		return 2
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
