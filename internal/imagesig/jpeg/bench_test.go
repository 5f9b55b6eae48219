package jpeg

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// Benchmarks decode corpus files when the corpus is present, else the fixtures.
func benchFile(b *testing.B, corpusName, fixture string, sha bool) {
	path := filepath.Join("testdata", fixture)
	if shared, ok := sharedtest.Lookup(); ok {
		p := filepath.Join(shared, "corpus", "files", corpusName)
		if _, err := os.Stat(p); err == nil {
			path = p
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	cfg, err := DecodeConfig(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(cfg.Width) * int64(cfg.Height)) // "MB/s" reads as megapixels/s
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var w io.Writer = io.Discard
		if sha {
			w = sha256.New()
		}
		if _, err := Decode(context.Background(), bytes.NewReader(data), w, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBaseline422(b *testing.B) {
	benchFile(b, "exiv2__exiv2-bug922a.jpg", "s422.jpg", false)
}
func BenchmarkBaseline444(b *testing.B) {
	benchFile(b, "lomiri-wallpapers-20.04__Painting-Colors_by__herobrine7gamer.jpg", "s444.jpg", false)
}
func BenchmarkBaseline420(b *testing.B) {
	benchFile(b, "plasma-workspace-wallpapers__SafeLanding__contents__images__5120x2880.jpg", "s420.jpg", false)
}
func BenchmarkProgressive420(b *testing.B) {
	benchFile(b, "lomiri-wallpapers-16.04__seeding_by_Clements_Engelhardt.jpg", "prog420.jpg", false)
}
func BenchmarkBaseline422SHA(b *testing.B) {
	benchFile(b, "exiv2__exiv2-bug922a.jpg", "s422.jpg", true)
}
