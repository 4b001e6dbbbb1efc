package canon

import (
	"strings"
	"testing"
)

func ptr(s string) *string { return &s }

// validEntry passes every rule; each test case breaks exactly one.
func validEntry() *Entry {
	e := &Entry{
		Title: "Python cannot import a module that is not installed", TitleZh: "Python 导入了没有安装的模块",
		ID: "python/module-not-found", Domain: "python", Category: "import_error",
		Subcategory: ptr("missing_module"), ErrorCode: nil, Tags: []string{"pip", "venv"},
		Signature:   "ModuleNotFoundError: No module named '<module>'",
		SignatureZh: "ModuleNotFoundError：找不到名为 '<module>' 的模块",
		Regex:       `ModuleNotFoundError: No module named '(?P<module>[\w.]+)'`,
		Examples:    []string{"Traceback (most recent call last):\n  File \"main.py\", line 1, in <module>\nModuleNotFoundError: No module named 'yaml'"},
		Resolvable:  "true", Confidence: 0.8,
		Evidence: []Evidence{
			{Kind: "docs", URL: "https://docs.python.org/3/library/exceptions.html#ModuleNotFoundError", Note: "Defines the exception.", NoteZh: "文档定义了这个异常。"},
			{Kind: "release_notes", URL: "https://docs.python.org/3/whatsnew/3.6.html#other-language-changes", Note: "Introduced in 3.6.", NoteZh: "在 3.6 中引入。"},
			{Kind: "docs", URL: "https://docs.python.org/3/installing/index.html", Note: "python -m pip installs for that interpreter.", NoteZh: "python -m pip 会安装到该解释器。"},
		},
		FirstSeen: "2016-12-23", FirstSeenSource: "https://docs.python.org/3/whatsnew/3.6.html#other-language-changes",
		RootCause:     "The interpreter searched every entry of sys.path and found no package or module with that name, usually because it was installed for another interpreter.",
		RootCauseZh:   "解释器在 sys.path 的每个目录里都没有找到这个名字的包或模块，通常是因为它被装到了另一个解释器里。",
		RootCauseType: "environment_specific",
		Versions: []Version{{Version: "Python 3.6+", Product: "CPython", Range: ">=3.6", Status: "active",
			Notes: "ModuleNotFoundError was added in 3.6.", NotesZh: "ModuleNotFoundError 从 3.6 开始引入。"}},
		OSSpecific: map[string]OSNote{"windows": {Note: "The py launcher may pick another interpreter.", NoteZh: "py 启动器可能会选中另一个解释器。"}},
		Docs:       []string{"https://docs.python.org/3/library/exceptions.html#ModuleNotFoundError"},
		Workarounds: []Workaround{{
			Action: "Install the package into the interpreter that runs the code.", ActionZh: "把包安装到实际运行代码的解释器里。",
			How: "```sh\npython3 -m pip install pyyaml\n```", HowZh: "```sh\npython3 -m pip install pyyaml\n```\n用同一个解释器执行 pip。",
			SuccessRate: 0.9, Command: "python3 -m pip install {module}", Check: "python3 -m pip --version",
		}},
		DeadEnds: []DeadEnd{{
			Action: "Run pip install with a different pip.", ActionZh: "用另一个 pip 执行安装。",
			WhyFails: "It installs into another interpreter's site-packages.", WhyFailsZh: "它装到了另一个解释器的 site-packages 里。",
			FailRate: 0.7,
		}},
	}
	e.Derive(nil)
	return e
}

func TestValidEntryPasses(t *testing.T) {
	if ps := Validate(validEntry(), map[string]bool{"python": true}); len(ps) != 0 {
		t.Fatalf("valid entry has problems: %v", ps)
	}
}

func TestValidateRules(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(e *Entry)
		field  string
		msg    string
	}{
		{"id format", func(e *Entry) { e.ID = "python/Module_Not_Found" }, "id", "is not {domain}/{slug}"},
		{"id traversal", func(e *Entry) { e.ID = "python/../etc" }, "id", "is not {domain}/{slug}"},
		{"id long slug", func(e *Entry) { e.ID = "python/" + strings.Repeat("a", 101) }, "id", "at most 100"},
		{"id domain mismatch", func(e *Entry) { e.ID = "go/module-not-found" }, "id", "differs from domain"},
		{"unknown domain", func(e *Entry) { e.Domain = "cobol"; e.ID = "cobol/x" }, "domain", "not in the catalog's domain list"},
		{"category", func(e *Entry) { e.Category = "oops" }, "category", "is not one of"},
		{"subcategory case", func(e *Entry) { e.Subcategory = ptr("MissingModule") }, "subcategory", "lower_snake_case"},
		{"blank error code", func(e *Entry) { e.ErrorCode = ptr(" ") }, "error_code", "is blank"},
		{"tag case", func(e *Entry) { e.Tags = []string{"Pip"} }, "tags[0]", "lowercase"},
		{"empty signature", func(e *Entry) { e.Signature = "" }, "signature", "is empty"},
		{"missing chinese", func(e *Entry) { e.SignatureZh = "" }, "signature_zh", "Chinese form"},
		{"english in chinese field", func(e *Entry) { e.RootCauseZh = "The interpreter could not find the module anywhere on the path." }, "root_cause_zh", "holds no Chinese"},
		{"english prose run", func(e *Entry) {
			e.RootCauseZh = "解释器报错：the interpreter searched every entry of the path and found nothing"
		}, "root_cause_zh", "run of"},
		{"regex does not compile", func(e *Entry) { e.Regex = `No module named ([` }, "regex", "does not compile"},
		{"regex misses example", func(e *Entry) { e.Regex = `ModuleNotFoundError: No module called '[\w.]+'` }, "examples[0]", "not matched by regex"},
		{"regex bare dot star", func(e *Entry) { e.Regex = `ModuleNotFoundError: No module named .*` }, "regex", "bare .*"},
		{"regex leading dot star", func(e *Entry) { e.Regex = `.*ModuleNotFoundError: No module named '[\w.]+'` }, "regex", "bare .*"},
		{"paraphrased signature", func(e *Entry) { e.Signature = "Python cannot find module <module>" }, "signature", "occurs in no example"},
		{"regex misses filled signature", func(e *Entry) { e.Signature = "No module named '<module>'" }, "regex", "does not match the signature"},
		{"no examples", func(e *Entry) { e.Examples = nil }, "examples", "at least one"},
		{"empty example", func(e *Entry) { e.Examples = append(e.Examples, " ") }, "examples[1]", "is empty"},
		{"resolvable value", func(e *Entry) { e.Resolvable = "yes" }, "resolvable", "is not one of"},
		{"resolvable true needs fix rate", func(e *Entry) { e.Workarounds[0].SuccessRate = 0.5 }, "resolvable", "needs a workaround with success_rate >= 0.7"},
		{"resolvable false needs low fix rate", func(e *Entry) { e.Resolvable = "false"; e.Workarounds[0].SuccessRate = 0.5 }, "resolvable", "needs every workaround's success_rate < 0.2"},
		{"success rate range", func(e *Entry) { e.Workarounds[0].SuccessRate = 1.5 }, "workarounds[0].success_rate", "outside 0..1"},
		{"confidence cap", func(e *Entry) { e.Evidence = e.Evidence[:2]; e.Confidence = 0.5 }, "confidence", "at most 0.3"},
		{"confidence cap lifted by a reproduction", func(e *Entry) {
			e.Evidence, e.Confidence = nil, 0.9
			e.Reproduce = &Reproduce{Requires: []string{"python3"}, Script: "python3 -c 'import yaml'", TimeoutS: 10}
			e.Record = &Record{Verified: "2026-12-05", Script: ScriptHash(e.Reproduce.Script), Output: e.Examples[0] + "\n"}
		}, "", ""},
		{"record of another script", func(e *Entry) {
			e.Reproduce = &Reproduce{Requires: []string{"python3"}, Script: "python3 -c 'import yaml'", TimeoutS: 10}
			e.Record = &Record{Verified: "2026-12-05", Script: ScriptHash("python3 -c 'import json'"), Output: e.Examples[0]}
		}, "reproduce.script", "changed since the golden file was recorded"},
		{"record shows no example", func(e *Entry) {
			e.Reproduce = &Reproduce{Requires: []string{"python3"}, Script: "python3 -c 'import yaml'", TimeoutS: 10}
			e.Record = &Record{Verified: "2026-12-05", Script: ScriptHash(e.Reproduce.Script), Output: "ModuleNotFoundError: No module named 'json'\n"}
		}, "examples", "none occurs in the recorded output"},
		{"bad date", func(e *Entry) { e.FirstSeen = "2018-13-01" }, "first_seen", "not a date"},
		{"first seen without source", func(e *Entry) { e.FirstSeenSource = "" }, "first_seen", "has no first_seen_source"},
		{"source without first seen", func(e *Entry) { e.FirstSeen = "" }, "first_seen_source", "without first_seen"},
		{"first seen source http", func(e *Entry) { e.FirstSeenSource = "http://docs.python.org/3/whatsnew/3.6.html" }, "first_seen_source", "not https"},
		{"no title", func(e *Entry) { e.Title = "" }, "title", "is empty"},
		{"no chinese title", func(e *Entry) { e.TitleZh = "" }, "title_zh", "Chinese form"},
		{"title with placeholder", func(e *Entry) { e.Title = "No module named <module>" }, "title", "<placeholder>"},
		{"title with backticks", func(e *Entry) { e.Title = "`import` fails" }, "title", "Markdown"},
		{"title with link", func(e *Entry) { e.TitleZh = "导入失败 [文档](https://docs.python.org/3/x)" }, "title_zh", "Markdown"},
		{"long title", func(e *Entry) { e.Title = strings.Repeat("word ", 25) }, "title", "at most 120"},
		{"evidence kind", func(e *Entry) { e.Evidence[0].Kind = "blog" }, "evidence[0].kind", "is not one of"},
		{"evidence url", func(e *Entry) { e.Evidence[1].URL = "https://docs.python.org/" }, "evidence[1].url", "home page"},
		{"evidence note zh", func(e *Entry) { e.Evidence[2].NoteZh = "" }, "evidence[2].note_zh", "Chinese form"},
		{"command with unknown placeholder", func(e *Entry) { e.Workarounds[0].Command = "pip install {package}" }, "workarounds[0].command", "not a named group"},
		{"command with prompt", func(e *Entry) { e.Workarounds[0].Command = "$ pip install yaml" }, "workarounds[0].command", "prompt"},
		{"command on two lines", func(e *Entry) { e.Workarounds[0].Check = "python3 -V\npip -V" }, "workarounds[0].check", "one line"},
		{"requires relative file", func(e *Entry) {
			e.Reproduce = &Reproduce{Requires: []string{"file:usr/share/x"}, Script: "x", TimeoutS: 10}
		}, "reproduce.requires[0]", "absolute path"},
		{"requires bad locale", func(e *Entry) {
			e.Reproduce = &Reproduce{Requires: []string{"locale:zh CN"}, Script: "x", TimeoutS: 10}
		}, "reproduce.requires[0]", "not a locale"},
		{"requires bad major", func(e *Entry) {
			e.Reproduce = &Reproduce{Requires: []string{"yarn@two"}, Script: "x", TimeoutS: 10}
		}, "reproduce.requires[0]", "major version"},
		{"requires forms", func(e *Entry) {
			e.Reproduce = &Reproduce{Requires: []string{"yarn@2", "file:/usr/share/maven-repo", "locale:zh_CN.UTF-8", "g++"}, Script: "x", TimeoutS: 10}
		}, "", ""},
		{"short root cause", func(e *Entry) { e.RootCause = "Misconfiguration." }, "root_cause", "name the mechanism"},
		{"root cause type", func(e *Entry) { e.RootCauseType = "weird" }, "root_cause_type", "is not one of"},
		{"version range", func(e *Entry) { e.Versions[0].Range = "3.6 and later" }, "versions[0].range", "is not a constraint"},
		{"version status", func(e *Entry) { e.Versions[0].Status = "current" }, "versions[0].status", "is not one of"},
		{"version note without chinese", func(e *Entry) { e.Versions[0].NotesZh = "" }, "versions[0].notes_zh", "Chinese form"},
		{"os name", func(e *Entry) { e.OSSpecific["freebsd"] = OSNote{Note: "x", NoteZh: "某说明"} }, "os_specific.freebsd", "is not one of"},
		{"no docs", func(e *Entry) { e.Docs = nil }, "docs", "at least one"},
		{"docs http", func(e *Entry) { e.Docs = []string{"http://docs.python.org/3/library/exceptions.html"} }, "docs[0]", "not https"},
		{"docs home page", func(e *Entry) { e.Docs = []string{"https://docs.python.org/"} }, "docs[0]", "home page"},
		{"docs private address", func(e *Entry) { e.Docs = []string{"https://10.0.0.5/wiki/errors"} }, "docs[0]", "private or local"},
		{"docs localhost", func(e *Entry) { e.Docs = []string{"https://localhost:8080/errors"} }, "docs[0]", "private or local"},
		{"no workarounds", func(e *Entry) { e.Workarounds = nil }, "workarounds", "at least one"},
		{"empty workaround action", func(e *Entry) { e.Workarounds[0].Action = "" }, "workarounds[0].action", "is empty"},
		{"how repeats action", func(e *Entry) { e.Workarounds[0].How = e.Workarounds[0].Action }, "workarounds[0].how", "repeats the action"},
		{"how_zh repeats action", func(e *Entry) { e.Workarounds[0].HowZh = e.Workarounds[0].ActionZh }, "workarounds[0].how_zh", "repeats the action"},
		{"success rate order", func(e *Entry) {
			w := e.Workarounds[0]
			w.SuccessRate = 0.95
			e.Workarounds = append(e.Workarounds, w)
		}, "workarounds[1].success_rate", "order best first"},
		{"tradeoff without chinese", func(e *Entry) { e.Workarounds[0].Tradeoff = "Slower." }, "workarounds[0].tradeoff_zh", "Chinese form"},
		{"source not https", func(e *Entry) { e.Workarounds[0].Sources = []string{"ftp://x.org/a"} }, "workarounds[0].sources[0]", "not https"},
		{"no dead ends", func(e *Entry) { e.DeadEnds = nil }, "dead_ends", "at least one"},
		{"empty dead end action", func(e *Entry) { e.DeadEnds[0].Action = "" }, "dead_ends[0].action", "is empty"},
		{"empty why fails zh", func(e *Entry) { e.DeadEnds[0].WhyFailsZh = "" }, "dead_ends[0].why_fails_zh", "Chinese form"},
		{"fail rate range", func(e *Entry) { e.DeadEnds[0].FailRate = -0.1 }, "dead_ends[0].fail_rate", "outside 0..1"},
		{"probability range", func(e *Entry) { e.Related.LeadsTo = []LeadsTo{{ID: "python/x", Probability: 2}} }, "related.leads_to[0].probability", "outside 0..1"},
		{"distinction zh", func(e *Entry) {
			e.Related.ConfusedWith = []ConfusedWith{{ID: "python/x", Distinction: "Another cause."}}
		}, "related.confused_with[0].distinction_zh", "Chinese form"},
		{"reproduce timeout", func(e *Entry) {
			e.Reproduce = &Reproduce{Requires: []string{"python3"}, Script: "python3 -c 1", TimeoutS: 90}
		}, "reproduce.timeout_s", "must be 1 to 60"},
		{"reproduce requires", func(e *Entry) { e.Reproduce = &Reproduce{Script: "python3 -c 1", TimeoutS: 10} }, "reproduce.requires", "names no command"},
		{"reproduce requires path", func(e *Entry) {
			e.Reproduce = &Reproduce{Requires: []string{"/usr/bin/python3"}, Script: "x", TimeoutS: 10}
		}, "reproduce.requires[0]", "not a command name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validEntry()
			tt.break_(e)
			e.Derive(e.Record)
			ps := Validate(e, map[string]bool{"python": true, "go": true})
			if tt.field == "" {
				if len(ps) != 0 {
					t.Fatalf("want no problem, got %v", ps)
				}
				return
			}
			for _, p := range ps {
				if p.Field == tt.field && strings.Contains(p.Msg, tt.msg) {
					return
				}
			}
			t.Fatalf("want %s: ...%s..., got %v", tt.field, tt.msg, ps)
		})
	}
}

func TestValidateCatalog(t *testing.T) {
	a, b := validEntry(), validEntry()
	b.ID = "python/module-not-found-2"
	b.Related.LeadsTo = []LeadsTo{{ID: "python/nowhere", Probability: 0.5}}
	b.Related.ConfusedWith = []ConfusedWith{{ID: b.ID, Distinction: "x", DistinctionZh: "某"}}
	ps := ValidateCatalog([]*Entry{a, b})
	want := map[string]string{
		"regex":                       "is the same as python/module-not-found's",
		"signature":                   "is the same as python/module-not-found's",
		"related.leads_to[0].id":      "is not in the catalog",
		"related.confused_with[0].id": "links the entry to itself",
	}
	for field, msg := range want {
		found := false
		for _, p := range ps {
			found = found || p.ID == b.ID && p.Field == field && strings.Contains(p.Msg, msg)
		}
		if !found {
			t.Errorf("want %s: %s, got %v", field, msg, ps)
		}
	}
	dup := validEntry()
	if ps := ValidateCatalog([]*Entry{a, dup}); len(ps) == 0 || ps[0].Field != "id" {
		t.Errorf("duplicate id not reported: %v", ps)
	}
}

func TestSplitID(t *testing.T) {
	for _, id := range []string{"python/module-not-found", "api/http-502-bad-gateway-aws-alb-ssl-handshake"} {
		if _, _, ok := SplitID(id); !ok {
			t.Errorf("%q rejected", id)
		}
	}
	for _, id := range []string{"", "python", "/x", "python/", "../x", "python/..", "python/%2e%2e", `python\x`, "python/a/b", "python/a\x00", "python/A", "python/a--b", "python/-a", "Python/a", "python/a\n"} {
		if _, _, ok := SplitID(id); ok {
			t.Errorf("%q accepted", id)
		}
	}
}

func TestFillSignature(t *testing.T) {
	tests := []struct {
		sig      string
		examples []string
		want     string
		ok       bool
	}{
		{"No module named '<m>'", []string{"x\nModuleNotFoundError: No module named 'yaml'"}, "No module named 'yaml'", true},
		{"error[E0382]: borrow of moved value: `<v>`", []string{"error[E0382]: borrow of moved value: `s`\n --> src/main.rs:4:20"}, "error[E0382]: borrow of moved value: `s`", true},
		{"a  b\tc", []string{"a b\n c"}, "a b\n c", true},
		{"cannot find <what> anywhere", []string{"could not find x anywhere"}, "", false},
	}
	for _, tt := range tests {
		got, ok := fillSignature(tt.sig, tt.examples)
		if got != tt.want || ok != tt.ok {
			t.Errorf("fillSignature(%q) = %q, %v; want %q, %v", tt.sig, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCheckChinese(t *testing.T) {
	ok := []string{
		"运行 `pip install -r requirements.txt` 安装依赖。",
		"把 ssl_protocols 改成 \"TLSv1.2 TLSv1.3\"，然后执行 nginx -s reload。",
		"ModuleNotFoundError：找不到名为 '<module>' 的模块",
		"```sh\ngo mod tidy\n```\n然后重新构建。",
	}
	for _, s := range ok {
		if msg := CheckChinese(s); msg != "" {
			t.Errorf("%q: %s", s, msg)
		}
	}
	bad := []string{"Run pip install.", "Install the package into the interpreter that runs the code, then retry it. 好"}
	for _, s := range bad {
		if CheckChinese(s) == "" {
			t.Errorf("%q accepted", s)
		}
	}
}

func TestCheckRange(t *testing.T) {
	for _, r := range []string{"*", ">=3.12", ">=1.0 <2.0", ">=1.0, <2.0", "=1.21.0", "<0.9", "^18", "~1.2", ">=v1.2.3-rc1"} {
		if err := checkRange(r); err != nil {
			t.Errorf("%q: %v", r, err)
		}
	}
	for _, r := range []string{"", "latest", "3.x and up", ">= 3.12"} {
		if err := checkRange(r); err == nil {
			t.Errorf("%q accepted", r)
		}
	}
}
