package main

// This file holds the one wiring of serve and mcp: the catalog and what is
// built from it (renderer, match index, full-text index), each built once
// and shared by the site, the API and the MCP tools.

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/match"
	"github.com/errorcanon/errorcanon/internal/misses"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/reports"
	"github.com/errorcanon/errorcanon/internal/search"
	"github.com/errorcanon/errorcanon/internal/store"
)

// services are what serve and mcp answer from.
type services struct {
	cat      *catalog.Catalog
	problems catalog.Problems
	render   *render.Renderer
	match    *match.Index
	// search builds the full-text index on its first call (about 0.4 s
	// for the shipped catalog), so `errorcanon mcp` starts without it;
	// serve calls it before listening.
	search  func() (*search.Index, error)
	built   atomic.Pointer[search.Index] // what search built, for close
	pending *pendingSearch               // the build serve started, if any

	// The report store, when one is open (openStore): its live figures
	// and the service every surface reports through.
	store      store.Store
	figures    *store.Figures
	reports    *reports.Service
	misses     *misses.Recorder // nil: misses are not recorded
	closeStore func()
}

// openServices loads the catalog in dir ("" for the embedded one) and
// builds the renderer with ro (its base URL and links) and the match
// index. The match index's warnings (a regex that does not compile, a
// slow one) go to log.
func openServices(dir string, ro render.Options, log *slog.Logger) (*services, error) {
	c, problems, err := loadCatalog(dir, false)
	if err != nil {
		return nil, err
	}
	r, err := render.New(c, ro)
	if err != nil {
		return nil, fmt.Errorf("--base-url: %w", err)
	}
	s := &services{cat: c, problems: problems, render: r}
	var warns []match.Warning
	s.match, warns = matchIndex(c)
	for _, w := range warns {
		log.Warn("match index", "entry", w.ID, "warning", w.Msg)
	}
	s.search = sync.OnceValues(func() (*search.Index, error) {
		six, err := searchIndex(c)
		s.built.Store(six)
		return six, err
	})
	return s, nil
}

// close releases the full-text index of a catalog directory if it was
// built; the embedded catalog's lives as long as the process.
func (s *services) close() {
	if s.closeStore != nil {
		s.closeStore()
	}
	if s.pending != nil {
		<-s.pending.ready // a build serve started must end before its index is closed
	}
	if six := s.built.Load(); six != nil && !isEmbedded(s.cat) {
		six.Close()
	}
}

// pendingSearch answers searches from the full-text index once it is
// ready. serve starts making it (start) once it listens: the embedded
// catalog's is read from the snapshot in milliseconds, but a catalog
// directory's is built, which takes both cores for a while (about a
// second of CPU for 1,500 entries), and started earlier that delayed the
// first answered request.
type pendingSearch struct {
	ready chan struct{}
	six   *search.Index
	err   error
}

func newPendingSearch() *pendingSearch { return &pendingSearch{ready: make(chan struct{})} }

func (p *pendingSearch) start(s *services, log *slog.Logger) {
	s.pending = p
	go func() {
		defer close(p.ready)
		// The match index's automaton too: short inputs do without it,
		// but a server scans many.
		s.match.Warm()
		p.six, p.err = s.search()
		if p.err != nil {
			log.Error("search index", "err", p.err)
		}
	}()
}

func (p *pendingSearch) Search(ctx context.Context, q search.Query) (*search.Results, error) {
	select {
	case <-p.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if p.err != nil {
		return nil, fmt.Errorf("the search index could not be built: %w", p.err)
	}
	return p.six.Search(ctx, q)
}

// searchFunc is the full-text search MCP's search_errors calls: the index,
// built on the first search.
func (s *services) searchFunc() func(context.Context, search.Query) (*search.Results, error) {
	return func(ctx context.Context, q search.Query) (*search.Results, error) {
		six, err := s.search()
		if err != nil {
			return nil, fmt.Errorf("the search index could not be built (%v); use match_error or list_errors", err)
		}
		return six.Search(ctx, q)
	}
}

// The embedded catalog never changes within a process, so it and its
// indexes are built once however often run is called (tests call it
// dozens of times); a catalog directory is read afresh each time.
var (
	embeddedCatalog = sync.OnceValues(func() (*catalog.Catalog, catalog.Problems) {
		// The prebuilt snapshot when it was made from these very files;
		// otherwise (an edit since go generate) the files themselves.
		var c *catalog.Catalog
		var problems catalog.Problems
		ok := false
		if s := embeddedSnapshot(); s != nil {
			c, problems, ok = s.Catalog()
		}
		if !ok {
			c, problems = catalog.Load(embeddedFS())
		}
		embeddedLoaded.Store(c)
		return c, problems
	})
	// embeddedSnapshot is the embedded catalog's snapshot, opened (its
	// entries decoded when asked for), or nil when it is stale.
	embeddedSnapshot = sync.OnceValue(func() *catalog.Snapshot {
		open := catalog.OpenSnapshot
		if madeTogether() {
			open = catalog.OpenSnapshotUnchecked
		}
		s, ok := open(embeddedFS())
		if !ok {
			return nil
		}
		return s
	})
	// embeddedLazyMatch is the embedded catalog's match index for a
	// process that matches and exits: made from the snapshot's plan, it
	// decodes only the parts of the plan its input leads to and the
	// entries its results name (nil when it cannot be: then load the
	// catalog).
	embeddedLazyMatch = sync.OnceValue(func() *match.Index {
		s := embeddedSnapshot()
		if s == nil {
			return nil
		}
		ix, err := match.FromPlanData(s.Extra(match.PlanExtra), s.IDs(), func(n int32) *canon.Entry { return s.Entry(int(n)) })
		if err != nil {
			return nil // a plan of other entries: go generate ./catalog
		}
		return ix
	})
	// embeddedLoaded is the embedded catalog once something loaded it, so
	// that asking whether a catalog is the embedded one never loads it.
	embeddedLoaded atomic.Pointer[catalog.Catalog]
	embeddedMatch  = sync.OnceValues(func() (*match.Index, []match.Warning) {
		c, _ := embeddedCatalog()
		// The plan made at go generate time, when the snapshot has one
		// for this code's version; else derive it (about 25 ms).
		// Its entries' parts are decoded as matches need them, or all
		// when serve warms the index once it listens.
		if data := c.Extra(match.PlanExtra); data != "" {
			if ix, err := match.FromPlanDataOf(data, c.Entries); err == nil {
				return ix, ix.Warnings()
			}
		}
		return match.Build(c.Entries)
	})
	embeddedSearch = sync.OnceValues(func() (*search.Index, error) {
		c, _ := embeddedCatalog()
		// The index made at go generate time, when the snapshot has one
		// this code reads; else build it (about a second of CPU).
		if data := c.Extra(search.IndexExtra); data != "" {
			if six, err := search.FromData(data, c.Entries); err == nil {
				return six, nil
			}
		}
		return search.Build(c.Entries)
	})
)

// madeTogether reports whether this binary's build proves that its
// embedded catalog's files and snapshot were made together, so the check
// that hashes the files on every start can be skipped: a module version
// (go install ...@v1.2.3) or a build from a clean checkout, where CI has
// checked the snapshot is fresh (TestEmbeddedSnapshotFresh). A build from
// an edited tree, go run and tests keep the check.
func madeTogether() bool {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	if v := info.Main.Version; v != "" && v != "(devel)" && !strings.Contains(v, "+dirty") {
		return true
	}
	for _, kv := range info.Settings {
		if kv.Key == "vcs.modified" {
			return kv.Value == "false"
		}
	}
	return false
}

func isEmbedded(c *catalog.Catalog) bool {
	return c != nil && c == embeddedLoaded.Load()
}

// matchIndex builds the match index of c, once for the embedded catalog.
func matchIndex(c *catalog.Catalog) (*match.Index, []match.Warning) {
	if isEmbedded(c) {
		return embeddedMatch()
	}
	return match.Build(c.Entries)
}

// searchIndex builds the full-text index of c, once for the embedded
// catalog.
func searchIndex(c *catalog.Catalog) (*search.Index, error) {
	if isEmbedded(c) {
		return embeddedSearch()
	}
	return search.Build(c.Entries)
}
