package png

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/flickrsync/flickrsync/internal/words"
)

// Options tunes Decode.
type Options struct {
	// MaxPixels bounds width*height; 0 means DefaultMaxPixels.
	MaxPixels int64
	// Reserve, when set, is called before any allocation that grows with the image (its
	// row buffers, the whole image of an interlaced PNG) with the bytes needed; the decode
	// fails with its error, and calls release once done with the memory. nil: unlimited.
	Reserve func(ctx context.Context, bytes int64) (release func(), err error)
}

// DefaultMaxPixels is the pixel limit used when Options.MaxPixels is 0 (1 gigapixel).
const DefaultMaxPixels = 1 << 30

// Info describes a decoded (or, for DecodeConfig, parsed) PNG image.
type Info struct {
	Width, Height int
	BitDepth      int  // IHDR bit depth: 1, 2, 4, 8 or 16
	ColorType     int  // IHDR colour type: 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA
	Interlaced    bool // Adam7
	// Alpha is true when the pixels are written as RGBA (alpha colour type, or a tRNS chunk
	// ImageMagick accepts), false for RGB.
	Alpha bool
	// Depth is the exported sample depth: 8 (one byte per sample) or 16 (two bytes,
	// big-endian).
	Depth int
	// Warnings lists what libpng would have warned about and recovered from.
	Warnings []string
}

// FormatError reports corrupt or invalid PNG data, as libpng would refuse it.
type FormatError string

func (e FormatError) Error() string { return "png: " + string(e) }

// ErrTooLarge is returned (wrapped, with the image size) when width*height exceeds
// Options.MaxPixels.
var ErrTooLarge = errors.New("png: image too large")

type tooLargeError struct{ width, height, max int64 }

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("png: image is %dx%d, over the %s limit", e.width, e.height, words.Pixels(e.max))
}

func (e *tooLargeError) Is(target error) bool { return target == ErrTooLarge }

// Decode decodes the PNG stream r (its default image, for APNG) and writes its pixels to w
// row by row, top to bottom, in the byte layout ImageMagick 6 exports for its signature.
// It reads the stream up to and including IEND and fails, as libpng does, on any error in
// a critical chunk, on missing or truncated image data and on a missing IEND. It returns
// ctx's error soon after ctx ends (it checks between rows).
func Decode(ctx context.Context, r io.Reader, w io.Writer, opts Options) (Info, error) {
	d := newDecoder(r, opts)
	d.ctx, d.reserve = ctx, opts.Reserve
	defer d.releaseMemory()
	if err := d.readHeader(); err != nil {
		return d.info, err
	}
	if err := d.readImage(w); err != nil {
		return d.info, err
	}
	if err := d.readEnd(); err != nil {
		return d.info, err
	}
	d.info.Warnings = d.warnings
	return d.info, nil
}

// DecodeConfig reads the chunks up to the first IDAT and describes the image, applying the
// same header checks as Decode (but not the pixel limit).
func DecodeConfig(r io.Reader) (Info, error) {
	d := newDecoder(r, Options{MaxPixels: -1})
	err := d.readHeader()
	d.info.Warnings = d.warnings
	return d.info, err
}

type decoder struct {
	ctx      context.Context // the caller's, for this one decode
	reserve  func(ctx context.Context, bytes int64) (release func(), err error)
	release  func() // gives back what reserve granted, if anything
	r        *bufio.Reader
	maxPix   int64
	info     Info
	warnings []string

	// IHDR
	width, height       int
	bitDepth, colorType int
	interlace           int
	channels            int // samples per pixel in the file
	bitsPP              int // bits per pixel in the file

	// PLTE and tRNS
	palette    []byte // 3 bytes per entry
	havePLTE   bool
	haveTRNS   bool
	trnsAlpha  []byte // palette images: one alpha per entry, for the first entries
	trnsKey    [3]uint16
	trnsKeyOK  bool // gray/RGB key accepted by ImageMagick (samples within the bit depth)
	haveIDAT   bool
	idat       *idatReader
	pendingHdr *chunkHeader // chunk header read by the IDAT reader past the last IDAT
	crc        uint32       // running CRC of the current chunk

	// export
	outChannels, outBytes int
	pal                   [256][4]byte
	numPal                int
	badIndex              int // a palette index beyond the PLTE met in the last export, or -1
	warnedIndex           bool
}

func newDecoder(r io.Reader, opts Options) *decoder {
	max := opts.MaxPixels
	if max == 0 {
		max = DefaultMaxPixels
	}
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 32<<10)
	}
	return &decoder{r: br, maxPix: max, badIndex: -1}
}

func (d *decoder) warn(format string, args ...any) {
	if len(d.warnings) < 20 {
		d.warnings = append(d.warnings, fmt.Sprintf(format, args...))
	}
}

// pngSignature is the 8-byte PNG file signature.
const pngSignature = "\x89PNG\r\n\x1a\n"

// readHeader reads the signature and the chunks before the first IDAT, as png_read_info.
func (d *decoder) readHeader() error {
	var sig [8]byte
	if err := d.read(sig[:]); err != nil {
		return truncated(err, "shorter than the PNG signature")
	}
	if string(sig[:]) != pngSignature {
		return FormatError("not a PNG file")
	}
	haveIHDR := false
	for {
		h, err := d.readChunkHeader()
		if err != nil {
			return err
		}
		if !haveIHDR && h.name != "IHDR" {
			if h.critical() || knownAncillary[h.name] {
				return FormatError(fmt.Sprintf("%s: missing IHDR", h.name))
			}
		}
		switch h.name {
		case "IHDR":
			if haveIHDR {
				return FormatError("IHDR: out of place")
			}
			haveIHDR = true
			if err := d.handleIHDR(h); err != nil {
				return err
			}
		case "IDAT":
			if d.colorType == 3 && !d.havePLTE {
				return FormatError("IDAT: missing PLTE before IDAT")
			}
			d.haveIDAT = true
			d.idat = &idatReader{d: d, remain: h.length, pieceLeft: 0}
			return nil
		case "IEND":
			return FormatError("IEND: out of place (no image data)")
		case "PLTE":
			if err := d.handlePLTE(h); err != nil {
				return err
			}
		case "tRNS":
			if err := d.handleTRNS(h); err != nil {
				return err
			}
		default:
			if err := d.handleOther(h); err != nil {
				return err
			}
		}
	}
}

func (d *decoder) handleIHDR(h chunkHeader) error {
	if h.length != 13 {
		return FormatError("IHDR: invalid length")
	}
	var b [13]byte
	if err := d.readChunkData(h, b[:]); err != nil {
		return err
	}
	if err := d.finishChunk(h, 0); err != nil {
		return err
	}
	w, hgt := be32(b[0:]), be32(b[4:])
	depth, ct := int(b[8]), int(b[9])
	switch {
	case w == 0:
		return FormatError("IHDR: image width is zero")
	case hgt == 0:
		return FormatError("IHDR: image height is zero")
	case w > 0x7fffffff || hgt > 0x7fffffff:
		return FormatError("IHDR: image size exceeds the PNG limit")
	}
	switch depth {
	case 1, 2, 4, 8, 16:
	default:
		return FormatError(fmt.Sprintf("IHDR: invalid bit depth %d", depth))
	}
	switch ct {
	case 0:
		d.channels = 1
	case 2:
		d.channels = 3
	case 3:
		d.channels = 1
		if depth > 8 {
			return FormatError(fmt.Sprintf("IHDR: invalid bit depth %d for a palette image", depth))
		}
	case 4:
		d.channels = 2
	case 6:
		d.channels = 4
	default:
		return FormatError(fmt.Sprintf("IHDR: invalid color type %d", ct))
	}
	if (ct == 2 || ct == 4 || ct == 6) && depth < 8 {
		return FormatError(fmt.Sprintf("IHDR: invalid bit depth %d for color type %d", depth, ct))
	}
	if b[12] > 1 {
		return FormatError(fmt.Sprintf("IHDR: unknown interlace method %d", b[12]))
	}
	if b[10] != 0 {
		return FormatError(fmt.Sprintf("IHDR: unknown compression method %d", b[10]))
	}
	if b[11] != 0 {
		return FormatError(fmt.Sprintf("IHDR: unknown filter method %d", b[11]))
	}
	d.width, d.height = int(w), int(hgt)
	d.bitDepth, d.colorType, d.interlace = depth, ct, int(b[12])
	d.bitsPP = depth * d.channels
	d.info = Info{Width: d.width, Height: d.height, BitDepth: depth, ColorType: ct,
		Interlaced: d.interlace == 1, Depth: 8, Alpha: ct == 4 || ct == 6}
	if depth == 16 {
		d.info.Depth = 16
	}
	if d.maxPix > 0 && int64(w)*int64(hgt) > d.maxPix {
		return &tooLargeError{int64(w), int64(hgt), d.maxPix}
	}
	return nil
}

// reserveMemory takes n bytes from Options.Reserve before they are allocated; one
// reservation per decode, taken once the header tells what the image needs.
func (d *decoder) reserveMemory(n int64, what string) error {
	if d.reserve == nil {
		return nil
	}
	release, err := d.reserve(d.ctx, n)
	if err != nil {
		if d.ctx.Err() != nil {
			return d.ctx.Err()
		}
		return fmt.Errorf("png: %s of %dx%d pixels: %w", what, d.width, d.height, err)
	}
	d.release = release
	return nil
}

func (d *decoder) releaseMemory() {
	if d.release != nil {
		d.release()
		d.release = nil
	}
}
