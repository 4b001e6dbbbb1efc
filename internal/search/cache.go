// Results are cached by normalised query: the same query (after Clean,
// with its defaults filled in) is answered from memory while it stays
// among the CacheSize most recently used. The index never changes after
// Build, so a cached answer never goes stale.

package search

import (
	"strconv"
	"strings"

	"github.com/errorcanon/errorcanon/internal/lru"
)

// CacheSize is the number of distinct queries whose results are kept.
// A page of results with snippets is a few KB, so the cache stays under
// a few MB.
const CacheSize = 512

func newResultCache(n int) *lru.Cache[string, *Results] { return lru.New[string, *Results](n) }

// cacheKey is q's identity once checked and its text cleaned.
func cacheKey(text string, q Query) string {
	return strings.Join([]string{text, q.Lang, q.Domain, q.Category, q.Verification, q.Resolvable,
		strconv.Itoa(q.Page), strconv.Itoa(q.PerPage)}, "\x00")
}
