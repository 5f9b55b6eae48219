package webp

import (
	"bytes"
	"crypto/sha256"
	"os"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// benchFile decodes a media corpus file into SHA-256, as the signature does.
func benchFile(b *testing.B, name string) {
	data, err := os.ReadFile(sharedtest.Path(b, "media", "files", name))
	if err != nil {
		sharedtest.Absent(b, "%v", err)
	}
	info, err := Decode(bytes.NewReader(data), sha256.New(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(info.Width) * int64(info.Height) * int64(info.Frames))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Decode(bytes.NewReader(data), sha256.New(), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLossy(b *testing.B)      { benchFile(b, "me-images__webpvp8.webp") }
func BenchmarkLossyAlpha(b *testing.B) { benchFile(b, "libwebp-test-data__lossy_alpha1.webp") }
func BenchmarkLossless(b *testing.B)   { benchFile(b, "libwebp-test-data__lossless1.webp") }
func BenchmarkAnimated(b *testing.B)   { benchFile(b, "me-images__Animation_Lossy.webp") }
