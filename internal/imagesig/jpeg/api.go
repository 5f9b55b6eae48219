package jpeg

import (
	"context"
	"errors"
	"io"
)

// Options tunes Decode.
type Options struct {
	// MaxPixels bounds width*height; 0 means DefaultMaxPixels.
	MaxPixels int64
	// Reserve, when set, is called once, before any allocation that grows with the image
	// (sample rows, DCT coefficients), with the bytes needed; the decode fails with its
	// error, and calls release once done with the memory. nil: no limit but MaxBandBytes.
	Reserve func(ctx context.Context, bytes int64) (release func(), err error)
	// MaxBandBytes bounds the coefficient memory of a multi-scan image: one that needs
	// more is decoded in bands of iMCU rows that take at most this much (and the input is
	// then read again at each scan's place once per band: it must be an io.ReadSeeker).
	// 0 means DefaultMaxBandBytes.
	MaxBandBytes int64
}

// DefaultMaxBandBytes is the coefficient memory of a band when Options.MaxBandBytes is 0.
const DefaultMaxBandBytes = 512 << 20

// DefaultMaxPixels is the pixel limit used when Options.MaxPixels is 0 (1 gigapixel).
const DefaultMaxPixels = 1 << 30

// Info describes a decoded (or, for DecodeConfig, parsed) JPEG image.
type Info struct {
	Width, Height int
	Components    int    // 1, 3 or 4
	ColorModel    string // pixel stream layout: "gray" (written as R=G=B), "rgb", "cmyk"
	Progressive   bool
	Arithmetic    bool
	Warnings      []string // libjpeg-style warnings for data it recovered from, if any
}

// FormatError reports corrupt or invalid JPEG data.
type FormatError string

func (e FormatError) Error() string { return "invalid JPEG: " + string(e) }

// UnsupportedError reports a valid JPEG feature this decoder (like ImageMagick 6) refuses.
type UnsupportedError string

func (e UnsupportedError) Error() string { return "unsupported JPEG: " + string(e) }

// ErrTooLarge is returned when width*height exceeds Options.MaxPixels.
var ErrTooLarge = errors.New("JPEG image too large")

// Decode decodes the first image of the JPEG stream r and writes its pixels to w row by row,
// top to bottom, in the byte layout ImageMagick 6 exports for its signature: 3 bytes per pixel
// RGB, gray as 3 equal bytes, 4 bytes CMYK for CMYK/YCCK JPEGs. It returns ctx's error soon
// after ctx ends: it checks between rows of blocks.
func Decode(ctx context.Context, r io.Reader, w io.Writer, opts Options) (Info, error) {
	return decode(ctx, r, w, opts, false)
}

// DecodeConfig reads only the headers, up to the first frame header, and describes the image.
func DecodeConfig(r io.Reader) (Info, error) {
	return decode(context.Background(), r, nil, Options{}, true)
}
