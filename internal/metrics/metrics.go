// Package metrics keeps the server's counters and histograms and serves
// them at /metrics in the Prometheus text format (version 0.0.4). It is a
// few dozen lines instead of the Prometheus client library because the
// server exposes a handful of series and needs none of its machinery.
//
//	reg := metrics.NewRegistry()
//	reports := reg.Counter("errorcanon_reports_total", "Outcome reports by kind, outcome and result.", "kind", "outcome", "result")
//	reports.Inc("workaround", "worked", "stored")
//	mux.Handle("GET /metrics", reg)
package metrics

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Registry holds metrics in registration order.
type Registry struct {
	mu    sync.Mutex
	items []interface{ write(io.Writer) }
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{} }

// Counter is a counter with labels.
type Counter struct {
	name, help string
	labels     []string
	mu         sync.Mutex
	vals       map[string]float64 // by rendered label set
}

// Counter registers a counter with the label names.
func (r *Registry) Counter(name, help string, labels ...string) *Counter {
	c := &Counter{name: name, help: help, labels: labels, vals: map[string]float64{}}
	r.mu.Lock()
	r.items = append(r.items, c)
	r.mu.Unlock()
	return c
}

// Inc adds 1 to the series with these label values (in the order the
// label names were given).
func (c *Counter) Inc(values ...string) { c.Add(1, values...) }

// Add adds v to a series.
func (c *Counter) Add(v float64, values ...string) {
	if c == nil {
		return
	}
	var b strings.Builder
	for i, l := range c.labels {
		if i > 0 {
			b.WriteByte(',')
		}
		val := ""
		if i < len(values) {
			val = values[i]
		}
		fmt.Fprintf(&b, "%s=%s", l, strconv.Quote(val))
	}
	c.mu.Lock()
	c.vals[b.String()] += v
	c.mu.Unlock()
}

// Value returns a series' value (tests use it).
func (c *Counter) Value(values ...string) float64 {
	var b strings.Builder
	for i, l := range c.labels {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%s=%s", l, strconv.Quote(values[i]))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.vals[b.String()]
}

func (c *Counter) write(w io.Writer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n", c.name, c.help, c.name)
	keys := make([]string, 0, len(c.vals))
	for k := range c.vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "" {
			fmt.Fprintf(w, "%s %s\n", c.name, num(c.vals[k]))
		} else {
			fmt.Fprintf(w, "%s{%s} %s\n", c.name, k, num(c.vals[k]))
		}
	}
}

// Histogram counts observations into cumulative buckets.
type Histogram struct {
	name, help string
	bounds     []float64
	mu         sync.Mutex
	counts     []uint64 // per bucket, not cumulative; the last is +Inf
	sum        float64
}

// Histogram registers a histogram with the buckets' upper bounds,
// ascending.
func (r *Registry) Histogram(name, help string, bounds []float64) *Histogram {
	h := &Histogram{name: name, help: help, bounds: bounds, counts: make([]uint64, len(bounds)+1)}
	r.mu.Lock()
	r.items = append(r.items, h)
	r.mu.Unlock()
	return h
}

// Observe records one value.
func (h *Histogram) Observe(v float64) {
	if h == nil {
		return
	}
	i := sort.SearchFloat64s(h.bounds, v)
	h.mu.Lock()
	h.counts[i]++
	h.sum += v
	h.mu.Unlock()
}

func (h *Histogram) write(w io.Writer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s histogram\n", h.name, h.help, h.name)
	var cum uint64
	for i, b := range h.bounds {
		cum += h.counts[i]
		fmt.Fprintf(w, "%s_bucket{le=%q} %d\n", h.name, num(b), cum)
	}
	cum += h.counts[len(h.bounds)]
	fmt.Fprintf(w, "%s_bucket{le=\"+Inf\"} %d\n%s_sum %s\n%s_count %d\n", h.name, cum, h.name, num(h.sum), h.name, cum)
}

func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// ServeHTTP writes every metric in the text format.
func (r *Registry) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	r.mu.Lock()
	items := append([]interface{ write(io.Writer) }{}, r.items...)
	r.mu.Unlock()
	for _, m := range items {
		m.write(w)
	}
}
