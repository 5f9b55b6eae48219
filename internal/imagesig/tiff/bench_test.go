package tiff

import (
	"context"
	"io"
	"os"
	"testing"
)

// BenchmarkDecodeFile decodes the file named by $TIFF_BENCH_FILE (for profiling; the
// comparison with ImageMagick is scripts/bench-tiff-webp.sh).
func BenchmarkDecodeFile(b *testing.B) {
	name := os.Getenv("TIFF_BENCH_FILE")
	if name == "" {
		b.Skip("TIFF_BENCH_FILE not set")
	}
	data, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		if _, err := Decode(context.Background(), bytesReaderAt(data), int64(len(data)), io.Discard, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

type bytesReaderAt []byte

func (b bytesReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(b)) {
		return 0, io.EOF
	}
	n := copy(p, b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}
