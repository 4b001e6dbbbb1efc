package web

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/errorcanon/errorcanon/internal/render"
)

// TestPagesForNewcomers serves the methodology page, the API reference
// in both languages and the paths people try for it (/api/, /docs):
// each answers, and the reference names every endpoint of openapi.json.
func TestPagesForNewcomers(t *testing.T) {
	s := newServer(t, nil)
	h := s.Handler()
	var spec struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(s.api.OpenAPI(), &spec); err != nil {
		t.Fatal(err)
	}
	for _, l := range []render.Lang{render.EN, render.ZH} {
		rec := do(h, "GET", render.DocsPath(l))
		body := rec.Body.String()
		if rec.Code != 200 || !strings.Contains(body, `<link rel="canonical" href="https://errorcanon.dev`+render.DocsPath(l)+`">`) {
			t.Errorf("%s: %d", render.DocsPath(l), rec.Code)
		}
		for path, ops := range spec.Paths {
			for m := range ops {
				if want := "<code>" + strings.ToUpper(m) + " " + path + "</code>"; !strings.Contains(body, want) {
					t.Errorf("%s lacks %s", render.DocsPath(l), want)
				}
			}
		}
		about := do(h, "GET", render.AboutPath(l))
		if about.Code != 200 || !strings.Contains(about.Body.String(), `id="figures"`) {
			t.Errorf("%s: %d", render.AboutPath(l), about.Code)
		}
	}
	for _, p := range []string{"/api", "/api/", "/docs"} {
		rec := do(h, "GET", p)
		if rec.Code != 302 || rec.Header().Get("Location") != "/docs/" {
			t.Errorf("%s: %d to %q, want 302 to /docs/", p, rec.Code, rec.Header().Get("Location"))
		}
	}
	if rec := do(h, "GET", "/api/", "Accept-Language", "zh-CN,zh;q=0.9"); rec.Header().Get("Location") != "/docs/zh.html" {
		t.Errorf("/api/ for a Chinese reader goes to %q", rec.Header().Get("Location"))
	}
	if rec := do(h, "GET", "/about"); rec.Code != 301 || rec.Header().Get("Location") != "/about/" {
		t.Errorf("/about: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	// The home page says how to use the catalog from an agent and a
	// terminal.
	home := do(h, "GET", "/").Body.String()
	for _, want := range []string{"errorcanon mcp", "go install github.com/errorcanon/errorcanon/cmd/errorcanon@latest", `href="/docs/"`} {
		if !strings.Contains(home, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
}
