package main

import (
	"context"
	"fmt"

	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/match"
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
	dir := fs.Arg(0)
	c, problems, err := loadCatalog(dir, false)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon validate: %v\n", err)
		return 2
	}
	problems = append(problems, matchProblems(c)...)
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

// matchProblems checks what needs the matcher: quality rule 3 (every
// example ranks its own entry first) and regexes the prefilter cannot
// help, which run on every input.
func matchProblems(c *catalog.Catalog) catalog.Problems {
	ix, warns := match.Build(c.Entries)
	var ps catalog.Problems
	for _, w := range warns {
		ps = append(ps, c.Locate(w.ID, "regex", w.Msg))
	}
	for _, m := range ix.CheckExamples() {
		msg := "matches no entry, not even its own; fix regex or the example"
		if m.Got != "" {
			msg = fmt.Sprintf("ranks %s above its own entry; make the regexes tell them apart", m.Got)
		}
		ps = append(ps, c.Locate(m.ID, fmt.Sprintf("examples[%d]", m.Example), msg))
	}
	return ps
}
