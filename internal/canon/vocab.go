package canon

import "github.com/errorcanon/errorcanon/internal/lazyregexp"

// The closed vocabularies of entry-schema.md.
var (
	Categories = []string{
		"syntax_error", "type_error", "import_error", "dependency_error",
		"build_error", "runtime_error", "config_error", "auth_error",
		"permission_error", "network_error", "tls_error", "resource_error",
		"timeout_error", "data_error", "compatibility_error", "platform_error",
	}
	Verifications  = []string{"ai_generated", "human_reviewed", "community_verified", "reproduced"}
	Resolvables    = []string{"true", "partial", "false"}
	RootCauseTypes = []string{"generic", "version_specific", "os_specific", "environment_specific", "configuration", "usage"}
	VersionStates  = []string{"active", "fixed", "deprecated", "removed"}
	OSNames        = []string{"linux", "macos", "windows"}
)

// Limits that keep ids usable as path segments and URLs.
const (
	MaxSlugLen = 100
	// MaxReproduceTimeout bounds a reproduction script, in seconds.
	MaxReproduceTimeout = 60
)

var (
	slugRE   = lazyregexp.New(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	snakeRE  = lazyregexp.New(`^[a-z0-9]+(_[a-z0-9]+)*$`)
	dateRE   = lazyregexp.New(`^\d{4}-\d{2}-\d{2}$`)
	tagRE    = lazyregexp.New(`^[a-z0-9][a-z0-9.+#_-]*$`)
	domainRE = slugRE
)

// ValidSlug reports whether s may be the slug part of an id.
func ValidSlug(s string) bool { return len(s) <= MaxSlugLen && slugRE.MatchString(s) }

// ValidDomainID reports whether s may be a domain id.
func ValidDomainID(s string) bool { return len(s) <= 40 && domainRE.MatchString(s) }

// SplitID splits "domain/slug" and reports whether both halves are well formed.
// Anything else (dots, backslashes, escapes, control characters) is rejected,
// so an id that passes can never name a path outside the catalog.
func SplitID(id string) (domain, slug string, ok bool) {
	for i := 0; i < len(id); i++ {
		if id[i] == '/' {
			domain, slug = id[:i], id[i+1:]
			return domain, slug, ValidDomainID(domain) && ValidSlug(slug)
		}
	}
	return "", "", false
}

func oneOf(s string, set []string) bool {
	for _, v := range set {
		if s == v {
			return true
		}
	}
	return false
}

// EvidenceKinds are the kinds of source an evidence item may be.
var EvidenceKinds = []string{"reproduction", "docs", "release_notes", "changelog", "issue", "source_code", "spec", "article"}
