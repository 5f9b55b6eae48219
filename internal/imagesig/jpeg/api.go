package jpeg

import (
	"errors"
	"io"
)

// Options tunes Decode.
type Options struct {
	// MaxPixels bounds width*height; 0 means DefaultMaxPixels.
	MaxPixels int64
}

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
// RGB, gray as 3 equal bytes, 4 bytes CMYK for CMYK/YCCK JPEGs.
func Decode(r io.Reader, w io.Writer, opts Options) (Info, error) {
	return decode(r, w, opts, false)
}

// DecodeConfig reads only the headers, up to the first frame header, and describes the image.
func DecodeConfig(r io.Reader) (Info, error) {
	return decode(r, nil, Options{}, true)
}
