// This file holds the small text helpers of the answers: rounding,
// clipping and shortening.

package mcpserver

import (
	"strings"
	"unicode/utf8"
)

// round rounds f to three decimals, for scores.
func round(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }

// clip cuts s to at most n bytes on a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// brief keeps the first sentences of s that fit in n bytes (at least the
// first, clipped), in English or Chinese.
func brief(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	end := 0
	for i, r := range s {
		if i > n {
			break
		}
		if r == '。' || ((r == '.' || r == ';') && i > 20 && (i+1 == len(s) || s[i+1] == ' ')) {
			end = i + utf8.RuneLen(r)
		}
	}
	if end == 0 {
		return clip(s, n)
	}
	return s[:end]
}
