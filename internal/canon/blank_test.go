package canon

import "testing"

func TestBlank(t *testing.T) {
	for s, want := range map[string]bool{
		"": true, " \t\r\n": true, "\u200b\ufeff\u200d": true, "\u3164\u115f\u2800": true, "\u034f\ufe0f": true,
		"\xff\xfe": true, "\u00a0\u3000": true, "a": false, "\u200bx": false, "证": false, "\u3164.": false,
	} {
		if got := Blank([]byte(s)); got != want {
			t.Errorf("Blank(%q) = %v, want %v", s, got, want)
		}
	}
}
