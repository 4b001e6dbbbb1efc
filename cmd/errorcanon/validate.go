package main

import (
	"context"
	"fmt"
)

func runValidate(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "validate", "[DIR]")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return 2
	}
	c, problems, err := loadCatalog(fs.Arg(0), false)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon validate: %v\n", err)
		return 2
	}
	dir := fs.Arg(0)
	for _, p := range problems {
		if dir != "" {
			p.File = dir + "/" + p.File
		}
		fmt.Fprintln(e.stdout, p.String())
	}
	if len(problems) > 0 {
		fmt.Fprintf(e.stderr, "%d problem(s); %d entries passed their own checks\n", len(problems), len(c.Entries))
		return 1
	}
	fmt.Fprintf(e.stderr, "ok: %d entries in %d domains\n", len(c.Entries), len(c.Domains))
	return 0
}
