package importer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/errorcanon/errorcanon/internal/canon"
	"github.com/errorcanon/errorcanon/internal/catalog"
	"github.com/errorcanon/errorcanon/internal/outdir"
)

// ReportFile is the report's name in the output directory.
const ReportFile = "import-report.json"

// Write writes the converted catalog to dir atomically: domains.yaml, one
// {domain}/{slug}.yaml per entry, NOTICE.md with the sources' licences and
// attribution, and the report as ReportFile. A failure leaves dir as it
// was.
func Write(dir string, res *Result) error {
	return outdir.Write(dir, "import", func(tmp string) error {
		var doms bytes.Buffer
		doms.WriteString("# Domains of entries imported by errorcanon import; not part of the shipped catalog.\n")
		if err := encodeYAML(&doms, map[string]any{"domains": res.Domains}); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(tmp, catalog.DomainsFile), doms.Bytes(), 0o644); err != nil {
			return err
		}
		for _, e := range res.Entries {
			var b bytes.Buffer
			fmt.Fprintf(&b, "# Imported from %s (%s); not verified by ErrorCanon.\n", e.Source.URL, e.Source.License)
			if err := encodeYAML(&b, e); err != nil {
				return fmt.Errorf("%s: %w", e.ID, err)
			}
			p := filepath.Join(tmp, e.Domain, e.Slug()+".yaml")
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
				return err
			}
		}
		if err := os.WriteFile(filepath.Join(tmp, "NOTICE.md"), []byte(notice(res.Entries)), 0o644); err != nil {
			return err
		}
		rep, err := json.MarshalIndent(res.Report, "", "  ")
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(tmp, ReportFile), append(rep, '\n'), 0o644)
	})
}

func encodeYAML(b *bytes.Buffer, v any) error {
	enc := yaml.NewEncoder(b)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return err
	}
	return enc.Close()
}

// notice lists each source once with its licence and attribution.
func notice(entries []*canon.Entry) string {
	type src struct{ license, licenseURL, attribution string }
	counts := map[src]int{}
	for _, e := range entries {
		counts[src{e.Source.License, e.Source.LicenseURL, e.Source.Attribution}]++
	}
	keys := make([]src, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].attribution < keys[j].attribution })
	var b strings.Builder
	b.WriteString("# Imported entries\n\nThese entries were converted by `errorcanon import` from other knowledge bases. They are not part of\nErrorCanon's shipped catalog and were not verified by ErrorCanon. Each entry's `source` names the page it\ncame from; every page shows it among the entry's evidence.\n\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "- %d entries: %s. Licence: %s", counts[k], k.attribution, k.license)
		if k.licenseURL != "" {
			fmt.Fprintf(&b, " (%s)", k.licenseURL)
		}
		b.WriteString(".\n")
	}
	return b.String()
}
