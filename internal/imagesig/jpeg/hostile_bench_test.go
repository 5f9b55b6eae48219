package jpeg

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkHostile decodes the hostile files of issue 11, each a few hundred bytes claiming
// FLICKRSYNC_BENCH_SIDE x FLICKRSYNC_BENCH_SIDE pixels (default 30000: 900 megapixels) in
// 100 scans, with the band budget imagesig gives a decode. scripts/bench-hostile-jpeg.sh
// runs each case in its own process for its CPU time and peak memory. With
// FLICKRSYNC_BENCH_OUT set, the files are also written to that folder.
func BenchmarkHostile(b *testing.B) {
	side := 30000
	if v, err := strconv.Atoi(os.Getenv("FLICKRSYNC_BENCH_SIDE")); err == nil && v > 0 {
		side = v
	}
	for _, c := range []struct {
		name string
		spec hostileScans
	}{
		{"HuffmanEmptyScans", hostileScans{scans: 100}},
		{"ArithEmptyScans", hostileScans{scans: 100, arith: true}},
		{"ArithZeroData", hostileScans{scans: 100, arith: true, zeros: 64}},
		{"ArithRestartEachMCU", hostileScans{scans: 100, arith: true, dri: 1}},
		{"ArithDCScans", hostileScans{scans: 100, arith: true, dcOnly: true}},
	} {
		c.spec.w, c.spec.h = side, side
		data := c.spec.encode()
		if dir := os.Getenv("FLICKRSYNC_BENCH_OUT"); dir != "" {
			if err := os.WriteFile(filepath.Join(dir, c.name+".jpg"), data, 0o644); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				_, err := Decode(context.Background(), bytes.NewReader(data), io.Discard, Options{MaxBandBytes: 64 << 20})
				if i == 0 {
					b.Logf("%s, %d bytes: %v", c.name, len(data), errText(err))
				}
			}
		})
	}
}

func errText(err error) string {
	if err == nil {
		return "decoded"
	}
	return err.Error()
}
