package canon

// This file picks the sentence of a root cause that says why this error
// happened, for answers that have room for one line (the CLI's verdict).

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Root causes are written as a short explanation: often a sentence of
// background on how the tool works ("Compiling turns each source file into
// an object file..."), then the sentence that says what went wrong this
// time ("undefined reference means ... no object or library defines the
// symbol"), then common situations and variants. CauseSentence picks,
// among the first three sentences of the English text, the one that reads
// as the cause: it explains (means, so, because) or says what is refused,
// missing or not found; a sentence that opens on a general statement
// (every, each, many, by default) scores lower, and so does each sentence
// after the first. The Chinese text has the same sentence when it has as
// many sentences, and is scored the same way otherwise.
var (
	strongMarkers = map[string][]string{
		"en": {" means ", " so ", "because", "therefore", "which is why", "this error"},
		"zh": {"表示", "说明", "所以", "因此", "于是", "因为", "导致", "报这个错"},
	}
	weakMarkers = map[string][]string{
		"en": {"refuses", "rejects", " cannot ", " can't ", " not found", " found no ", " is not ", " does not ", " has no "},
		"zh": {"拒绝", "找不到", "没有找到", "无法"},
	}
)

var backgroundStarts = map[string][]string{
	"en": {"Every ", "Each ", "Many ", "Most ", "All ", "By default", "Compiling ", "Normally ", "Usually ", "While ", "During ", "Common "},
	"zh": {"每", "所有", "很多", "许多", "大多数", "默认", "编译时", "通常", "在", "检查", "常见"},
}

// CauseSentence returns the sentence of e's root cause in lang ("en" or
// "zh") that names the mechanism of the error, cut before a trailing list
// of common situations when it has one.
func CauseSentence(e *Entry, lang string) string {
	en := Sentences(e.RootCause, "en")
	i := causeIndex(en, "en")
	if lang != "zh" {
		if len(en) == 0 {
			return strings.TrimSpace(e.RootCause)
		}
		return cutList(en[i], "en")
	}
	zh := Sentences(e.RootCauseZh, "zh")
	if len(zh) == 0 {
		return strings.TrimSpace(e.RootCauseZh)
	}
	if len(zh) != len(en) {
		i = causeIndex(zh, "zh")
	}
	return cutList(zh[i], "zh")
}

func containsAny(s string, subs []string) bool {
	for _, m := range subs {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

// causeIndex scores the first three sentences (see strongMarkers) and
// returns the best one's index, the earlier on a tie.
func causeIndex(ss []string, lang string) int {
	best, bestScore := 0, -100.0
	for i, s := range ss[:min(3, len(ss))] {
		score := -2 * float64(i)
		low := " " + strings.ToLower(s) + " "
		if containsAny(low, strongMarkers[lang]) {
			score += 3
		} else if containsAny(low, weakMarkers[lang]) {
			score += 2
		}
		for _, b := range backgroundStarts[lang] {
			if strings.HasPrefix(s, b) {
				score -= 3
				break
			}
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	return best
}

// Sentences splits text into sentences: after a full stop, question or
// exclamation mark followed by a space (English; not inside a number or
// an abbreviation such as "e.g."), or after 。！？ (Chinese).
func Sentences(text, lang string) []string {
	text = strings.Join(strings.Fields(text), " ")
	var out []string
	start := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		end := -1
		switch r {
		case '。', '！', '？':
			end = i + size
		case '.', '!', '?':
			next := i + size
			if next == len(text) {
				end = next
			} else if text[next] == ' ' && next+1 < len(text) && !abbrev(text[start:i]) {
				n, _ := utf8.DecodeRuneInString(text[next+1:])
				if unicode.IsUpper(n) || n == '"' || n == '`' || n == '\'' || n > unicode.MaxLatin1 {
					end = next
				}
			}
		}
		i += size
		if end > 0 {
			if s := strings.TrimSpace(text[start:end]); s != "" {
				out = append(out, s)
			}
			start = end
		}
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// abbrev reports whether the text before a full stop ends with an
// abbreviation that does not end a sentence.
func abbrev(before string) bool {
	for _, a := range []string{"e.g", "i.e", "etc", "vs", "cf"} {
		if strings.HasSuffix(before, a) {
			return true
		}
	}
	return false
}

// cutList cuts a long sentence before the colon that introduces a list of
// cases, when what comes before it is a sentence of its own.
func cutList(s string, lang string) string {
	const long = 220
	if utf8.RuneCountInString(s) <= long {
		return s
	}
	sep, stop := ": ", "."
	if lang == "zh" {
		sep, stop = "：", "。"
	}
	for i := strings.Index(s, sep); i >= 0; {
		head := s[:i]
		enough := utf8.RuneCountInString(head) >= 40
		if lang == "zh" {
			han := 0
			for _, r := range head {
				if unicode.Is(unicode.Han, r) {
					han++
				}
			}
			enough = han >= 20
		}
		if enough {
			return head + stop
		}
		j := strings.Index(s[i+len(sep):], sep)
		if j < 0 {
			break
		}
		i += len(sep) + j
	}
	return s
}
