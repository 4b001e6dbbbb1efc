package offline

import (
	"bytes"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/errorcanon/errorcanon/internal/static"
)

var zstdEnc, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBetterCompression), zstd.WithEncoderConcurrency(1))

// Precompressed returns the gzip and zstd forms of files (FILE.gz,
// FILE.zst), for errorcanon build --precompressed, as the build writes
// them for its pages: those of 1 KB or more that come out smaller. The
// matcher and its data shrink to about a third.
func Precompressed(files []static.File) []static.File {
	var out []static.File
	for _, f := range files {
		if len(f.Data) < 1024 {
			continue
		}
		if z := zstdEnc.EncodeAll(f.Data, nil); len(z) < len(f.Data) {
			out = append(out, static.File{Path: f.Path + ".zst", Data: z})
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(f.Data)
		_ = zw.Close()
		if buf.Len() < len(f.Data) {
			out = append(out, static.File{Path: f.Path + ".gz", Data: buf.Bytes()})
		}
	}
	return out
}
