// Package browse selects, orders and counts catalog entries: the listings
// of the web site and of /api/v1/errors, and the figures of /stats/ and
// /api/v1/stats. It knows nothing of HTTP or HTML, so the site, the API
// and the MCP tools list and count the same way.
package browse

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/catalog"
)

// Sort is an order of a listing.
type Sort string

// The orders of a listing. Ties are broken by id, so every order is total
// and a listing is the same on every request.
const (
	// SortName orders by English title, A to Z ignoring case (the
	// default).
	SortName Sort = "name"
	// SortFixRate puts the likeliest to be fixed first.
	SortFixRate Sort = "fix_rate"
	// SortConfidence puts the surest entries first.
	SortConfidence Sort = "confidence"
	// SortNewest puts the errors that appeared most recently (first_seen) first.
	SortNewest Sort = "newest"
)

// Sorts lists the orders, default first.
var Sorts = []Sort{SortName, SortFixRate, SortConfidence, SortNewest}

// Page sizes.
const (
	DefaultPerPage = 50
	MaxPerPage     = 200
)

// Query selects a page of entries. Empty filter fields select everything.
type Query struct {
	Domain       string
	Category     string
	Verification string
	Resolvable   string
	Sort         Sort // "" is SortName
	Page         int  // 1-based; 0 is 1
	PerPage      int  // 0 is DefaultPerPage
}

// Error is a query value that is not allowed; Param names the query
// parameter, so an API can say which one.
type Error struct {
	Param, Value, Want string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s=%q is not allowed; want %s", e.Param, e.Value, e.Want)
}

// Check reports the first value of q that c does not know, as an *Error.
func (q Query) Check(c *catalog.Catalog) error {
	if q.Domain != "" && c.Domain(q.Domain) == nil {
		return &Error{"domain", q.Domain, "a domain id listed by /api/v1/domains"}
	}
	for _, f := range []struct {
		param, v string
		set      []string
	}{{"category", q.Category, canon.Categories}, {"verification", q.Verification, canon.Verifications}, {"resolvable", q.Resolvable, canon.Resolvables}} {
		if f.v != "" && !oneOf(f.v, f.set) {
			return &Error{f.param, f.v, "one of " + list(f.set)}
		}
	}
	if q.Sort != "" && !oneOf(string(q.Sort), sortNames()) {
		return &Error{"sort", string(q.Sort), "one of " + list(sortNames())}
	}
	if q.Page < 0 {
		return &Error{"page", strconv.Itoa(q.Page), "a page number from 1"}
	}
	if q.PerPage < 0 || q.PerPage > MaxPerPage {
		return &Error{"per_page", strconv.Itoa(q.PerPage), fmt.Sprintf("1 to %d", MaxPerPage)}
	}
	return nil
}

// Normalize fills in defaults.
func (q Query) Normalize() Query {
	if q.Sort == "" {
		q.Sort = SortName
	}
	if q.Page < 1 {
		q.Page = 1
	}
	if q.PerPage < 1 {
		q.PerPage = DefaultPerPage
	}
	if q.PerPage > MaxPerPage {
		q.PerPage = MaxPerPage
	}
	return q
}

// Filtered reports whether the query narrows or reorders the default
// listing (a page that a static build does not have).
func (q Query) Filtered() bool {
	q = q.Normalize()
	return q.Category != "" || q.Verification != "" || q.Resolvable != "" || q.Sort != SortName || q.Page != 1
}

// Result is one page of a listing.
type Result struct {
	Query   Query // normalized
	Entries []*canon.Entry
	Total   int // entries that pass the filters, on all pages
	Pages   int // at least 1
}

// Select filters, orders and pages the catalog's entries. Values it does
// not know select nothing; call Check first to report them. SortFixRate
// orders by the editors' estimates.
func Select(c *catalog.Catalog, q Query) Result { return SelectBy(c, q, nil) }

// SelectBy is Select with the fix rates SortFixRate orders by: the live
// figures every page shows (render.Renderer.FixRate); nil for the
// editors' estimates.
func SelectBy(c *catalog.Catalog, q Query, fixRate func(*canon.Entry) float64) Result {
	q = q.Normalize()
	src := c.Entries
	if q.Domain != "" {
		src = c.InDomain(q.Domain)
	}
	var all []*canon.Entry
	for _, e := range src {
		if (q.Category == "" || e.Category == q.Category) &&
			(q.Verification == "" || e.Verification == q.Verification) &&
			(q.Resolvable == "" || e.Resolvable == q.Resolvable) {
			all = append(all, e)
		}
	}
	OrderBy(all, q.Sort, fixRate)
	res := Result{Query: q, Total: len(all), Pages: max(1, (len(all)+q.PerPage-1)/q.PerPage)}
	if from := (q.Page - 1) * q.PerPage; from < len(all) {
		res.Entries = all[from:min(len(all), from+q.PerPage)]
	}
	return res
}

// OrderBy sorts entries in place; fixRate gives the fix rates of
// SortFixRate (nil: the editors' estimates).
func OrderBy(es []*canon.Entry, s Sort, fixRate func(*canon.Entry) float64) {
	if fixRate == nil {
		fixRate = func(e *canon.Entry) float64 { return e.FixRate }
	}
	less := func(a, b *canon.Entry) bool {
		if ta, tb := strings.ToLower(a.Title), strings.ToLower(b.Title); ta != tb {
			return ta < tb
		}
		return a.ID < b.ID
	}
	by := func(key func(*canon.Entry) float64) func(a, b *canon.Entry) bool {
		return func(a, b *canon.Entry) bool {
			if ka, kb := key(a), key(b); ka != kb {
				return ka > kb
			}
			return a.ID < b.ID
		}
	}
	switch s {
	case SortFixRate:
		less = by(fixRate)
	case SortConfidence:
		less = by(func(e *canon.Entry) float64 { return e.Confidence })
	case SortNewest:
		less = func(a, b *canon.Entry) bool {
			if a.FirstSeen != b.FirstSeen {
				return a.FirstSeen > b.FirstSeen
			}
			return a.ID < b.ID
		}
	}
	sort.SliceStable(es, func(i, j int) bool { return less(es[i], es[j]) })
}

// Recent returns the n entries verified most recently (last_verified,
// then first_seen, newest first).
func Recent(c *catalog.Catalog, n int) []*canon.Entry {
	es := append([]*canon.Entry(nil), c.Entries...)
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.LastVerified != b.LastVerified {
			return a.LastVerified > b.LastVerified
		}
		if a.FirstSeen != b.FirstSeen {
			return a.FirstSeen > b.FirstSeen
		}
		return a.ID < b.ID
	})
	if len(es) > n {
		es = es[:n]
	}
	return es
}

// Count is the number of entries with one value of a field.
type Count struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// Bucket counts the entries whose rate falls in [From, To) (the last
// bucket includes 1).
type Bucket struct {
	From  float64 `json:"from"`
	To    float64 `json:"to"`
	Count int     `json:"count"`
}

// Stats are the catalog's figures.
type Stats struct {
	Entries        int     `json:"entries"`
	Domains        int     `json:"domains"` // domains with at least one entry
	Workarounds    int     `json:"workarounds"`
	DeadEnds       int     `json:"dead_ends"`
	Reproduced     int     `json:"reproduced"` // entries with verification "reproduced"
	MeanFixRate    float64 `json:"mean_fix_rate"`
	MeanConfidence float64 `json:"mean_confidence"`
	// Per value, in the vocabulary's (or the domain list's) order, zero
	// counts included.
	ByDomain       []Count  `json:"by_domain"`
	ByCategory     []Count  `json:"by_category"`
	ByVerification []Count  `json:"by_verification"`
	ByResolvable   []Count  `json:"by_resolvable"`
	FixRate        []Bucket `json:"fix_rate"`   // ten buckets of 0.1
	Confidence     []Bucket `json:"confidence"` // ten buckets of 0.1
}

// Compute counts the catalog, with the editors' estimated fix rates.
func Compute(c *catalog.Catalog) Stats { return ComputeWith(c, nil) }

// ComputeWith counts the catalog; fixRate gives each entry's fix rate
// (nil: the editors' estimates).
func ComputeWith(c *catalog.Catalog, fixRate func(*canon.Entry) float64) Stats {
	if fixRate == nil {
		fixRate = func(e *canon.Entry) float64 { return e.FixRate }
	}
	s := Stats{Entries: len(c.Entries)}
	for _, d := range c.Domains {
		n := len(c.InDomain(d.ID))
		s.ByDomain = append(s.ByDomain, Count{d.ID, n})
		if n > 0 {
			s.Domains++
		}
	}
	counts := func(set []string, f func(*canon.Entry) string) []Count {
		m := map[string]int{}
		for _, e := range c.Entries {
			m[f(e)]++
		}
		out := make([]Count, 0, len(set))
		for _, v := range set {
			out = append(out, Count{v, m[v]})
		}
		return out
	}
	s.ByCategory = counts(canon.Categories, func(e *canon.Entry) string { return e.Category })
	s.ByVerification = counts(canon.Verifications, func(e *canon.Entry) string { return e.Verification })
	s.ByResolvable = counts(canon.Resolvables, func(e *canon.Entry) string { return e.Resolvable })
	s.FixRate, s.Confidence = buckets(), buckets()
	var fix, conf float64
	for _, e := range c.Entries {
		s.Workarounds += len(e.Workarounds)
		s.DeadEnds += len(e.DeadEnds)
		if e.Verification == "reproduced" {
			s.Reproduced++
		}
		fr := fixRate(e)
		fix += fr
		conf += e.Confidence
		s.FixRate[bucket(fr)].Count++
		s.Confidence[bucket(e.Confidence)].Count++
	}
	if n := float64(len(c.Entries)); n > 0 {
		s.MeanFixRate = round3(fix / n)
		s.MeanConfidence = round3(conf / n)
	}
	return s
}

func buckets() []Bucket {
	b := make([]Bucket, 10)
	for i := range b {
		b[i] = Bucket{From: float64(i) / 10, To: float64(i+1) / 10}
	}
	return b
}

func bucket(v float64) int {
	i := int(math.Floor(v * 10))
	return min(9, max(0, i))
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

func sortNames() []string {
	out := make([]string, len(Sorts))
	for i, s := range Sorts {
		out[i] = string(s)
	}
	return out
}

func oneOf(s string, set []string) bool {
	for _, v := range set {
		if v == s {
			return true
		}
	}
	return false
}

func list(set []string) string {
	s := ""
	for i, v := range set {
		if i > 0 {
			s += ", "
		}
		s += v
	}
	return s
}
