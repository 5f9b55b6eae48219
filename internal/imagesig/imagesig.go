package imagesig

import (
	"bytes"
)

// Format is an image file format, as detected from the file's first bytes.
type Format string

// The formats imagesig signs; FormatUnknown is the empty string.
const (
	FormatUnknown Format = ""
	FormatJPEG    Format = "jpeg"
	FormatPNG     Format = "png"
	FormatGIF     Format = "gif"
)

// DefaultMaxPixels is the pixel limit used when Options.MaxPixels is 0: 1 gigapixel.
const DefaultMaxPixels = 1 << 30

// Options tunes Sign.
type Options struct {
	// MaxPixels bounds width*height of an image (of every frame and of the logical screen
	// for GIF); the limit is checked from the headers, before any pixel memory is
	// allocated. 0 means DefaultMaxPixels.
	MaxPixels int64
	// Budget bounds the memory of the decodes running at once; nil means the process's
	// budget of DefaultMemoryBudget bytes, shared by every Sign without one. A decode
	// waits for room in it, and an image that needs more than all of it fails alone
	// (ErrOverBudget).
	Budget *Budget
}

// Result is a computed signature.
type Result struct {
	Signature string // 64 lowercase hex digits: SHA-256 of the exported pixels
	Format    Format
	// Width and Height are those of the signed image: for an animated GIF, the last
	// frame's own rectangle.
	Width, Height int
	// Warnings lists the damage the decoder recovered from, as ImageMagick would have.
	Warnings []string
}

// SniffLen is how many leading bytes Sniff needs at most.
const SniffLen = 8

// Sniff detects the format from the first bytes of a file (at least SniffLen of them when
// the file has that many), never from its name. It recognises what ImageMagick 6 would
// decode as JPEG, PNG or GIF.
func Sniff(header []byte) Format {
	switch {
	case bytes.HasPrefix(header, []byte("\xff\xd8\xff")):
		return FormatJPEG
	case bytes.HasPrefix(header, []byte("\x89PNG\r\n\x1a\n")):
		return FormatPNG
	case len(header) >= 4 && bytes.EqualFold(header[:4], []byte("GIF8")):
		// ImageMagick compares the GIF magic without regard to case.
		return FormatGIF
	}
	return FormatUnknown
}
