package main

// errorcanon token and errorcanon submissions: moderators' tokens and the
// submission queue, in the store at --db.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/errorcanon/errorcanon/internal/lazyregexp"
	"github.com/errorcanon/errorcanon/internal/store"
)

// openStoreCmd opens --db for a moderation command.
func openStoreCmd(ctx context.Context, e *env, name string, db *string) (store.Store, int) {
	dsn, err := resolveDB(e, *db)
	if err != nil || dsn == "" {
		fmt.Fprintf(e.stderr, "errorcanon %s: no store: %v\n", name, orNone(err))
		return nil, 2
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon %s: %v\n", name, err)
		return nil, 1
	}
	return st, 0
}

func runToken(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || (args[0] != "create" && args[0] != "list" && args[0] != "revoke") {
		fmt.Fprintln(e.stderr, "usage: errorcanon token create --role moderator [--note TEXT] | token list | token revoke ID   [--db ...]")
		return 2
	}
	sub := args[0]
	fs := newFlags(e, "token "+sub, "")
	role := fs.String("role", "", "the token's role: moderator")
	note := fs.String("note", "", "who or what the token is for")
	db := dbFlag(e, fs)
	pos, code, ok := parseInterspersed(fs, args[1:])
	if !ok {
		return code
	}
	st, code := openStoreCmd(ctx, e, "token", db)
	if st == nil {
		return code
	}
	defer st.Close()
	switch sub {
	case "create":
		id, tok, err := st.CreateToken(ctx, *role, *note)
		if err != nil {
			fmt.Fprintf(e.stderr, "errorcanon token create: %v\n", err)
			return exitFor(err)
		}
		fmt.Fprintf(e.stdout, "%s\n", tok)
		fmt.Fprintf(e.stderr, "token %s (%s) created; it is shown only now, the store keeps its hash. Revoke it with: errorcanon token revoke %s\n", id, *role, id)
	case "list":
		ts, err := st.Tokens(ctx)
		if err != nil {
			fmt.Fprintf(e.stderr, "errorcanon token list: %v\n", err)
			return 1
		}
		for _, t := range ts {
			state := "active"
			if t.Revoked != nil {
				state = "revoked " + t.Revoked.Format("2006-01-02")
			}
			fmt.Fprintf(e.stdout, "%s  %-9s  %s  %-18s  %s\n", t.ID, t.Role, t.Created.Format("2006-01-02"), state, t.Note)
		}
	case "revoke":
		if len(pos) != 1 {
			fmt.Fprintln(e.stderr, "errorcanon token revoke: give the token's id (errorcanon token list)")
			return 2
		}
		if err := st.RevokeToken(ctx, pos[0]); err != nil {
			fmt.Fprintf(e.stderr, "errorcanon token revoke: %v\n", err)
			return exitFor(err)
		}
		fmt.Fprintf(e.stdout, "revoked %s\n", pos[0])
	}
	return 0
}

func exitFor(err error) int {
	if errors.Is(err, store.ErrInvalid) || errors.Is(err, store.ErrNotFound) {
		return 2
	}
	return 1
}

func runSubmissions(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || (args[0] != "list" && args[0] != "export") {
		fmt.Fprintln(e.stderr, "usage: errorcanon submissions list [--status pending|accepted|rejected] | submissions export DIR   [--db ...]")
		return 2
	}
	sub := args[0]
	fs := newFlags(e, "submissions "+sub, "")
	status := fs.String("status", "pending", "which submissions to list: pending, accepted or rejected")
	db := dbFlag(e, fs)
	pos, code, ok := parseInterspersed(fs, args[1:])
	if !ok {
		return code
	}
	if sub == "export" {
		if len(pos) != 1 {
			fmt.Fprintln(e.stderr, "errorcanon submissions export: give the directory to write to")
			return 2
		}
		*status = "accepted"
	}
	st, code := openStoreCmd(ctx, e, "submissions", db)
	if st == nil {
		return code
	}
	defer st.Close()
	subs, err := st.Submissions(ctx, *status, 10000)
	if err != nil {
		fmt.Fprintf(e.stderr, "errorcanon submissions: %v\n", err)
		return 1
	}
	if sub == "list" {
		for _, s := range subs {
			fmt.Fprintf(e.stdout, "%s  %s  %-10s  %s\n", s.ID, s.Created.Format("2006-01-02"), s.Domain, headLine(s.Text))
		}
		return 0
	}
	return exportSubmissions(e, subs, pos[0])
}

// exportSubmissions writes each accepted submission as a v2 catalog file
// to review: what the submitter gave is filled in, the rest is left for
// the editor (validate lists what is missing).
func exportSubmissions(e *env, subs []store.Submission, dir string) int {
	n := 0
	for _, s := range subs {
		domain := s.Domain
		if domain == "" {
			domain = "unsorted"
		}
		slug := slugOf(headLine(s.Text)) + "-" + s.ID[:6]
		doc := exportEntry{ID: domain + "/" + slug, Domain: domain, Signature: headLine(s.Text), Examples: []string{s.Text},
			RootCause: "TODO: the mechanism. Submitted context: " + s.Context, Resolvable: "partial", Confidence: 0.3}
		if s.Solution != "" {
			doc.Workarounds = []exportWorkaround{{Action: s.Solution, How: "TODO: steps and commands.", SuccessRate: 0.5}}
		}
		b, err := yaml.Marshal(doc)
		if err != nil {
			fmt.Fprintf(e.stderr, "errorcanon submissions export: %v\n", err)
			return 1
		}
		path := filepath.Join(dir, domain, slug+".yaml")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			fmt.Fprintf(e.stderr, "errorcanon submissions export: %v\n", err)
			return 1
		}
		if err := os.WriteFile(path, append([]byte("# Exported from submission "+s.ID+" for review: fill in the TODOs, then run errorcanon validate.\n"), b...), 0o644); err != nil {
			fmt.Fprintf(e.stderr, "errorcanon submissions export: %v\n", err)
			return 1
		}
		n++
	}
	fmt.Fprintf(e.stdout, "wrote %d catalog file(s) under %s for review\n", n, dir)
	return 0
}

type exportEntry struct {
	ID          string             `yaml:"id"`
	Title       string             `yaml:"title"`
	TitleZh     string             `yaml:"title_zh"`
	Domain      string             `yaml:"domain"`
	Category    string             `yaml:"category"`
	Signature   string             `yaml:"signature"`
	SignatureZh string             `yaml:"signature_zh"`
	Regex       string             `yaml:"regex"`
	Examples    []string           `yaml:"examples"`
	Resolvable  string             `yaml:"resolvable"`
	Confidence  float64            `yaml:"confidence"`
	RootCause   string             `yaml:"root_cause"`
	RootCauseZh string             `yaml:"root_cause_zh"`
	Workarounds []exportWorkaround `yaml:"workarounds"`
	DeadEnds    []struct{}         `yaml:"dead_ends"`
}

type exportWorkaround struct {
	Action      string  `yaml:"action"`
	ActionZh    string  `yaml:"action_zh"`
	How         string  `yaml:"how"`
	HowZh       string  `yaml:"how_zh"`
	SuccessRate float64 `yaml:"success_rate"`
}

var nonSlug = lazyregexp.New(`[^a-z0-9]+`)

func slugOf(s string) string {
	s = strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if len(s) > 60 {
		s = strings.TrimRight(s[:60], "-")
	}
	if s == "" {
		s = "submission"
	}
	return s
}

func headLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
