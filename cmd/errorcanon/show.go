package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"sort"
	"strings"

	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/render"
)

func runShow(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "show", "ID")
	format := fs.String("format", "text", "output `format`: text, json or md")
	lang := fs.String("lang", e.envDefault("ERRORCANON_LANG", "en"), "language: en or zh (env ERRORCANON_LANG)")
	dir := catalogFlag(e, fs)
	base := fs.String("base-url", e.envDefault("ERRORCANON_BASE_URL", render.DefaultBaseURL), "site `URL` for links (env ERRORCANON_BASE_URL)")
	db := dbFlag(e, fs)
	width := widthFlag(e, fs)
	// Flags may come after the id: errorcanon show ID --format json.
	pos, code, ok := parseInterspersed(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		if len(pos) == 0 {
			fmt.Fprintln(e.stderr, "errorcanon show: which entry? give its id, e.g. python/module-not-found")
		} else {
			fmt.Fprintf(e.stderr, "errorcanon show: one id at a time, got %d\n", len(pos))
		}
		fs.Usage()
		return 2
	}
	l, err := render.ParseLang(*lang)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon show: --lang: %v\n", err)
		return 2
	}
	switch *format {
	case "text", "json", "md":
	default:
		fmt.Fprintf(e.stderr, "errorcanon show: --format must be text, json or md, not %q\n", *format)
		return 2
	}
	c, problems, err := loadCatalog(*dir, false)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon show: %v\n", err)
		return 2
	}
	out, err := storedOutcomes(ctx, e, *db)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon show: --db: %v\n", err)
		return 1
	}
	r, err := render.New(c, render.Options{BaseURL: *base, Outcomes: out})
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon show: --base-url: %v\n", err)
		return 2
	}

	id := normalizeID(pos[0])
	entry := c.Entry(id)
	if entry == nil {
		where := "the embedded catalog"
		if *dir != "" {
			where = *dir
		}
		fmt.Fprintf(e.stderr, "errorcanon show: no entry %q in %s\n", pos[0], where)
		for _, p := range problems {
			if strings.TrimSuffix(p.File, ".yaml") == id || strings.TrimSuffix(p.File, ".yml") == id || strings.TrimSuffix(p.File, ".json") == id {
				fmt.Fprintf(e.stderr, "  its file has problems: %s\n", p.String())
			}
		}
		if s := suggest(c, id); len(s) > 0 {
			fmt.Fprintf(e.stderr, "did you mean:\n  %s\n", strings.Join(s, "\n  "))
		}
		return 1
	}

	var buf bytes.Buffer
	switch *format {
	case "json":
		err = r.EntryJSON(&buf, entry)
	case "md":
		err = r.EntryMarkdown(&buf, entry, l)
	default:
		err = r.EntryTextWidth(&buf, entry, l, termWidth(e, *width))
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon show: %v\n", err)
		return 1
	}
	if _, err := e.stdout.Write(buf.Bytes()); err != nil {
		return 1
	}
	return 0
}

// parseInterspersed parses flags that may come before, between or after
// positional arguments, and returns the positional ones.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, int, bool) {
	var pos []string
	for {
		if code, ok := parse(fs, args); !ok {
			return nil, code, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, 0, true
		}
		// After "--" everything is positional.
		if i := len(args) - len(rest); i > 0 && args[i-1] == "--" {
			return append(pos, rest...), 0, true
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// normalizeID accepts an id also as a site path or URL:
// https://errorcanon.dev/errors/api/x/zh.html and /errors/api/x/ name api/x.
func normalizeID(s string) string {
	if i := strings.Index(s, "/errors/"); i >= 0 {
		s = s[i+len("/errors/"):]
	}
	s = strings.TrimPrefix(s, "errors/")
	for _, f := range []string{"zh.html", "index.json", "index.md", "zh.md", "index.html"} {
		s = strings.TrimSuffix(s, "/"+f)
	}
	return strings.Trim(s, "/")
}

// suggest lists up to five ids close to an unknown one: same slug in
// another domain, or ids sharing words with it.
func suggest(c *catalog.Catalog, id string) []string {
	_, slug, _ := strings.Cut(id, "/")
	if slug == "" {
		slug = id
	}
	words := strings.FieldsFunc(strings.ToLower(slug), func(r rune) bool { return r == '-' || r == '/' || r == '_' || r == ' ' })
	type scored struct {
		id    string
		score int
	}
	var out []scored
	for _, e := range c.Entries {
		score := 0
		if e.Slug() == slug {
			score += 10
		}
		for _, w := range words {
			if len(w) > 2 && strings.Contains(e.ID, w) {
				score++
			}
		}
		if score >= 2 || (score >= 1 && len(words) == 1) {
			out = append(out, scored{e.ID, score})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	var ids []string
	for i := 0; i < len(out) && i < 5; i++ {
		ids = append(ids, out[i].id)
	}
	return ids
}
