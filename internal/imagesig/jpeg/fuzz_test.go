package jpeg

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// FuzzDecode feeds arbitrary bytes to Decode: it must return (an error or pixels of the
// announced size), never panic, and agree with DecodeConfig.
func FuzzDecode(f *testing.F) {
	for _, fx := range readFixtures(f) {
		data, err := os.ReadFile(filepath.Join("testdata", fx.name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	// Small corpus JPEGs make good seeds too, when the corpus is there.
	for _, data := range sharedtest.SmallFiles(f, "", "*.jp*g", 64<<10-1) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var n countWriter
		info, err := Decode(context.Background(), bytes.NewReader(data), &n, Options{MaxPixels: 1 << 20})
		if err != nil {
			return
		}
		bpp := 3
		if info.ColorModel == "cmyk" {
			bpp = 4
		}
		if want := int64(info.Width) * int64(info.Height) * int64(bpp); n.n != want {
			t.Fatalf("wrote %d bytes for %+v, want %d", n.n, info, want)
		}
		cfg, err := DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width != info.Width || cfg.Height != info.Height {
			t.Fatalf("DecodeConfig %+v %v disagrees with Decode %+v", cfg, err, info)
		}
		// Decoding is deterministic.
		h1, h2 := sha256.New(), sha256.New()
		if _, err := Decode(context.Background(), bytes.NewReader(data), h1, Options{MaxPixels: 1 << 20}); err != nil {
			t.Fatal(err)
		}
		if _, err := Decode(context.Background(), bytes.NewReader(data), h2, Options{MaxPixels: 1 << 20}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(h1.Sum(nil), h2.Sum(nil)) {
			t.Fatal("non-deterministic output")
		}
		// A banded decode (a few bands, then one iMCU row a band) must give the same pixels.
		for _, band := range []int64{int64(info.Width)*int64(info.Height) + 1, 1} {
			h3 := sha256.New()
			_, err := Decode(context.Background(), bytes.NewReader(data), h3, Options{MaxPixels: 1 << 20, MaxBandBytes: band})
			var unsupported UnsupportedError
			if errors.As(err, &unsupported) {
				continue // a damaged image refused when it needs bands (band.go)
			}
			if err != nil {
				t.Fatalf("banded decode: %v", err)
			}
			if !bytes.Equal(h1.Sum(nil), h3.Sum(nil)) {
				t.Fatalf("banded decode (bands of %d bytes) differs", band)
			}
		}
	})
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}
