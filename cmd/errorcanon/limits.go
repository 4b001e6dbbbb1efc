package main

// This file holds serve's load-limit flags: per-client rates on match,
// search and MCP, the cap on concurrent matches, and the origins /mcp
// accepts besides its own.

import (
	"flag"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/errorcanon/errorcanon/internal/middleware"
	"github.com/errorcanon/errorcanon/internal/web"
)

type limitFlags struct {
	matchRate, searchRate, mcpRate    float64
	matchBurst, searchBurst, mcpBurst int
	maxMatches                        int
	queue                             time.Duration
	origins                           string
}

// Defaults: a person or an agent never needs more; a script that does
// runs its own server, or raises them.
const (
	defaultMatchRate, defaultMatchBurst   = 10, 20
	defaultSearchRate, defaultSearchBurst = 20, 40
	defaultMCPRate, defaultMCPBurst       = 20, 40
	defaultMatchQueue                     = 2 * time.Second
)

// limitEnv maps each limit flag to its environment twin.
var limitEnv = map[string]string{
	"match-rate": "ERRORCANON_MATCH_RATE", "match-burst": "ERRORCANON_MATCH_BURST",
	"search-rate": "ERRORCANON_SEARCH_RATE", "search-burst": "ERRORCANON_SEARCH_BURST",
	"mcp-rate": "ERRORCANON_MCP_RATE", "mcp-burst": "ERRORCANON_MCP_BURST",
	"max-matches": "ERRORCANON_MAX_MATCHES", "match-queue": "ERRORCANON_MATCH_QUEUE",
	"mcp-origins": "ERRORCANON_MCP_ORIGINS",
}

func addLimitFlags(fs *flag.FlagSet) *limitFlags {
	f := &limitFlags{}
	rate := func(p *float64, name string, def float64, what string) {
		fs.Float64Var(p, name, def, fmt.Sprintf("requests a second per client to %s; 0 for no limit (env %s)", what, limitEnv[name]))
	}
	burst := func(p *int, name string, def int) {
		fs.IntVar(p, name, def, fmt.Sprintf("requests at once per client before the rate applies (env %s)", limitEnv[name]))
	}
	rate(&f.matchRate, "match-rate", defaultMatchRate, "/match and /api/v1/match")
	burst(&f.matchBurst, "match-burst", defaultMatchBurst)
	rate(&f.searchRate, "search-rate", defaultSearchRate, "/search and /api/v1/search")
	burst(&f.searchBurst, "search-burst", defaultSearchBurst)
	rate(&f.mcpRate, "mcp-rate", defaultMCPRate, "POST /mcp")
	burst(&f.mcpBurst, "mcp-burst", defaultMCPBurst)
	fs.IntVar(&f.maxMatches, "max-matches", max(2, runtime.GOMAXPROCS(0)), "matches (/match, /api/v1/match, POST /mcp) run at once; 0 for no cap (env ERRORCANON_MAX_MATCHES)")
	fs.DurationVar(&f.queue, "match-queue", defaultMatchQueue, "how long a match waits for a slot before 503 (env ERRORCANON_MATCH_QUEUE)")
	fs.StringVar(&f.origins, "mcp-origins", "", "comma-separated `origins` (https://app.example) whose pages may call /mcp besides the server's own (env ERRORCANON_MCP_ORIGINS)")
	return f
}

// setFromEnv gives each flag of twins its environment value, if set, so
// the command line still overrides it. An unparsable value is an error
// that names the variable.
func setFromEnv(e *env, fs *flag.FlagSet, twins map[string]string) error {
	for name, v := range twins {
		if s := e.getenv(v); s != "" {
			if err := fs.Set(name, s); err != nil {
				return fmt.Errorf("%s=%q: %v", v, s, err)
			}
		}
	}
	return nil
}

func (f *limitFlags) limits() web.Limits {
	return web.Limits{
		Match:   middleware.NewClientLimiter(f.matchRate, f.matchBurst),
		Search:  middleware.NewClientLimiter(f.searchRate, f.searchBurst),
		MCP:     middleware.NewClientLimiter(f.mcpRate, f.mcpBurst),
		Matches: middleware.NewGate(f.maxMatches, f.queue),
	}
}

func (f *limitFlags) originList() []string {
	var out []string
	for _, o := range strings.Split(f.origins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			out = append(out, o)
		}
	}
	return out
}
