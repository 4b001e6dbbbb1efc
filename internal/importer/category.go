package importer

import (
	"slices"
	"strings"

	"github.com/errorcanon/errorcanon/internal/canon"
)

// categoryWords maps words of a peer's free-form category onto our closed
// list, first match wins; a category that names none is a runtime_error.
// Exact names of ours are kept as they are.
var categoryWords = []struct{ word, category string }{
	{"tls", "tls_error"}, {"ssl", "tls_error"}, {"cert", "tls_error"},
	{"permission", "permission_error"}, {"rbac", "permission_error"}, {"access", "permission_error"}, {"ownership", "permission_error"},
	{"auth", "auth_error"}, {"credential", "auth_error"}, {"iam", "auth_error"}, {"token", "auth_error"}, {"secret", "auth_error"},
	{"timeout", "timeout_error"},
	{"syntax", "syntax_error"}, {"pars", "syntax_error"}, {"jsx", "syntax_error"},
	{"import", "import_error"}, {"module", "import_error"}, {"autoload", "import_error"}, {"classpath", "import_error"}, {"esm", "import_error"},
	{"depend", "dependency_error"}, {"package", "dependency_error"}, {"install", "dependency_error"}, {"resolution", "dependency_error"}, {"registry", "dependency_error"}, {"version", "dependency_error"},
	{"build", "build_error"}, {"compil", "build_error"}, {"link", "build_error"},
	{"type", "type_error"}, {"trait", "type_error"}, {"borrow", "type_error"}, {"lifetime", "type_error"},
	{"config", "config_error"}, {"env", "config_error"}, {"setting", "config_error"},
	{"network", "network_error"}, {"connect", "network_error"}, {"dns", "network_error"}, {"tcp", "network_error"}, {"http", "network_error"},
	{"proxy", "network_error"}, {"cors", "network_error"}, {"grpc", "network_error"}, {"routing", "network_error"}, {"request", "network_error"}, {"websocket", "network_error"},
	{"memory", "resource_error"}, {"oom", "resource_error"}, {"resource", "resource_error"}, {"quota", "resource_error"}, {"limit", "resource_error"},
	{"disk", "resource_error"}, {"storage", "resource_error"}, {"throttl", "resource_error"}, {"exhaust", "resource_error"},
	{"data", "data_error"}, {"serializ", "data_error"}, {"schema", "data_error"}, {"encod", "data_error"}, {"query", "data_error"},
	{"migration", "data_error"}, {"shape", "data_error"}, {"dimension", "data_error"}, {"corrupt", "data_error"}, {"validation", "data_error"},
	{"compat", "compatibility_error"}, {"deprecat", "compatibility_error"}, {"breaking", "compatibility_error"},
	{"platform", "platform_error"}, {"hardware", "platform_error"}, {"device", "platform_error"}, {"gpu", "platform_error"},
	{"cuda", "platform_error"}, {"driver", "platform_error"}, {"os_", "platform_error"}, {"native", "platform_error"},
}

// mapCategory maps a peer's category to one of canon.Categories.
func mapCategory(peer string) string {
	c := snake(peer)
	if slices.Contains(canon.Categories, c) {
		return c
	}
	for _, w := range categoryWords {
		if strings.Contains(c, w.word) {
			return w.category
		}
	}
	return "runtime_error"
}
