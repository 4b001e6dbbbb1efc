// Command errorcanon is the ErrorCanon knowledge base of software errors:
// web site, API, MCP server, matcher and catalog tools in one binary.
// This package only wires subcommands to the internal packages.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// command is one subcommand. run gets the arguments after the name and
// returns the process exit code.
type command struct {
	summary string
	run     func(ctx context.Context, env *env, args []string) int
}

// env is what subcommands share: standard streams, so tests can run them
// in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// listening, when set, is called with the bound address once serve
	// listens (tests use it with --addr 127.0.0.1:0).
	listening func(net.Addr)
}

func commands() map[string]command {
	return map[string]command{
		"validate":    {"check a catalog against the schema and quality rules", runValidate},
		"match":       {"find the entries that explain an error text or a log", runMatch},
		"verify":      {"run the entries' reproduction scripts whose tools are installed", runVerify},
		"bench":       {"measure the matcher on synthetic catalogs against a naive baseline", runBench},
		"serve":       {"serve the web site: entry pages, JSON and Markdown in English and Chinese", runServe},
		"show":        {"print one entry as text, JSON or Markdown", runShow},
		"search":      {"full-text search of the entries, in English or Chinese", runSearch},
		"mcp":         {"serve the MCP tools for AI agents over standard input and output", runMCP},
		"report":      {"report whether a workaround or dead end worked (stored in --db)", runReport},
		"misses":      {"list the most frequent inputs that matched no entry (from --db)", runMisses},
		"token":       {"create, list or revoke moderators' tokens (in --db)", runToken},
		"submissions": {"list submitted errors, or export the accepted ones as catalog files to review", runSubmissions},
		"build":       {"write the whole site as static files for any static host or CDN", runBuild},
		"import":      {"convert a peer's JSON entries (deadends, errorcanon) into catalog files, reporting what was skipped", runImport},
		"snapshot":    {"write the prebuilt snapshot a binary embeds (go generate ./catalog runs it)", runSnapshot},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, e *env, args []string) int {
	cmds := commands()
	if len(args) > 0 && (args[0] == "--version" || args[0] == "-version" || args[0] == "version") {
		return printVersion(e.stdout)
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stderr, cmds)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "errorcanon: unknown command %q\n", args[0])
		usage(e.stderr, cmds)
		return 2
	}
	return c.run(ctx, e, args[1:])
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "usage: errorcanon <command> [flags] [args]\n\ncommands:")
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'errorcanon <command> -h' for a command's flags, 'errorcanon --version' for the version.")
}

// newFlags makes a FlagSet that reports errors instead of exiting.
func newFlags(e *env, name, argsUsage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: errorcanon %s [flags] %s\n", name, argsUsage)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags and returns the exit code to use when parsing failed
// (0 for -h, 2 for a usage error) and ok=false.
func parse(fs *flag.FlagSet, args []string) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, false
		}
		return 2, false
	}
	return 0, true
}

// envDefault returns the environment variable's value, or def when unset:
// every flag has an ERRORCANON_* twin.
func (e *env) envDefault(name, def string) string {
	if v := e.getenv(name); v != "" {
		return v
	}
	return def
}
