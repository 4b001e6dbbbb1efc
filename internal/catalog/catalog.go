// Package catalog loads a catalog of entries, embedded or from a directory,
// into canon values. Catalog layout:
//
//	domains.yaml            the domain list
//	{domain}/{slug}.yaml    one entry per file (.yml and .json work too)
//
// Loading checks every entry and reports each problem as file:line: field:
// message, so a broken catalog is fixed from the report alone.
package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/errorcanon/errorcanon/internal/canon"
)

// MaxFileSize bounds one catalog file; an entry is a few kilobytes.
const MaxFileSize = 1 << 20

// DomainsFile is the domain list's file name at the catalog's root.
const DomainsFile = "domains.yaml"

// Catalog is a loaded, checked set of entries.
type Catalog struct {
	Domains []canon.Domain // those that hold at least one entry, in file order
	Entries []*canon.Entry // sorted by ID

	byID     map[string]*canon.Entry
	byDomain map[string][]*canon.Entry
	domain   map[string]*canon.Domain
	// Files maps an entry id to the file it came from.
	Files map[string]string
	locs  map[string]lines
	// extras come with a snapshot (snapshot.go).
	extras []snapshotExtra
}

// Problem is one broken rule located in a file.
type Problem struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Problems is the list Load returns; as an error it prints one per line.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Entry returns the entry with the given id, or nil.
func (c *Catalog) Entry(id string) *canon.Entry { return c.byID[id] }

// Domain returns the domain with the given id, or nil.
func (c *Catalog) Domain(id string) *canon.Domain { return c.domain[id] }

// InDomain returns the entries of one domain, sorted by id.
func (c *Catalog) InDomain(id string) []*canon.Entry { return c.byDomain[id] }

// Locate makes a problem about an entry's field, with the file and line
// the entry came from, for checks that run after loading (the matcher's).
func (c *Catalog) Locate(id, field, msg string) Problem {
	return Problem{File: c.Files[id], Line: c.locs[id].line(field), Field: field, Msg: msg}
}

// Load reads and checks the catalog in fsys. It returns the entries that
// passed their own checks together with every problem found; the caller
// decides whether problems are fatal. Links to entries that are not in the
// returned catalog are dropped from it, so nothing served points nowhere.
func Load(fsys fs.FS) (*Catalog, Problems) { return load(fsys, false) }

// LoadAll is Load that keeps every entry that decodes, valid or not:
// reproducing an entry (verify) does not need it to pass the quality
// rules, and recording its golden file is how some of them come to pass.
func LoadAll(fsys fs.FS) (*Catalog, Problems) { return load(fsys, true) }

func load(fsys fs.FS, keepInvalid bool) (*Catalog, Problems) {
	c := &Catalog{Files: map[string]string{}}
	var problems Problems
	domains, ps := loadDomains(fsys)
	problems = append(problems, ps...)
	c.Domains = domains
	known := map[string]bool{}
	for _, d := range domains {
		known[d.ID] = true
	}

	type loaded struct {
		e    *canon.Entry
		file string
		loc  lines
	}
	var all []loaded
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			problems = append(problems, Problem{File: p, Msg: err.Error()})
			return nil
		}
		if !d.IsDir() && path.Ext(p) == canon.GoldenExt && !hasEntry(fsys, p) {
			problems = append(problems, Problem{File: p, Msg: "is a golden file without an entry beside it; remove it or rename it with its entry"})
		}
		if d.IsDir() || p == DomainsFile || !isEntryFile(p) {
			return nil
		}
		e, loc, perr := decodeEntryFile(fsys, p)
		if perr != nil {
			problems = append(problems, *perr)
			return nil
		}
		if want := strings.TrimSuffix(p, path.Ext(p)); e.ID != want {
			problems = append(problems, Problem{File: p, Line: loc.line("id"), Field: "id", Msg: fmt.Sprintf("%q must equal the file's path in the catalog, %q", e.ID, want)})
			return nil
		}
		rec, rp := readRecord(fsys, strings.TrimSuffix(p, path.Ext(p))+canon.GoldenExt)
		if rp != nil {
			problems = append(problems, *rp)
		}
		e.Derive(rec)
		canon.NoNil(e)
		bad := false
		for _, cp := range cutByComments(p, loc.root) {
			problems = append(problems, cp)
			bad = true
		}
		for _, vp := range canon.Validate(e, known) {
			problems = append(problems, Problem{File: p, Line: loc.line(vp.Field), Field: vp.Field, Msg: vp.Msg})
			bad = true
		}
		if !bad || keepInvalid {
			all = append(all, loaded{e, p, loc})
		}
		return nil
	})
	if err != nil {
		problems = append(problems, Problem{File: ".", Msg: err.Error()})
	}

	entries := make([]*canon.Entry, len(all))
	files := map[string]loaded{}
	for i, l := range all {
		entries[i] = l.e
		files[l.e.ID] = l
	}
	for _, vp := range canon.ValidateCatalog(entries) {
		l := files[vp.ID]
		problems = append(problems, Problem{File: l.file, Line: l.loc.line(vp.Field), Field: vp.Field, Msg: vp.Msg})
	}
	c.index(entries)
	c.locs = map[string]lines{}
	for _, l := range all {
		c.Files[l.e.ID] = l.file
		c.locs[l.e.ID] = l.loc
	}
	c.dropDangling()
	sort.SliceStable(problems, func(i, j int) bool {
		if problems[i].File != problems[j].File {
			return problems[i].File < problems[j].File
		}
		return problems[i].Line < problems[j].Line
	})
	return c, problems
}

// New builds a catalog from entries already in memory (tests, imports).
func New(domains []canon.Domain, entries []*canon.Entry) *Catalog {
	c := &Catalog{Domains: domains, Files: map[string]string{}}
	c.index(entries)
	return c
}

func (c *Catalog) index(entries []*canon.Entry) {
	sort.Slice(entries, func(i, j int) bool { return entries[i].ID < entries[j].ID })
	c.Entries = entries
	c.byID = make(map[string]*canon.Entry, len(entries))
	c.byDomain = map[string][]*canon.Entry{}
	for _, e := range entries {
		c.byID[e.ID] = e
		c.byDomain[e.Domain] = append(c.byDomain[e.Domain], e)
	}
	// A domain is published once it holds an entry: domains.yaml may
	// declare one ahead of its first entry, and a listing, a completion or
	// a sitemap that leads to an empty page helps no one.
	c.Domains = keep(c.Domains, func(d canon.Domain) bool { return len(c.byDomain[d.ID]) > 0 })
	c.domain = map[string]*canon.Domain{}
	for i := range c.Domains {
		c.domain[c.Domains[i].ID] = &c.Domains[i]
	}
}

func (c *Catalog) dropDangling() {
	for _, e := range c.Entries {
		r := &e.Related
		r.LeadsTo = keep(r.LeadsTo, func(l canon.LeadsTo) bool { return c.byID[l.ID] != nil && l.ID != e.ID })
		r.PrecededBy = keep(r.PrecededBy, func(l canon.PrecededBy) bool { return c.byID[l.ID] != nil && l.ID != e.ID })
		r.ConfusedWith = keep(r.ConfusedWith, func(l canon.ConfusedWith) bool { return c.byID[l.ID] != nil && l.ID != e.ID })
	}
}

func keep[T any](s []T, ok func(T) bool) []T {
	out := s[:0]
	for _, v := range s {
		if ok(v) {
			out = append(out, v)
		}
	}
	return out
}

func isEntryFile(p string) bool {
	switch path.Ext(p) {
	case ".yaml", ".yml", ".json":
		return strings.Count(p, "/") == 1
	}
	return false
}

// hasEntry reports whether a golden file has an entry file beside it.
func hasEntry(fsys fs.FS, golden string) bool {
	base := strings.TrimSuffix(golden, canon.GoldenExt)
	for _, ext := range []string{".yaml", ".yml", ".json"} {
		if _, err := fs.Stat(fsys, base+ext); err == nil {
			return true
		}
	}
	return false
}

// readRecord reads the golden file beside an entry, if there is one.
func readRecord(fsys fs.FS, p string) (*canon.Record, *Problem) {
	if _, err := fs.Stat(fsys, p); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	data, perr := readLimited(fsys, p)
	if perr != nil {
		return nil, perr
	}
	rec, err := canon.ParseRecord(data)
	if err != nil {
		line := 0
		msg := err.Error()
		if n, _ := fmt.Sscanf(msg, "line %d:", &line); n == 1 {
			msg = strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
		}
		return nil, &Problem{File: p, Line: line, Msg: msg}
	}
	return rec, nil
}

// WriteRecord writes an entry's golden file into the catalog directory
// dir, beside the entry's file (its path relative to dir), atomically: a
// reader sees the old file or the new one, never half of one.
func WriteRecord(dir, entryFile string, rec *canon.Record) error {
	p := filepath.Join(dir, filepath.FromSlash(strings.TrimSuffix(entryFile, path.Ext(entryFile))+canon.GoldenExt))
	f, err := os.CreateTemp(filepath.Dir(p), ".golden-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // after a successful rename, a no-op
	if _, err := f.Write(rec.Marshal()); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(f.Name(), p)
}

func readLimited(fsys fs.FS, p string) ([]byte, *Problem) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, &Problem{File: p, Msg: err.Error()}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, &Problem{File: p, Msg: err.Error()}
	}
	if len(data) > MaxFileSize {
		return nil, &Problem{File: p, Msg: fmt.Sprintf("is larger than %d bytes", MaxFileSize)}
	}
	return data, nil
}

// decodeEntryFile decodes one entry strictly: unknown fields, wrong types
// and trailing documents are errors with a line number.
func decodeEntryFile(fsys fs.FS, p string) (*canon.Entry, lines, *Problem) {
	data, perr := readLimited(fsys, p)
	if perr != nil {
		return nil, lines{}, perr
	}
	var e canon.Entry
	if pr := decodeStrict(p, data, &e); pr != nil {
		return nil, lines{}, pr
	}
	var root yaml.Node
	_ = yaml.Unmarshal(data, &root) // already parsed once without error
	return &e, lineMap(&root), nil
}

func decodeStrict(p string, data []byte, v any) *Problem {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return &Problem{File: p, Msg: "is empty"}
		}
		return yamlProblem(p, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return &Problem{File: p, Line: extra.Line, Msg: "holds more than one document; one entry per file"}
	}
	return nil
}

// yamlProblem turns the YAML library's messages ("yaml: line 5: ...",
// "line 7: field foo not found in type canon.Entry") into located problems.
func yamlProblem(p string, err error) *Problem {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
	first := strings.TrimSpace(strings.SplitN(msg, "\n", 2)[0])
	line := 0
	if n, _ := fmt.Sscanf(first, "line %d:", &line); n == 1 {
		first = strings.TrimSpace(first[strings.Index(first, ":")+1:])
	}
	if strings.HasPrefix(first, "field ") && strings.Contains(first, " not found in type ") {
		name := strings.TrimPrefix(first, "field ")
		name = name[:strings.Index(name, " not found")]
		if why, ok := computed[name]; ok {
			return &Problem{File: p, Line: line, Field: name, Msg: "is computed, never written in a catalog file: " + why}
		}
		return &Problem{File: p, Line: line, Field: name, Msg: "is not a field of the schema"}
	}
	first = strings.ReplaceAll(first, "canon.", "")
	return &Problem{File: p, Line: line, Msg: first}
}

// computed names the fields of schema v2 that a catalog file may not
// write, and where their values come from.
var computed = map[string]string{
	"fix_rate":       "it is the best workaround's success_rate",
	"evidence_count": "it counts evidence[], a passing reproduction and outcome reports",
	"verification":   "errorcanon verify --record sets it to reproduced; remove the line",
	"last_verified":  "errorcanon verify --record writes the date in the golden file",
}

func loadDomains(fsys fs.FS) ([]canon.Domain, Problems) {
	data, perr := readLimited(fsys, DomainsFile)
	if perr != nil {
		return nil, Problems{*perr}
	}
	var doc struct {
		Domains []canon.Domain `yaml:"domains"`
	}
	if pr := decodeStrict(DomainsFile, data, &doc); pr != nil {
		return nil, Problems{*pr}
	}
	var root yaml.Node
	_ = yaml.Unmarshal(data, &root)
	loc := lineMap(&root)
	var ps Problems
	seen := map[string]bool{}
	for i, d := range doc.Domains {
		f := fmt.Sprintf("domains[%d]", i)
		add := func(field, msg string) {
			ps = append(ps, Problem{File: DomainsFile, Line: loc.line(f + "." + field), Field: f + "." + field, Msg: msg})
		}
		if !canon.ValidDomainID(d.ID) {
			add("id", fmt.Sprintf("%q is not a lowercase slug", d.ID))
		}
		if seen[d.ID] {
			add("id", fmt.Sprintf("%q is listed twice", d.ID))
		}
		seen[d.ID] = true
		for _, t := range [][3]string{{"name", d.Name, d.NameZh}, {"description", d.Description, d.DescriptionZh}} {
			if strings.TrimSpace(t[1]) == "" {
				add(t[0], "is empty")
			}
			if strings.TrimSpace(t[2]) == "" {
				add(t[0]+"_zh", "is empty; every text needs its Chinese form")
			} else if msg := canon.CheckChinese(t[2]); msg != "" && t[0] != "name" { // names may be proper nouns
				add(t[0]+"_zh", msg)
			}
		}
	}
	return doc.Domains, ps
}

// lines maps a field path ("workarounds[1].how") to its line in the file.
type lines struct {
	m    map[string]int
	root *yaml.Node
}

// cutByComments reports plain scalars followed by a comment on the same
// line: in "action: add #[derive(Copy)]" YAML reads everything from " #"
// as a comment and the text is silently cut short.
func cutByComments(file string, root *yaml.Node) []Problem {
	var ps []Problem
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil {
			return
		}
		if n.Kind == yaml.ScalarNode && n.Style == 0 && n.LineComment != "" {
			ps = append(ps, Problem{File: file, Line: n.Line, Msg: fmt.Sprintf("%q is followed by %q, which YAML reads as a comment and drops; quote the whole value", n.Value, n.LineComment)})
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(root)
	return ps
}

func (l lines) line(field string) int {
	for field != "" {
		if n, ok := l.m[field]; ok {
			return n
		}
		// Fall back to the nearest enclosing field that is in the file.
		i := strings.LastIndexAny(field, ".[")
		if i < 0 {
			break
		}
		field = field[:i]
	}
	return 1
}

func lineMap(root *yaml.Node) lines {
	l := lines{m: map[string]int{}, root: root}
	var walk func(n *yaml.Node, p string)
	walk = func(n *yaml.Node, p string) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, p)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				q := k.Value
				if p != "" {
					q = p + "." + k.Value
				}
				l.m[q] = k.Line
				walk(v, q)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				q := fmt.Sprintf("%s[%d]", p, i)
				l.m[q] = c.Line
				walk(c, q)
			}
		}
	}
	walk(root, "")
	return l
}
