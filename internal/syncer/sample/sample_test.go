package sample

import (
	"bytes"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"testing"

	"github.com/flickrsync/flickrsync/internal/exifdate"
)

func TestPictures(t *testing.T) {
	tests := []struct {
		name string
		p    Picture
		want string
		fmt  string
	}{
		{"jpeg with date", Picture{Seed: 1, DateTaken: "2019:05:01 10:00:00"}, "2019:05:01 10:00:00", "jpeg"},
		{"jpeg without date", Picture{Seed: 2}, "", "jpeg"},
		{"png", Picture{Seed: 3, PNG: true}, "", "png"},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.p.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			if seen[string(b)] {
				t.Error("two recipes gave the same bytes")
			}
			seen[string(b)] = true
			if _, f, err := image.Decode(bytes.NewReader(b)); err != nil || f != tt.fmt {
				t.Fatalf("decode: %v, %s", err, f)
			}
			got, err := exifdate.FromBytes(b)
			if tt.want != "" && (err != nil || got != tt.want) {
				t.Errorf("DateTimeOriginal %q, %v; want %q", got, err, tt.want)
			}
			if tt.want == "" && got != "" {
				t.Errorf("DateTimeOriginal %q, want none", got)
			}
		})
	}
}
