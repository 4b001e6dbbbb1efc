package importer

// This file reads the index.json form of an entry, as the reference site
// and `errorcanon serve` publish it: the field names of our catalog files,
// plus computed fields (fix_rate, evidence_count, verification, stats,
// urls) that are dropped and computed again.

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/errorcanon/errorcanon/internal/canon"
)

type ecEntry struct {
	canon.Entry
	URL string `json:"url"`
}

func convertErrorCanon(file string, data []byte) (*canon.Entry, *Skip) {
	var c ecEntry
	if s := decodeJSON(file, data, &c); s != nil {
		return nil, s
	}
	e := &c.Entry
	skip := func(reason, format string, args ...any) (*canon.Entry, *Skip) {
		return nil, &Skip{File: file, PeerID: e.ID, Reason: reason, Detail: fmt.Sprintf(format, args...)}
	}
	for _, f := range [][2]string{{"id", e.ID}, {"domain", e.Domain}, {"signature", e.Signature}, {"regex", e.Regex}} {
		if strings.TrimSpace(f[1]) == "" {
			return skip(ReasonMissingField, "%s is missing or empty", f[0])
		}
	}
	if d, _, ok := canon.SplitID(e.ID); !ok || d != e.Domain {
		return skip(ReasonMissingField, "id %q is not {domain}/{slug} in its domain %q", e.ID, e.Domain)
	}
	if len(e.Examples) == 0 {
		return skip(ReasonMissingField, "examples is missing or empty")
	}
	if n := len(e.Signature); n > MaxSignature {
		return skip(ReasonTooLarge, "signature is %d bytes; at most %d", n, MaxSignature)
	}
	if nonSoftware[e.Domain] {
		return skip(ReasonNonSoftware, "domain %q is not about software", e.Domain)
	}
	rx, rp := convertRegex(e.Regex, false)
	if rp != nil {
		return skip(rp.reason, "regex %s", rp.detail)
	}
	e.Regex = rx
	// Computed fields are computed again on load; the entry was verified
	// elsewhere, not here.
	e.FixRate, e.EvidenceCount, e.Verification, e.LastVerified = 0, 0, "", ""
	e.Reproduce, e.Record = nil, nil
	e.Confidence = min(e.Confidence, 0.3)
	if e.Source == nil {
		page := c.URL
		if checkHTTPS(page) != "" {
			return skip(ReasonMissingField, "url, the entry's page at its source, is missing or not https; an import must say where it came from")
		}
		host := page
		if u, err := url.Parse(page); err == nil {
			host = u.Host
		}
		e.Source = &canon.Source{Name: host, URL: page, License: "unspecified", Attribution: host + ", " + page}
	}
	if !strings.Contains(strings.Join(e.Tags, " "), "imported") {
		e.Tags = append(e.Tags, "imported")
	}
	return e, nil
}
