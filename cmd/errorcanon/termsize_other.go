//go:build !unix

package main

import "os"

// terminalColumns is 0 where the terminal's size is not asked for: the
// caller falls back to $COLUMNS, then 80.
func terminalColumns(*os.File) int { return 0 }
