package canon

import "strings"

// Pick returns zh when lang is "zh" and zh is set, else en.
func Pick(lang, en, zh string) string {
	if lang == "zh" && strings.TrimSpace(zh) != "" {
		return zh
	}
	return en
}

// FirstCommand returns the first non-comment line of the first fenced code
// block in a workaround's steps: the command a reader runs first. It
// returns "" when the steps hold no code block.
func FirstCommand(how string) string {
	in := false
	for _, line := range strings.Split(how, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "```") {
			if in {
				return ""
			}
			in = true
			continue
		}
		if in && t != "" && !strings.HasPrefix(t, "#") && !strings.HasPrefix(t, "//") {
			return t
		}
	}
	return ""
}

// Path returns the entry page's path on the site.
func (e *Entry) Path() string { return "/errors/" + e.ID + "/" }
