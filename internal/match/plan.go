package match

import (
	"encoding/binary"
	"errors"
	"fmt"
	"regexp/syntax"
	"sync/atomic"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/flat"
)

// A Plan is what Build derives from the entries before it builds anything
// that runs: for each entry, the literals the prefilter scans for, its
// literal weight, its alternatives and its relaxed variant; the
// automaton's patterns and their owners; the similarity scorer's counts.
// Deriving it parses every regex (about 25 ms of CPU for the shipped
// catalog); a Plan made at go generate time and stored in the catalog's
// snapshot spares a process that matches one message that work
// (FromPlan). A Plan depends only on the entries and this package's code:
// PlanVersion changes whenever the code that makes it does.
type Plan struct {
	Version  int
	Entries  []PlanEntry
	Patterns []string  // the automaton's patterns, as scanned for (ASCII lower-cased)
	Owners   [][]int32 // Owners[p]: the entries (or relaxedOwner) that need pattern p
	Always   []int32   // entries with no usable literal: tried on every input
	Warnings []Warning
	Text     bm25Counts
}

// PlanVersion is the version of the Plan this code makes and reads.
const PlanVersion = 4

// PlanExtra names the encoded plan among a catalog snapshot's extras.
const PlanExtra = "match-plan"

// PlanEntry is one indexed entry of a Plan.
type PlanEntry struct {
	N          int32  // the entry's position in the slice the plan was made from
	ID         string // its id, checked by FromPlan
	Domain     string
	Confidence float64
	Regex      string
	Literals   []string
	LitChars   int
	Multiline  bool
	Alts       []PlanAlt
	Relaxed    string // the relaxed variant's source; "" when none
	RelaxedLit int
}

// PlanAlt is one top-level alternative of a regex, anchored.
type PlanAlt struct {
	Regex string
	Lit   int
}

// Build indexes entries. Entries whose regex does not compile are left out
// and reported; the catalog validator normally keeps them from getting here.
func Build(entries []*canon.Entry) (*Index, []Warning) {
	p := BuildPlan(entries)
	ix, err := FromPlan(p, entries)
	if err != nil {
		panic(err) // a plan of these very entries always fits them
	}
	return ix, p.Warnings
}

// BuildPlan derives the plan of an index of entries.
func BuildPlan(entries []*canon.Entry) *Plan {
	p := &Plan{Version: PlanVersion}
	type pending struct {
		pe         PlanEntry
		cnf        [][]string
		relaxedCNF [][]string
	}
	var all []pending
	df := map[string]int{}
	for n, e := range entries {
		// Parsing is all the analysis needs; compiling waits for the first
		// run (lazyRegexp), so a process that matches one message compiles
		// only the regexes its literals lead to. regexp.Compile parses the
		// same way, so what parses here compiles.
		tree, err := syntax.Parse(e.Regex, syntax.Perl)
		if err != nil {
			p.Warnings = append(p.Warnings, Warning{e.ID, fmt.Sprintf("regex does not compile: %v", err)})
			continue
		}
		tree = tree.Simplify()
		cnf := toCNF(analyze(tree))
		for _, c := range cnf {
			for _, s := range c {
				df[s]++
			}
		}
		pe := PlanEntry{N: int32(n), ID: e.ID, Domain: e.Domain, Confidence: e.Confidence, Regex: e.Regex, LitChars: literalChars(tree), Multiline: spansLines(tree)}
		for _, a := range alternatives(e.Regex) {
			pe.Alts = append(pe.Alts, PlanAlt{Regex: a.re.src, Lit: a.lit})
		}
		q := pending{pe: pe, cnf: cnf}
		if !pe.Multiline {
			var re *lazyRegexp
			re, q.relaxedCNF, q.pe.RelaxedLit = relaxedVariant(e.Regex)
			if re != nil {
				q.pe.Relaxed = re.src
			}
			for _, c := range q.relaxedCNF {
				for _, s := range c {
					df[s]++
				}
			}
		}
		all = append(all, q)
	}

	patterns := map[string]int{}
	for i, q := range all {
		pe := q.pe
		clause := bestClause(q.cnf, df)
		if clause == nil {
			p.Always = append(p.Always, int32(i))
			p.Warnings = append(p.Warnings, Warning{pe.ID, "slow: regex has no literal of 3+ characters that every match contains, so it runs on every input"})
			p.Entries = append(p.Entries, pe)
			continue
		}
		pe.Literals = clause
		add := func(clause []string, owner int32) {
			for _, lit := range clause {
				// Lower-cased here, as the automaton (ASCII
				// case-insensitive) and the direct search see it.
				lit = string(lowerASCII([]byte(rareWindow(lit, maxScanLiteral))))
				id, ok := patterns[lit]
				if !ok {
					id = len(p.Patterns)
					patterns[lit] = id
					p.Patterns = append(p.Patterns, lit)
					p.Owners = append(p.Owners, nil)
				}
				p.Owners[id] = append(p.Owners[id], owner)
			}
		}
		add(clause, int32(i))
		if pe.Relaxed != "" {
			// A relaxed variant without a literal would run on every line:
			// not worth it for a fragment.
			if rc := bestClause(q.relaxedCNF, df); rc != nil {
				add(rc, relaxedOwner(int32(i)))
			} else {
				pe.Relaxed = ""
			}
		}
		p.Entries = append(p.Entries, pe)
	}
	// Number documents as the index numbers entries, so a search hit is
	// an index into ix.entries.
	indexed := make([]*canon.Entry, len(p.Entries))
	for i, pe := range p.Entries {
		indexed[i] = entries[pe.N]
	}
	p.Text = countTerms(indexed)
	return p
}

// FromPlan builds the index of entries from their plan, or fails when the
// plan was made from other entries or by another version of this code.
func FromPlan(p *Plan, entries []*canon.Entry) (*Index, error) {
	for _, pe := range p.Entries {
		if pe.N >= 0 && int(pe.N) < len(entries) && entries[pe.N].Regex != pe.Regex {
			return nil, fmt.Errorf("match: the plan was made from other entries (%s)", pe.ID)
		}
	}
	return FromPlanFunc(p, entryIDs(entries), func(n int32) *canon.Entry { return entries[n] })
}

// FromPlanDataOf is FromPlanData for a plan of entries at hand.
func FromPlanDataOf(data string, entries []*canon.Entry) (*Index, error) {
	return FromPlanData(data, entryIDs(entries), func(n int32) *canon.Entry { return entries[n] })
}

func entryIDs(entries []*canon.Entry) []string {
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.ID
	}
	return ids
}

// FromPlanFunc builds an index from a plan whose entries have the given
// ids in their source, got from entry only when a result needs one: a
// process that matches one message then decodes only the entries it
// answers with. It fails when the plan names other ids; the caller vouches
// for the rest (a catalog snapshot stores the entries and their plan,
// made at once). entry must be safe for concurrent use.
func FromPlanFunc(p *Plan, ids []string, entry func(n int32) *canon.Entry) (*Index, error) {
	if p.Version != PlanVersion {
		return nil, fmt.Errorf("match: plan version %d, want %d", p.Version, PlanVersion)
	}
	h := p.head()
	if err := h.check(ids); err != nil {
		return nil, err
	}
	ix := newIndex(h, entry)
	for i := range p.Entries {
		ix.entries[i].Store(newIndexed(&p.Entries[i]))
	}
	return ix, nil
}

// FromPlanData builds an index from an encoded plan (Plan.Encode) without
// decoding its entries: an entry's part of the plan is decoded the first
// time a match needs it (a literal of its regex occurs, or it is among
// the look-alikes), so a process that matches one message decodes a few
// entries of the plan instead of all of them. The plan's strings are
// pieces of data, which must not change. ids and entry are as for
// FromPlanFunc.
func FromPlanData(data string, ids []string, entry func(n int32) *canon.Entry) (*Index, error) {
	h, records, err := decodeHead(data)
	if err != nil {
		return nil, err
	}
	if err := h.check(ids); err != nil {
		return nil, err
	}
	ix := newIndex(h, entry)
	ix.records = records
	ix.ends = h.Ends
	return ix, nil
}

// newIndex makes an index of h's shape whose entries are yet to be set.
func newIndex(h *planHead, entry func(n int32) *canon.Entry) *Index {
	ix := &Index{owners: h.Owners, always: h.Always, warnings: h.Warnings, entries: make([]atomic.Pointer[indexed], len(h.Domains)), ns: h.Ns, load: entry}
	ix.setPatterns(h.Patterns)
	ix.text = bm25From(h.Text, h.Domains)
	return ix
}

// newIndexed makes what matching needs of one entry of a plan.
func newIndexed(pe *PlanEntry) *indexed {
	in := &indexed{n: pe.N, id: pe.ID, domain: pe.Domain, confidence: pe.Confidence,
		re: &lazyRegexp{src: pe.Regex}, literals: pe.Literals, litChars: pe.LitChars, multiline: pe.Multiline, relaxedLit: pe.RelaxedLit}
	for _, a := range pe.Alts {
		in.alts = append(in.alts, alternative{re: &lazyRegexp{src: a.Regex}, lit: a.Lit})
	}
	if pe.Relaxed != "" {
		in.relaxed = &lazyRegexp{src: pe.Relaxed}
	}
	return in
}

// An encoded plan is
//
//	the head's length (4 bytes, little-endian), the head, then each
//	entry's record (a PlanEntry), one after the other
//
// all encoded with package flat. The head is what an index needs at once:
// the automaton's patterns and owners, the similarity counts, and each
// entry's domain (the similarity search filters by it) and the end of
// its record.
//
// The head's number lists are packed (packed.go), so that making an index
// from it decodes little more than the patterns and domains.
type planHead struct {
	Version  int
	Patterns []string
	Owners   ranges // Owners list p: Plan.Owners[p]
	Always   []int32
	Warnings []Warning
	Text     bm25Counts
	Domains  []string // entry i's domain
	Ns       u32s     // entry i's position in the plan's source (int32s)
	IDSum    uint32   // idSum of the source's ids in plan order, checked against the ids given
	Ends     u32s     // entry i's record ends at Ends[i], counted from the first record
}

func (p *Plan) head() *planHead {
	h := &planHead{Version: p.Version, Patterns: p.Patterns, Owners: packRanges(p.Owners), Always: p.Always, Warnings: p.Warnings, Text: p.Text}
	ns := make([]int32, len(p.Entries))
	for i, pe := range p.Entries {
		h.Domains = append(h.Domains, pe.Domain)
		ns[i] = pe.N
	}
	h.Ns = packU32s(ns)
	h.IDSum = idSum(len(p.Entries), func(i int) string { return p.Entries[i].ID })
	return h
}

// idSum hashes n ids, in order (32-bit FNV-1a, each id ended by a zero
// byte): a check that a plan is of the entries at hand, not a defence
// against forgery, so a hash needing no tables.
func idSum(n int, id func(i int) string) uint32 {
	const prime = 16777619
	h := uint32(2166136261)
	for i := range n {
		s := id(i)
		for j := 0; j < len(s); j++ {
			h = (h ^ uint32(s[j])) * prime
		}
		h *= prime // ^ 0
	}
	return h
}

// check reports whether h is a consistent plan of entries with the given
// ids in their source.
func (h *planHead) check(ids []string) error {
	if h.Version != PlanVersion {
		return fmt.Errorf("match: plan version %d, want %d", h.Version, PlanVersion)
	}
	n := len(h.Domains)
	if !h.Owners.whole() || h.Owners.len() != len(h.Patterns) ||
		!h.Ns.whole() || h.Ns.len() != n || !h.Ends.whole() || h.Ends != "" && h.Ends.len() != n || !h.Text.valid(n) {
		return fmt.Errorf("match: inconsistent plan")
	}
	for i := range n {
		if k := int32(h.Ns.at(i)); k < 0 || int(k) >= len(ids) {
			return fmt.Errorf("match: the plan was made from other entries")
		}
	}
	if idSum(n, func(i int) string { return ids[int32(h.Ns.at(i))] }) != h.IDSum {
		return fmt.Errorf("match: the plan was made from other entries")
	}
	for j := range h.Owners.Items.len() {
		o := h.Owners.item(j)
		if o < 0 {
			o = relaxedOwner(o)
		}
		if int(o) >= n {
			return fmt.Errorf("match: inconsistent plan")
		}
	}
	for _, k := range h.Always {
		if k < 0 || int(k) >= n {
			return fmt.Errorf("match: inconsistent plan")
		}
	}
	return nil
}

// Encode returns the plan's encoding (see planHead): the same entries and
// code give the same bytes.
func (p *Plan) Encode() ([]byte, error) {
	h := p.head()
	var records []byte
	var err error
	ends := make([]uint32, len(p.Entries))
	for i := range p.Entries {
		if records, err = flat.Append(records, &p.Entries[i]); err != nil {
			return nil, err
		}
		ends[i] = uint32(len(records))
	}
	h.Ends = packU32s(ends)
	head, err := flat.Marshal(h)
	if err != nil {
		return nil, err
	}
	b := binary.LittleEndian.AppendUint32(nil, uint32(len(head)))
	b = append(b, head...)
	return append(b, records...), nil
}

// decodeHead decodes an encoded plan's head and returns it with the
// entries' records.
func decodeHead(data string) (*planHead, string, error) {
	if len(data) < 4 {
		return nil, "", errors.New("match: decoding a plan: too short")
	}
	n := binary.LittleEndian.Uint32([]byte(data[:4]))
	if uint64(n) > uint64(len(data)-4) {
		return nil, "", errors.New("match: decoding a plan: head longer than the plan")
	}
	h := new(planHead)
	if err := flat.Unmarshal(data[4:4+n], h); err != nil {
		return nil, "", fmt.Errorf("match: decoding a plan: %w", err)
	}
	records := data[4+n:]
	k := h.Ends.len()
	if !h.Ends.whole() || k != len(h.Domains) || k > 0 && int64(h.Ends.at(k-1)) != int64(len(records)) {
		return nil, "", errors.New("match: decoding a plan: its records are cut short or too long")
	}
	return h, records, nil
}

// record decodes entry i's record.
func record(records string, ends u32s, i int) (*PlanEntry, error) {
	from, to, ok := ends.span(i, len(records))
	if !ok {
		return nil, fmt.Errorf("match: decoding entry %d of a plan: its record's bounds are out of order", i)
	}
	pe := new(PlanEntry)
	if err := flat.Unmarshal(records[from:to], pe); err != nil {
		return nil, fmt.Errorf("match: decoding entry %d of a plan: %w", i, err)
	}
	return pe, nil
}

// DecodePlan decodes what Encode encoded, every entry. The plan's strings
// are pieces of data (flat), so data must not change while the plan or
// an index made from it is in use; the embedded catalog's plan is
// read-only data.
func DecodePlan(data string) (*Plan, error) {
	h, records, err := decodeHead(data)
	if err != nil {
		return nil, err
	}
	p := &Plan{Version: h.Version, Patterns: h.Patterns, Owners: h.Owners.unpack(), Always: h.Always, Warnings: h.Warnings, Text: h.Text}
	p.Entries = make([]PlanEntry, h.Ends.len())
	for i := range p.Entries {
		pe, err := record(records, h.Ends, i)
		if err != nil {
			return nil, err
		}
		if pe.Domain != h.Domains[i] || pe.N != int32(h.Ns.at(i)) {
			return nil, fmt.Errorf("match: decoding a plan: entry %d differs from the head", i)
		}
		p.Entries[i] = *pe
	}
	if idSum(len(p.Entries), func(i int) string { return p.Entries[i].ID }) != h.IDSum {
		return nil, errors.New("match: decoding a plan: its ids differ from the head's")
	}
	return p, nil
}
