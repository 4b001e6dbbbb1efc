package match

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestPeerSideBySide runs the peer deadends.dev's published signatures and
// benchmark scenarios through the shipped catalog's matcher and reports how
// many are answered exactly, with look-alikes above the threshold, or not
// at all, and the time per call. It needs a copy of the peer's repository
// (scripts/compare-deadends.sh makes one) and is skipped without it:
//
//	DEADENDS_DIR=/path/to/copy go test ./internal/match -run TestPeerSideBySide -v
func TestPeerSideBySide(t *testing.T) {
	dir := os.Getenv("DEADENDS_DIR")
	if dir == "" {
		t.Skip("DEADENDS_DIR not set: scripts/compare-deadends.sh sets it")
	}
	type canon struct {
		ID    string `json:"id"`
		Error struct {
			Signature string `json:"signature"`
			Domain    string `json:"domain"`
		} `json:"error"`
	}
	var sigs []canon
	err := filepath.WalkDir(filepath.Join(dir, "data", "canons"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var c canon
		if json.Unmarshal(b, &c) == nil && c.Error.Signature != "" {
			sigs = append(sigs, c)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var scenarios []struct {
		ID      string `json:"id"`
		Message string `json:"error_message"`
	}
	if b, err := os.ReadFile(filepath.Join(dir, "benchmarks", "error_scenarios.json")); err == nil {
		_ = json.Unmarshal(b, &scenarios)
	}
	ix, _ := shippedIndex()

	exact, fuzzy, none := 0, 0, 0
	byDomain := map[string][3]int{}
	var calls int
	start := time.Now()
	for _, c := range sigs {
		rs, err := ix.Match([]byte(c.Error.Signature), Options{Limit: 3})
		calls++
		k := 2
		switch {
		case err != nil || len(rs) == 0:
			none++
		case rs[0].Kind == Matched:
			exact++
			k = 0
		default:
			fuzzy++
			k = 1
		}
		v := byDomain[c.Error.Domain]
		v[k]++
		byDomain[c.Error.Domain] = v
	}
	perCall := time.Since(start) / time.Duration(max(1, calls))
	t.Logf("peer signatures: %d; answered exactly: %d (%.1f%%); look-alikes above the threshold: %d (%.1f%%); not known: %d (%.1f%%); %v per call",
		len(sigs), exact, pct(exact, len(sigs)), fuzzy, pct(fuzzy, len(sigs)), none, pct(none, len(sigs)), perCall)
	domains := make([]string, 0, len(byDomain))
	for d := range byDomain {
		domains = append(domains, d)
	}
	sort.Slice(domains, func(i, j int) bool { return byDomain[domains[i]][0] > byDomain[domains[j]][0] })
	for _, d := range domains[:min(15, len(domains))] {
		v := byDomain[d]
		t.Logf("  %-16s exact %4d  look-alike %4d  not known %4d", d, v[0], v[1], v[2])
	}
	for _, s := range scenarios {
		rs, _ := ix.Match([]byte(s.Message), Options{Limit: 1})
		answer := "not known"
		if len(rs) > 0 {
			answer = string(rs[0].Kind) + " " + rs[0].ID
		}
		t.Logf("scenario %-28s %s", s.ID, answer)
	}
}

func pct(n, of int) float64 { return 100 * float64(n) / float64(max(1, of)) }
