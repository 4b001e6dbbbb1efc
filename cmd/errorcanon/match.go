package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
)

func runMatch(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "match", "[FILE...]  (reads standard input when no file is given)")
	dir := catalogFlag(e, fs)
	asJSON := fs.Bool("json", false, "print results as JSON")
	limit := fs.Int("limit", match.DefaultLimit, fmt.Sprintf("number of entries to show (1-%d)", match.MaxLimit))
	lang := fs.String("lang", e.envDefault("ERRORCANON_LANG", "en"), "language: en or zh (env ERRORCANON_LANG)")
	domain := fs.String("domain", "", "only entries of this domain")
	color := fs.String("color", "auto", "colour: auto, always or never (auto honours NO_COLOR)")
	base := fs.String("base-url", e.envDefault("ERRORCANON_BASE_URL", defaultBaseURL), "site address for links (env ERRORCANON_BASE_URL)")
	width := widthFlag(e, fs)
	db := dbFlag(e, fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if *width < 0 {
		fmt.Fprintf(e.stderr, "errorcanon match: --width must be 0 (the terminal's) or more, not %d\n", *width)
		return 2
	}
	if *lang != "en" && *lang != "zh" {
		fmt.Fprintf(e.stderr, "errorcanon match: --lang must be en or zh, not %q\n", *lang)
		return 2
	}
	if *limit < 1 || *limit > match.MaxLimit {
		fmt.Fprintf(e.stderr, "errorcanon match: --limit must be 1 to %d, not %d\n", match.MaxLimit, *limit)
		return 2
	}
	useColor, err := wantColor(*color, e)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon match: %v\n", err)
		return 2
	}
	input, closeInputs, err := openInputs(e.stdin, fs.Args())
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon match: %v\n", err)
		return 2
	}
	defer closeInputs()
	// Loading allocates a few megabytes that all stay live: collecting
	// meanwhile only costs time (a tenth of a short match's CPU). The
	// collector comes back on once the input passes gcAfterInput bytes,
	// so a log of any size is read with bounded memory, and a short
	// message is answered before a collection could pay for itself.
	// Turning it back on when the answer is written, not before, spares
	// the process a collection of the heap it is about to drop (the
	// heap is over the collector's goal by then); what comes after
	// matching allocates little: it prints at most MaxLimit entries.
	gc := debug.SetGCPercent(-1)
	defer debug.SetGCPercent(gc)
	ix, entry, err := matchOnly(*dir, e.stderr)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon match: %v\n", err)
		return 2
	}
	input = &gcAfter{r: input, left: gcAfterInput, percent: gc}
	rs, _, err := ix.MatchReader(input, match.Options{Limit: *limit, Domain: *domain})
	if errors.Is(err, match.ErrEmpty) {
		err = errors.New("no input: pipe a log in (make 2>&1 | errorcanon match) or name files")
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon match: %v\n", err)
		return 2
	}
	// The live figures of --db (the default file only if it exists).
	live := func([]match.Summary) {}
	if out, err := storedOutcomes(ctx, e, *db); err != nil {
		fmt.Fprintf(e.stderr, "errorcanon match: warning: --db: %v (showing the editors' estimates)\n", err)
	} else {
		live = func(sums []match.Summary) { render.LiveSummaries(out, entry, sums) }
	}
	if *asJSON {
		sums := match.Summarize(rs, *lang, 0)
		live(sums)
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(struct {
			Matched bool            `json:"matched"`
			Results []match.Summary `json:"results"`
		}{match.Known(rs), sums})
	} else {
		sums := match.Summarize(rs, *lang, 3)
		live(sums)
		v := verdicts{lang: *lang, base: strings.TrimRight(*base, "/"), width: termWidth(e, *width), entry: entry}
		v.print(e.stdout, sums, useColor)
	}
	if !match.Known(rs) {
		return 1
	}
	return 0
}

const defaultBaseURL = "https://errorcanon.dev"

// matchOnly returns the match index of the catalog in dir ("" for the
// embedded one) and a way to find its entries by id, loading no more
// than one match needs: for the embedded catalog, the snapshot's plan
// and the entries the results name (about a tenth of loading it all).
// Catalog problems are a warning on w.
func matchOnly(dir string, w io.Writer) (*match.Index, func(string) *canon.Entry, error) {
	var (
		ix       *match.Index
		entry    func(string) *canon.Entry
		problems catalog.Problems
		n        int
	)
	if dir == "" && embeddedLoaded.Load() == nil {
		ix = embeddedLazyMatch()
	}
	if ix != nil {
		s := embeddedSnapshot()
		entry, problems, n = s.EntryByID, s.Problems(), s.Len()
	} else {
		c, ps, err := loadCatalog(dir, false)
		if err != nil {
			return nil, nil, err
		}
		ix, _ = matchIndex(c)
		entry, problems, n = c.Entry, ps, len(c.Entries)
	}
	if len(problems) > 0 {
		fmt.Fprintf(w, "errorcanon match: warning: %d catalog problem(s); run 'errorcanon validate' (matching with the %d valid entries)\n", len(problems), n)
	}
	return ix, entry, nil
}

// openInputs returns the named files one after the other, or standard
// input. The matcher streams them: a log of any size is read once, with
// bounded memory (match.MatchReader).
func openInputs(stdin io.Reader, files []string) (io.Reader, func(), error) {
	if len(files) == 0 {
		return stdin, func() {}, nil
	}
	var readers []io.Reader
	var open []*os.File
	closeAll := func() {
		for _, f := range open {
			f.Close()
		}
	}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		open = append(open, f)
		readers = append(readers, f, strings.NewReader("\n"))
	}
	return io.MultiReader(readers...), closeAll, nil
}

func wantColor(mode string, e *env) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto":
		if e.getenv("NO_COLOR") != "" || e.getenv("TERM") == "dumb" {
			return false, nil
		}
		f, ok := e.stdout.(*os.File)
		if !ok {
			return false, nil
		}
		st, err := f.Stat()
		return err == nil && st.Mode()&os.ModeCharDevice != 0, nil
	}
	return false, fmt.Errorf("--color must be auto, always or never, not %q", mode)
}

type palette struct{ bold, dim, red, green, yellow, reset string }

// gcAfterInput is how much input match reads before it turns the
// collector back on.
const gcAfterInput = 4 << 20

// gcAfter reads r and restores the collector's percent once left bytes
// have been read.
type gcAfter struct {
	r       io.Reader
	left    int64
	percent int
}

func (g *gcAfter) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if g.left > 0 {
		if g.left -= int64(n); g.left <= 0 {
			debug.SetGCPercent(g.percent)
		}
	}
	return n, err
}
