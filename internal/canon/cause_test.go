package canon

import "testing"

// The cause line is the sentence that names the mechanism, not a sentence
// of background (shortened root causes of shipped entries).
func TestCauseSentence(t *testing.T) {
	for _, tc := range []struct {
		name   string
		e      Entry
		en, zh string
	}{
		{"background first",
			Entry{RootCause: "Compiling turns each source file into an object file. The linker must then find exactly one definition for each symbol. \"undefined reference\" means no object or library given to the link defines the symbol.",
				RootCauseZh: "编译时每个源文件会变成一个目标文件。随后链接器必须为每个符号找到恰好一个定义。undefined reference 表示参与链接的目标文件和库里都没有这个符号的定义。"},
			"\"undefined reference\" means no object or library given to the link defines the symbol.",
			"undefined reference 表示参与链接的目标文件和库里都没有这个符号的定义。"},
		{"general statement first, a variant third",
			Entry{RootCause: "Every git command first looks for a repository. The command ran in a directory with no repository above it. When GIT_DIR is set, git fails if that path is not a repository.",
				RootCauseZh: "每个 git 命令都要先找到仓库。报这个错说明命令所在目录的上方没有任何仓库。设置了 GIT_DIR 时，路径不是仓库就报错。"},
			"The command ran in a directory with no repository above it.",
			"报这个错说明命令所在目录的上方没有任何仓库。"},
		{"the first sentence is the cause",
			Entry{RootCause: "The type checker found a name that is not declared in any scope visible from that line. Common causes: a typo.",
				RootCauseZh: "类型检查器遇到一个名字，但没有它的声明。常见原因：拼写错误。"},
			"The type checker found a name that is not declared in any scope visible from that line.",
			"类型检查器遇到一个名字，但没有它的声明。"},
	} {
		if got := CauseSentence(&tc.e, "en"); got != tc.en {
			t.Errorf("%s, en: %q", tc.name, got)
		}
		if got := CauseSentence(&tc.e, "zh"); got != tc.zh {
			t.Errorf("%s, zh: %q", tc.name, got)
		}
	}
}

func TestSentences(t *testing.T) {
	got := Sentences("It fails, e.g. on 3.12. Then `x` runs. 然后失败。再试一次。", "en")
	want := []string{"It fails, e.g. on 3.12.", "Then `x` runs.", "然后失败。", "再试一次。"}
	if len(got) != len(want) {
		t.Fatalf("%q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: %q, want %q", i, got[i], want[i])
		}
	}
}
