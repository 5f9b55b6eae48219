package faultsuite

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"

	"github.com/flickrsync/flickrsync/internal/syncer/sample"
)

// Picture is the recipe of a generated picture: Seed makes its pixels distinct from every
// other seed's, W×H its size (noise makes the encoded size grow with the area: about
// 1.5 bytes a pixel in JPEG at quality 90); both at least 64.
type Picture struct {
	Seed int64
	W, H int
	// DateTaken "YYYY:MM:DD HH:MM:SS" is written as EXIF DateTimeOriginal (JPEG only).
	DateTaken string
	PNG       bool
}

// Generate encodes the picture. The seed is written into the first pixels, so two seeds
// never give the same pixels (and so never the same signature).
func Generate(p Picture) ([]byte, error) {
	if p.W < 64 || p.H < 64 {
		return nil, fmt.Errorf("generate picture %d: %dx%d is smaller than 64x64", p.Seed, p.W, p.H)
	}
	rng := rand.New(rand.NewPCG(uint64(p.Seed), 0x9e3779b97f4a7c15))
	img := image.NewRGBA(image.Rect(0, 0, p.W, p.H))
	base := color.RGBA{R: uint8(rng.IntN(256)), G: uint8(rng.IntN(256)), B: uint8(rng.IntN(256)), A: 255}
	for y := 0; y < p.H; y++ {
		for x := 0; x < p.W; x++ {
			n := uint8(rng.IntN(64))
			img.Pix[img.PixOffset(x, y)+0] = base.R + uint8(x) + n
			img.Pix[img.PixOffset(x, y)+1] = base.G + uint8(y) + n/2
			img.Pix[img.PixOffset(x, y)+2] = base.B + n
			img.Pix[img.PixOffset(x, y)+3] = 255
		}
	}
	// The seed's 64 bits as an 8x8 block per bit (so JPEG's loss cannot merge two seeds).
	for bit := 0; bit < 64; bit++ {
		v := uint8(0)
		if uint64(p.Seed)>>bit&1 == 1 {
			v = 255
		}
		for y := bit / 8 * 8; y < bit/8*8+8; y++ {
			for x := bit % 8 * 8; x < bit%8*8+8; x++ {
				o := img.PixOffset(x, y)
				img.Pix[o], img.Pix[o+1], img.Pix[o+2] = v, v, v
			}
		}
	}
	var buf bytes.Buffer
	if p.PNG {
		if err := png.Encode(&buf, img); err != nil {
			return nil, fmt.Errorf("encode png %d: %w", p.Seed, err)
		}
		return buf.Bytes(), nil
	}
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		return nil, fmt.Errorf("encode jpeg %d: %w", p.Seed, err)
	}
	if p.DateTaken == "" {
		return buf.Bytes(), nil
	}
	return sample.WithDateTaken(buf.Bytes(), p.DateTaken)
}
