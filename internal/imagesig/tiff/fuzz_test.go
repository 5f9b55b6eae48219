package tiff

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// FuzzDecode feeds arbitrary bytes to Decode: it must return (an error or a signature),
// never panic, never allocate more than the pixel limit allows, and give the same answer
// twice.
func FuzzDecode(f *testing.F) {
	for _, b := range sharedtest.SmallFiles(f, filepath.Join("testdata", "*.tif"), "*.tif*", 64<<10) {
		f.Add(b)
	}
	if dir, ok := sharedtest.Lookup(); ok {
		if rows, err := sharedtest.ReadMedia(filepath.Join(dir, "media")); err == nil {
			for _, r := range rows {
				if r.Kind == "tiff" && r.Bytes <= 64<<10 {
					if b, err := os.ReadFile(r.Path()); err == nil {
						f.Add(b)
					}
				}
			}
		}
	}
	panicOnBug = true
	defer func() { panicOnBug = false }()
	f.Fuzz(func(t *testing.T, b []byte) {
		opts := Options{MaxPixels: 1 << 20}
		h1 := sha256.New()
		_, err1 := Decode(context.Background(), bytes.NewReader(b), int64(len(b)), h1, opts)
		h2 := sha256.New()
		_, err2 := Decode(context.Background(), bytes.NewReader(b), int64(len(b)), h2, opts)
		if (err1 == nil) != (err2 == nil) || (err1 == nil && !bytes.Equal(h1.Sum(nil), h2.Sum(nil))) {
			t.Fatalf("two decodes differ: %v / %v", err1, err2)
		}
	})
}
