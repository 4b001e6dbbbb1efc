package mcpserver

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Over HTTP without a configured base URL, links point at the server that
// answered; with one (and over stdio), at the base URL.
func TestLinksFollowTheRequest(t *testing.T) {
	c, ix := shipped(t)
	for _, fromRequest := range []bool{true, false} {
		s, err := New(Config{Catalog: c, Index: ix, Renderer: testR, LinksFromRequest: fromRequest})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(s.Handler())
		ctx := context.Background()
		cs, err := mcp.NewClient(&mcp.Implementation{Name: "links", Version: "1"}, nil).Connect(ctx, &mcp.StreamableClientTransport{Endpoint: hs.URL}, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := testR.BaseURL() + "/errors/"
		if fromRequest {
			want = hs.URL + "/errors/"
		}
		var out matchOutput
		ok(t, cs, "match_error", map[string]any{"text": pythonTrace}, &out)
		if len(out.Results) == 0 || !strings.HasPrefix(out.Results[0].URL, want) {
			t.Errorf("fromRequest %v: match_error url %+v, want %s...", fromRequest, out.Results, want)
		}
		var got getOutput
		md := ok(t, cs, "get_error", map[string]any{"id": pythonID}, &got)
		if !strings.HasPrefix(got.URL, want) || !strings.Contains(md, want) {
			t.Errorf("fromRequest %v: get_error url %q", fromRequest, got.URL)
		}
		if fromRequest && strings.Contains(md, testR.BaseURL()+"/") {
			t.Errorf("get_error's Markdown links to %s, not to the server that answered", testR.BaseURL())
		}
		cs.Close()
		hs.Close()
	}
}
