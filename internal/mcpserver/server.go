// Package mcpserver exposes the catalog to AI agents over the Model Context
// Protocol, on the official Go SDK (github.com/modelcontextprotocol/go-sdk).
//
// One Server serves both transports: cmd/errorcanon connects it to stdio
// for `errorcanon mcp`, and mounts Handler (streamable HTTP) at /mcp on
// `errorcanon serve`. It uses the same services as the CLI and the web
// site: the match.Index for match_error and batch_match, the renderer for
// get_error and the entry resources, and, when given, a search index for
// search_errors.
//
// Tools (every one documents its arguments and its result in its schema):
//
//	match_error    error text, trace or log -> the entries that explain it
//	batch_match    up to 20 texts at once
//	get_error      one entry, Markdown or the site's JSON form
//	search_errors  full-text search (registered when Config.Search is set)
//	list_domains   the domains with their entry counts
//	list_errors    a domain's or category's entries, sorted, paged
//	get_related    the graph of leads_to / preceded_by / confused_with links
//	get_stats      figures about the catalog
//	report_outcome how a workaround worked out (registered when an
//	               OutcomeRecorder is given)
//	submit_error   an error the catalog lacks (registered when a Submitter
//	               is given)
//
// Answers are compact Markdown for the model (dead ends first, then
// workarounds with their first command) plus structured content that
// follows each tool's output schema. Bad input never ends the server: it
// gets an MCP error whose message says what to send instead.
//
// The resource template errorcanon://errors/{domain}/{slug} serves each
// entry as Markdown, and the debug_error prompt walks a model through an
// error with the matcher's answer already in hand.
package mcpserver

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/search"
)

// Name is the server's name in the MCP handshake and the server card.
const Name = "errorcanon"

// Config is what a Server is built from.
type Config struct {
	// Catalog and Index are required: the entries and the matcher over them.
	Catalog *catalog.Catalog
	Index   *match.Index
	// Renderer renders get_error's Markdown and JSON and the entry
	// resources; required, over Catalog.
	Renderer *render.Renderer
	// Search backs search_errors: (*search.Index).Search, or a function
	// that builds the index on the first search. Nil leaves the tool out.
	Search func(context.Context, search.Query) (*search.Results, error)
	// Outcomes backs report_outcome and Submissions backs submit_error.
	// Nil leaves the tool out: a model never sees a tool that cannot
	// work.
	Outcomes    OutcomeRecorder
	Submissions Submitter
	// Misses, when set, is given every text match_error and batch_match
	// found no entry for.
	Misses func(text string)
	// LinksFromRequest makes the links in answers over HTTP (entry URLs)
	// point at the server that answered, scheme and Host of the request,
	// instead of the Renderer's base URL: for a server run without a
	// configured public address (errorcanon serve on 127.0.0.1). Stdio
	// answers keep the base URL.
	LinksFromRequest bool
	// Version is reported in the handshake and the server card; "" means
	// the module version from the build info, or "dev".
	Version string
	// Logger receives the server's own logs (never the protocol stream).
	// Nil discards them.
	Logger *slog.Logger
}

// Server is the MCP server over one catalog. It is safe for concurrent
// use by any number of sessions.
type Server struct {
	cat      *catalog.Catalog
	ix       *match.Index
	r        *render.Renderer
	search   func(context.Context, search.Query) (*search.Results, error)
	outcomes OutcomeRecorder
	submit   Submitter
	misses   func(string)
	log      *slog.Logger
	version  string
	// linksFromRequest: see Config.LinksFromRequest.
	linksFromRequest bool

	mcp   *mcp.Server
	tools []*mcp.Tool // as registered, for the server card and error hints
}

// New builds the server and registers its tools, resource template and
// prompt.
func New(cfg Config) (*Server, error) {
	if cfg.Catalog == nil || cfg.Index == nil || cfg.Renderer == nil {
		return nil, errors.New("mcpserver: Config.Catalog, Config.Index and Config.Renderer are required")
	}
	r := cfg.Renderer
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// The SDK logs every session at Info; over stateless HTTP that is every
	// request, which the web server's request log already covers.
	log = slog.New(minLevel{log.Handler(), slog.LevelWarn})
	s := &Server{cat: cfg.Catalog, ix: cfg.Index, r: r, search: cfg.Search,
		outcomes: cfg.Outcomes, submit: cfg.Submissions, misses: cfg.Misses, log: log, version: cfg.Version,
		linksFromRequest: cfg.LinksFromRequest}
	if s.version == "" {
		s.version = buildVersion()
	}
	s.mcp = mcp.NewServer(&mcp.Implementation{
		Name:       Name,
		Title:      "ErrorCanon",
		Version:    s.version,
		WebsiteURL: r.BaseURL(),
	}, &mcp.ServerOptions{
		Instructions: instructions,
		Logger:       log,
		// No logging capability: the server logs to its own log, and
		// clients have nothing to configure.
		Capabilities:      &mcp.ServerCapabilities{},
		CompletionHandler: s.complete,
	})
	if err := s.addTools(); err != nil {
		return nil, err
	}
	s.addResources()
	s.addPrompts()
	s.mcp.AddReceivingMiddleware(s.explainErrors, recoverPanics(log))
	return s, nil
}

// instructions is what clients may show the model about the server as a
// whole.
const instructions = `ErrorCanon is a curated knowledge base of known software errors: for each, the root cause, the workarounds that work (with success rates) and the dead ends people try that fail (with fail rates).
When a command, build, test or program fails, call match_error with the error text or the last lines of the log before trying fixes: skip the dead ends it lists, apply the workarounds in order. Use get_error for the full entry, search_errors or list_errors to browse, get_related for the errors that usually follow.`

// MCP returns the underlying SDK server, for connecting a transport:
// server.MCP().Run(ctx, &mcp.StdioTransport{}).
func (s *Server) MCP() *mcp.Server { return s.mcp }

// Run serves one session over t until the client disconnects or ctx ends.
func (s *Server) Run(ctx context.Context, t mcp.Transport) error { return s.mcp.Run(ctx, t) }

// Tools returns the tools the server registered, in registration order.
func (s *Server) Tools() []*mcp.Tool { return slices.Clone(s.tools) }

// MaxHTTPBody bounds one HTTP request to the MCP endpoint: the limit of a
// JSON body of POST /api/v1/match, [match.MaxJSONBody]. A text a little
// over match.MaxInput still reaches the tool and gets an answer that says
// what to send; a far larger body is refused before it is read.
const MaxHTTPBody = match.MaxJSONBody

// Handler returns the streamable HTTP transport as an http.Handler, for
// mounting at /mcp. It is stateless (every request stands alone, no
// session to keep, nothing to lose on a restart or across replicas) and
// answers with plain JSON rather than an event stream, since no tool
// streams. GET and DELETE are answered 405, as the protocol allows for a
// server without a standalone stream.
//
// Requests that reach a loopback address with a Host that is not loopback
// are refused (DNS rebinding protection), unless the Host is one of
// allowedHosts (host or host:port), for a reverse proxy that forwards the
// public name to a server on 127.0.0.1.
func (s *Server) Handler(allowedHosts ...string) http.Handler {
	h := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s.mcp }, &mcp.StreamableHTTPOptions{
		Stateless:           true,
		JSONResponse:        true,
		Logger:              s.log,
		MaxRequestBodyBytes: MaxHTTPBody,
		// Checked below, with the allowed hosts.
		DisableLocalhostProtection: true,
	})
	return rebindingProtection(checkHTTPIDs(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, s.withLinkBase(withClient(r)))
	})), allowedHosts)
}

func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// minLevel drops records below min.
type minLevel struct {
	slog.Handler
	min slog.Level
}

func (m minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= m.min && m.Handler.Enabled(ctx, l)
}

func (m minLevel) WithAttrs(as []slog.Attr) slog.Handler {
	return minLevel{m.Handler.WithAttrs(as), m.min}
}
func (m minLevel) WithGroup(g string) slog.Handler { return minLevel{m.Handler.WithGroup(g), m.min} }
