package sample

import (
	"bytes"
	"context"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"testing"

	"github.com/flickrsync/flickrsync/internal/exifdate"
	"github.com/flickrsync/flickrsync/internal/imagesig"
)

func TestPictures(t *testing.T) {
	tests := []struct {
		name    string
		p       Picture
		format  string
		w, h    int
		wantErr bool
	}{
		{"jpeg with date", Picture{Seed: 1, DateTaken: "2019:05:01 10:00:00"}, "jpeg", 64, 64, false},
		{"jpeg without date", Picture{Seed: 2}, "jpeg", 64, 64, false},
		{"png", Picture{Seed: 3, PNG: true}, "png", 64, 64, false},
		{"sized", Picture{Seed: 4, W: 80, H: 72}, "jpeg", 80, 72, false},
		{"too small", Picture{Seed: 5, W: 63, H: 64}, "", 0, 0, true},
		{"bad date", Picture{Seed: 6, DateTaken: "yesterday"}, "", 0, 0, true},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.p.Bytes()
			if (err != nil) != tt.wantErr {
				t.Fatalf("err %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if seen[string(b)] {
				t.Error("two recipes gave the same bytes")
			}
			seen[string(b)] = true
			cfg, f, err := image.DecodeConfig(bytes.NewReader(b))
			if err != nil || f != tt.format || cfg.Width != tt.w || cfg.Height != tt.h {
				t.Fatalf("decode: %v, %s %dx%d", err, f, cfg.Width, cfg.Height)
			}
			if _, err := imagesig.Sign(context.Background(), bytes.NewReader(b), imagesig.Options{}); err != nil {
				t.Errorf("no signature: %v", err)
			}
			if got, err := exifdate.FromBytes(b); got != tt.p.DateTaken {
				t.Errorf("DateTimeOriginal %q (%v), want %q", got, err, tt.p.DateTaken)
			}
		})
	}
}

// TestPicturesDistinct: neighbouring seeds, and seeds differing in one high bit, never
// share a signature; the same recipe always gives the same bytes.
func TestPicturesDistinct(t *testing.T) {
	seen := map[string]int64{}
	seeds := []int64{1 << 40, 1<<40 + 1, 1 << 62, -1}
	for seed := int64(0); seed < 200; seed++ {
		seeds = append(seeds, seed)
	}
	for _, seed := range seeds {
		b, err := Picture{Seed: seed}.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		r, err := imagesig.Sign(context.Background(), bytes.NewReader(b), imagesig.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if prev, ok := seen[r.Signature]; ok {
			t.Fatalf("seeds %d and %d give the same signature", prev, seed)
		}
		seen[r.Signature] = seed
	}
	a, _ := Picture{Seed: 7, W: 70, H: 66}.Bytes()
	b, _ := Picture{Seed: 7, W: 70, H: 66}.Bytes()
	if !bytes.Equal(a, b) {
		t.Error("the same recipe gave different bytes")
	}
}
