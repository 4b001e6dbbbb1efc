// Errors on the site: a handler's error becomes the 404 page or an error
// page (a problem document under /api/v1), its status from the API's
// error table, so the site and the API answer an error alike.

package web

import (
	"bytes"
	"errors"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"sync"

	"github.com/errorcanon/errorcanon/internal/api"
	"github.com/errorcanon/errorcanon/internal/middleware"
	"github.com/errorcanon/errorcanon/internal/render"
)

// serveError answers a handler's error (or a recovered panic): under
// /api/v1 and at /mcp (whose clients are programs) with a problem
// document, else with the 404 page for a not-found
// error and an error page for the rest. Internal errors are logged.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	if isAPI(r) || r.URL.Path == "/mcp" {
		s.api.WriteError(w, r, err)
		return
	}
	t := api.Classify(err)
	if t == api.ProblemNotFound {
		if err = s.notFoundPage(w, r); err == nil {
			return
		}
		t = api.Classify(err)
	}
	if t == api.ProblemInternalError && !errors.Is(err, middleware.ErrPanic) {
		s.log.Error("internal error", "method", r.Method, "path", r.URL.EscapedPath(), "err", err)
	}
	s.errorPage(w, r, t)
}

// notFoundPage answers 404 with the site's page in the visitor's language.
func (s *Server) notFoundPage(w http.ResponseWriter, r *http.Request) error {
	l := visitorLang(r)
	res, err := s.resource("404:"+string(l), TypeHTML, l, func(w io.Writer) error { return s.r.NotFoundHTML(w, l) })
	if err != nil {
		return err
	}
	w.Header().Add("Vary", "Accept-Language")
	s.write(w, r, http.StatusNotFound, res, "no-cache")
	return nil
}

// errorPage answers t's status with a small page of its own: it does not
// go through the renderer, which may be what failed.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, t api.ProblemType) {
	l := visitorLang(r)
	v := errorView{Lang: string(l), Status: t.Status, Title: t.Title, Message: errorMessages[l][t.Status >= 500],
		Stylesheet: render.StylesheetPath(), Home: render.HomePath(l), HomeLabel: render.UIString(l, "nav_home")}
	if zh, ok := errorTitlesZh[t.Status]; ok && l == render.ZH {
		v.Title = zh
	}
	var buf bytes.Buffer
	_ = errorTemplate().Execute(&buf, v) // only writes to a buffer; the view is fixed
	h := w.Header()
	h.Set("Content-Type", TypeHTML)
	h.Set("Content-Language", string(l))
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Add("Vary", "Accept-Language")
	w.WriteHeader(t.Status)
	_, _ = w.Write(buf.Bytes())
}

type errorView struct {
	Lang, Title, Message, Stylesheet, Home, HomeLabel string
	Status                                            int
}

// errorMessages by language, for a server error (true) or not.
var errorMessages = map[render.Lang]map[bool]string{
	render.EN: {true: "Something went wrong on our side. It is logged; please try again later.", false: "This request cannot be answered."},
	render.ZH: {true: "服务器出错了，已记录在日志中，请稍后再试。", false: "无法处理这个请求。"},
}

var errorTitlesZh = map[int]string{
	http.StatusForbidden:             "禁止访问",
	http.StatusRequestEntityTooLarge: "请求内容过大",
	http.StatusTooManyRequests:       "请求过于频繁",
	http.StatusInternalServerError:   "服务器内部错误",
	http.StatusServiceUnavailable:    "服务暂不可用",
}

var errorTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("error").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Status}} {{.Title}} · ErrorCanon</title>
<link rel="stylesheet" href="{{.Stylesheet}}">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
</head>
<body>
<main>
<h1>{{.Status}} {{.Title}}</h1>
<p>{{.Message}}</p>
<p><a href="{{.Home}}">{{.HomeLabel}}</a></p>
</main>
</body>
</html>
`))
})
