// This file holds the index's shape: its fields, how each is analyzed,
// and the texts of an entry that go into each.

package search

import (
	"strings"

	"github.com/errorcanon/errorcanon/internal/canon"
)

// The index's text fields. Text is grouped by language and weight: fewer
// fields mean fewer lookups per query word; Hit.Fields are finer, from
// the snippets.
const (
	iSig    = iota // signature
	iEx            // examples
	iBody          // root cause, workarounds, dead ends
	iCode          // error code and tags
	iSigZh         // signature_zh
	iBodyZh        // the *_zh of body
	nFields
)

// fieldDefs say how each field is analyzed and searched.
var fieldDefs = [nFields]struct {
	analyzer  analyzer
	positions bool // word positions kept: phrases are searched here
}{
	iSig:    {enAnalyzer, true},
	iEx:     {enAnalyzer, true},
	iBody:   {enAnalyzer, false},
	iCode:   {kwAnalyzer, false},
	iSigZh:  {zhAnalyzer, false},
	iBodyZh: {zhAnalyzer, false},
}

// fieldTexts are an entry's texts, by field number.
func fieldTexts(e *canon.Entry) [nFields]string {
	var body, bodyZh []string
	body = append(body, e.RootCause)
	bodyZh = append(bodyZh, e.RootCauseZh)
	for _, w := range e.Workarounds {
		body = append(body, w.Action, w.How)
		bodyZh = append(bodyZh, w.ActionZh, w.HowZh)
	}
	for _, d := range e.DeadEnds {
		body = append(body, d.Action, d.WhyFails)
		bodyZh = append(bodyZh, d.ActionZh, d.WhyFailsZh)
	}
	code := strings.Join(e.Tags, " ")
	if e.ErrorCode != nil {
		code = *e.ErrorCode + " " + code
	}
	return [nFields]string{
		iSig: e.Signature, iEx: strings.Join(e.Examples, "\n"), iBody: strings.Join(body, "\n"),
		iCode: code, iSigZh: e.SignatureZh, iBodyZh: strings.Join(bodyZh, "\n"),
	}
}
