// This file holds the cursors of the paged tools (search_errors,
// list_errors).

package mcpserver

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// Cursors are opaque to the model: base64 of the listing they belong to
// and an offset, so a cursor from another listing is refused rather than
// silently paging the wrong list.
func encodeCursor(key string, offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(key + "@" + strconv.Itoa(offset)))
}

func decodeCursor(c, key string) (int, error) {
	if c == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	// The offset follows the last "@": a key (a search query) may hold one.
	i := strings.LastIndexByte(string(b), '@')
	ok := i >= 0
	k, off := "", ""
	if ok {
		k, off = string(b[:i]), string(b[i+1:])
	}
	n, err2 := strconv.Atoi(off)
	if err != nil || !ok || err2 != nil || n < 0 {
		return 0, fail("cursor %q is not one this server returned: pass next_cursor from the previous answer unchanged, or leave cursor out to start from the first page", clip(c, 60))
	}
	if k != key {
		return 0, fail("cursor belongs to a listing with other filters or sort: repeat the same filters and sort as the call that returned it, or leave cursor out to start over")
	}
	return n, nil
}
