package jpeg

import (
	"os"
	"path/filepath"
	"testing"
)

// TestBanded decodes the multi-scan fixtures in bands (one iMCU row per band, then a few
// rows per band): the signatures must not change.
func TestBanded(t *testing.T) {
	saved := coefBudget
	defer func() { coefBudget = saved }()
	for _, budget := range []int64{1, 20000} {
		coefBudget = budget
		for _, fx := range readFixtures(t) {
			data, err := os.ReadFile(filepath.Join("testdata", fx.name))
			if err != nil {
				t.Fatal(err)
			}
			got, info, err := decodeBytes(data)
			if err != nil {
				t.Fatalf("%s (budget %d): %v", fx.name, budget, err)
			}
			if got != fx.expect {
				t.Errorf("%s (budget %d, progressive %v): signature %s, want %s", fx.name, budget, info.Progressive, got, fx.expect)
			}
		}
	}
}

// TestBandedCorpus decodes the corpus's progressive JPEGs in a few bands each (2 for gray, 3 for 4:2:0, 6 for 4:4:4).
func TestBandedCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode")
	}
	rows := corpusJPEGs(t)
	saved := coefBudget
	defer func() { coefBudget = saved }()
	n := 0
	for _, r := range rows {
		if r.Category != "jpeg-progressive" && r.Category != "jpeg-exotic-sampling" && r.Category != "jpeg-corrupt-warn" {
			continue
		}
		path := r.Path()
		coefBudget = 1 << 20
		if f, err := os.Open(path); err == nil {
			if cfg, err := DecodeConfig(f); err == nil {
				coefBudget = int64(cfg.Width)*int64(cfg.Height) + 1
			}
			f.Close()
		}
		got, _, err := signatureOf(path)
		if r.WantsError() {
			if err == nil {
				t.Errorf("%s: decoded, want an error", r.File)
			}
			continue
		}
		if err != nil || got != r.Expect {
			t.Errorf("%s: %s %v, want %s", r.File, got, err, r.Expect)
		}
		n++
	}
	t.Logf("%d corpus files decoded in bands", n)
}

func TestNonzeroMask(t *testing.T) {
	var blk [64]int16
	if m := nonzeroMask(&blk); m != 0 {
		t.Fatalf("zero block: %x", m)
	}
	for _, z := range []int{0, 1, 5, 17, 31, 32, 48, 63} {
		blk = [64]int16{}
		for _, v := range []int16{1, -1, 0x4000, -0x8000, 0x100, 0x7FFF} {
			blk[z] = v
			if m := nonzeroMask(&blk); m != 1<<uint(z) {
				t.Errorf("coef %d = %d: mask %x", z, v, m)
			}
		}
	}
}
