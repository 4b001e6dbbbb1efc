package importer

import (
	"io/fs"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	catalogdata "github.com/errorcanon/errorcanon/catalog"
	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/catalog"
)

// shippedDomains is the shipped catalog's domain list, whose names and
// descriptions an import reuses for the domains both have.
var shippedDomains = sync.OnceValue(func() map[string]canon.Domain {
	m := map[string]canon.Domain{}
	data, err := fs.ReadFile(catalogdata.FS, catalog.DomainsFile)
	if err != nil {
		return m
	}
	var doc struct {
		Domains []canon.Domain `yaml:"domains"`
	}
	if yaml.Unmarshal(data, &doc) == nil {
		for _, d := range doc.Domains {
			m[d.ID] = d
		}
	}
	return m
})

// domainsFor lists the domains the entries use, sorted by id: the shipped
// catalog's description where it has the domain, a plain one otherwise.
func domainsFor(entries []*canon.Entry, format Format) []canon.Domain {
	seen := map[string]bool{}
	var out []canon.Domain
	for _, e := range entries {
		if seen[e.Domain] {
			continue
		}
		seen[e.Domain] = true
		if d, ok := shippedDomains()[e.Domain]; ok {
			out = append(out, d)
			continue
		}
		name := strings.ToUpper(e.Domain[:1]) + e.Domain[1:]
		from := string(format)
		if format == Deadends {
			from = deadendsName
		}
		out = append(out, canon.Domain{
			ID: e.Domain, Name: name, NameZh: name,
			Description:   "Entries imported from " + from + "'s " + e.Domain + " domain.",
			DescriptionZh: "从 " + from + " 的 " + e.Domain + " 领域导入的条目。",
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
