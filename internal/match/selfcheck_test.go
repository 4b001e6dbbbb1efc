package match

import (
	"fmt"
	"testing"

	"github.com/errorcanon/errorcanon/internal/canon"
)

func TestCheckPrefixes(t *testing.T) {
	good := entry("go/nil-map", `panic: assignment to entry in nil map`, "panic: assignment to entry in nil map")
	// Anchored at a line's start, with a message long enough to stand alone.
	anchored := entry("python/key-error", `(?m)^KeyError: '[^'\n]*' was not found in the mapping`, "KeyError: 'x' was not found in the mapping")
	if ms := testIndex(t, good, anchored).CheckPrefixes(); len(ms) != 0 {
		t.Fatalf("misses %+v", ms)
	}
	// A regex that needs a bare empty line, which a log prefix fills,
	// fails the property.
	fragile := entry("go/closed", `panic: close of closed channel\n\ngoroutine \d+`, "panic: close of closed channel\n\ngoroutine 1 [running]:")
	ms := testIndex(t, fragile).CheckPrefixes()
	if len(ms) != len(LogPrefixes) {
		t.Fatalf("want one miss per log prefix, got %+v", ms)
	}
	// A fragment that another entry claims is reported with what won.
	a := entry("rust/e0382", `error\[E0382\]: borrow of moved value: `+"`"+`\w+`+"`", "error[E0382]: borrow of moved value: `v`")
	b := entry("rust/generic-borrow", `(?m)^borrow of moved value: `+"`"+`\w+`+"`$", "borrow of moved value: `v`")
	ms = testIndex(t, a, b).CheckPrefixes()
	found := false
	for _, m := range ms {
		if m.ID == "rust/e0382" && m.Got == "rust/generic-borrow" && m.Case == `pasted as the fragment "borrow of moved value: `+"`v`"+`"` {
			found = true
		}
	}
	if !found {
		t.Errorf("fragment miss not reported: %+v", ms)
	}
}

func TestCheckOverlaps(t *testing.T) {
	wide := entry("node/refused", `connect ECONNREFUSED [\d.:]+`, "Error: connect ECONNREFUSED 127.0.0.1:5432")
	narrow := entry("postgresql/refused", `connect ECONNREFUSED [\d.]+:5432\b[^\n]*\n[^\n]*pg`, "Error: connect ECONNREFUSED 127.0.0.1:5432\n    at pg.connect")
	ov := testIndex(t, wide, narrow).CheckOverlaps()
	if fmt.Sprint(ov) != "[{node/refused postgresql/refused 0}]" {
		t.Fatalf("overlaps %v", ov)
	}
	// Linked entries say how they differ: not an overlap.
	narrow.Related.ConfusedWith = []canon.ConfusedWith{{ID: "node/refused", Distinction: "pg"}}
	if ov := testIndex(t, wide, narrow).CheckOverlaps(); len(ov) != 0 {
		t.Fatalf("linked entries reported: %v", ov)
	}
}

func TestCheckCorpus(t *testing.T) {
	ix := testIndex(t, entry("java/so", `java\.lang\.StackOverflowError`, "java.lang.StackOverflowError"))
	got := ix.CheckCorpus(map[string][]byte{
		"ok.log":      []byte("BUILD SUCCESS\nall 12 tests passed\n"),
		"classes.log": []byte("[0.1s][info][class,load] java.lang.Object\n[0.1s][info][class,load] java.lang.StackOverflowError source: shared objects file\n"),
	})
	if fmt.Sprint(got) != `[{java/so classes.log 2 java.lang.StackOverflowError}]` {
		t.Fatalf("alarms %v", got)
	}
}
