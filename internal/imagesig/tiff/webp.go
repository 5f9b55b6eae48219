package tiff

import (
	"errors"
	"fmt"

	"github.com/flickrsync/flickrsync/internal/imagesig/webp"
)

// webpStrip decodes a WebP-compressed strip or tile (compression 50001) as libtiff's
// tif_webp.c does: the setup checks (TWebPFixupTags, TWebPSetupDecode, TWebPPreDecode),
// then the whole strile decoded by libwebp into RGB or RGBA rows of the strile's width.
func (sd *strileDecoder) webpStrip(raw, out []byte, rows int, tile bool) error {
	dr := sd.p.dr
	if dr.planarConfig != 1 {
		return FormatError("TIFF WEBP requires data to be stored contiguously in RGB e.g. RGBRGBRGB or RGBARGBARGBA")
	}
	n := int(dr.samplesPerPixel)
	if n != 3 && n != 4 {
		return FormatError(fmt.Sprintf("WEBP driver doesn't support %d bands. Must be 3 (RGB) or 4 (RGBA) bands.", n))
	}
	// libtiff's test, as written: only data that is neither 8-bit nor unsigned is refused.
	if dr.bitsPerSample != 8 && dr.sampleFormat != 1 {
		return FormatError("WEBP driver requires 8 bit unsigned data")
	}
	width := int(dr.width)
	if tile {
		width = int(dr.tileWidth)
	}
	if width > 16383 || rows > 16383 {
		return FormatError("WEBP maximum image dimensions are 16383 x 16383.")
	}
	stride := width * n
	if len(out)%stride != 0 {
		return FormatError("Fractional scanlines cannot be read")
	}
	err := webp.DecodeStrip(sd.p.d.ctx, raw, n, stride, out, webp.Options{MaxPixels: sd.p.d.opts.MaxPixels, Reserve: sd.p.d.opts.Reserve})
	switch {
	case err == nil:
		return nil
	case sd.p.d.ctx.Err() != nil:
		return sd.p.d.ctx.Err()
	case errors.Is(err, webp.ErrTooLarge):
		return err
	}
	return FormatError(fmt.Sprintf("WebP: %v", err))
}
