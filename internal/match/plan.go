package match

import (
	"fmt"
	"regexp/syntax"

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
	Patterns []string  // the automaton's patterns, as scanned for
	Owners   [][]int32 // Owners[p]: the entries (or relaxedOwner) that need pattern p
	Always   []int32   // entries with no usable literal: tried on every input
	Warnings []Warning
	Text     bm25Counts
}

// PlanVersion is the version of the Plan this code makes and reads.
const PlanVersion = 3

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
				lit = rareWindow(lit, maxScanLiteral)
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
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.ID
	}
	for _, pe := range p.Entries {
		if pe.N >= 0 && int(pe.N) < len(entries) && entries[pe.N].Regex != pe.Regex {
			return nil, fmt.Errorf("match: the plan was made from other entries (%s)", pe.ID)
		}
	}
	return FromPlanFunc(p, ids, func(n int32) *canon.Entry { return entries[n] })
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
	if len(p.Owners) != len(p.Patterns) || !p.Text.valid(len(p.Entries)) {
		return nil, fmt.Errorf("match: inconsistent plan")
	}
	ix := &Index{owners: p.Owners, always: p.Always, entries: make([]*indexed, 0, len(p.Entries))}
	domains := make([]string, len(p.Entries))
	for i, pe := range p.Entries {
		if pe.N < 0 || int(pe.N) >= len(ids) || ids[pe.N] != pe.ID {
			return nil, fmt.Errorf("match: the plan was made from other entries (%s)", pe.ID)
		}
		in := &indexed{n: pe.N, id: pe.ID, domain: pe.Domain, confidence: pe.Confidence,
			re: &lazyRegexp{src: pe.Regex}, literals: pe.Literals, litChars: pe.LitChars, multiline: pe.Multiline, relaxedLit: pe.RelaxedLit}
		for _, a := range pe.Alts {
			in.alts = append(in.alts, alternative{re: &lazyRegexp{src: a.Regex}, lit: a.Lit})
		}
		if pe.Relaxed != "" {
			in.relaxed = &lazyRegexp{src: pe.Relaxed}
		}
		ix.entries = append(ix.entries, in)
		domains[i] = pe.Domain
	}
	for _, owners := range p.Owners {
		for _, o := range owners {
			if o < 0 {
				o = relaxedOwner(o)
			}
			if int(o) >= len(p.Entries) {
				return nil, fmt.Errorf("match: inconsistent plan")
			}
		}
	}
	for _, n := range p.Always {
		if n < 0 || int(n) >= len(p.Entries) {
			return nil, fmt.Errorf("match: inconsistent plan")
		}
	}
	ix.setPatterns(p.Patterns)
	ix.text = bm25From(p.Text, domains)
	ix.load = entry
	return ix, nil
}

// Encode returns the plan's encoding (package flat): the same entries and
// code give the same bytes.
func (p *Plan) Encode() ([]byte, error) {
	return flat.Marshal(p)
}

// DecodePlan decodes what Encode encoded. The plan's strings are pieces
// of data (flat), so data must not change while the plan or an index made
// from it is in use; the embedded catalog's plan is read-only data.
func DecodePlan(data string) (*Plan, error) {
	p := new(Plan)
	if err := flat.Unmarshal(data, p); err != nil {
		return nil, fmt.Errorf("match: decoding a plan: %w", err)
	}
	return p, nil
}
