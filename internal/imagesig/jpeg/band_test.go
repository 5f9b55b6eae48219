package jpeg

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBanded decodes the multi-scan fixtures in bands (one iMCU row per band, then a few
// rows per band): the signatures must not change.
func TestBanded(t *testing.T) {
	for _, band := range []int64{1, 20000} {
		for _, fx := range readFixtures(t) {
			data, err := os.ReadFile(filepath.Join("testdata", fx.name))
			if err != nil {
				t.Fatal(err)
			}
			got, info, err := decodeBytesWith(data, Options{MaxBandBytes: band})
			if err != nil {
				t.Fatalf("%s (bands of %d bytes): %v", fx.name, band, err)
			}
			if got != fx.expect {
				t.Errorf("%s (bands of %d bytes, progressive %v): signature %s, want %s", fx.name, band, info.Progressive, got, fx.expect)
			}
		}
	}
}

// TestBandedCorpus decodes the corpus's multi-scan JPEGs in bands: a few bands each, and
// one iMCU row per band.
func TestBandedCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode")
	}
	rows := corpusJPEGs(t)
	n := 0
	for _, r := range rows {
		if r.Category != "jpeg-progressive" && r.Category != "jpeg-exotic-sampling" && r.Category != "jpeg-corrupt-warn" &&
			r.Category != "jpeg-exotic-coding" && r.Category != "jpeg-large" {
			continue
		}
		path := r.Path()
		few := int64(1 << 20)
		if f, err := os.Open(path); err == nil {
			cfg, err := DecodeConfig(f)
			f.Close()
			if err == nil {
				few = int64(cfg.Width)*int64(cfg.Height) + 1
			}
			if r.Category == "jpeg-large" && (err != nil || !cfg.Progressive) {
				continue // a baseline image is never banded
			}
		}
		bands := []int64{few, 1}
		if r.Bytes > 1<<20 {
			bands = bands[:1] // one iMCU row a band reads a big file once per row and scan
		}
		for _, band := range bands {
			got, _, err := signatureOf(path, Options{MaxBandBytes: band})
			if r.WantsError() {
				if err == nil {
					t.Errorf("%s: decoded, want an error", r.File)
				}
				continue
			}
			if err != nil || got != r.Expect {
				t.Errorf("%s (bands of %d bytes): %s %v, want %s", r.File, band, got, err, r.Expect)
			}
		}
		n++
	}
	t.Logf("%d corpus files decoded in bands", n)
}

// TestBandedNeedsSeeking: bands read each scan again, so from a reader that cannot seek a
// progressive image too large for one band is refused with a clear error, not decoded wrong.
func TestBandedNeedsSeeking(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "prog420.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Decode(context.Background(), io.MultiReader(bytes.NewReader(data)), io.Discard, Options{MaxBandBytes: 1})
	var ue UnsupportedError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "seek") {
		t.Errorf("banded decode from a stream: %v", err)
	}
}
