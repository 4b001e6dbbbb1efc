package search

import (
	"context"
	"errors"
	"fmt"
	"html"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/errorcanon/errorcanon/internal/canon"
)

func ptr(s string) *string { return &s }

// testEntries is a small catalog of entries written for these tests.
func testEntries() []*canon.Entry {
	return []*canon.Entry{
		{
			ID: "node/econnrefused", Domain: "node", Category: "network_error", ErrorCode: ptr("ECONNREFUSED"),
			Tags: []string{"network", "socket"}, Verification: "reproduced", Resolvable: "true",
			Signature:   "connect ECONNREFUSED <address>",
			SignatureZh: "connect ECONNREFUSED <address>（连接被拒绝：目标端口上没有进程在监听）",
			Examples:    []string{"Error: connect ECONNREFUSED 127.0.0.1:5432", "curl: (7) Failed to connect to localhost port 8080: Connection refused"},
			RootCause:   "Nothing listens on the address and port the client dials, so the kernel answers the SYN with a reset.",
			RootCauseZh: "客户端要连的地址和端口上没有进程在监听，内核直接用 RST 回应了 SYN。",
			Workarounds: []canon.Workaround{{Action: "Start the server, then retry.", ActionZh: "先启动服务器再重试。",
				How: "Check with `ss -ltnp` that something listens.", HowZh: "用 `ss -ltnp` 确认有进程在监听。"}},
			DeadEnds: []canon.DeadEnd{{Action: "Disable the firewall.", ActionZh: "关闭防火墙。",
				WhyFails: "A firewall drops packets and causes timeouts, not resets.", WhyFailsZh: "防火墙丢包只会导致超时，不会导致重置。"}},
		},
		{
			ID: "git/index-lock", Domain: "git", Category: "resource_error",
			Tags: []string{"git", "lock"}, Verification: "human_reviewed", Resolvable: "true",
			Signature:   "fatal: Unable to create '<repo>/.git/index.lock': File exists.",
			SignatureZh: "fatal: Unable to create '<repo>/.git/index.lock': File exists.（索引锁文件已存在）",
			Examples:    []string{"fatal: Unable to create '/src/app/.git/index.lock': File exists."},
			RootCause:   "Git creates index.lock exclusively before it writes the index; a crashed git process left the file behind.",
			RootCauseZh: "git 写索引之前会独占创建 index.lock，之前崩溃的 git 进程把这个文件留了下来。",
			Workarounds: []canon.Workaround{{Action: "Delete the stale lock file.", ActionZh: "删除遗留的锁文件。",
				How: "```sh\nrm -f .git/index.lock\n```", HowZh: "```sh\nrm -f .git/index.lock\n```"}},
			DeadEnds: []canon.DeadEnd{{Action: "Clone the repository again.", ActionZh: "重新克隆仓库。",
				WhyFails: "It loses local work and the lock comes back if an editor still runs git.", WhyFailsZh: "会丢失本地修改，而且如果编辑器还在运行 git，锁还会再出现。"}},
		},
		{
			ID: "python/permission-error", Domain: "python", Category: "permission_error", Verification: "ai_generated", Resolvable: "partial",
			Tags:        []string{"python", "filesystem"},
			Signature:   "PermissionError: [Errno 13] Permission denied: '<path>'",
			SignatureZh: "PermissionError: [Errno 13] Permission denied: '<path>'（权限被拒绝）",
			Examples:    []string{"PermissionError: [Errno 13] Permission denied: '/var/log/app.log'"},
			RootCause:   "The process's user lacks write permission on the file or its directory.",
			RootCauseZh: "进程所属用户对这个文件或它所在的目录没有写权限。",
			Workarounds: []canon.Workaround{{Action: "Write to a directory the user owns.", ActionZh: "改为写入当前用户拥有的目录。",
				How: "Use `~/.local/state/app` instead.", HowZh: "改用 `~/.local/state/app`。"}},
			DeadEnds: []canon.DeadEnd{{Action: "Run everything with sudo.", ActionZh: "所有命令都用 sudo 运行。",
				WhyFails: "Files created as root break the next run as the user.", WhyFailsZh: "以 root 身份创建的文件会让下次以普通用户运行时出错。"}},
		},
		{
			ID: "node/npm-404", Domain: "node", Category: "dependency_error", ErrorCode: ptr("E404"), Verification: "community_verified", Resolvable: "partial",
			Tags:        []string{"npm", "registry"},
			Signature:   "npm ERR! 404 Not Found - GET <url>",
			SignatureZh: "npm ERR! 404 Not Found - GET <url>（仓库里找不到这个包）",
			Examples:    []string{"npm ERR! 404 Not Found - GET https://registry.npmjs.org/left-padd - Not found"},
			RootCause:   "The registry has no package with that name: a typo, a private scope without a token, or an unpublished package.",
			RootCauseZh: "仓库里没有这个名字的包：名字拼错了、私有作用域缺少令牌，或者包已被撤下。",
			Workarounds: []canon.Workaround{{Action: "Check the package name on the registry.", ActionZh: "在仓库网站上核对包名。",
				How: "```sh\nnpm view <name>\n```", HowZh: "```sh\nnpm view <name>\n```"}},
			DeadEnds: []canon.DeadEnd{{Action: "Clear the npm cache.", ActionZh: "清空 npm 缓存。",
				WhyFails: "The cache does not invent packages the registry lacks.", WhyFailsZh: "缓存不会凭空变出仓库里没有的包。"}},
		},
		{
			ID: "web/hostile", Domain: "web", Category: "syntax_error", Verification: "ai_generated", Resolvable: "false",
			Tags:        []string{"xss"},
			Signature:   `<script>alert("sig")</script> payload & more`,
			SignatureZh: `<script>alert("签名")</script> 恶意载荷`,
			Examples:    []string{`<img src=x onerror=alert(1)> payload`},
			RootCause:   `A <b>bold</b> claim with <script>alert('root')</script> & an "injection" payload.`,
			RootCauseZh: `根因里有 <script>alert('根因')</script> 注入载荷。`,
		},
	}
}

func build(t testing.TB, es []*canon.Entry) *Index {
	t.Helper()
	ix, err := Build(es)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func ids(r *Results) []string {
	out := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = h.ID
	}
	return out
}

func mustSearch(t testing.TB, ix *Index, q Query) *Results {
	t.Helper()
	r, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return r
}

func TestSearchFinds(t *testing.T) {
	ix := build(t, testEntries())
	for _, tc := range []struct {
		name  string
		q     Query
		first string // expected best hit
	}{
		{"stemming", Query{Text: "connections refused"}, "node/econnrefused"},
		{"stemming, other form", Query{Text: "listening"}, "node/econnrefused"},
		{"case", Query{Text: "PERMISSION DENIED"}, "python/permission-error"},
		{"typo", Query{Text: "permision denied"}, "python/permission-error"},
		{"typo alone", Query{Text: "permision"}, "python/permission-error"},
		{"typo in a long word", Query{Text: "registy"}, "node/npm-404"},
		{"error code", Query{Text: "ECONNREFUSED"}, "node/econnrefused"},
		{"error code lowercase", Query{Text: "e404"}, "node/npm-404"},
		{"tag", Query{Text: "filesystem"}, "python/permission-error"},
		{"dotted word", Query{Text: "index.lock"}, "git/index-lock"},
		{"example text", Query{Text: "left-padd"}, "node/npm-404"},
		{"workaround steps", Query{Text: "ss -ltnp"}, "node/econnrefused"},
		{"dead end", Query{Text: "sudo"}, "python/permission-error"},
		{"why it fails", Query{Text: "firewall drops packets"}, "node/econnrefused"},
		{"zh one character", Query{Text: "锁"}, "git/index-lock"},
		{"zh one character, lang zh", Query{Text: "锁", Lang: "zh"}, "git/index-lock"},
		{"zh one character at the end of a run", Query{Text: "听"}, "node/econnrefused"},
		{"zh one character, package", Query{Text: "包"}, "node/npm-404"},
		{"zh two characters", Query{Text: "连接"}, "node/econnrefused"},
		{"zh two characters, lang zh", Query{Text: "权限", Lang: "zh"}, "python/permission-error"},
		{"zh phrase", Query{Text: "索引锁文件"}, "git/index-lock"},
		{"zh phrase 2", Query{Text: "权限被拒绝"}, "python/permission-error"},
		{"zh words with spaces", Query{Text: "锁 文件"}, "git/index-lock"},
		{"zh and en mixed", Query{Text: "npm 缓存"}, "node/npm-404"},
		{"en word in zh fields, lang zh", Query{Text: "sudo", Lang: "zh"}, "python/permission-error"},
		{"query syntax is text", Query{Text: "+permission -denied"}, "python/permission-error"},
		{"field syntax is text", Query{Text: "domain:git lock"}, "git/index-lock"},
		{"fullwidth latin", Query{Text: "ＥＣＯＮＮＲＥＦＵＳＥＤ", Lang: "zh"}, "node/econnrefused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mustSearch(t, ix, tc.q)
			if len(r.Hits) == 0 || r.Hits[0].ID != tc.first {
				t.Fatalf("%q: got %v, want %s first", tc.q.Text, ids(r), tc.first)
			}
			if r.Total < len(r.Hits) {
				t.Errorf("total %d < %d hits", r.Total, len(r.Hits))
			}
			if len(r.Hits[0].Fields) == 0 || len(r.Hits[0].Snippets) == 0 {
				t.Errorf("%q: best hit has no matched fields or snippets: %+v", tc.q.Text, r.Hits[0])
			}
		})
	}
}

func TestSearchFindsNothing(t *testing.T) {
	ix := build(t, testEntries())
	for _, tc := range []struct {
		name string
		q    Query
	}{
		{"unknown word", Query{Text: "kubernetes"}},
		{"stop words only", Query{Text: "the of and"}},
		{"punctuation only", Query{Text: `+-:"*(){}[]^~`}},
		{"chinese with lang en", Query{Text: "锁", Lang: "en"}},
		{"english only in en fields, lang zh", Query{Text: "reset", Lang: "zh"}},
		{"short words get no typo tolerance", Query{Text: "lick"}}, // "lock" is one edit away but 4 letters
		{"filter excludes", Query{Text: "lock", Domain: "python"}},
		{"unknown filter value", Query{Text: "lock", Category: "Resource_Error"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mustSearch(t, ix, tc.q)
			if r.Total != 0 || len(r.Hits) != 0 {
				t.Fatalf("%q: got %d %v, want nothing", tc.q.Text, r.Total, ids(r))
			}
		})
	}
}

// Every word must match; when no entry has them all, entries with half of
// them come back, flagged.
func TestAllWordsThenHalf(t *testing.T) {
	ix := build(t, testEntries())
	for _, tc := range []struct {
		q       string
		want    []string
		partial bool
	}{
		{"lock file", []string{"git/index-lock"}, false},
		{"lock kubernetes", []string{"git/index-lock"}, true},
		{"denied npm", []string{"node/npm-404", "python/permission-error"}, true},
		{"lock kubernetes terraform", nil, true},      // one word of three is not half
		{"lock kubernetes terraform helm", nil, true}, // one of four neither
		{"lock file kubernetes", []string{"git/index-lock"}, true},
	} {
		r := mustSearch(t, ix, Query{Text: tc.q})
		got := ids(r)
		slices.Sort(got)
		if len(got) == 0 {
			got = nil
		}
		if !slices.Equal(got, tc.want) || r.Partial != tc.partial {
			t.Errorf("%q: got %v partial %v, want %v partial %v", tc.q, got, r.Partial, tc.want, tc.partial)
		}
	}
	// A whole example, stop words and punctuation included, finds its
	// entry with every word.
	for _, e := range testEntries() {
		r := mustSearch(t, ix, Query{Text: e.Examples[0]})
		if len(r.Hits) == 0 || r.Hits[0].ID != e.ID || r.Partial {
			t.Errorf("example of %s: got %v partial %v", e.ID, ids(r), r.Partial)
		}
	}
}

// An exact match outranks a match with one typo, which is still found.
func TestExactBeforeFuzzy(t *testing.T) {
	mk := func(id, word string) *canon.Entry {
		return &canon.Entry{ID: "x/" + id, Domain: "x", Category: "auth_error", Verification: "ai_generated", Resolvable: "true",
			Signature: "login " + word + " expired for the session", RootCause: "The " + word + " lifetime ended."}
	}
	// Indexed in both orders so index order cannot decide.
	for _, es := range [][]*canon.Entry{
		{mk("a-typo", "tokan"), mk("b-exact", "token")},
		{mk("b-exact", "token"), mk("a-typo", "tokan")},
	} {
		ix := build(t, es)
		r := mustSearch(t, ix, Query{Text: "token"})
		if got := ids(r); !slices.Equal(got, []string{"x/b-exact", "x/a-typo"}) {
			t.Fatalf("got %v, want exact then typo", got)
		}
		if r.Hits[0].Score <= r.Hits[1].Score {
			t.Errorf("scores %v <= %v", r.Hits[0].Score, r.Hits[1].Score)
		}
		if h := r.Hits[1].Snippets; len(h) == 0 || !strings.Contains(h[0].HTML, "<mark>tokan</mark>") {
			t.Errorf("typo match not highlighted: %+v", h)
		}
	}
}

// More words matched rank higher than fewer.
func TestMoreWordsRankHigher(t *testing.T) {
	ix := build(t, testEntries())
	r := mustSearch(t, ix, Query{Text: "connect refused nothing listens"})
	if len(r.Hits) == 0 || r.Hits[0].ID != "node/econnrefused" {
		t.Fatalf("got %v", ids(r))
	}
}

func TestFilters(t *testing.T) {
	ix := build(t, testEntries())
	for _, tc := range []struct {
		name string
		q    Query
		want []string // sorted ids
	}{
		{"domain", Query{Text: "not found connect", Domain: "node"}, []string{"node/econnrefused", "node/npm-404"}},
		{"category", Query{Text: "not found connect", Category: "dependency_error"}, []string{"node/npm-404"}},
		{"verification", Query{Text: "file", Verification: "ai_generated"}, []string{"python/permission-error"}},
		{"verification excludes", Query{Text: "file", Verification: "reproduced"}, nil},
		{"resolvable", Query{Text: "the file", Resolvable: "true"}, []string{"git/index-lock"}},
		{"two filters", Query{Text: "", Domain: "node", Resolvable: "partial"}, []string{"node/npm-404"}},
		{"blank query lists all", Query{}, []string{"git/index-lock", "node/econnrefused", "node/npm-404", "python/permission-error", "web/hostile"}},
		{"blank query with a filter", Query{Text: "   ", Domain: "node"}, []string{"node/econnrefused", "node/npm-404"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mustSearch(t, ix, tc.q)
			got := ids(r)
			slices.Sort(got)
			if len(got) == 0 {
				got = nil
			}
			if !slices.Equal(got, tc.want) || r.Total != len(tc.want) {
				t.Fatalf("got %d %v, want %v", r.Total, got, tc.want)
			}
		})
	}
}

func TestFacets(t *testing.T) {
	ix := build(t, testEntries())
	r := mustSearch(t, ix, Query{})
	want := Facets{
		Domain:       []Count{{"node", 2}, {"git", 1}, {"python", 1}, {"web", 1}},
		Category:     []Count{{"dependency_error", 1}, {"network_error", 1}, {"permission_error", 1}, {"resource_error", 1}, {"syntax_error", 1}},
		Verification: []Count{{"ai_generated", 2}, {"community_verified", 1}, {"human_reviewed", 1}, {"reproduced", 1}},
		Resolvable:   []Count{{"partial", 2}, {"true", 2}, {"false", 1}},
	}
	if fmt.Sprint(r.Facets) != fmt.Sprint(want) {
		t.Errorf("facets\n got %v\nwant %v", r.Facets, want)
	}
	// Facets follow the query and the filters.
	r = mustSearch(t, ix, Query{Text: "connect not found", Domain: "node"})
	if fmt.Sprint(r.Facets.Domain) != fmt.Sprint([]Count{{"node", 2}}) || len(r.Facets.Category) != 2 {
		t.Errorf("filtered facets: %+v", r.Facets)
	}
}

func TestPagination(t *testing.T) {
	var es []*canon.Entry
	for i := 0; i < 25; i++ {
		es = append(es, &canon.Entry{ID: fmt.Sprintf("w/widget-%02d", i), Domain: "w", Category: "runtime_error",
			Verification: "ai_generated", Resolvable: "true",
			Signature: fmt.Sprintf("widget failure number %d", i), RootCause: strings.Repeat("widget ", i%5+1) + "broke."})
	}
	es = append(es, &canon.Entry{ID: "w/other", Domain: "w", Signature: "something else"})
	ix := build(t, es)
	seen := map[string]bool{}
	var prev float64 = 1e300
	for page, want := range []int{10, 10, 5, 0} {
		r := mustSearch(t, ix, Query{Text: "widget", Page: page + 1, PerPage: 10})
		if r.Total != 25 || len(r.Hits) != want || r.Pages() != 3 || r.Page != page+1 || r.PerPage != 10 {
			t.Fatalf("page %d: total %d, %d hits, %d pages", page+1, r.Total, len(r.Hits), r.Pages())
		}
		for _, h := range r.Hits {
			if seen[h.ID] {
				t.Errorf("%s on two pages", h.ID)
			}
			seen[h.ID] = true
			if h.Score > prev {
				t.Errorf("%s scores %v after %v", h.ID, h.Score, prev)
			}
			prev = h.Score
		}
	}
	if len(seen) != 25 {
		t.Errorf("pages hold %d distinct entries, want 25", len(seen))
	}
	// Defaults: page 1, DefaultPerPage.
	r := mustSearch(t, ix, Query{Text: "widget"})
	if r.Page != 1 || r.PerPage != DefaultPerPage || len(r.Hits) != DefaultPerPage {
		t.Errorf("defaults: page %d per page %d, %d hits", r.Page, r.PerPage, len(r.Hits))
	}
	r = mustSearch(t, ix, Query{Text: "widget", PerPage: MaxPerPage, Page: MaxPage})
	if len(r.Hits) != 0 || r.Total != 25 {
		t.Errorf("last allowed page: %d hits, total %d", len(r.Hits), r.Total)
	}
}

func TestLimitsAreErrors(t *testing.T) {
	ix := build(t, testEntries())
	for _, q := range []Query{
		{Text: "x", PerPage: MaxPerPage + 1},
		{Text: "x", PerPage: -1},
		{Text: "x", Page: MaxPage + 1},
		{Text: "x", Page: -3},
		{Text: "x", Lang: "fr"},
		{Text: "x", Lang: "EN"},
		{Text: "x", Lang: strings.Repeat("\xff<script>", 100)},
	} {
		r, err := ix.Search(context.Background(), q)
		if !errors.Is(err, ErrInvalid) || r != nil {
			t.Errorf("%+v: got %v, %v; want an ErrInvalid error", q, r, err)
			continue
		}
		if len(err.Error()) > 120 || !utf8.ValidString(err.Error()) {
			t.Errorf("error not fit to show: %q", err)
		}
	}
}

func TestCanceledContext(t *testing.T) {
	ix := build(t, testEntries())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Search(ctx, Query{Text: "lock"}); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

func TestClean(t *testing.T) {
	long := strings.Repeat("lock ", 200)
	for _, tc := range []struct {
		in, want string
		cut      bool
	}{
		{"  index.lock \n", "index.lock", false},
		{"a\x00b\x1bc\u200bd", "a b c d", false},
		{"bad\xff\xfeutf8", "bad utf8", false},
		{long, strings.TrimSpace(long[:MaxQueryBytes]), true},
		{strings.Repeat("锁", 200), strings.Repeat("锁", MaxQueryBytes/3), true}, // cut at a character boundary
		{strings.Repeat(" ", 10000) + "lock", "lock", false},                   // trimmed before the limit
		{strings.Repeat("x", MaxQueryBytes), strings.Repeat("x", MaxQueryBytes), false},
		{strings.Repeat("\xff", 5000), "", true},
	} {
		got, cut := Clean(tc.in)
		if got != tc.want || cut != tc.cut {
			t.Errorf("Clean(%.40q) = %.60q, %v; want %.60q, %v", tc.in, got, cut, tc.want, tc.cut)
		}
		if !utf8.ValidString(got) || len(got) > MaxQueryBytes {
			t.Errorf("Clean(%.40q) = %.60q: invalid or too long", tc.in, got)
		}
	}
}

// Hostile queries never fail, and a long one says it was cut.
func TestHostileQueries(t *testing.T) {
	ix := build(t, testEntries())
	for _, text := range []string{
		strings.Repeat("permission ", 100000),
		strings.Repeat("锁", 100000),
		strings.Repeat("a ", 100000),
		strings.Repeat("supercalifragilistic", 100),
		"\x00\x01\x02\x7f\u0085\u2028",
		"\xff\xfe\xfd invalid \xc3",
		`+-:"*(){}[]^~ \ / && || ! ? AND OR NOT`,
		`title:"x" OR _all:* AND /.*/ ~2 ^10`,
		`"unterminated phrase`,
		`*`, `?`, `/`, `\`, `~`, `^`, `""`,
		"<script>alert(1)</script>",
		"😀🔥 emoji 锁🔒",
		"ｆｕｌｌｗｉｄｔｈ ＡＢＣ",
		"ﾃｽﾄ half-width katakana テスト 한국어",
		strings.Repeat("x", 10000),
	} {
		for _, lang := range []string{"", "en", "zh"} {
			r, err := ix.Search(context.Background(), Query{Text: text, Lang: lang, PerPage: MaxPerPage})
			if err != nil {
				t.Fatalf("%.40q (%s): %v", text, lang, err)
			}
			if len(r.Query) > MaxQueryBytes || !utf8.ValidString(r.Query) {
				t.Errorf("%.40q: query %.40q invalid or too long", text, r.Query)
			}
			if len(text) > MaxQueryBytes+10 && strings.TrimSpace(text) != "" && !r.Truncated {
				t.Errorf("%.40q: %d bytes but not truncated", text, len(text))
			}
			checkSnippets(t, r)
		}
	}
}

// checkSnippets asserts that every snippet is HTML-escaped text with only
// balanced <mark> tags.
func checkSnippets(t testing.TB, r *Results) {
	t.Helper()
	for _, h := range r.Hits {
		for _, s := range h.Snippets {
			if !utf8.ValidString(s.HTML) {
				t.Errorf("%s %s: invalid UTF-8", h.ID, s.Field)
			}
			if strings.Count(s.HTML, "<mark>") != strings.Count(s.HTML, "</mark>") || strings.Contains(s.HTML, "<mark><mark>") {
				t.Errorf("%s %s: unbalanced marks: %q", h.ID, s.Field, s.HTML)
			}
			bare := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s.HTML)
			if strings.ContainsAny(bare, `<>"'`) {
				t.Errorf("%s %s: unescaped markup: %q", h.ID, s.Field, s.HTML)
			}
			if html.EscapeString(html.UnescapeString(bare)) != bare {
				t.Errorf("%s %s: not escaped exactly once: %q", h.ID, s.Field, s.HTML)
			}
		}
	}
}

func TestSnippetEscaping(t *testing.T) {
	ix := build(t, testEntries())
	for _, tc := range []struct {
		q     Query
		field string
		want  string // the snippet, exactly
	}{
		{Query{Text: "alert", Lang: "en"}, "signature",
			`&lt;script&gt;<mark>alert</mark>(&#34;sig&#34;)&lt;/script&gt; payload &amp; more`},
		{Query{Text: "bold claim", Lang: "en"}, "root_cause",
			`A &lt;b&gt;<mark>bold</mark>&lt;/b&gt; <mark>claim</mark> with &lt;script&gt;alert(&#39;root&#39;)&lt;/script&gt; &amp; an &#34;injection&#34; payload.`},
		{Query{Text: "onerror"}, "examples", `&lt;img src=x <mark>onerror</mark>=alert(1)&gt; payload`},
		{Query{Text: "载荷", Lang: "zh"}, "signature_zh", `&lt;script&gt;alert(&#34;签名&#34;)&lt;/script&gt; 恶意<mark>载荷</mark>`},
		{Query{Text: "注", Lang: "zh"}, "root_cause_zh", `根因里有 &lt;script&gt;alert(&#39;根因&#39;)&lt;/script&gt; <mark>注</mark>入载荷。`},
	} {
		r := mustSearch(t, ix, tc.q)
		checkSnippets(t, r)
		if len(r.Hits) == 0 || r.Hits[0].ID != "web/hostile" {
			t.Fatalf("%q: got %v", tc.q.Text, ids(r))
		}
		var got string
		for _, s := range r.Hits[0].Snippets {
			if s.Field == tc.field {
				got = s.HTML
			}
		}
		if got != tc.want {
			t.Errorf("%q: %s snippet\n got %s\nwant %s", tc.q.Text, tc.field, got, tc.want)
		}
	}
}

func TestSnippetsAndFields(t *testing.T) {
	ix := build(t, testEntries())
	r := mustSearch(t, ix, Query{Text: "lock file", Lang: "en"})
	h := r.Hits[0]
	if h.ID != "git/index-lock" {
		t.Fatalf("got %v", ids(r))
	}
	wantFields := []string{"signature", "examples", "root_cause", "workarounds", "dead_ends", "tags"}
	if !slices.Equal(h.Fields, wantFields) {
		t.Errorf("fields %v, want %v", h.Fields, wantFields)
	}
	if len(h.Snippets) != MaxSnippets || h.Snippets[0].Field != "signature" {
		t.Errorf("snippets %+v", h.Snippets)
	}
	// lang zh: Chinese fields and the language-neutral ones only.
	r = mustSearch(t, ix, Query{Text: "锁文件", Lang: "zh"})
	if got := r.Hits[0].Fields; !slices.Equal(got, []string{"signature_zh", "root_cause_zh", "workarounds_zh"}) {
		t.Errorf("zh fields %v", got)
	}
	if s := r.Hits[0].Snippets[0].HTML; !strings.Contains(s, "索引<mark>锁文件</mark>已存在") {
		t.Errorf("zh snippet %q", s)
	}
}

func TestFragment(t *testing.T) {
	long := strings.Repeat("filler words here ", 30)
	s := long + "the needle is here " + long
	i := strings.Index(s, "needle")
	got := fragment(s, []span{{i, i + len("needle"), "needl"}})
	if !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") || !strings.Contains(got, "<mark>needle</mark>") {
		t.Errorf("fragment %q", got)
	}
	if n := utf8.RuneCountInString(got); n > fragChars+10 {
		t.Errorf("fragment of %d characters", n)
	}
	// Whitespace is folded; text shorter than a fragment is whole.
	if got := fragment("a\n\n  <b>\tc", []span{{0, 1, "a"}}); got != "<mark>a</mark> &lt;b&gt; c" {
		t.Errorf("fragment %q", got)
	}
}

func TestWithinOneEdit(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"permiss", "permis", true}, {"token", "tokan", true}, {"token", "toke", true},
		{"token", "tokens", true}, {"token", "token", true}, {"token", "taken", true},
		{"token", "tkn", false}, {"token", "nekot", false}, {"锁文件", "锁文", true}, {"", "a", true}, {"", "ab", false},
	} {
		if got := withinOneEdit(tc.a, tc.b); got != tc.want {
			t.Errorf("withinOneEdit(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}

func TestBuildSkipsBadEntries(t *testing.T) {
	es := append(testEntries(), nil, &canon.Entry{}, &canon.Entry{ID: "git/index-lock", Signature: "duplicate"})
	ix := build(t, es)
	if ix.size() != 5 {
		t.Errorf("size %d, want 5", ix.size())
	}
	if r := mustSearch(t, ix, Query{Text: "duplicate"}); r.Total != 0 {
		t.Errorf("duplicate id indexed: %v", ids(r))
	}
	empty := build(t, nil)
	if r := mustSearch(t, empty, Query{Text: "lock"}); r.Total != 0 {
		t.Errorf("empty index found %v", ids(r))
	}
}

func FuzzSearch(f *testing.F) {
	ix := build(f, testEntries())
	for _, s := range []string{"lock", "锁", "permision denied", `+-:"*(){}[]^~`, "\xff\x00", "<script>", "索引锁文件", "npm 缓存"} {
		f.Add(s, "")
		f.Add(s, "zh")
	}
	f.Fuzz(func(t *testing.T, text, lang string) {
		if lang != "" && lang != "en" && lang != "zh" {
			lang = ""
		}
		r, err := ix.Search(context.Background(), Query{Text: text, Lang: lang})
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		if len(r.Query) > MaxQueryBytes || !utf8.ValidString(r.Query) {
			t.Fatalf("query %q", r.Query)
		}
		if r.Total < len(r.Hits) {
			t.Fatalf("total %d < %d hits", r.Total, len(r.Hits))
		}
		checkSnippets(t, r)
	})
}

// The index analyzer adds each Chinese run's last character to the bigrams.
func TestCJKTail(t *testing.T) {
	var got []string
	for _, tok := range zhAnalyzer.Analyze([]byte("索引锁文件 git 锁 引锁，ＡＢ包")) {
		got = append(got, string(tok.Term))
	}
	want := []string{"索引", "引锁", "锁文", "文件", "件", "git", "锁", "引锁", "锁", "ab", "包"}
	if !slices.Equal(got, want) {
		t.Errorf("tokens %q, want %q", got, want)
	}
}

// Searches may run concurrently (the web server's handlers do); run with
// -race to check.
func TestConcurrentSearch(t *testing.T) {
	ix := build(t, testEntries())
	queries := []Query{{Text: "lock file"}, {Text: "锁"}, {Text: "permision", Lang: "en"}, {Text: "连接", Lang: "zh"}, {}, {Text: "npm", Domain: "node"}}
	want := make([][]string, len(queries))
	for i, q := range queries {
		want[i] = ids(mustSearch(t, ix, q))
	}
	done := make(chan error, 8)
	for g := 0; g < 8; g++ {
		go func() {
			for n := 0; n < 20; n++ {
				i := (g + n) % len(queries)
				r, err := ix.Search(context.Background(), queries[i])
				if err == nil && !slices.Equal(ids(r), want[i]) {
					err = fmt.Errorf("%+v: got %v, want %v", queries[i], ids(r), want[i])
				}
				if err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// withinOneEditRunes is the definition withinOneEdit must agree with.
func withinOneEditRunes(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > len(rb) {
		ra, rb = rb, ra
	}
	if len(rb)-len(ra) > 1 {
		return false
	}
	i := 0
	for i < len(ra) && ra[i] == rb[i] {
		i++
	}
	if i == len(ra) {
		return true
	}
	if len(ra) == len(rb) {
		return string(ra[i+1:]) == string(rb[i+1:])
	}
	return string(ra[i:]) == string(rb[i+1:])
}

func FuzzWithinOneEdit(f *testing.F) {
	for _, p := range [][2]string{{"permission", "permision"}, {"锁文件", "锁文"}, {"é", "e"}, {"aé", "aè"}, {"", "x"}, {"ab", "ba"}} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if !utf8.ValidString(a) || !utf8.ValidString(b) {
			return // terms are valid UTF-8
		}
		if got, want := withinOneEdit(a, b), withinOneEditRunes(a, b); got != want {
			t.Fatalf("withinOneEdit(%q, %q) = %v, want %v", a, b, got, want)
		}
	})
}
