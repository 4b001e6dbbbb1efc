package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/errorcanon/errorcanon/internal/store"
)

func TestAdminQueue(t *testing.T) {
	s, st := newStoreServer(t)
	h := s.Handler()
	ctx := context.Background()
	id, tok, err := st.CreateToken(ctx, store.RoleModerator, "test")
	if err != nil {
		t.Fatal(err)
	}
	// A submission through the API; the e-mail address in it is redacted.
	req := httptest.NewRequest("POST", "/api/v1/submissions", strings.NewReader(`{"text": "zorp: cannot frob (owner jane@example.org)", "domain": "api", "solution": "restart"}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var sub struct{ ID string }
	if rec.Code != 201 || json.Unmarshal(rec.Body.Bytes(), &sub) != nil {
		t.Fatalf("submit: %d %s", rec.Code, rec.Body)
	}
	pending := func() int {
		q, err := st.Submissions(ctx, "pending", 10)
		if err != nil {
			t.Fatal(err)
		}
		return len(q)
	}

	// Without a valid token: 401 and a login form; nothing changes.
	for _, hdr := range [][]string{nil, {"Authorization", "Bearer ecm_wrong"}} {
		rec := do(h, "GET", "/admin/", hdr...)
		if rec.Code != 401 || rec.Header().Get("WWW-Authenticate") == "" || !strings.Contains(rec.Body.String(), `action="/admin/login"`) || strings.Contains(rec.Body.String(), "zorp") {
			t.Errorf("GET /admin/ with %v: %d", hdr, rec.Code)
		}
	}
	accept := "/admin/submissions/" + sub.ID + "/accept"
	if rec := postReport(h, accept, nil); rec.Code != 401 || pending() != 1 {
		t.Errorf("accept without a token: %d, pending %d", rec.Code, pending())
	}
	if rec := postReport(h, accept, nil, "Authorization", "Bearer "+tok, "Sec-Fetch-Site", "cross-site"); rec.Code != 403 || pending() != 1 {
		t.Errorf("accept from another site: %d, pending %d", rec.Code, pending())
	}

	// With the token: the queue, redacted, and accepting.
	rec = do(h, "GET", "/admin/", "Authorization", "Bearer "+tok)
	if body := rec.Body.String(); rec.Code != 200 || !strings.Contains(body, "zorp: cannot frob") || strings.Contains(body, "jane@") || !strings.Contains(body, accept) {
		t.Errorf("GET /admin/ with a token: %d\n%s", rec.Code, body)
	}
	if rec := postReport(h, accept, nil, "Authorization", "Bearer "+tok); rec.Code != http.StatusSeeOther || pending() != 0 {
		t.Errorf("accept: %d, pending %d", rec.Code, pending())
	}
	if rec := postReport(h, accept, nil, "Authorization", "Bearer "+tok); rec.Code != 404 {
		t.Errorf("accepting twice: %d", rec.Code)
	}

	// The login form sets an HttpOnly, SameSite=Strict cookie that works.
	rec = postReport(h, "/admin/login", url.Values{"token": {tok}})
	cookies := rec.Result().Cookies()
	if rec.Code != http.StatusSeeOther || len(cookies) != 1 || !cookies[0].HttpOnly || cookies[0].SameSite != http.SameSiteStrictMode {
		t.Fatalf("login: %d %v", rec.Code, cookies)
	}
	if rec := do(h, "GET", "/admin/", "Cookie", cookies[0].Name+"="+cookies[0].Value); rec.Code != 200 {
		t.Errorf("GET /admin/ with the cookie: %d", rec.Code)
	}
	if rec := postReport(h, "/admin/login", url.Values{"token": {"ecm_guess"}}); rec.Code != 401 || len(rec.Result().Cookies()) != 0 {
		t.Errorf("login with a wrong token: %d", rec.Code)
	}
	// A revoked token no longer works.
	if err := st.RevokeToken(ctx, id); err != nil {
		t.Fatal(err)
	}
	if rec := do(h, "GET", "/admin/", "Authorization", "Bearer "+tok); rec.Code != 401 {
		t.Errorf("revoked token: %d", rec.Code)
	}
}

// TestAdminMisses: /admin/misses lists the most frequent misses to
// moderators only.
func TestAdminMisses(t *testing.T) {
	s, st := newStoreServer(t)
	h := s.Handler()
	ctx := context.Background()
	_, tok, err := st.CreateToken(ctx, store.RoleModerator, "test")
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := st.AddMiss(ctx, "zorp: cannot frob <n>", "zorp: cannot frob 7"); err != nil {
			t.Fatal(err)
		}
	}
	if rec := do(h, "GET", "/admin/misses"); rec.Code != 401 || strings.Contains(rec.Body.String(), "zorp") {
		t.Errorf("without a token: %d", rec.Code)
	}
	rec := do(h, "GET", "/admin/misses", "Authorization", "Bearer "+tok)
	if body := rec.Body.String(); rec.Code != 200 || !strings.Contains(body, "<td>3</td>") || !strings.Contains(body, "zorp: cannot frob &lt;n&gt;") || strings.Contains(body, "Submissions (") {
		t.Errorf("with a token: %d\n%s", rec.Code, body)
	}
	for _, bad := range []string{"0", "x", "1001"} {
		if rec := do(h, "GET", "/admin/misses?limit="+bad, "Authorization", "Bearer "+tok); rec.Code != 400 {
			t.Errorf("limit=%s: %d", bad, rec.Code)
		}
	}
}
