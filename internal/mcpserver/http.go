// This file guards the streamable HTTP endpoint against DNS rebinding.

package mcpserver

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// rebindingProtection refuses requests that arrive on a loopback address
// with a Host that is neither loopback nor allowed: a web page whose name
// was rebound to 127.0.0.1 must not reach a local server.
func rebindingProtection(next http.Handler, allowed []string) http.Handler {
	ok := map[string]bool{}
	for _, h := range allowed {
		ok[strings.ToLower(h)] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if la, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr); la != nil && isLoopback(la.String()) && !isLoopback(r.Host) {
			host := strings.ToLower(r.Host)
			name, _, err := net.SplitHostPort(host)
			if err != nil {
				name = host
			}
			if !ok[host] && !ok[name] {
				http.Error(w, fmt.Sprintf("Forbidden: Host %q is not allowed for this local server (DNS rebinding protection)", r.Host), http.StatusForbidden)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = strings.Trim(addr, "[]")
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
