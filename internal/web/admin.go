// The moderators' pages under /admin/: the submission queue with accept
// and reject, and the most frequent misses. Every route needs a valid
// moderator token: a cookie set by the login form (HttpOnly,
// SameSite=Strict, path /admin/) or an Authorization: Bearer header.
// Without one the answer is 401 (no or unknown token) or 403 (a write
// from another site's page) and nothing changes.

package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/errorcanon/errorcanon/internal/api"
	"github.com/errorcanon/errorcanon/internal/render"
	"github.com/errorcanon/errorcanon/internal/store"
)

const adminCookie = "ec_mod"

func (s *Server) adminRoutes() {
	s.mux.HandleFunc("GET /admin/{$}", s.admin(s.adminQueue))
	s.mux.HandleFunc("GET /admin/misses", s.admin(s.adminMisses))
	s.mux.HandleFunc("POST /admin/login", s.adminLogin)
	s.mux.HandleFunc("POST /admin/logout", s.adminLogout)
	s.mux.HandleFunc("POST /admin/submissions/{id}/{decision}", s.admin(s.adminDecide))
}

// token is the request's moderator token, from the header or the cookie.
func token(r *http.Request) string {
	if t, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return strings.TrimSpace(t)
	}
	if c, err := r.Cookie(adminCookie); err == nil {
		return c.Value
	}
	return ""
}

// admin wraps a moderator's handler: writes must come from this site
// (or a program), and the token must be valid.
func (s *Server) admin(h func(w http.ResponseWriter, r *http.Request, by string) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if r.Method != http.MethodGet {
			if err := api.CheckOrigin(r); err != nil {
				s.adminPage(w, http.StatusForbidden, adminView{Message: "Refused: this form was posted from another site."})
				return
			}
		}
		t := token(r)
		role, err := s.reports.Store().TokenRole(r.Context(), t)
		switch {
		case errors.Is(err, store.ErrUnauthorized):
			w.Header().Set("WWW-Authenticate", `Bearer realm="errorcanon-admin"`)
			msg := "Moderators only: sign in with a token from 'errorcanon token create --role moderator'."
			if t != "" {
				msg = "That token is unknown or revoked."
			}
			s.adminPage(w, http.StatusUnauthorized, adminView{Login: true, Message: msg})
			return
		case err != nil:
			s.adminPage(w, http.StatusServiceUnavailable, adminView{Message: "The store is unavailable; nothing was changed. Retry later."})
			return
		case role != store.RoleModerator:
			s.adminPage(w, http.StatusForbidden, adminView{Message: "This token may not moderate."})
			return
		}
		if err := h(w, r, store.HashOf(t)); err != nil {
			status := api.Classify(err).Status
			if errors.Is(err, store.ErrNotFound) {
				status = http.StatusNotFound
			}
			s.adminPage(w, status, adminView{Message: err.Error()})
		}
	}
}

func (s *Server) adminLogin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if err := api.CheckOrigin(r); err != nil {
		s.adminPage(w, http.StatusForbidden, adminView{Message: "Refused: this form was posted from another site."})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<10)
	t := strings.TrimSpace(r.PostFormValue("token"))
	if _, err := s.reports.Store().TokenRole(r.Context(), t); err != nil {
		s.adminPage(w, http.StatusUnauthorized, adminView{Login: true, Message: "That token is unknown or revoked."})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: adminCookie, Value: t, Path: "/admin/", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: strings.HasPrefix(s.r.BaseURL(), "https://") && r.TLS != nil, MaxAge: int((12 * time.Hour).Seconds())})
	http.Redirect(w, r, "/admin/", http.StatusSeeOther)
}

func (s *Server) adminLogout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: adminCookie, Value: "", Path: "/admin/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/admin/", http.StatusSeeOther)
}

func (s *Server) adminQueue(w http.ResponseWriter, r *http.Request, _ string) error {
	subs, err := s.reports.Store().Submissions(r.Context(), "pending", 200)
	if err != nil {
		return err
	}
	ms, err := s.reports.Store().Misses(r.Context(), 50)
	if err != nil {
		return err
	}
	s.adminPage(w, http.StatusOK, adminView{Queue: subs, Misses: ms, SignedIn: true})
	return nil
}

// adminMisses lists the most frequent misses: the queue of what to write
// next (?limit=, 1 to maxAdminMisses).
func (s *Server) adminMisses(w http.ResponseWriter, r *http.Request, _ string) error {
	limit := 200
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxAdminMisses {
			return &api.Error{Err: api.ErrInvalidParameter, Param: "limit", Detail: fmt.Sprintf("limit must be 1 to %d", maxAdminMisses)}
		}
		limit = n
	}
	ms, err := s.reports.Store().Misses(r.Context(), limit)
	if err != nil {
		return err
	}
	s.adminPage(w, http.StatusOK, adminView{Misses: ms, SignedIn: true, MissesOnly: true})
	return nil
}

// maxAdminMisses caps one listing of misses.
const maxAdminMisses = 1000

func (s *Server) adminDecide(w http.ResponseWriter, r *http.Request, by string) error {
	status := map[string]string{"accept": "accepted", "reject": "rejected"}[r.PathValue("decision")]
	if status == "" {
		return &api.Error{Err: api.ErrNotFound, Detail: "decision must be accept or reject"}
	}
	if err := s.reports.Store().Decide(r.Context(), r.PathValue("id"), status, by); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/", http.StatusSeeOther)
	return nil
}

type adminView struct {
	Message    string
	Login      bool
	SignedIn   bool
	Queue      []store.Submission
	Misses     []store.Miss
	MissesOnly bool // the /admin/misses page
	Stylesheet string
}

var adminTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("admin").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Moderation · ErrorCanon</title><link rel="stylesheet" href="{{.Stylesheet}}"></head>
<body><main class="wrap">
<h1>Moderation</h1>
{{- if .Message}}<p class="notice">{{.Message}}</p>{{end}}
{{- if .Login}}
<form method="post" action="/admin/login"><label>Moderator token <input type="password" name="token" autocomplete="off" required></label> <button type="submit">Sign in</button></form>
{{- end}}
{{- if .SignedIn}}
<form method="post" action="/admin/logout"><button type="submit">Sign out</button></form>
{{- if not .MissesOnly}}
<h2>Submissions ({{len .Queue}} pending)</h2>
{{- range .Queue}}
<article class="card" id="s-{{.ID}}">
<p class="muted small">{{.ID}} · {{.Created.Format "2006-01-02 15:04"}} UTC{{if .Domain}} · {{.Domain}}{{end}}</p>
<pre class="message"><code>{{.Text}}</code></pre>
{{- if .Context}}<p><strong>Context: </strong>{{.Context}}</p>{{end}}
{{- if .Solution}}<p><strong>What fixed it: </strong>{{.Solution}}</p>{{end}}
<form method="post" action="/admin/submissions/{{.ID}}/accept"><button type="submit">Accept</button></form>
<form method="post" action="/admin/submissions/{{.ID}}/reject"><button type="submit">Reject</button></form>
</article>
{{- else}}
<p>The queue is empty.</p>
{{- end}}
{{- end}}
<h2>Most frequent misses</h2>
{{- if .MissesOnly}}<p><a href="/admin/">Back to the queue</a></p>{{else}}<p><a href="/admin/misses">All misses</a></p>{{end}}
<table><thead><tr><th>Count</th><th>Last seen</th><th>Template (example)</th></tr></thead><tbody>
{{- range .Misses}}
<tr><td>{{.Count}}</td><td>{{.LastSeen.Format "2006-01-02"}}</td><td><code>{{.Template}}</code><br><span class="muted small">{{.Example}}</span></td></tr>
{{- end}}
</tbody></table>
{{- end}}
</main></body></html>
`))
})

func (s *Server) adminPage(w http.ResponseWriter, status int, v adminView) {
	v.Stylesheet = render.StylesheetPath()
	var buf bytes.Buffer
	_ = adminTemplate().Execute(&buf, v) // only writes to a buffer; the template is fixed
	w.Header().Set("Content-Type", TypeHTML)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
