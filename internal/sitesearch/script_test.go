package sitesearch

import (
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// scriptFuncs takes the functions that cut a query and pick its shards
// out of the site's script, for node to run.
func scriptFuncs(t *testing.T) string {
	b, err := os.ReadFile("../render/assets/app.js")
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	var out []string
	for _, name := range []string{"patterns", "queryWords", "shardOf"} {
		loc := regexp.MustCompile(`(?m)^  function ` + name + `\(`).FindStringIndex(src)
		if loc == nil {
			t.Fatalf("app.js has no function %s", name)
		}
		end := strings.Index(src[loc[0]:], "\n  }\n")
		out = append(out, src[loc[0]:loc[0]+end+4])
	}
	for _, v := range []string{"CJK = null", "MAX_WORDS ="} {
		i := strings.Index(src, "var "+v)
		if i < 0 {
			t.Fatalf("app.js has no var %s", v)
		}
		out = append(out, src[i:i+strings.Index(src[i:], "\n")])
	}
	return strings.Join(out, "\n")
}

// The script cuts a query into the words the index was made of, and
// looks each up in the shard Build put it in.
func TestScriptAgrees(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	queries := []string{
		"ModuleNotFoundError: No module named 'requests'", "证书验证失败", "锁", "端口 被占用",
		"ＡＢ包 x_y 3.11 a", "git锁文件 EACCES", "Permission denied (publickey).", "Ünïcödé naïve café",
		"カタカナ ひらがな 한국어", "E0382 borrow of moved value: `v`",
	}
	in, _ := json.Marshal(queries)
	prog := scriptFuncs(t) + `
const qs = ` + string(in) + `;
console.log(JSON.stringify(qs.map(q => queryWords(q).map(w => [w.text, w.cjk, shardOf(w.text, 1), shardOf(w.text, 64), shardOf(w.text, 256)]))));`
	cmd := exec.Command(node, "-e", prog)
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, b)
	}
	var got [][][]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	for i, q := range queries {
		index := map[Token]bool{}
		for _, tok := range Tokens(q) {
			index[tok] = true
		}
		words := map[string]bool{}
		for _, w := range got[i] {
			text, cjk := w[0].(string), w[1].(bool)
			words[text] = true
			if !index[Token{text, cjk}] {
				t.Errorf("%q: the script looks up %q (cjk %v), a word the index does not cut from it (%v)", q, text, cjk, Tokens(q))
			}
			for j, n := range []int{1, 64, 256} {
				if s := int(w[2+j].(float64)); s != Shard(Key(text), n) {
					t.Errorf("%q: the script's shard of %q among %d is %d, the index's %d", q, text, n, s, Shard(Key(text), n))
				}
			}
		}
		for _, tok := range Tokens(q) {
			if !tok.CJK && !words[tok.Text] {
				t.Errorf("%q: the script does not look up %q", q, tok.Text)
			}
		}
	}
}
