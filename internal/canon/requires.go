package canon

// This file holds the forms of reproduce.requires and the rules for a
// workaround's command and check.

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/errorcanon/errorcanon/internal/lazyregexp"
)

// Requirement is one item of reproduce.requires. Its forms:
//
//	git                   a command on PATH
//	yarn@2                a command whose `--version` reports major version 2
//	file:/usr/share/x     a file or directory that must exist
//	locale:zh_CN.UTF-8    a locale the C library can load
type Requirement struct {
	Kind  string // "command", "file" or "locale"
	Name  string // command name, absolute path or locale name
	Major string // for "command": the major version required, or ""
}

// String gives the requirement as written.
func (r Requirement) String() string {
	switch r.Kind {
	case "file", "locale":
		return r.Kind + ":" + r.Name
	}
	if r.Major != "" {
		return r.Name + "@" + r.Major
	}
	return r.Name
}

var (
	commandNameRE = lazyregexp.New(`^[A-Za-z0-9_][A-Za-z0-9_.+-]*$`)
	majorRE       = lazyregexp.New(`^[0-9]+$`)
	localeRE      = lazyregexp.New(`^[A-Za-z_]+(\.[A-Za-z0-9-]+)?(@[a-z]+)?$`)
)

// ParseRequirement reads one item of reproduce.requires.
func ParseRequirement(s string) (Requirement, error) {
	switch {
	case strings.HasPrefix(s, "file:"):
		p := strings.TrimPrefix(s, "file:")
		if !strings.HasPrefix(p, "/") || strings.Contains(p, "..") {
			return Requirement{}, fmt.Errorf("%q: a file requirement needs an absolute path without \"..\"", s)
		}
		return Requirement{Kind: "file", Name: p}, nil
	case strings.HasPrefix(s, "locale:"):
		l := strings.TrimPrefix(s, "locale:")
		if !localeRE.MatchString(l) {
			return Requirement{}, fmt.Errorf("%q: not a locale name such as zh_CN.UTF-8", s)
		}
		return Requirement{Kind: "locale", Name: l}, nil
	}
	name, major, hasMajor := strings.Cut(s, "@")
	if !commandNameRE.MatchString(name) {
		return Requirement{}, fmt.Errorf("%q is not a command name (or file:/path, locale:NAME, command@MAJOR)", s)
	}
	if hasMajor && !majorRE.MatchString(major) {
		return Requirement{}, fmt.Errorf("%q: the version after @ is a major version number", s)
	}
	return Requirement{Kind: "command", Name: name, Major: major}, nil
}

func checkRequirement(s string) string {
	if _, err := ParseRequirement(s); err != nil {
		return err.Error()
	}
	return ""
}

var commandPlaceholderRE = lazyregexp.New(`\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// command checks a workaround's command or check: one shell command line,
// no prompt, and every {name} a named group of the regex.
func (c *checker) command(field, cmd, expr string) {
	if cmd == "" {
		return
	}
	switch {
	case strings.TrimSpace(cmd) != cmd || strings.ContainsAny(cmd, "\n\r"):
		c.add(field, "is one shell command on one line, without surrounding space")
		return
	case strings.HasPrefix(cmd, "$ ") || strings.HasPrefix(cmd, "# ") || strings.HasPrefix(cmd, "> "):
		c.add(field, "starts with a prompt; write the command alone")
		return
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return // recognition reports it
	}
	groups := map[string]bool{}
	for _, n := range re.SubexpNames() {
		groups[n] = n != ""
	}
	for _, m := range commandPlaceholderRE.FindAllStringSubmatch(cmd, -1) {
		if !groups[m[1]] {
			c.add(field, "uses {%s}, which is not a named group of regex; add (?P<%s>...) or write the value", m[1], m[1])
		}
	}
}

// safeValueRE is what a value filled into a command may hold: names,
// versions, paths and package specs. The values come from pasted text,
// which anyone can craft; a quote, space, $ or ; could turn the command a
// reader copies into another one, and a leading - into an option.
var safeValueRE = lazyregexp.New(`^[A-Za-z0-9@%+=:,./_~][A-Za-z0-9@%+=:,./_~-]*$`)

// FillCommand replaces each {name} in cmd with the text the regex's named
// group of that name matched. ok is false when a placeholder has no value
// or a value that is not a plain word (see safeValueRE), and then the
// command is not to be shown as runnable.
func FillCommand(cmd string, groups map[string]string) (filled string, ok bool) {
	ok = true
	filled = commandPlaceholderRE.ReplaceAllStringFunc(cmd, func(m string) string {
		v := groups[m[1:len(m)-1]]
		if !safeValueRE.MatchString(v) {
			ok = false
			return m
		}
		return v
	})
	return filled, ok
}
