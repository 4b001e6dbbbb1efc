package sitesearch

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"strings"
	"testing"

	"github.com/errorcanon/errorcanon/internal/testutil"
)

func TestTokens(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []Token
	}{
		{"ModuleNotFoundError: No module named 'requests'", []Token{{"modulenotfounderror", false}, {"no", false}, {"module", false}, {"named", false}, {"requests", false}}},
		{"证书验证", []Token{{"证书", true}, {"书验", true}, {"验证", true}, {"证", true}}},
		{"锁", []Token{{"锁", true}}},
		{"ＡＢ包 x_y 3.11 a", []Token{{"ab", false}, {"包", true}, {"x_y", false}, {"11", false}}},
		{"git锁文件", []Token{{"git", false}, {"锁文", true}, {"文件", true}, {"件", true}}},
		{"", nil},
	} {
		if got := Tokens(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Tokens(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

// Key and Shard are computed again by app.js (shardOf): these values
// are FNV-1a's (worked out apart from Go), as the script computes them.
func TestShard(t *testing.T) {
	for _, c := range []struct {
		word, key string
		n, want   int
	}{
		{"certificate", "ce", 64, int(0x5c299a95 % 64)},
		{"证书", "证", 256, -1},
		{"x", "x", 8, -1},
	} {
		if k := Key(c.word); k != c.key {
			t.Errorf("Key(%q) = %q, want %q", c.word, k, c.key)
		}
		if c.want >= 0 {
			if got := Shard(c.key, c.n); got != c.want {
				t.Errorf("Shard(%q, %d) = %d, want %d", c.key, c.n, got, c.want)
			}
		}
	}
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("word ", 40)
	for _, c := range []struct {
		in   string
		zh   bool
		want string
	}{
		{"The `pip` install **failed**.", false, "The pip install failed."},
		{long, false, strings.TrimSpace(strings.Repeat("word ", 22)) + "…"},
		{strings.Repeat("错", 60), true, strings.Repeat("错", 55) + "…"},
	} {
		if got := Snippet(c.in, c.zh); got != c.want {
			t.Errorf("Snippet(%.20q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// lookup finds a word's entries in the built files as app.js does for a
// whole word: its term through the shard's "w", or the term itself; a
// single Chinese character by prefix.
func lookup(t *testing.T, ix *Index, lang, word string) map[int]int {
	t.Helper()
	var sh struct {
		T map[string][]int  `json:"t"`
		W map[string]string `json:"w"`
	}
	f := fmt.Sprintf("%s/%d.json", lang, Shard(Key(word), ix.Langs[lang].Shards))
	if err := json.Unmarshal(ix.Files[f], &sh); err != nil {
		t.Fatalf("%s: %v", f, err)
	}
	docs := map[int]int{}
	decode := func(list []int) {
		v := 0
		for _, d := range list {
			v += d
			docs[v>>2] = max(docs[v>>2], v&3)
		}
	}
	if term, ok := sh.W[word]; ok {
		decode(sh.T[term])
		return docs
	}
	if r := []rune(word); len(r) == 1 && IsCJK(r[0]) {
		for k, list := range sh.T {
			if strings.HasPrefix(k, word) {
				decode(list)
			}
		}
		return docs
	}
	decode(sh.T[word])
	return docs
}

// Every word of every entry's signature finds the entry in its shard,
// in the signature's class, in both languages; so does every Chinese
// character of the Chinese signature, alone; stop words find nothing.
func TestBuild(t *testing.T) {
	c := testutil.SeedCatalog(t)
	ix, err := Build(c.Entries)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{"en", "zh"} {
		if got := ix.Langs[l]; got.Docs != len(c.Entries) || got.Chunk != Chunk || got.Shards < 1 {
			t.Errorf("%s: %+v", l, got)
		}
	}
	for i, e := range c.Entries {
		for _, tok := range Tokens(e.Signature) {
			if tok.CJK || isStop(tok.Text) {
				continue
			}
			if got := lookup(t, ix, "en", tok.Text)[i]; got != classSig {
				t.Errorf("%s: en %q: class %d, want %d", e.ID, tok.Text, got, classSig)
			}
		}
		for _, r := range e.SignatureZh {
			if IsCJK(r) {
				if got := lookup(t, ix, "zh", string(r))[i]; got != classSig {
					t.Errorf("%s: zh %q: class %d, want %d", e.ID, string(r), got, classSig)
				}
			}
		}
		// The docs file holds the entry's path and title.
		var docs [][3]string
		json.Unmarshal(ix.Files[fmt.Sprintf("zh/docs-%d.json", i/Chunk)], &docs)
		if d := docs[i%Chunk]; d[0] != "/errors/"+e.ID+"/zh.html" || d[1] == "" {
			t.Errorf("%s: docs entry %v", e.ID, d)
		}
	}
	if got := lookup(t, ix, "en", "the"); len(got) != 0 {
		t.Errorf("the stop word 'the' finds %d entries", len(got))
	}
	again, _ := Build(c.Entries)
	if !maps.EqualFunc(again.Files, ix.Files, func(a, b []byte) bool { return string(a) == string(b) }) {
		t.Error("two builds differ")
	}
}

func isStop(w string) bool {
	return len(termsFor(w)) == 0
}

func termsFor(w string) []string {
	return termsOf(Token{Text: w}, map[string]string{}, map[string]string{})
}
