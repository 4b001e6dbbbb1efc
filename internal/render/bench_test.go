package render

import (
	"io"
	"testing"

	catalogdata "github.com/errorcanon/errorcanon/catalog"
	"github.com/errorcanon/errorcanon/internal/catalog"
)

// BenchmarkEntryHTML renders the page of a shipped entry (the server
// renders each page once and then serves it from memory).
func BenchmarkEntryHTML(b *testing.B) {
	c, _ := catalog.Load(catalogdata.FS)
	r := newRenderer(b, c)
	e := c.Entry("python/module-not-found-error")
	if e == nil {
		b.Skip("python/module-not-found-error is not in the catalog")
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := r.EntryHTML(io.Discard, e, EN); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListing renders /errors/ with every entry of the catalog.
func BenchmarkListing(b *testing.B) {
	c, _ := catalog.Load(catalogdata.FS)
	r := newRenderer(b, c)
	b.ReportAllocs()
	for b.Loop() {
		if err := r.DomainsHTML(io.Discard, EN); err != nil {
			b.Fatal(err)
		}
	}
}
