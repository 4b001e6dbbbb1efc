package render

import (
	"io"
	"strings"
	"unicode/utf8"
)

// SubmitPath is the path of the form that sends a new error to the
// moderators' queue, in a language. It exists only on a server that keeps
// reports (serve with a --db), so a static build leaves it out.
func SubmitPath(l Lang) string { return langPath("/submit/", l) }

// SubmitForm is what the submission page shows: the form, filled with what
// the visitor sent when it was refused, or the receipt of a queued one.
type SubmitForm struct {
	Text, Domain, Context, Solution string
	// Err says why the form was refused; Queued is the id of the
	// submission just queued (the form is then empty).
	Err, Queued string
	// Limits of the fields, in bytes, shown as maxlength.
	MaxText, MaxNote int
}

type submitView struct {
	SubmitForm
	Action  string
	Lang    string
	Domains []domainView
}

// SubmitHTML writes the page with the form that sends a new error (the
// text as printed, what was tried, what fixed it) to the moderators. It
// is a plain form: no script needed, never indexed.
func (r *Renderer) SubmitHTML(w io.Writer, f SubmitForm, l Lang) error {
	p := r.newPage(l, ui(l)["submit_title"]+" · ErrorCanon")
	p.NoIndex = true
	o := l.other()
	p.Switch = &link{Href: SubmitPath(o), Label: autonym[o], Hreflang: string(o), HTMLLang: o.htmlLang()}
	p.Crumbs = []link{{Href: HomePath(l), Label: ui(l)["nav_home"]}}
	ds, err := r.domainViews(l)
	if err != nil {
		return err
	}
	p.Submit = &submitView{SubmitForm: f, Action: SubmitPath(EN), Lang: string(l), Domains: ds}
	return p.write(w)
}

// Tail returns the end of text that fits in max bytes, starting at a line
// when one starts within it, never inside a UTF-8 sequence.
func Tail(text string, max int) string {
	if len(text) <= max {
		return text
	}
	t := text[len(text)-max:]
	if i := strings.IndexByte(t, '\n'); i >= 0 && i+1 < len(t) {
		return t[i+1:]
	}
	for len(t) > 0 && !utf8.RuneStart(t[0]) {
		t = t[1:]
	}
	return t
}
