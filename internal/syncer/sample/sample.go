// Package sample makes small, distinct sample pictures (JPEG with an optional EXIF
// DateTimeOriginal and Live Photo identifier, PNG) with Go's own encoders, and sample
// movies (MP4, MOV: video.go): the one maker of the demo's, the end-to-end and fault
// tests' and the sync benchmark's (scripts/benchsync) files.
package sample

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
)

// Picture is a sample picture's recipe.
type Picture struct {
	// Seed makes the pixels: two seeds never give the same pixels (so never the same
	// signature), the same recipe always the same bytes.
	Seed int64
	// W×H is the size, 64×64 when zero, at least 64 each. Noise makes the encoded size
	// grow with the area: about 1.5 bytes a pixel in JPEG at quality 90.
	W, H int
	// DateTaken "YYYY:MM:DD HH:MM:SS" is written as EXIF DateTimeOriginal (JPEG only);
	// "" writes none.
	DateTaken string
	// LiveID is written as the Apple maker note's content identifier (tag 0x0011), which
	// makes the picture a Live Photo's still (JPEG only); "" writes none.
	LiveID string
	PNG    bool
}

// Bytes encodes the picture.
func (p Picture) Bytes() ([]byte, error) {
	if p.W == 0 && p.H == 0 {
		p.W, p.H = 64, 64
	}
	if p.W < 64 || p.H < 64 {
		return nil, fmt.Errorf("sample picture %d: %dx%d is smaller than 64x64", p.Seed, p.W, p.H)
	}
	img := p.pixels()
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
	if p.DateTaken == "" && p.LiveID == "" {
		return buf.Bytes(), nil
	}
	return withExif(buf.Bytes(), p.DateTaken, p.LiveID)
}

// pixels draws a gradient with noise from the seed, and writes the seed's 64 bits into
// the top left corner as an 8×8 block per bit (so JPEG's loss cannot merge two seeds).
func (p Picture) pixels() *image.RGBA {
	rng := rand.New(rand.NewPCG(uint64(p.Seed), 0x9e3779b97f4a7c15))
	img := image.NewRGBA(image.Rect(0, 0, p.W, p.H))
	r0, g0, b0 := uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256))
	for y := 0; y < p.H; y++ {
		for x := 0; x < p.W; x++ {
			n := uint8(rng.IntN(64))
			o := img.PixOffset(x, y)
			img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = r0+uint8(x)+n, g0+uint8(y)+n/2, b0+n, 255
		}
	}
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
	return img
}

// WithDateTaken inserts, right after the SOI marker of a JPEG, an APP1 Exif segment whose
// Exif IFD holds DateTimeOriginal (tag 0x9003) = date ("YYYY:MM:DD HH:MM:SS").
func WithDateTaken(jpg []byte, date string) ([]byte, error) {
	return withExif(jpg, date, "")
}

// withExif inserts an APP1 Exif segment whose Exif IFD holds DateTimeOriginal (unless date
// is "") and an Apple maker note with the content identifier live (unless "").
func withExif(jpg []byte, date, live string) ([]byte, error) {
	if len(jpg) < 2 || jpg[0] != 0xFF || jpg[1] != 0xD8 {
		return nil, fmt.Errorf("insert exif: not a jpeg")
	}
	if date != "" && len(date) != 19 {
		return nil, fmt.Errorf("insert exif: date %q is not YYYY:MM:DD HH:MM:SS", date)
	}
	be := binary.BigEndian
	// TIFF header (8) | IFD0: 1 entry (2+12+4) | Exif IFD at 26: n entries | their values.
	tiff := make([]byte, 0, 128)
	tiff = append(tiff, 'M', 'M', 0, 42, 0, 0, 0, 8)
	entry := func(b []byte, tag, typ uint16, count, value uint32) []byte {
		b = be.AppendUint16(b, tag)
		b = be.AppendUint16(b, typ)
		b = be.AppendUint32(b, count)
		return be.AppendUint32(b, value)
	}
	tiff = be.AppendUint16(tiff, 1)
	tiff = entry(tiff, 0x8769, 4, 1, 26) // ExifIFDPointer, LONG
	tiff = be.AppendUint32(tiff, 0)
	n := 0
	if date != "" {
		n++
	}
	var note []byte
	if live != "" {
		n++
		// Apple's maker note: its header, the byte order, an IFD of one entry whose
		// offsets count from the note's start (ExifTool's Apple table).
		note = append([]byte("Apple iOS\x00\x00\x01MM"), 0, 1)
		note = entry(note, 0x0011, 2, uint32(len(live)+1), uint32(14+2+12+4))
		note = be.AppendUint32(note, 0)
		note = append(note, live...)
		note = append(note, 0)
	}
	values := uint32(26 + 2 + 12*n + 4)
	tiff = be.AppendUint16(tiff, uint16(n))
	if date != "" {
		tiff = entry(tiff, 0x9003, 2, 20, values) // DateTimeOriginal, ASCII, 20 bytes
		values += 20
	}
	if live != "" {
		tiff = entry(tiff, 0x927c, 7, uint32(len(note)), values) // MakerNote, UNDEFINED
	}
	tiff = be.AppendUint32(tiff, 0)
	if date != "" {
		tiff = append(tiff, date...)
		tiff = append(tiff, 0)
	}
	tiff = append(tiff, note...)

	seg := []byte{0xFF, 0xE1, 0, 0}
	seg = append(seg, "Exif\x00\x00"...)
	seg = append(seg, tiff...)
	be.PutUint16(seg[2:], uint16(len(seg)-2))
	out := make([]byte, 0, len(jpg)+len(seg))
	out = append(out, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...), nil
}
