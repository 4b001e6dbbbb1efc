// Catalog endpoints: /errors (listed, filtered, paged), one entry,
// /domains and /stats.

package api

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/errorcanon/errorcanon/internal/browse"
	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/render"
)

// maxPage bounds page numbers, so page*per_page never overflows.
const maxPage = 1_000_000

// ListItem is an entry in a listing: what a client needs to choose one.
type ListItem struct {
	ID           string  `json:"id"`
	Title        string  `json:"title"`
	TitleZh      string  `json:"title_zh"`
	Domain       string  `json:"domain"`
	Category     string  `json:"category"`
	ErrorCode    *string `json:"error_code"`
	Signature    string  `json:"signature"`
	SignatureZh  string  `json:"signature_zh"`
	Resolvable   string  `json:"resolvable"`
	FixRate      float64 `json:"fix_rate"`
	Confidence   float64 `json:"confidence"`
	Verification string  `json:"verification"`
	FirstSeen    *string `json:"first_seen"`
	LastVerified *string `json:"last_verified"`
	Links
}

// listItem is e as a collection item, its url in language l.
func (a *API) listItem(lr *render.Renderer, e *canon.Entry, l render.Lang) ListItem {
	return ListItem{
		ID: e.ID, Title: e.Title, TitleZh: e.TitleZh, Domain: e.Domain, Category: e.Category, ErrorCode: e.ErrorCode,
		Signature: e.Signature, SignatureZh: e.SignatureZh,
		Resolvable: e.Resolvable, FixRate: a.r.FixRate(e), Confidence: e.Confidence, Verification: e.Verification,
		FirstSeen: orNull(e.FirstSeen), LastVerified: orNull(e.LastVerified),
		Links: entryLinks(lr, e.ID, l),
	}
}

// ListPage is the answer of GET /api/v1/errors.
type ListPage struct {
	Envelope[ListItem]
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
	Pages   int `json:"pages"`
}

// intParam reads an integer query parameter; absent is 0.
func intParam(v url.Values, name string, lo, hi int) (int, error) {
	s := v.Get(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, &browse.Error{Param: name, Value: clipValue(s), Want: "an integer from " + strconv.Itoa(lo) + " to " + strconv.Itoa(hi)}
	}
	return n, nil
}

// clipValue keeps an echoed value short.
func clipValue(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// listQuery reads the listing filters shared by /errors and /search. The
// page size is per_page, or limit as on /match and in MCP.
func listQuery(v url.Values, maxPerPage int) (browse.Query, error) {
	q := browse.Query{
		Domain: v.Get("domain"), Category: v.Get("category"), Verification: v.Get("verification"),
		Resolvable: v.Get("resolvable"), Sort: browse.Sort(v.Get("sort")),
	}
	var err error
	if q.Page, err = intParam(v, "page", 1, maxPage); err != nil {
		return q, err
	}
	size := "per_page"
	if v.Get(size) == "" && v.Get("limit") != "" {
		size = "limit"
	}
	if q.PerPage, err = intParam(v, size, 1, maxPerPage); err != nil {
		return q, err
	}
	return q, nil
}

// badParam is a parameter error (a *browse.Error names the parameter) as
// an invalid-parameter problem.
func badParam(err error) error {
	var be *browse.Error
	if errors.As(err, &be) {
		be.Value = clipValue(be.Value)
		return &Error{Err: ErrInvalidParameter, Detail: be.Error(), Param: be.Param}
	}
	return &Error{Err: ErrInvalidParameter, Detail: err.Error()}
}

func (a *API) listErrors(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	q, err := listQuery(v, browse.MaxPerPage)
	if err == nil {
		err = q.Check(a.cat)
	}
	if err != nil {
		return badParam(err)
	}
	res := browse.Select(a.cat, q)
	lr := a.links(r)
	out := ListPage{Envelope: Envelope[ListItem]{Items: []ListItem{}, Total: res.Total}, Page: res.Query.Page, PerPage: res.Query.PerPage, Pages: res.Pages}
	for _, e := range res.Entries {
		out.Items = append(out.Items, a.listItem(lr, e, render.EN))
	}
	pageLinks(&out.Envelope, lr, Prefix+"errors", v, res.Query.Page, res.Pages)
	return a.writeJSON(w, r, out, catalogMaxAge)
}

func (a *API) entry(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("domain") + "/" + r.PathValue("slug")
	var e *canon.Entry
	if _, _, ok := canon.SplitID(id); ok {
		e = a.cat.Entry(id)
	}
	if e == nil {
		return &Error{Err: ErrNotFound, Detail: "No entry has this id."}
	}
	var buf bytes.Buffer
	if err := a.links(r).EntryJSON(&buf, e); err != nil {
		return fmt.Errorf("entry %s: %w", e.ID, err)
	}
	a.writeBytes(w, r, buf.Bytes(), "application/json; charset=utf-8", catalogMaxAge)
	return nil
}

// DomainItem is a domain with its number of entries.
type DomainItem struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	NameZh        string `json:"name_zh"`
	Description   string `json:"description"`
	DescriptionZh string `json:"description_zh"`
	Count         int    `json:"count"`
	URL           string `json:"url"`
	URLZh         string `json:"url_zh"`
	Errors        string `json:"errors"`
}

// domains answers every domain in one page, in the collection envelope.
func (a *API) domains(w http.ResponseWriter, r *http.Request) error {
	lr := a.links(r)
	out := Envelope[DomainItem]{Items: []DomainItem{}}
	for _, d := range a.cat.Domains {
		out.Items = append(out.Items, DomainItem{
			ID: d.ID, Name: d.Name, NameZh: d.NameZh, Description: d.Description, DescriptionZh: d.DescriptionZh,
			Count: len(a.cat.InDomain(d.ID)),
			URL:   lr.Link(render.DomainPath(d.ID, render.EN)), URLZh: lr.Link(render.DomainPath(d.ID, render.ZH)),
			Errors: lr.Link(Prefix + "errors?domain=" + d.ID),
		})
	}
	out.Total = len(out.Items)
	return a.writeJSON(w, r, out, catalogMaxAge)
}

func (a *API) stats(w http.ResponseWriter, r *http.Request) error {
	return a.writeJSON(w, r, browse.Compute(a.cat), catalogMaxAge)
}

// orNull is nil for "": an unknown date is null, as in the entry's JSON.
func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
