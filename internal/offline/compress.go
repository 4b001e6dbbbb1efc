package offline

import (
	"github.com/errorcanon/errorcanon/internal/precompress"
	"github.com/errorcanon/errorcanon/internal/static"
)

// suffixes are the file suffixes of the compressed forms, as the build
// names its pages' forms.
var suffixes = map[string]string{"zstd": ".zst", "gzip": ".gz"}

// Precompressed returns the gzip and zstd forms of files (FILE.gz,
// FILE.zst), for errorcanon build --precompressed (precompress.Forms at
// the best levels, made once for the build's life): those of 1 KB or
// more that come out smaller. The matcher and its data shrink to about a
// third.
func Precompressed(files []static.File) []static.File {
	var out []static.File
	for _, f := range files {
		for _, c := range precompress.Forms(f.Data, true) {
			out = append(out, static.File{Path: f.Path + suffixes[c.Encoding], Data: c.Body})
		}
	}
	return out
}
