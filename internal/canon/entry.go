// Package canon holds the ErrorCanon data model: the Entry type, its
// identifiers and the rules every shipped entry meets. It does no I/O;
// loading files is internal/catalog's job.
package canon

// Entry is one known error. Field names follow ../shared/design/entry-schema.md
// and the seed site's JSON, so catalog files, the JSON form and existing
// consumers share one vocabulary.
type Entry struct {
	// Identity and classification. Title is what a person calls the
	// error; the signature below is what the tool prints.
	Title       string   `json:"title" yaml:"title"`
	TitleZh     string   `json:"title_zh" yaml:"title_zh"`
	ID          string   `json:"id" yaml:"id"`
	Domain      string   `json:"domain" yaml:"domain"`
	Category    string   `json:"category" yaml:"category"`
	Subcategory *string  `json:"subcategory" yaml:"subcategory"`
	ErrorCode   *string  `json:"error_code" yaml:"error_code"`
	Tags        []string `json:"tags" yaml:"tags"`

	// Recognition.
	Signature   string   `json:"signature" yaml:"signature"`
	SignatureZh string   `json:"signature_zh" yaml:"signature_zh"`
	Regex       string   `json:"regex" yaml:"regex"`
	Examples    []string `json:"examples" yaml:"examples"`

	// Verdict. Fields tagged yaml:"-" are computed (see Derive) and a
	// catalog file that writes them is refused.
	Resolvable      string     `json:"resolvable" yaml:"resolvable"`
	FixRate         float64    `json:"fix_rate" yaml:"-"`
	Confidence      float64    `json:"confidence" yaml:"confidence"`
	Evidence        []Evidence `json:"evidence" yaml:"evidence"`
	EvidenceCount   int        `json:"evidence_count" yaml:"-"`
	Verification    string     `json:"verification" yaml:"-"`
	FirstSeen       string     `json:"first_seen" yaml:"first_seen"`
	FirstSeenSource string     `json:"first_seen_source,omitempty" yaml:"first_seen_source"`
	LastVerified    string     `json:"last_verified" yaml:"-"`

	// Explanation.
	RootCause     string            `json:"root_cause" yaml:"root_cause"`
	RootCauseZh   string            `json:"root_cause_zh" yaml:"root_cause_zh"`
	RootCauseType string            `json:"root_cause_type" yaml:"root_cause_type"`
	Versions      []Version         `json:"versions" yaml:"versions"`
	OSSpecific    map[string]OSNote `json:"os_specific" yaml:"os_specific"`
	Docs          []string          `json:"docs" yaml:"docs"`

	// What to do, what not to do.
	Workarounds []Workaround `json:"workarounds" yaml:"workarounds"`
	DeadEnds    []DeadEnd    `json:"dead_ends" yaml:"dead_ends"`

	Related   Related    `json:"related" yaml:"related"`
	Reproduce *Reproduce `json:"reproduce,omitempty" yaml:"reproduce"`

	// Source is set on entries imported from another knowledge base
	// (errorcanon import): where the entry came from and under which
	// licence. Such an entry is never verified, may lack its Chinese
	// texts and steps, and is never part of the shipped catalog.
	Source *Source `json:"source,omitempty" yaml:"source,omitempty"`

	// Record is what the last passing `verify --record` saw, read from the
	// golden file beside the entry; nil when there is none.
	Record *Record `json:"-" yaml:"-"`
}

// Evidence is one source that backs the entry: what it is, where, and what
// it shows.
type Evidence struct {
	Kind   string `json:"kind" yaml:"kind"`
	URL    string `json:"url" yaml:"url"`
	Note   string `json:"note" yaml:"note"`
	NoteZh string `json:"note_zh" yaml:"note_zh"`
}

// Version is one row of the version table.
type Version struct {
	Version          string  `json:"version" yaml:"version"`
	Product          string  `json:"product" yaml:"product"`
	Range            string  `json:"range" yaml:"range"`
	Status           string  `json:"status" yaml:"status"`
	Introduced       *string `json:"introduced" yaml:"introduced"`
	Deprecated       *string `json:"deprecated" yaml:"deprecated"`
	Removed          *string `json:"removed" yaml:"removed"`
	BehaviorChange   string  `json:"behavior_change" yaml:"behavior_change"`
	BehaviorChangeZh string  `json:"behavior_change_zh" yaml:"behavior_change_zh"`
	Notes            string  `json:"notes" yaml:"notes"`
	NotesZh          string  `json:"notes_zh" yaml:"notes_zh"`
}

// OSNote says how the error differs on one operating system.
type OSNote struct {
	Note   string `json:"note" yaml:"note"`
	NoteZh string `json:"note_zh" yaml:"note_zh"`
}

// Workaround is something that fixes the error, best first.
type Workaround struct {
	Action      string  `json:"action" yaml:"action"`
	ActionZh    string  `json:"action_zh" yaml:"action_zh"`
	How         string  `json:"how" yaml:"how"`
	HowZh       string  `json:"how_zh" yaml:"how_zh"`
	SuccessRate float64 `json:"success_rate" yaml:"success_rate"`
	// Command is the one shell command that applies the fix; {name} is
	// filled from the regex's named group of that name. Check is one
	// command that shows whether the fix applies.
	Command     string   `json:"command,omitempty" yaml:"command"`
	Check       string   `json:"check,omitempty" yaml:"check"`
	Tradeoff    string   `json:"tradeoff,omitempty" yaml:"tradeoff"`
	TradeoffZh  string   `json:"tradeoff_zh,omitempty" yaml:"tradeoff_zh"`
	Condition   string   `json:"condition,omitempty" yaml:"condition"`
	ConditionZh string   `json:"condition_zh,omitempty" yaml:"condition_zh"`
	Sources     []string `json:"sources,omitempty" yaml:"sources"`
}

// DeadEnd is something people try that does not fix the error.
type DeadEnd struct {
	Action                string   `json:"action" yaml:"action"`
	ActionZh              string   `json:"action_zh" yaml:"action_zh"`
	WhyFails              string   `json:"why_fails" yaml:"why_fails"`
	WhyFailsZh            string   `json:"why_fails_zh" yaml:"why_fails_zh"`
	FailRate              float64  `json:"fail_rate" yaml:"fail_rate"`
	Condition             string   `json:"condition,omitempty" yaml:"condition"`
	ConditionZh           string   `json:"condition_zh,omitempty" yaml:"condition_zh"`
	CommonMisconception   string   `json:"common_misconception,omitempty" yaml:"common_misconception"`
	CommonMisconceptionZh string   `json:"common_misconception_zh,omitempty" yaml:"common_misconception_zh"`
	Sources               []string `json:"sources,omitempty" yaml:"sources"`
}

// Related links an entry to others in the catalog.
type Related struct {
	LeadsTo      []LeadsTo      `json:"leads_to" yaml:"leads_to"`
	PrecededBy   []PrecededBy   `json:"preceded_by" yaml:"preceded_by"`
	ConfusedWith []ConfusedWith `json:"confused_with" yaml:"confused_with"`
}

// LeadsTo is the error that typically comes next once this one is fixed.
type LeadsTo struct {
	ID          string  `json:"id" yaml:"id"`
	Probability float64 `json:"probability" yaml:"probability"`
	Condition   string  `json:"condition,omitempty" yaml:"condition"`
	ConditionZh string  `json:"condition_zh,omitempty" yaml:"condition_zh"`
}

// PrecededBy is an error that typically comes before this one.
type PrecededBy struct {
	ID          string  `json:"id" yaml:"id"`
	Probability float64 `json:"probability" yaml:"probability"`
}

// ConfusedWith is an entry with similar text but another cause.
type ConfusedWith struct {
	ID            string `json:"id" yaml:"id"`
	Distinction   string `json:"distinction" yaml:"distinction"`
	DistinctionZh string `json:"distinction_zh" yaml:"distinction_zh"`
}

// Source is where an imported entry came from: the page it was converted
// from, its licence and the attribution the licence asks for.
type Source struct {
	Name        string `json:"name" yaml:"name"`
	URL         string `json:"url" yaml:"url"`
	License     string `json:"license" yaml:"license"`
	LicenseURL  string `json:"license_url,omitempty" yaml:"license_url,omitempty"`
	Attribution string `json:"attribution" yaml:"attribution"`
}

// Imported reports whether the entry came from another knowledge base.
func (e *Entry) Imported() bool { return e.Source != nil }

// Reproduce is a script that makes a real tool print the error.
type Reproduce struct {
	Requires []string `json:"requires" yaml:"requires"`
	Script   string   `json:"script" yaml:"script"`
	TimeoutS int      `json:"timeout_s" yaml:"timeout_s"`
}

// Domain is one entry of the catalog's domain list.
type Domain struct {
	ID            string `json:"id" yaml:"id"`
	Name          string `json:"name" yaml:"name"`
	NameZh        string `json:"name_zh" yaml:"name_zh"`
	Description   string `json:"description" yaml:"description"`
	DescriptionZh string `json:"description_zh" yaml:"description_zh"`
}

// Slug returns the part of the ID after the domain.
func (e *Entry) Slug() string {
	if i := len(e.Domain); len(e.ID) > i && e.ID[:i] == e.Domain && e.ID[i] == '/' {
		return e.ID[i+1:]
	}
	return e.ID
}
