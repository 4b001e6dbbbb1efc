package main

import (
	"flag"
	"fmt"
	"io/fs"
	"os"

	catalogdata "github.com/errorcanon/errorcanon/catalog"
	"github.com/errorcanon/errorcanon/internal/catalog"
)

// catalogFlag adds --catalog, the directory to read instead of the
// embedded catalog.
func catalogFlag(e *env, fs *flag.FlagSet) *string {
	return fs.String("catalog", e.envDefault("ERRORCANON_CATALOG", ""), "catalog `directory` to use instead of the embedded one (env ERRORCANON_CATALOG)")
}

func embeddedFS() fs.FS { return catalogdata.FS }

func catalogFS(dir string) (fs.FS, string, error) {
	if dir == "" {
		return embeddedFS(), "embedded catalog", nil
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, "", err
	}
	if !st.IsDir() {
		return nil, "", fmt.Errorf("%s is not a directory", dir)
	}
	return os.DirFS(dir), dir, nil
}

// loadCatalog loads a catalog; with strict set, any problem is an error
// listing them all.
func loadCatalog(dir string, strict bool) (*catalog.Catalog, catalog.Problems, error) {
	fsys, name, err := catalogFS(dir)
	if err != nil {
		return nil, nil, err
	}
	var c *catalog.Catalog
	var problems catalog.Problems
	if dir == "" {
		c, problems = embeddedCatalog()
	} else {
		c, problems = catalog.Load(fsys)
	}
	if strict && len(problems) > 0 {
		return nil, problems, fmt.Errorf("%s has %d problem(s):\n%s", name, len(problems), problems.Error())
	}
	return c, problems, nil
}
