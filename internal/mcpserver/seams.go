package mcpserver

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Searcher is what search_errors needs from the full-text index
// (internal/search). The server registers search_errors only when
// Config.Search is set.
type Searcher interface {
	// Search returns the hits for q, best first, and how many entries
	// match in all (for paging).
	Search(ctx context.Context, q SearchQuery) (hits []SearchHit, total int, err error)
}

// SearchQuery is one search_errors call, already checked.
type SearchQuery struct {
	Query    string
	Lang     string // "en" or "zh"
	Domain   string // "" for all
	Category string // "" for all
	Limit    int
	Offset   int
}

// SearchHit is one entry found by a search.
type SearchHit struct {
	ID      string
	Score   float64
	Snippet string // plain text around the match, may be ""
}

// OutcomeRecorder stores what an agent reports after trying a workaround
// or a dead end. It arrives with the store issue; until then Config.Outcomes
// is nil and report_outcome is not registered.
type OutcomeRecorder interface {
	RecordOutcome(ctx context.Context, o Outcome) (Receipt, error)
}

// Outcome is one report: the entry, which workaround (or dead end) was
// tried, 1-based as the answers number them, and whether it fixed the error.
type Outcome struct {
	ID         string
	Workaround int // 1-based; 0 when a dead end was tried
	DeadEnd    int // 1-based; 0 when a workaround was tried
	Fixed      bool
	Note       string
}

// Submitter stores a new error that the catalog does not know yet, for
// review. It arrives with the store issue; until then Config.Submissions is
// nil and submit_error is not registered.
type Submitter interface {
	SubmitError(ctx context.Context, s Submission) (Receipt, error)
}

// Submission is an error an agent met that matched no entry, with what
// fixed it when something did.
type Submission struct {
	Text     string
	Domain   string
	Context  string
	Solution string
}

// Receipt acknowledges a report or a submission.
type Receipt struct {
	ID      string `json:"id" jsonschema:"identifier of the stored report or submission"`
	Message string `json:"message" jsonschema:"what happens next"`
}

// rebindingProtection refuses requests that arrive on a loopback address
// with a Host that is neither loopback nor allowed: a web page whose name
// was rebound to 127.0.0.1 must not reach a local server.
func rebindingProtection(next http.Handler, allowed []string) http.Handler {
	ok := map[string]bool{}
	for _, h := range allowed {
		ok[strings.ToLower(h)] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if la, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr); la != nil && isLoopback(la.String()) && !isLoopback(r.Host) {
			host := strings.ToLower(r.Host)
			name, _, err := net.SplitHostPort(host)
			if err != nil {
				name = host
			}
			if !ok[host] && !ok[name] {
				http.Error(w, fmt.Sprintf("Forbidden: Host %q is not allowed for this local server (DNS rebinding protection)", r.Host), http.StatusForbidden)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = strings.Trim(addr, "[]")
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
