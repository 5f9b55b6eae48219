package webp

import (
	"context"
	"fmt"
)

// DecodeStrip decodes data, one still WebP image that libtiff's WebP codec (tif_webp.c,
// compression 50001) wrote as a TIFF strip or tile, into out as that codec asks libwebp's
// incremental decoder for it: rows of stride bytes, samples 3 (MODE_RGB: an alpha plane is
// dropped) or 4 (MODE_RGBA, unpremultiplied: opaque when the image has no alpha), the
// image's rows from the top of out. The image must fit out (its width at most
// stride/samples, its height at most len(out)/stride: libwebp refuses a larger external
// buffer's image as an invalid parameter) and fill every row of it (libtiff: "less lines
// than expected"); columns right of a narrower image are left as they are.
func DecodeStrip(ctx context.Context, data []byte, samples, stride int, out []byte, opts Options) error {
	if opts.MaxPixels <= 0 {
		opts.MaxPixels = DefaultMaxPixels
	}
	if samples != 3 && samples != 4 || stride <= 0 || len(out)%stride != 0 {
		return FormatError("invalid parameter used (output layout)")
	}
	d := &decoder{ctx: ctx, opts: opts, samples: samples}
	defer d.releaseAll()
	feat, _, st := parseHeaders(data, false)
	if st != statusOK {
		return st.err("image header")
	}
	if feat.hasAnimation {
		return UnsupportedError("an animation in a TIFF strip")
	}
	rows := len(out) / stride
	if feat.width*samples > stride || feat.height > rows {
		return FormatError(fmt.Sprintf("invalid parameter used (a %dx%d image in a strip of %d rows of %d pixels)",
			feat.width, feat.height, rows, stride/samples))
	}
	if feat.height < rows {
		return FormatError("unable to decode WebP data: less lines than expected")
	}
	sink := &stripSink{out: out, stride: stride}
	if err := d.decodeFrame(data, sink, 0, 0, 0, 0); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	}
	return nil
}

// stripSink is a writer of whole rows into a strip buffer.
type stripSink struct {
	out    []byte
	stride int
	y      int
}

func (s *stripSink) Write(row []byte) (int, error) {
	if (s.y+1)*s.stride > len(s.out) {
		return 0, FormatError("more rows than the strip holds")
	}
	copy(s.out[s.y*s.stride:], row)
	s.y++
	return len(row), nil
}
