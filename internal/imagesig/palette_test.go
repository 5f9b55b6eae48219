package imagesig

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// paletteCase is a generated palette image whose pixels may index past its palette.
type paletteCase struct {
	name   string
	data   []byte
	beyond bool // some pixel indexes past the palette
}

// paletteCases generates palette PNGs and GIFs, most with indexes past their palette.
func paletteCases() []paletteCase {
	rng := rand.New(rand.NewSource(20261203))
	var cases []paletteCase
	for i := 0; i < 24; i++ {
		depth := []int{1, 2, 4, 8}[i%4]
		w, h := 1+rng.Intn(17), 1+rng.Intn(9)
		maxIdx := 1 << depth
		nPal := 1 + rng.Intn(maxIdx)
		if depth == 8 {
			nPal = 1 + rng.Intn(40)
		}
		idx := make([]byte, w*h)
		beyond := false
		for j := range idx {
			idx[j] = byte(rng.Intn(maxIdx))
			if i%6 == 5 {
				idx[j] = byte(rng.Intn(nPal)) // some cases stay within the palette
			}
			beyond = beyond || int(idx[j]) >= nPal
		}
		var trns []byte
		if i%3 != 0 {
			trns = make([]byte, 1+rng.Intn(nPal))
			rng.Read(trns)
		}
		spec := pngSpec{w: w, h: h, colorType: 3, depth: depth, interlace: i%5 == 4, plte: nPal, trns: trns,
			sample: func(x, y, _ int) int { return int(idx[y*w+x]) }}
		cases = append(cases, paletteCase{fmt.Sprintf("p%02d-d%d-pal%d.png", i, depth, nPal), spec.encode(), beyond})
	}
	for i := 0; i < 24; i++ {
		tableBits := 1 + rng.Intn(3)
		w, h := 1+rng.Intn(17), 1+rng.Intn(9)
		idx := make([]byte, w*h)
		beyond := false
		for j := range idx {
			idx[j] = byte(rng.Intn(2 << tableBits))
			if rng.Intn(8) == 0 {
				idx[j] = byte(rng.Intn(256))
			}
			beyond = beyond || int(idx[j]) >= 1<<tableBits
		}
		transparent := -1
		switch i % 4 {
		case 1:
			transparent = 0 // index 0, which the indexes past the table read
		case 2:
			transparent = rng.Intn(1 << tableBits)
		case 3:
			transparent = 1 << tableBits // ImageMagick adds a colour for it
		}
		// LZW code size 8: any index up to 255 can be coded whatever the table size.
		f := gifFrame{w: w, h: h, transparent: transparent, interlace: i%5 == 4, litWidth: 8,
			index: func(x, y int) int { return int(idx[y*w+x]) }}
		spec := gifSpec{w: w, h: h, frames: []gifFrame{f}}
		if i%2 == 1 {
			spec.frames[0].local = 1 << tableBits
		} else {
			spec.global = 1 << tableBits
		}
		cases = append(cases, paletteCase{fmt.Sprintf("g%02d-t%d-tr%d.gif", i, tableBits, transparent), spec.encode(), beyond})
	}
	return cases
}

// TestPaletteIndexBeyondPalette compares, on generated palette PNGs and GIFs whose pixels
// index past the palette, Sign with ImageMagick 6: it warns "invalid colormap index" and
// reads such pixels as entry 0, and still signs the image (the Python tool tagged those).
func TestPaletteIndexBeyondPalette(t *testing.T) {
	sharedtest.Identify(t)
	dir := t.TempDir()
	beyond := 0
	for _, c := range paletteCases() {
		path := filepath.Join(dir, c.name)
		if err := os.WriteFile(path, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		want, err := identifySignature(path)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Sign(context.Background(), bytes.NewReader(c.data), Options{})
		got := res.Signature
		if err != nil {
			got = "ERROR (" + err.Error() + ")"
		}
		if got != want {
			t.Errorf("%s: got %s, ImageMagick %s", c.name, got, want)
		}
		if c.beyond {
			beyond++
			if want == "ERROR" {
				t.Errorf("%s: ImageMagick refused it: the case does not test what it claims", c.name)
			}
			if len(res.Warnings) == 0 && err == nil {
				t.Errorf("%s: no warning for indexes past the palette", c.name)
			}
		}
	}
	if beyond < 30 {
		t.Errorf("only %d cases index past their palette", beyond)
	}
}
