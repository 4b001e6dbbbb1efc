package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/match"
)

func runValidate(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "validate", "[DIR]")
	corpus := fs.String("corpus", "", "`directory` of ordinary tool output no regex may match (default: internal/match/testdata/corpus/normal-output beside DIR, when there)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return 2
	}
	dir := fs.Arg(0)
	// The files themselves, never the snapshot: problems need their lines.
	fsys, _, err := catalogFS(dir)
	var c *catalog.Catalog
	var problems catalog.Problems
	if err == nil {
		c, problems = catalog.Load(fsys)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon validate: %v\n", err)
		return 2
	}
	if *corpus == "" && dir != "" {
		if d := filepath.Join(dir, "..", "internal", "match", "testdata", "corpus", "normal-output"); isDir(d) {
			*corpus = d
		}
	}
	files, err := readCorpus(*corpus)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon validate: %v\n", err)
		return 2
	}
	problems = append(problems, matchProblems(c, files)...)
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

// matchProblems checks what needs the matcher:
//   - quality rule 3: every example ranks its own entry first, as given,
//     with log prefixes on its lines, and cut to the message after its
//     tool prefix;
//   - no regex matches another entry's example unless the two are linked
//     as confused_with;
//   - no regex matches a line of the corpus of ordinary tool output;
//   - regexes the prefilter cannot help, which run on every input.
func matchProblems(c *catalog.Catalog, corpus map[string][]byte) catalog.Problems {
	ix, warns := match.Build(c.Entries)
	var ps catalog.Problems
	for _, w := range warns {
		ps = append(ps, c.Locate(w.ID, "regex", w.Msg))
	}
	for _, m := range append(ix.CheckExamples(), ix.CheckPrefixes()...) {
		field := fmt.Sprintf("examples[%d]", m.Example)
		as := ""
		if m.Case != "" {
			as = " " + m.Case
		}
		msg := "matches no entry, not even its own" + as + "; fix regex or the example"
		if m.Got != "" {
			msg = fmt.Sprintf("ranks %s above its own entry%s; make the regexes tell them apart", m.Got, as)
		}
		ps = append(ps, c.Locate(m.ID, field, msg))
	}
	for _, o := range ix.CheckOverlaps() {
		ps = append(ps, c.Locate(o.ID, "regex", fmt.Sprintf("matches example %d of %s; tell the texts apart, or link the two with confused_with and a distinction", o.Example, o.Other)))
	}
	alarms := ix.CheckCorpus(corpus)
	sort.Slice(alarms, func(i, j int) bool {
		if alarms[i].File != alarms[j].File {
			return alarms[i].File < alarms[j].File
		}
		return alarms[i].Line < alarms[j].Line
	})
	for _, a := range alarms {
		ps = append(ps, c.Locate(a.ID, "regex", fmt.Sprintf("matches ordinary output, %s:%d: %q", a.File, a.Line, a.Text)))
	}
	return ps
}

// readCorpus reads every file of dir ("" reads nothing).
func readCorpus(dir string) (map[string][]byte, error) {
	if dir == "" {
		return nil, nil
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	files := map[string][]byte{}
	for _, de := range ents {
		if de.IsDir() || de.Name() == "README.md" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, de.Name()))
		if err != nil {
			return nil, fmt.Errorf("corpus: %w", err)
		}
		files[filepath.Join(dir, de.Name())] = b
	}
	return files, nil
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}
