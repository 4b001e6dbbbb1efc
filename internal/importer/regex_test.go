package importer

import "testing"

func TestConvertRegex(t *testing.T) {
	for _, tc := range []struct {
		in, want, reason string
	}{
		{`ModuleNotFoundError: No module named '(\w+)'`, `(?i)ModuleNotFoundError: No module named '(\w+)'`, ""},
		{`(?i)already folded`, `(?i)already folded`, ""},
		{`.*token.*expired.*`, `(?i)token.*expired`, ""},                                         // a bare .* at either end never changed a search
		{`ends in a dot\.*`, `(?i)ends in a dot\.*`, ""},                                         // an escaped dot is text
		{`x{,3}y`, `(?i)x{0,3}y`, ""},                                                            // Go reads {,n} as text
		{`done\Z`, `(?i)done\z`, ""},                                                             // Python's \Z is RE2's \z
		{`(?u)unicode`, `(?i)unicode`, ""},                                                       // Python 3's default
		{`(?P<name>\w+) failed`, `(?i)(?P<name>\w+) failed`, ""},                                 // named groups are RE2 too
		{`[(?=] literal class`, `(?i)[(?=] literal class`, ""},                                   // syntax inside a class is text
		{`\(\?= escaped`, `(?i)\(\?= escaped`, ""},                                               // so is an escaped paren
		{`foo(?=bar)`, "", ReasonRegexUnsupported},                                               // lookahead
		{`(?<!no)pe`, "", ReasonRegexUnsupported},                                                // lookbehind
		{`(?P<q>['"]).*(?P=q)`, "", ReasonRegexUnsupported},                                      // named backreference
		{`(a)\1`, "", ReasonRegexUnsupported},                                                    // numbered backreference
		{`a\\1`, `(?i)a\\1`, ""},                                                                 // a backslash then 1
		{`(?>atomic)`, "", ReasonRegexUnsupported},                                               // atomic group
		{`a++b`, "", ReasonRegexUnsupported},                                                     // possessive
		{`(?x) verbose  mode`, "", ReasonRegexUnsupported},                                       // verbose flag
		{`unclosed (group`, "", ReasonRegexInvalid},                                              // does not parse
		{`a{1001}`, "", ReasonRegexInvalid},                                                      // repetition past RE2's limit
		{`x*`, "", ReasonRegexSlow},                                                              // matches everything
		{string(make([]byte, MaxRegex+1)), "", ReasonRegexSlow},                                  // too long
		{"  ", "", ReasonMissingField},                                                           // empty
		{`(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)(l)(m)(n)(o)(p)(q)(r)(s)(t)(u)`, "", ReasonRegexSlow}, // too many groups
	} {
		got, p := convertRegex(tc.in, true)
		switch {
		case tc.reason == "" && p != nil:
			t.Errorf("convertRegex(%q): skipped: %s %s", tc.in, p.reason, p.detail)
		case tc.reason == "" && got != tc.want:
			t.Errorf("convertRegex(%q) = %q, want %q", tc.in, got, tc.want)
		case tc.reason != "" && (p == nil || p.reason != tc.reason):
			t.Errorf("convertRegex(%q) = %q, %+v; want a skip for %s", tc.in, got, p, tc.reason)
		}
	}
}

func TestMapCategory(t *testing.T) {
	for in, want := range map[string]string{
		"runtime_error": "runtime_error", "memory_error": "resource_error", "ssl_tls": "tls_error",
		"connection_error": "network_error", "module_error": "import_error", "compile_error": "build_error",
		"rbac_error": "permission_error", "Authentication": "auth_error", "borrow_error": "type_error",
		"serialization": "data_error", "cuda_error": "platform_error", "hook_warning": "runtime_error",
	} {
		if got := mapCategory(in); got != want {
			t.Errorf("mapCategory(%q) = %q, want %q", in, got, want)
		}
	}
}
