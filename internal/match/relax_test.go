package match

import (
	"regexp"
	"testing"
)

func TestRelax(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want string // "" when nothing is relaxed
	}{
		{`panic: runtime error: invalid memory address or nil pointer dereference`,
			`\A[ \t]*(?:(?:panic: )?runtime error: invalid memory address or nil pointer dereference)`},
		{`error TS2322: Type '.+?' is not assignable to type '.+?'\.`,
			`\A[ \t]*(?:(?:error TS2322: )?Type '.+?' is not assignable to type '.+?'(?:\.)?)`},
		{`(?:error|fatal): remote [\w./-]+ already exists\.|(?:错误|致命错误)：远程 [\w./-]+ 已经存在。`,
			`\A[ \t]*(?:(?:(?:error|fatal): )?remote [\w./-]+ already exists(?:\.)?|(?:(?:错误|致命错误)：)?远程 [\w./-]+ 已经存在(?:。)?)`},
		{`(?:error: |错误：)conflicting types for [‘'][\w$]+[’']`,
			`\A[ \t]*(?:(?:(?:error: |错误：))?conflicting types for [‘'][\w$]+[’'])`},
		{`error\[E0382\]: borrow of moved value: ` + "`[^`]+`",
			`\A[ \t]*(?:(?:error\[E0382\]: )?borrow of moved value: ` + "`[^`]+`" + `)`},
		{`(?m)^KeyError: (?:'[^'\n]*'|"[^"\n]*")$`,
			""}, // the message after the prefix is too short to stand alone
		{`fatal error: all goroutines are asleep - deadlock!`,
			`\A[ \t]*(?:(?:fatal error: )?all goroutines are asleep - deadlock(?:!)?)`},
		// Nothing to relax: no prefix, no final punctuation.
		{`java\.lang\.StackOverflowError`, ""},
		{`undefined reference to [` + "`" + `‘][^'’\n]+['’]`, ""},
		// What comes before ": " is not a tool prefix.
		{`[^\n]+: No such file or directory`, ""},
		{`Could not find a version that satisfies the requirement \S+`, ""},
		// A "\\." ends in an escaped backslash and any character.
		{`fatal: something went quite wrong\\.`, `\A[ \t]*(?:(?:fatal: )?something went quite wrong\\.)`},
		{`(?s)panic: runtime error: .*goroutine`, ""},
	} {
		got, ok := relax(tc.src)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("relax(%q)\n got %q, %v\nwant %q", tc.src, got, ok, tc.want)
			continue
		}
		if ok {
			regexp.MustCompile(got)
		}
	}
}

func TestRelaxedMatchesFragmentsOnly(t *testing.T) {
	src := `panic: runtime error: invalid memory address or nil pointer dereference`
	r, _ := relax(src)
	re := regexp.MustCompile(r)
	for text, want := range map[string]bool{
		"panic: runtime error: invalid memory address or nil pointer dereference": true,
		"runtime error: invalid memory address or nil pointer dereference":        true,
		"  runtime error: invalid memory address or nil pointer dereference":      true,
		// A fragment is the whole line, never a part of another sentence.
		"runtime error: invalid memory address or nil pointer dereference (see below)": true,
		// A fragment starts the line, never the middle of a sentence.
		"the docs explain runtime error: invalid memory address or nil pointer dereference": false,
	} {
		if got := re.MatchString(text); got != want {
			t.Errorf("%q: %v, want %v", text, got, want)
		}
	}
}

func TestPrefixLen(t *testing.T) {
	for _, tc := range []struct {
		line, logs, indented string // what each view holds of the line; "" when not in it
	}{
		{"2024-05-01T12:00:00.123Z KeyError: 'x'", "KeyError: 'x'", ""},
		{"2024-05-01 12:00:00,123 ERROR KeyError: 'x'", "KeyError: 'x'", ""},
		{"[2024-05-01 12:00:00] KeyError: 'x'", "KeyError: 'x'", ""},
		{"2024-05-01T12:00:00.1234567Z ##[error]Process completed with exit code 1.", "Process completed with exit code 1.", ""},
		{"::error file=app.js,line=1::TypeError: x is not a function", "TypeError: x is not a function", ""},
		{"Mar  3 10:00:00 web1 app[1234]: KeyError: 'x'", "KeyError: 'x'", ""},
		{"Dec 15 09:41:07 host systemd[1]: Failed to start nginx.service", "Failed to start nginx.service", ""},
		{"app-1  | KeyError: 'x'", "KeyError: 'x'", ""},
		{"web_1     | KeyError: 'x'", "KeyError: 'x'", ""},
		{"[pod/web-7d4b9/app] KeyError: 'x'", "KeyError: 'x'", ""},
		{"E       KeyError: 'x'", "KeyError: 'x'", ""},
		{"E   KeyError: 'x'", "KeyError: 'x'", ""},
		{"Caused by: java.lang.ClassNotFoundException: a.B", "java.lang.ClassNotFoundException: a.B", ""},
		{`Exception in thread "main" java.lang.StackOverflowError`, "java.lang.StackOverflowError", ""},
		{"[12:00:01] Starting 'build'...", "Starting 'build'...", ""},
		// The tool's indentation after a log prefix is kept in one view.
		{"2024-05-01T12:00:00.123Z \tat Main.main(Main.java:7)", "\tat Main.main(Main.java:7)", "at Main.main(Main.java:7)"},
		{"app-1  |   error: subprocess-exited-with-error", "  error: subprocess-exited-with-error", "error: subprocess-exited-with-error"},
		{"    at com.example.Main.main(Main.java:3)", "", "at com.example.Main.main(Main.java:3)"},
		// Not prefixes.
		{"KeyError: 'x'", "", ""},
		{"ERROR 1045 (28000): Access denied", "", ""},
		{"Error: connect ECONNREFUSED 127.0.0.1:5432", "", ""},
		{"a | b", "", ""},
		{"2024-05-01", "", ""},
		{"     ", "", ""}, // nothing but a prefix
		{"2024-05-01T12:00:00.123Z   ", "", ""},
	} {
		n, m := prefixLen([]byte(tc.line))
		logs, indented := "", ""
		if n > 0 {
			logs = tc.line[n:]
		}
		if m > n {
			indented = tc.line[m:]
		}
		if logs != tc.logs || indented != tc.indented {
			t.Errorf("prefixLen(%q): views %q and %q, want %q and %q", tc.line, logs, indented, tc.logs, tc.indented)
		}
	}
}

func TestPrefixViewOffsets(t *testing.T) {
	in := []byte("plain line\napp-1  | KeyError: 'x'\nother\n  indented: y\napp-1  |     at x\n")
	v := &view{text: in, lines: newLineIndex(in)}
	logs, indented := prefixViews(v)
	if logs == nil || string(logs.text) != "KeyError: 'x'\n    at x\n" {
		t.Fatalf("logs view %q", logs.text)
	}
	if indented == nil || string(indented.text) != "indented: y\nat x\n" {
		t.Fatalf("indented view %q", indented.text)
	}
	for _, pv := range []*view{logs, indented} {
		for off := range pv.text {
			if pv.text[off] == '\n' {
				continue
			}
			if got := in[pv.toInput(off)]; got != pv.text[off] {
				t.Fatalf("offset %d maps to %q, want %q", off, got, pv.text[off])
			}
		}
	}
}

// FuzzPrefixView: for any input, every byte of each prefix view maps back
// to the same byte of the input, and no view is longer than the input.
func FuzzPrefixView(f *testing.F) {
	for _, s := range []string{"app-1  | KeyError: 'x'\n", "2024-05-01T12:00:00Z x\r\n", "E   \n\n", "\x00[pod/a] b", "Mar  3 10:00:00 h u: m", " \tat x"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in := normalize(data)
		v := &view{text: in, lines: newLineIndex(in)}
		for _, pv := range prefixViewsOf(v) {
			if len(pv.text) > len(in)+1 {
				t.Fatalf("view of %d bytes from %d", len(pv.text), len(in))
			}
			for off := range pv.text {
				if pv.text[off] == '\n' {
					continue
				}
				if i := pv.toInput(off); i >= len(in) || in[i] != pv.text[off] {
					t.Fatalf("offset %d maps to %d", off, i)
				}
			}
		}
	})
}

// FuzzRelax: relax never panics, and what it returns compiles.
func FuzzRelax(f *testing.F) {
	for _, s := range []string{`panic: runtime error: x y z w v u`, `(?:a|b): cccccccccc\.`, `\`, `(`, `[:]: x`, `a: (b|c`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if _, err := regexp.Compile(src); err != nil {
			return
		}
		if r, ok := relax(src); ok {
			if _, err := regexp.Compile(r); err != nil {
				t.Fatalf("relax(%q) = %q does not compile: %v", src, r, err)
			}
		}
	})
}
