package search

// This file holds the index of the shipped catalog as this package's tests
// share it: built once per test binary (a few seconds of CPU).

import (
	"sync"
	"testing"

	"github.com/errorcanon/errorcanon/internal/testutil"
)

var shippedIx = sync.OnceValues(func() (*Index, error) {
	c, _ := testutil.Shipped()
	return Build(c.Entries)
})

// shippedIndex is the index of the shipped catalog, built once per test
// binary and never closed. Tests only read it (the index is safe for
// concurrent use); a test that needs an empty result cache or changes
// anything builds its own.
func shippedIndex(t testing.TB) *Index {
	t.Helper()
	ix, err := shippedIx()
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// memoAnalyzer remembers what an analyzer made of each text. Analysis is
// a pure function of the text, and the package only reads the tokens it
// returns, so a caller sees the same tokens as from the analyzer itself;
// a test that analyzes the same texts many times pays for each once.
type memoAnalyzer struct {
	a    analyzer
	mu   sync.RWMutex
	done map[string][]*token
}

func (m *memoAnalyzer) Analyze(b []byte) []*token {
	m.mu.RLock()
	ts, ok := m.done[string(b)]
	m.mu.RUnlock()
	if ok {
		return ts
	}
	key := string(b) // before Analyze, which may lowercase b in place
	ts = m.a.Analyze(b)
	m.mu.Lock()
	m.done[key] = ts
	m.mu.Unlock()
	return ts
}

// withMemoAnalyzers is a copy of ix that shares its index and
// tables but analyzes through memoAnalyzers.
func withMemoAnalyzers(ix *Index) *Index {
	cp := *ix
	cp.en = &memoAnalyzer{a: ix.en, done: map[string][]*token{}}
	cp.kw = &memoAnalyzer{a: ix.kw, done: map[string][]*token{}}
	cp.cjk = &memoAnalyzer{a: ix.cjk, done: map[string][]*token{}}
	return &cp
}
