package faultsuite

import (
	"testing"

	"github.com/flickrsync/flickrsync/internal/exifdate"
)

func TestGenerate(t *testing.T) {
	tests := []struct {
		name    string
		p       Picture
		wantErr bool
	}{
		{"jpeg", Picture{Seed: 1, W: 64, H: 64}, false},
		{"jpeg with date", Picture{Seed: 2, W: 80, H: 64, DateTaken: "2021:02:03 04:05:06"}, false},
		{"png", Picture{Seed: 3, W: 64, H: 72, PNG: true}, false},
		{"too small", Picture{Seed: 4, W: 63, H: 64}, true},
		{"bad date", Picture{Seed: 5, W: 64, H: 64, DateTaken: "yesterday"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Generate(tt.p)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if got := signatureOrErr(b); len(got) != 64 {
				t.Errorf("no signature: %s", got)
			}
			date, err := exifdate.FromBytes(b)
			if err != nil || date != tt.p.DateTaken {
				t.Errorf("date taken %q (%v), want %q", date, err, tt.p.DateTaken)
			}
		})
	}
}

// TestGenerateDistinct: neighbouring seeds never share a signature, the same seed always
// gives the same bytes.
func TestGenerateDistinct(t *testing.T) {
	seen := map[string]int64{}
	for seed := int64(0); seed < 200; seed++ {
		b, err := Generate(Picture{Seed: seed, W: 64, H: 64})
		if err != nil {
			t.Fatal(err)
		}
		sig := signatureOrErr(b)
		if prev, ok := seen[sig]; ok {
			t.Fatalf("seeds %d and %d give the same signature", prev, seed)
		}
		seen[sig] = seed
	}
	a, _ := Generate(Picture{Seed: 7, W: 70, H: 66})
	b, _ := Generate(Picture{Seed: 7, W: 70, H: 66})
	if string(a) != string(b) {
		t.Error("the same recipe gave different bytes")
	}
}
