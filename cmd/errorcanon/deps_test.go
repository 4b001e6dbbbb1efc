package main

import (
	"os/exec"
	"strings"
	"testing"
)

// notLinked are packages the binary must not link, with why: Go runs
// every linked package's init in every process, whichever command runs
// (issue 10: `errorcanon match` as a process under 30 ms).
var notLinked = map[string]string{
	// Its init compiles linkify's, table's and tasklist's regexps (2.9 ms);
	// internal/render/gfm is the fork render uses (BENCHMARKS.md, Start-up).
	"github.com/yuin/goldmark/extension": "internal/render/gfm replaces it",
	// bleve's inits (scorch's Levenshtein automata, geo, its analysis
	// registry) cost about 8.7 ms; internal/search is an index of its own.
	"github.com/blevesearch/bleve/v2":              "internal/search needs no search engine",
	"github.com/blevesearch/bleve/v2/index/scorch": "internal/search needs no search engine",
	"github.com/blevesearch/bleve/v2/registry":     "internal/search's analyzers are built without bleve's registry",
}

func TestNotLinked(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if why, ok := notLinked[p]; ok {
			t.Errorf("cmd/errorcanon links %s: %s", p, why)
		}
	}
}
