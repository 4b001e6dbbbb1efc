// Package importer converts the peers' JSON entries into ErrorCanon's v2
// catalog files: deadends.dev's canon files (deadends.go) and the
// reference site's index.json form, whose field names our JSON keeps
// (errorcanon.go).
//
// Every entry either becomes a catalog file that loads cleanly with
// `errorcanon serve --catalog DIR`, or is skipped with a reason: not JSON,
// wrong types, a string too large, missing required fields, a domain that
// is not about software, a regex RE2 cannot run the same way (lookaround,
// backreferences) or that would be slow or invalid, a duplicate, or a rule
// of the entry schema the import cannot meet. Imported entries carry their
// source and licence ([canon.Source]), are never verified, and never join
// the shipped catalog.
package importer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/match"
)

// Format names a peer's format.
type Format string

// The formats Import reads.
const (
	Deadends   Format = "deadends"   // deadends.dev's data/canons/**/*.json
	ErrorCanon Format = "errorcanon" // the index.json form of an entry
)

// Limits on what is read. A peer's file is a few kilobytes.
const (
	MaxFile      = 1 << 20  // one input file
	MaxString    = 64 << 10 // one string in it
	MaxSignature = 2000     // a signature, which becomes an example
)

// Reasons an entry is skipped; the report counts by them.
const (
	ReasonNotJSON          = "not-json"
	ReasonWrongType        = "wrong-type"
	ReasonTooLarge         = "too-large"
	ReasonMissingField     = "missing-field"
	ReasonNonSoftware      = "non-software-domain"
	ReasonRegexUnsupported = "regex-unsupported"
	ReasonRegexInvalid     = "regex-invalid"
	ReasonRegexSlow        = "regex-slow"
	ReasonRegexNoExample   = "regex-misses-signature"
	ReasonDuplicate        = "duplicate"
	ReasonRules            = "fails-schema-rules"
	ReasonMatcher          = "matcher-misses-example"
)

// Skip is one input entry that was not imported, and why.
type Skip struct {
	File   string `json:"file"`
	PeerID string `json:"peer_id,omitempty"`
	Reason string `json:"reason"`
	Detail string `json:"detail"`
}

func (s Skip) String() string {
	id := ""
	if s.PeerID != "" {
		id = " (" + s.PeerID + ")"
	}
	return fmt.Sprintf("%s%s: %s: %s", s.File, id, s.Reason, s.Detail)
}

// Report says what an import did.
type Report struct {
	Format   Format   `json:"format"`
	Files    int      `json:"files"`
	Imported []string `json:"imported"`
	Skipped  []Skip   `json:"skipped"`
	// Matcher is what our matcher answers on the imported set.
	Matcher MatcherCheck `json:"matcher"`
}

// MatcherCheck is what the matcher answers on the imported entries'
// examples: every example matches its own entry when that entry is served
// alone (those that did not were skipped), and, with all imported entries
// served together, ranks its own entry first, another one first, or
// nothing.
type MatcherCheck struct {
	Examples  int `json:"examples"`
	OwnFirst  int `json:"own_entry_first"`
	OtherWins int `json:"another_entry_first"`
	NoMatch   int `json:"no_match"`
	// Slow counts the entries whose regex runs on every input, with all
	// imported entries served together.
	Slow int `json:"slow"`
}

// Counts returns the number of skips per reason.
func (r *Report) Counts() map[string]int {
	m := map[string]int{}
	for _, s := range r.Skipped {
		m[s.Reason]++
	}
	return m
}

// Summary is the report in a few lines: counts, then skips by reason.
func (r *Report) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d file(s) read: %d entries imported, %d skipped\n", r.Files, len(r.Imported), len(r.Skipped))
	counts := r.Counts()
	reasons := make([]string, 0, len(counts))
	for k := range counts {
		reasons = append(reasons, k)
	}
	sort.Slice(reasons, func(i, j int) bool {
		if counts[reasons[i]] != counts[reasons[j]] {
			return counts[reasons[i]] > counts[reasons[j]]
		}
		return reasons[i] < reasons[j]
	})
	for _, k := range reasons {
		fmt.Fprintf(&b, "  skipped, %s: %d\n", k, counts[k])
	}
	m := r.Matcher
	fmt.Fprintf(&b, "matcher on the imported set: %d example(s); own entry first %d, another entry first %d, no match %d; regexes run on every input: %d\n",
		m.Examples, m.OwnFirst, m.OtherWins, m.NoMatch, m.Slow)
	return b.String()
}

// Result is a converted catalog, ready to write.
type Result struct {
	Domains []canon.Domain
	Entries []*canon.Entry // sorted by id
	Report  Report
}

// Convert reads every .json file under src (a file or a directory) in
// the given format. Only a problem reading src itself is an error; each
// bad entry is a skip in the report.
func Convert(format Format, src string) (*Result, error) {
	var conv func(file string, data []byte) (*canon.Entry, *Skip)
	switch format {
	case Deadends:
		conv = convertDeadends
		if st, err := os.Stat(filepath.Join(src, "data", "canons")); err == nil && st.IsDir() {
			src = filepath.Join(src, "data", "canons") // a checkout of the peer's repository
		}
	case ErrorCanon:
		conv = convertErrorCanon
	default:
		return nil, fmt.Errorf("unknown format %q; want deadends or errorcanon", format)
	}
	files, err := jsonFiles(src)
	if err != nil {
		return nil, err
	}
	res := &Result{Report: Report{Format: format, Files: len(files), Imported: []string{}, Skipped: []Skip{}}}
	var entries []*canon.Entry
	for _, f := range files {
		rel, _ := filepath.Rel(src, f)
		if rel == "." {
			rel = filepath.Base(f)
		}
		rel = filepath.ToSlash(rel)
		data, s := readFile(f, rel)
		if s == nil {
			var e *canon.Entry
			if e, s = conv(rel, data); e != nil {
				entries = append(entries, e)
			}
		}
		if s != nil {
			res.Report.Skipped = append(res.Report.Skipped, *s)
		}
	}
	res.finish(entries, format)
	return res, nil
}

func jsonFiles(src string) ([]string, error) {
	st, err := os.Stat(src)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{src}, nil
	}
	var files []string
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".json") {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

func readFile(path, rel string) ([]byte, *Skip) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Skip{File: rel, Reason: ReasonNotJSON, Detail: err.Error()}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFile+1))
	if err != nil {
		return nil, &Skip{File: rel, Reason: ReasonNotJSON, Detail: err.Error()}
	}
	if len(data) > MaxFile {
		return nil, &Skip{File: rel, Reason: ReasonTooLarge, Detail: fmt.Sprintf("the file is larger than %d bytes", MaxFile)}
	}
	return data, nil
}

// decodeJSON decodes one peer file into v: a syntax error, a string past
// MaxString or a value of the wrong type is a skip naming the line or
// field.
func decodeJSON(file string, data []byte, v any) *Skip {
	var raw any
	if err := json.Unmarshal(data, &raw); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return &Skip{File: file, Reason: ReasonNotJSON, Detail: fmt.Sprintf("line %d: %v", lineOf(data, se.Offset), err)}
		}
		return &Skip{File: file, Reason: ReasonNotJSON, Detail: err.Error()}
	}
	obj, ok := raw.(map[string]any)
	if !ok {
		return &Skip{File: file, Reason: ReasonWrongType, Detail: fmt.Sprintf("the file holds a JSON %s, not an object", jsonKind(raw))}
	}
	id, _ := obj["id"].(string)
	if len(id) > 300 {
		id = id[:300]
	}
	if path, n := longString(raw, ""); n > 0 {
		return &Skip{File: file, PeerID: id, Reason: ReasonTooLarge, Detail: fmt.Sprintf("%s is a string of %d bytes; at most %d", path, n, MaxString)}
	}
	if err := json.Unmarshal(data, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return &Skip{File: file, PeerID: id, Reason: ReasonWrongType, Detail: fmt.Sprintf("%s is a JSON %s; want %s", te.Field, te.Value, jsonType(te.Type.String()))}
		}
		return &Skip{File: file, PeerID: id, Reason: ReasonWrongType, Detail: err.Error()}
	}
	return nil
}

// longString returns the path of the first string longer than MaxString.
func longString(v any, path string) (string, int) {
	switch x := v.(type) {
	case string:
		if len(x) > MaxString {
			return path, len(x)
		}
	case []any:
		for i, y := range x {
			if p, n := longString(y, fmt.Sprintf("%s[%d]", path, i)); n > 0 {
				return p, n
			}
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if len(k) > MaxString {
				return p[:40] + "…", len(k)
			}
			if p, n := longString(x[k], p); n > 0 {
				return p, n
			}
		}
	}
	return "", 0
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	}
	return "object"
}

func jsonType(goType string) string {
	switch {
	case goType == "string":
		return "a string"
	case strings.Contains(goType, "float"), strings.Contains(goType, "int"):
		return "a number"
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	case goType == "bool":
		return "a boolean"
	}
	return "an object"
}

func lineOf(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return 1 + strings.Count(string(data[:off]), "\n")
}

// finish removes duplicates, links to entries not imported and entries
// that break a rule, makes the domain list, and checks the matcher.
func (res *Result) finish(entries []*canon.Entry, format Format) {
	skip := func(e *canon.Entry, reason, detail string) {
		res.Report.Skipped = append(res.Report.Skipped, Skip{File: fileOf(e), PeerID: peerOf(e), Reason: reason, Detail: detail})
	}
	var kept []*canon.Entry
	ids, regexes, sigs := map[string]string{}, map[string]string{}, map[string]string{}
	for _, e := range entries {
		switch {
		case ids[e.ID] != "":
			skip(e, ReasonDuplicate, fmt.Sprintf("its id %s is also made from %s", e.ID, ids[e.ID]))
		case regexes[e.Regex] != "":
			skip(e, ReasonDuplicate, fmt.Sprintf("has the same regex as %s; only the first is kept", regexes[e.Regex]))
		case sigs[e.Signature] != "":
			skip(e, ReasonDuplicate, fmt.Sprintf("has the same signature as %s; only the first is kept", sigs[e.Signature]))
		default:
			ids[e.ID], regexes[e.Regex], sigs[e.Signature] = peerOf(e), e.ID, e.ID
			kept = append(kept, e)
		}
	}
	res.Domains = domainsFor(kept, format)
	known := map[string]bool{}
	for _, d := range res.Domains {
		known[d.ID] = true
	}
	valid := kept[:0]
	for _, e := range kept {
		e.Derive(nil)
		canon.NoNil(e)
		if ps := canon.Validate(e, known); len(ps) > 0 {
			skip(e, ReasonRules, ps[0].String()+more(len(ps)))
			continue
		}
		ix, _ := match.Build([]*canon.Entry{e})
		if len(ix.Slow()) > 0 {
			skip(e, ReasonRegexSlow, "the regex has no literal text every match must contain that the prefilter can scan for (an alternative like 'key.*not found' is too short), so it would run on every input")
			continue
		}
		if ms := ix.CheckExamples(); len(ms) > 0 {
			skip(e, ReasonMatcher, fmt.Sprintf("example %d is not matched by the entry's own regex when served alone", ms[0].Example))
			continue
		}
		valid = append(valid, e)
	}
	dropDangling(valid)
	sort.Slice(valid, func(i, j int) bool { return valid[i].ID < valid[j].ID })
	res.Entries = valid
	res.Domains = domainsFor(valid, format)
	for _, e := range valid {
		res.Report.Imported = append(res.Report.Imported, e.ID)
	}
	sort.SliceStable(res.Report.Skipped, func(i, j int) bool { return res.Report.Skipped[i].File < res.Report.Skipped[j].File })
	res.Report.Matcher = checkMatcher(valid)
}

func more(n int) string {
	if n > 1 {
		return fmt.Sprintf(" (and %d more)", n-1)
	}
	return ""
}

// fileOf and peerOf recover where an entry came from, for the report.
func fileOf(e *canon.Entry) string {
	if e.Source != nil && e.Source.URL != "" {
		return e.Source.URL
	}
	return e.ID
}

func peerOf(e *canon.Entry) string {
	if e.Source != nil && e.Source.Name == deadendsName {
		return strings.TrimPrefix(e.Source.URL, "https://deadends.dev/")
	}
	return e.ID
}

func dropDangling(entries []*canon.Entry) {
	have := map[string]bool{}
	for _, e := range entries {
		have[e.ID] = true
	}
	ok := func(id string, self string) bool { return have[id] && id != self }
	for _, e := range entries {
		r := &e.Related
		r.LeadsTo = filter(r.LeadsTo, func(l canon.LeadsTo) bool { return ok(l.ID, e.ID) })
		r.PrecededBy = filter(r.PrecededBy, func(l canon.PrecededBy) bool { return ok(l.ID, e.ID) })
		r.ConfusedWith = filter(r.ConfusedWith, func(l canon.ConfusedWith) bool { return ok(l.ID, e.ID) })
	}
}

func filter[T any](s []T, keep func(T) bool) []T {
	out := []T{}
	for _, v := range s {
		if keep(v) {
			out = append(out, v)
		}
	}
	return out
}

func checkMatcher(entries []*canon.Entry) MatcherCheck {
	var m MatcherCheck
	if len(entries) == 0 {
		return m
	}
	ix, _ := match.Build(entries)
	for _, e := range entries {
		m.Examples += len(e.Examples)
	}
	for _, miss := range ix.CheckExamples() {
		if miss.Got == "" {
			m.NoMatch++
		} else {
			m.OtherWins++
		}
	}
	m.OwnFirst = m.Examples - m.NoMatch - m.OtherWins
	m.Slow = len(ix.Slow())
	return m
}
