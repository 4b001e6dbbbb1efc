package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/testutil"
)

// The shipped catalog: known entries are found by the words people type.
func TestShippedCatalog(t *testing.T) {
	t.Parallel()
	c, _ := testutil.Shipped()
	if len(c.Entries) < 100 {
		t.Fatalf("shipped catalog has %d entries", len(c.Entries))
	}
	ix := shippedIndex(t)
	if ix.size() != len(c.Entries) {
		t.Fatalf("indexed %d of %d", ix.size(), len(c.Entries))
	}
	for _, tc := range []struct {
		q    Query
		want string // among the first five hits
	}{
		{Query{Text: "connection refused ECONNREFUSED"}, "node/econnrefused-connection-refused"},
		{Query{Text: "index.lock file exists"}, "git/index-lock-file-exists"},
		{Query{Text: "Permission denied (publickey)"}, "git/permission-denied-publickey"},
		{Query{Text: "borrow of moved value"}, "rust/e0382-borrow-of-moved-value"},
		{Query{Text: "E0382"}, "rust/e0382-borrow-of-moved-value"},
		{Query{Text: "no module named"}, "python/module-not-found-error"},
		{Query{Text: "borow of moved valeu"}, "rust/e0382-borrow-of-moved-value"}, // typos
		{Query{Text: "no space left on device", Domain: "docker"}, "docker/no-space-left-on-device"},
		{Query{Text: "externally managed environment"}, "python/pip-externally-managed-environment"},
		{Query{Text: "索引锁文件"}, "git/index-lock-file-exists"},
		{Query{Text: "锁", Domain: "git"}, "git/index-lock-file-exists"},
		{Query{Text: "磁盘已满", Lang: "zh"}, "docker/no-space-left-on-device"},
		{Query{Text: "包管理器", Lang: "zh"}, "python/pip-externally-managed-environment"},
		{Query{Text: "包", Domain: "python", PerPage: 50}, "python/pip-externally-managed-environment"},
	} {
		r := mustSearch(t, ix, tc.q)
		top := ids(r)
		if tc.q.PerPage == 0 {
			top = top[:min(5, len(top))]
		}
		if !slices.Contains(top, tc.want) {
			t.Errorf("%q: %s not in %v", tc.q.Text, tc.want, top)
		}
		checkSnippets(t, r)
	}
}

// The highlighter's quick pre-test never hides a match: over the shipped
// catalog, words taken from every kind of field give the same matched
// fields and snippets with and without it.
//
// Each sampled entry's words are compared on the entries of its group
// (entries whose index is the same modulo groups), the groups in parallel
// subtests (the index is safe for concurrent use): this is the package's
// longest test. A group's entries are highlighted for some 150 queries,
// so each group analyzes through its own memoAnalyzers, which remember
// the group's texts: without them, analyzing the same texts again and
// again took 20 s of CPU; with one memo for all groups, the collector
// scanned hundreds of megabytes of tokens.
func TestPrefilterMissesNothing(t *testing.T) {
	t.Parallel()
	c, _ := testutil.Shipped()
	ix := shippedIndex(t)
	ctx := context.Background()
	var n atomic.Int64
	t.Run("entries", func(t *testing.T) {
		for g := range groups {
			t.Run(fmt.Sprint(g), func(t *testing.T) {
				t.Parallel()
				gix := withMemoAnalyzers(ix)
				for i, e := range c.Entries {
					if i%13 != 0 || i%groups != g {
						continue
					}
					t.Run(e.ID, func(t *testing.T) {
						n.Add(int64(prefilterAgrees(ctx, t, gix, c.Entries, i)))
					})
				}
			})
		}
	})
	t.Logf("%d field matches compared", n.Load())
	if n.Load() < 100 {
		t.Errorf("only %d field matches checked", n.Load())
	}
}

// groups is how many groups TestPrefilterMissesNothing splits the
// entries into.
const groups = 17

// prefilterAgrees compares the highlighter with and without its pre-test
// for words of entries[i], over a sample of the entries, and returns the
// number of field matches compared.
func prefilterAgrees(ctx context.Context, t *testing.T, ix *Index, entries []*canon.Entry, i int) int {
	e := entries[i]
	n := 0
	{
		var texts []string
		texts = append(texts, e.Signature, e.SignatureZh, e.RootCause, e.RootCauseZh, e.Examples[0])
		for _, w := range e.Workarounds {
			texts = append(texts, w.How, w.HowZh)
		}
		for _, d := range e.DeadEnds {
			texts = append(texts, d.WhyFails, d.WhyFailsZh)
		}
		for j, s := range texts {
			words := strings.Fields(s)
			if len(words) == 0 {
				continue
			}
			q := words[(i+j)%len(words)]
			if r := []rune(q); len(r) > 4 && j%2 == 1 {
				q = string(r[(i+j)%len(r)]) // one Chinese character (or letter)
			} else if len(r) > 6 && i%3 == 0 {
				q = string(r[:3]) + string(r[4:]) // a typo
			}
			langs := []string{""}
			if j%2 == 1 {
				langs = append(langs, "zh")
			}
			for _, lang := range langs {
				tm := ix.analyze(q, lang)
				if len(tm.words) == 0 {
					continue
				}
				ix.plan(tm)
				for k, h := range entries {
					if k%groups != i%groups && k != i {
						continue
					}
					s1, f1 := ix.highlight(h, tm, lang)
					tm.noPrefilter = true
					s2, f2 := ix.highlight(h, tm, lang)
					tm.noPrefilter = false
					if !slices.Equal(f1, f2) || !slices.Equal(s1, s2) {
						t.Fatalf("%q (%s) on %s: fields %v with the pre-test, %v without", q, lang, h.ID, f1, f2)
					}
					n += len(f2)
				}
			}
		}
	}
	return n
}
