// Package sample makes small, distinct sample pictures (JPEG with an optional EXIF
// DateTimeOriginal, PNG) for the demo and the end-to-end tests, with Go's own encoders.
package sample

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
)

// Picture is a sample picture's recipe: Seed makes its pixels distinct.
type Picture struct {
	Seed int
	// DateTaken "YYYY:MM:DD HH:MM:SS" is written as EXIF DateTimeOriginal (JPEG only);
	// "" writes no EXIF.
	DateTaken string
	PNG       bool
}

// Bytes encodes the picture.
func (p Picture) Bytes() ([]byte, error) {
	img := pattern(p.Seed, 48, 32)
	var buf bytes.Buffer
	if p.PNG {
		if err := png.Encode(&buf, img); err != nil {
			return nil, fmt.Errorf("encode png: %w", err)
		}
		return buf.Bytes(), nil
	}
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		return nil, fmt.Errorf("encode jpeg: %w", err)
	}
	if p.DateTaken == "" {
		return buf.Bytes(), nil
	}
	return WithDateTaken(buf.Bytes(), p.DateTaken)
}

// pattern draws a gradient whose colours and stripes depend on seed.
func pattern(seed, w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r0, g0, b0 := uint8(seed*67), uint8(seed*131+40), uint8(seed*29+90)
	stripe := seed%5 + 3
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{R: r0 + uint8(x*4), G: g0 + uint8(y*6), B: b0, A: 255}
			if (x/stripe+y/stripe)%2 == 0 {
				c.B = 255 - c.B
			}
			img.Set(x, y, c)
		}
	}
	return img
}

// WithDateTaken inserts, right after the SOI marker of a JPEG, an APP1 Exif segment whose
// Exif IFD holds DateTimeOriginal (tag 0x9003) = date ("YYYY:MM:DD HH:MM:SS").
func WithDateTaken(jpg []byte, date string) ([]byte, error) {
	if len(jpg) < 2 || jpg[0] != 0xFF || jpg[1] != 0xD8 {
		return nil, fmt.Errorf("insert exif: not a jpeg")
	}
	if len(date) != 19 {
		return nil, fmt.Errorf("insert exif: date %q is not YYYY:MM:DD HH:MM:SS", date)
	}
	be := binary.BigEndian
	// TIFF header (8) | IFD0: 1 entry (2+12+4) | Exif IFD: 1 entry (2+12+4) | date (20)
	tiff := make([]byte, 0, 64)
	tiff = append(tiff, 'M', 'M', 0, 42, 0, 0, 0, 8)
	entry := func(tag, typ uint16, count, value uint32) {
		tiff = be.AppendUint16(tiff, tag)
		tiff = be.AppendUint16(tiff, typ)
		tiff = be.AppendUint32(tiff, count)
		tiff = be.AppendUint32(tiff, value)
	}
	tiff = be.AppendUint16(tiff, 1)
	entry(0x8769, 4, 1, 26) // ExifIFDPointer, LONG
	tiff = be.AppendUint32(tiff, 0)
	tiff = be.AppendUint16(tiff, 1)
	entry(0x9003, 2, 20, 44) // DateTimeOriginal, ASCII, 20 bytes at offset 44
	tiff = be.AppendUint32(tiff, 0)
	tiff = append(tiff, date...)
	tiff = append(tiff, 0)

	seg := []byte{0xFF, 0xE1, 0, 0}
	seg = append(seg, "Exif\x00\x00"...)
	seg = append(seg, tiff...)
	be.PutUint16(seg[2:], uint16(len(seg)-2))
	out := make([]byte, 0, len(jpg)+len(seg))
	out = append(out, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...), nil
}
