package render

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/errorcanon/errorcanon/internal/canon"
)

// The JSON form carries every field of entry-schema.md under the seed
// site's names, in the schema's order, with null where the schema allows
// null and [] or {} for empty lists and maps (never omitted), so consumers
// can rely on every key being there. It adds schema_version, url, urls,
// stats and, for a reproduced entry, the verification record. Computed
// fields (fix_rate, evidence_count, verification, last_verified) are
// served under their v1 names; rates_are_estimates says whether any rate
// is still the editor's estimate.

type jsonEntry struct {
	SchemaVersion int `json:"schema_version"`

	Title       string   `json:"title"`
	TitleZh     string   `json:"title_zh"`
	ID          string   `json:"id"`
	Domain      string   `json:"domain"`
	Category    string   `json:"category"`
	Subcategory *string  `json:"subcategory"`
	ErrorCode   *string  `json:"error_code"`
	Tags        []string `json:"tags"`

	Signature   string   `json:"signature"`
	SignatureZh string   `json:"signature_zh"`
	Regex       string   `json:"regex"`
	Examples    []string `json:"examples"`

	Resolvable        string           `json:"resolvable"`
	FixRate           float64          `json:"fix_rate"`
	RatesAreEstimates bool             `json:"rates_are_estimates"`
	Confidence        float64          `json:"confidence"`
	Evidence          []canon.Evidence `json:"evidence"`
	EvidenceCount     int              `json:"evidence_count"`
	Verification      string           `json:"verification"`
	FirstSeen         *string          `json:"first_seen"`
	FirstSeenSource   *string          `json:"first_seen_source"`
	LastVerified      *string          `json:"last_verified"`

	RootCause     string                  `json:"root_cause"`
	RootCauseZh   string                  `json:"root_cause_zh"`
	RootCauseType string                  `json:"root_cause_type"`
	Versions      []canon.Version         `json:"versions"`
	OSSpecific    map[string]canon.OSNote `json:"os_specific"`
	Docs          []string                `json:"docs"`

	Workarounds []jsonWorkaround `json:"workarounds"`
	DeadEnds    []jsonDeadEnd    `json:"dead_ends"`

	Related   jsonRelated      `json:"related"`
	Reproduce *canon.Reproduce `json:"reproduce"`
	Source    *canon.Source    `json:"source,omitempty"` // imported entries only

	URL                string      `json:"url"`
	URLs               URLs        `json:"urls"`
	Stats              Stats       `json:"stats"`
	VerificationRecord *jsonRecord `json:"verification_record"`
}

// jsonRecord is the golden file of a reproduced entry.
type jsonRecord struct {
	Verified string   `json:"verified"`
	Script   string   `json:"script_hash"`
	Tools    []string `json:"tools"`
	Output   string   `json:"output"`
}

type jsonWorkaround struct {
	Action      string   `json:"action"`
	ActionZh    string   `json:"action_zh"`
	How         string   `json:"how"`
	HowZh       string   `json:"how_zh"`
	SuccessRate float64  `json:"success_rate"`
	Command     *string  `json:"command"`
	Check       *string  `json:"check"`
	Tradeoff    string   `json:"tradeoff"`
	TradeoffZh  string   `json:"tradeoff_zh"`
	Condition   string   `json:"condition"`
	ConditionZh string   `json:"condition_zh"`
	Sources     []string `json:"sources"`
}

type jsonDeadEnd struct {
	Action                string   `json:"action"`
	ActionZh              string   `json:"action_zh"`
	WhyFails              string   `json:"why_fails"`
	WhyFailsZh            string   `json:"why_fails_zh"`
	FailRate              float64  `json:"fail_rate"`
	Condition             string   `json:"condition"`
	ConditionZh           string   `json:"condition_zh"`
	CommonMisconception   string   `json:"common_misconception"`
	CommonMisconceptionZh string   `json:"common_misconception_zh"`
	Sources               []string `json:"sources"`
}

type jsonLeadsTo struct {
	ID          string  `json:"id"`
	Probability float64 `json:"probability"`
	Condition   string  `json:"condition"`
	ConditionZh string  `json:"condition_zh"`
}

type jsonRelated struct {
	LeadsTo      []jsonLeadsTo        `json:"leads_to"`
	PrecededBy   []canon.PrecededBy   `json:"preceded_by"`
	ConfusedWith []canon.ConfusedWith `json:"confused_with"`
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// orNull is nil for "", so an unknown value is null, not an empty string.
func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (r *Renderer) jsonDoc(e *canon.Entry) *jsonEntry {
	urls := r.EntryLinks(e.ID)
	st := r.Stats(e)
	d := &jsonEntry{
		SchemaVersion: SchemaVersion,
		Title:         e.Title, TitleZh: e.TitleZh,
		ID: e.ID, Domain: e.Domain, Category: e.Category, Subcategory: e.Subcategory, ErrorCode: e.ErrorCode,
		Tags:      nonNil(e.Tags),
		Signature: e.Signature, SignatureZh: e.SignatureZh, Regex: e.Regex, Examples: nonNil(e.Examples),
		Resolvable: e.Resolvable, FixRate: st.FixRate(), RatesAreEstimates: st.Estimated(),
		Confidence: e.Confidence, Evidence: nonNil(e.Evidence), EvidenceCount: e.EvidenceCount + st.Reports,
		Verification: e.Verification, FirstSeen: orNull(e.FirstSeen), FirstSeenSource: orNull(e.FirstSeenSource),
		LastVerified: orNull(e.LastVerified),
		RootCause:    e.RootCause, RootCauseZh: e.RootCauseZh, RootCauseType: e.RootCauseType,
		Versions:   nonNil(e.Versions),
		OSSpecific: e.OSSpecific,
		Docs:       nonNil(e.Docs),
		Reproduce:  e.Reproduce,
		Source:     e.Source,
		URL:        urls.HTML,
		URLs:       urls,
		Stats:      st,
	}
	if e.Reproduced() {
		d.VerificationRecord = &jsonRecord{Verified: e.Record.Verified, Script: e.Record.Script, Tools: nonNil(e.Record.Tools), Output: e.Record.Output}
	}
	if d.OSSpecific == nil {
		d.OSSpecific = map[string]canon.OSNote{}
	}
	if d.Reproduce != nil {
		rp := *d.Reproduce
		rp.Requires = nonNil(rp.Requires)
		d.Reproduce = &rp
	}
	d.Workarounds = []jsonWorkaround{}
	for _, w := range e.Workarounds {
		d.Workarounds = append(d.Workarounds, jsonWorkaround{
			Action: w.Action, ActionZh: w.ActionZh, How: w.How, HowZh: w.HowZh, SuccessRate: w.SuccessRate,
			Command: orNull(w.Command), Check: orNull(w.Check),
			Tradeoff: w.Tradeoff, TradeoffZh: w.TradeoffZh, Condition: w.Condition, ConditionZh: w.ConditionZh,
			Sources: nonNil(w.Sources),
		})
	}
	d.DeadEnds = []jsonDeadEnd{}
	for _, x := range e.DeadEnds {
		d.DeadEnds = append(d.DeadEnds, jsonDeadEnd{
			Action: x.Action, ActionZh: x.ActionZh, WhyFails: x.WhyFails, WhyFailsZh: x.WhyFailsZh, FailRate: x.FailRate,
			Condition: x.Condition, ConditionZh: x.ConditionZh,
			CommonMisconception: x.CommonMisconception, CommonMisconceptionZh: x.CommonMisconceptionZh,
			Sources: nonNil(x.Sources),
		})
	}
	d.Related.LeadsTo = []jsonLeadsTo{}
	for _, l := range e.Related.LeadsTo {
		d.Related.LeadsTo = append(d.Related.LeadsTo, jsonLeadsTo(l))
	}
	d.Related.PrecededBy = nonNil(e.Related.PrecededBy)
	d.Related.ConfusedWith = nonNil(e.Related.ConfusedWith)
	return d
}

// EntryJSON writes an entry's JSON document, indented, ending in a newline.
// encoding/json escapes <, > and & inside strings, so the document is safe
// to embed anywhere.
func (r *Renderer) EntryJSON(w io.Writer, e *canon.Entry) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r.jsonDoc(e)); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
