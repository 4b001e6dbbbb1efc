package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// version is the module version and commit the binary was built from, as
// the Go toolchain recorded them: `go install ...@v1.2.0` gives the
// version, a build in a git checkout the commit (vcs.revision) and whether
// the tree had uncommitted changes.
func version() string {
	v, commit, modified, when := "(devel)", "", false, ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			case "vcs.time":
				when = s.Value
			}
		}
	}
	out := "errorcanon " + v
	if commit != "" {
		out += " commit " + commit[:min(12, len(commit))]
		if modified {
			out += " (modified)"
		}
		if when != "" {
			out += " " + when
		}
	}
	return out + " " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
}

func printVersion(w io.Writer) int {
	fmt.Fprintln(w, version())
	return 0
}
