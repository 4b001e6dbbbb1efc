// The methodology page, /about/ and /about/zh.html: what an entry is, how
// it is verified, how its figures are computed, how to report and
// contribute, and the data's licence. Every figure's label links here.

package render

import "io"

// AboutPath is the path of the methodology page in a language.
func AboutPath(l Lang) string { return langPath("/about/", l) }

// Anchors of the methodology page's sections, for figure labels.
const (
	AboutEntry        = "entry"
	AboutVerification = "verification"
	AboutFigures      = "figures"
	AboutReport       = "report"
	AboutContribute   = "contribute"
	AboutLicence      = "licence"
)

// aboutView is what the methodology page shows besides its prose.
type aboutView struct {
	PriorStrength int
}

// AboutHTML writes the methodology page.
func (r *Renderer) AboutHTML(w io.Writer, l Lang) error {
	title := ui(l)["about_title"]
	p := r.newPage(l, title+" · ErrorCanon")
	p.Description = ui(l)["about_lead"]
	p.Crumbs = []link{{Href: HomePath(l), Label: ui(l)["nav_home"]}}
	p.About = &aboutView{PriorStrength: PriorStrength}
	r.alternates(p, AboutPath(EN), AboutPath(ZH), "website")
	return p.write(w)
}

// aboutHref is the link of a figure's label: the section of the
// methodology page that explains it.
func aboutHref(l Lang, section string) string { return AboutPath(l) + "#" + section }
