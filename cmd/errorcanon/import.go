package main

import (
	"context"
	"fmt"

	"github.com/errorcanon/errorcanon/internal/importer"
)

// runImport converts a peer's JSON entries into catalog files in --out,
// printing the report: counts, then every skipped entry and why.
func runImport(_ context.Context, e *env, args []string) int {
	fs := newFlags(e, "import", "--from deadends|errorcanon --out DIR SRC")
	from := fs.String("from", "", "the source's `format`: deadends (deadends.dev's data/canons) or errorcanon (index.json files)")
	out := fs.String("out", "", "`directory` to write the catalog to (replaced atomically; serve it with --catalog)")
	quiet := fs.Bool("q", false, "print the counts only, not every skipped entry")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if *from == "" || *out == "" || fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	res, err := importer.Convert(importer.Format(*from), fs.Arg(0))
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon import: %v\n", err)
		return 1
	}
	if !*quiet {
		for _, s := range res.Report.Skipped {
			fmt.Fprintf(e.stdout, "skip %s\n", s)
		}
	}
	fmt.Fprint(e.stdout, res.Report.Summary())
	if err := importer.Write(*out, res); err != nil {
		fmt.Fprintf(e.stderr, "errorcanon import: writing %s: %v (nothing was written)\n", *out, err)
		return 1
	}
	fmt.Fprintf(e.stdout, "wrote %d entries to %s (report: %s); serve them with: errorcanon serve --catalog %s\n", len(res.Entries), *out, importer.ReportFile, *out)
	return 0
}
