// This file holds Figures, the in-memory copy of every entry's tallies
// that pages are rendered from, reloaded when any replica writes.

package store

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
)

// Figures keeps the tallies of every entry in memory, so rendering an
// entry never waits for the database. It reloads them whenever the store
// signals a change (this process's writes at once; other replicas' through
// PostgreSQL's NOTIFY, typically within milliseconds) and then calls the
// OnChange hooks, which drop cached pages. If a reload fails (the database
// is down) the last figures stay in use: reads keep working.
type Figures struct {
	st    Store
	log   *slog.Logger
	snap  atomic.Pointer[map[string]EntryTallies]
	mu    sync.Mutex
	hooks []func()
	// loaded counts completed reloads (tests wait on it).
	loaded atomic.Uint64
}

// NewFigures loads the tallies and keeps them fresh until ctx ends. A
// store that is unavailable is not an error: the figures start empty and
// load when it signals a change.
func NewFigures(ctx context.Context, st Store, log *slog.Logger) (*Figures, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	f := &Figures{st: st, log: log}
	empty := map[string]EntryTallies{}
	f.snap.Store(&empty)
	if err := f.Reload(ctx); err != nil {
		if !errors.Is(err, ErrUnavailable) {
			return nil, err
		}
		// A database that is down (OpenLater's, until it answers): start
		// with no reports; the store signals a change when it is back.
		log.Warn("outcome figures not loaded yet; showing estimates", "err", err)
	}
	go f.watch(ctx)
	return f, nil
}

func (f *Figures) watch(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-f.st.Changes():
			if err := f.Reload(ctx); err != nil && ctx.Err() == nil {
				f.log.Warn("reloading outcome figures", "err", err)
			}
		}
	}
}

// Reload reads the tallies now and calls the hooks.
func (f *Figures) Reload(ctx context.Context) error {
	t, err := f.st.Tallies(ctx)
	if err != nil {
		return err
	}
	f.snap.Store(&t)
	f.loaded.Add(1)
	f.mu.Lock()
	hooks := append([]func(){}, f.hooks...)
	f.mu.Unlock()
	for _, h := range hooks {
		h()
	}
	return nil
}

// Entry returns an entry's tallies.
func (f *Figures) Entry(id string) EntryTallies { return (*f.snap.Load())[id] }

// OnChange registers a hook called after each reload.
func (f *Figures) OnChange(h func()) {
	f.mu.Lock()
	f.hooks = append(f.hooks, h)
	f.mu.Unlock()
}

// Reloads counts completed reloads.
func (f *Figures) Reloads() uint64 { return f.loaded.Load() }
