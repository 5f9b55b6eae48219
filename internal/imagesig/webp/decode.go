package webp

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/flickrsync/flickrsync/internal/words"
)

// Options tunes Decode.
type Options struct {
	// MaxPixels bounds width*height of every frame decoded and of the image written; 0
	// means DefaultMaxPixels.
	MaxPixels int64
	// Reserve, when set, is asked before every allocation that grows with the image or the
	// file (the file's bytes, the lossless pixel buffer, the alpha plane, Huffman tables):
	// it may wait, or refuse with an error that Decode returns. Decode calls every release
	// it was given before it returns. nil means unlimited.
	Reserve func(ctx context.Context, bytes int64) (release func(), err error)
}

// DefaultMaxPixels is the pixel limit used when Options.MaxPixels is 0 (1 gigapixel).
const DefaultMaxPixels = 1 << 30

// maxFrames bounds the frames of an animation Decode reads (libwebp has no bound: a file
// of tiny frames could otherwise keep it busy for ever).
const maxFrames = 1 << 16

// Info describes a decoded WebP file.
type Info struct {
	// Width and Height are the written image's: the last frame's own rectangle, the
	// canvas for an animation of one frame (ImageMagick places it on the canvas).
	Width, Height int
	// CanvasWidth and CanvasHeight are the VP8X canvas's, or the image's without VP8X.
	CanvasWidth, CanvasHeight int
	Frames                    int
	Animated                  bool
	// Lossless is true when the written frame is VP8L, false for VP8 (lossy).
	Lossless bool
	// Alpha is true when the pixels are written as RGBA, false for RGB.
	Alpha bool
	// Warnings lists what libwebp accepts silently but is odd: alpha announced without
	// alpha data, alpha data a lossless image does not use.
	Warnings []string
}

// FormatError reports corrupt, truncated or invalid WebP data, which libwebp refuses.
type FormatError string

func (e FormatError) Error() string { return "webp: " + string(e) }

// UnsupportedError reports a valid VP8 feature libwebp does not decode in a WebP file
// (an inter frame, a frame not to be shown).
type UnsupportedError string

func (e UnsupportedError) Error() string { return "webp: unsupported: " + string(e) }

// ErrTooLarge is returned (wrapped, with the size) when a frame or the written image is
// over Options.MaxPixels.
var ErrTooLarge = errors.New("webp: image too large")

type tooLargeError struct {
	what          string
	width, height int
	max           int64
}

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("webp: %s is %dx%d, over the %s limit", e.what, e.width, e.height, words.Pixels(e.max))
}

func (e *tooLargeError) Is(target error) bool { return target == ErrTooLarge }

// Decode reads the WebP file r and writes the pixels of its last image to w, row by row,
// as ImageMagick 6 (through libwebp 1.2.4) exports them for its signature: RGB, or RGBA
// when libwebp reports alpha, 8 bits per sample. For an animation that is the last frame
// in its own rectangle, neither blended nor disposed (ImageMagick decodes every frame
// alone and fails if any fails).
func Decode(r io.Reader, w io.Writer, opts Options) (Info, error) {
	return DecodeContext(context.Background(), r, w, opts)
}

// DecodeContext is Decode, cancellable: it checks ctx between rows of macroblocks, rows
// of pixels and frames, and passes it to Options.Reserve.
func DecodeContext(ctx context.Context, r io.Reader, w io.Writer, opts Options) (Info, error) {
	if opts.MaxPixels <= 0 {
		opts.MaxPixels = DefaultMaxPixels
	}
	d := &decoder{ctx: ctx, opts: opts}
	defer d.releaseAll()
	stream, err := d.readStream(r)
	if err != nil {
		return d.info, err
	}
	if err := d.decodeFile(stream, w); err != nil {
		if ctx.Err() != nil {
			return d.info, ctx.Err()
		}
		return d.info, err
	}
	return d.info, nil
}

// decoder holds one call's state: options, context and the memory it reserved.
type decoder struct {
	ctx      context.Context
	opts     Options
	info     Info
	releases []func()
	// samples forces the layout of the pixels written: 3 (RGB) or 4 (RGBA); 0 writes
	// what the image has (DecodeStrip forces it, as libtiff asks libwebp).
	samples int
}

// reserve asks Options.Reserve for n bytes before they are allocated; they are released
// when the frame (or Decode) ends.
func (d *decoder) reserve(n int64) error {
	release, err := d.reserveFunc(n)
	if err == nil {
		d.releases = append(d.releases, release)
	}
	return err
}

// reserveFunc asks Options.Reserve for n bytes and returns their release.
func (d *decoder) reserveFunc(n int64) (func(), error) {
	if d.opts.Reserve == nil || n <= 0 {
		return func() {}, nil
	}
	release, err := d.opts.Reserve(d.ctx, n)
	if err != nil {
		return nil, fmt.Errorf("webp: reserve %d bytes: %w", n, err)
	}
	if release == nil {
		release = func() {}
	}
	return release, nil
}

// warn notes something libwebp accepts that a user may want to know.
func (d *decoder) warn(msg string) {
	if len(d.info.Warnings) < 20 {
		d.info.Warnings = append(d.info.Warnings, msg)
	}
}

// mark and releaseTo scope reservations to a frame, so that an animation holds only one
// frame's buffers at a time.
func (d *decoder) mark() int { return len(d.releases) }

func (d *decoder) releaseTo(mark int) {
	for i := len(d.releases) - 1; i >= mark; i-- {
		d.releases[i]()
	}
	d.releases = d.releases[:mark]
}

func (d *decoder) releaseAll() { d.releaseTo(0) }

// checkSize refuses a frame or image of more than Options.MaxPixels pixels.
func (d *decoder) checkSize(what string, width, height int) error {
	if int64(width)*int64(height) > d.opts.MaxPixels {
		return &tooLargeError{what, width, height, d.opts.MaxPixels}
	}
	return nil
}

// canceled returns ctx's error once it is done.
func (d *decoder) canceled() error { return d.ctx.Err() }

// readStream reads the RIFF header and the bytes it announces, as ImageMagick does before
// it hands them to libwebp: a file shorter than its RIFF size is refused outright, and
// bytes after it are never read. The buffer grows with what is actually read, so that a
// lying size costs no memory.
func (d *decoder) readStream(r io.Reader) ([]byte, error) {
	var header [riffHeaderSize]byte
	if n, err := io.ReadFull(r, header[:]); err != nil {
		if n < len(header) && (err == io.EOF || err == io.ErrUnexpectedEOF) {
			return nil, FormatError("insufficient image data in file (no RIFF header)")
		}
		return nil, fmt.Errorf("webp: read header: %w", err)
	}
	if !equalFold4(header[8:12], "WEBP") {
		return nil, FormatError("not a WebP file (no WEBP form type)")
	}
	length := int64(le32(header[4:])) + 8
	if length < riffHeaderSize {
		return nil, FormatError(fmt.Sprintf("corrupt image (RIFF size %d)", length-8))
	}
	first := min(length, 1<<20)
	release, err := d.reserveFunc(first)
	if err != nil {
		return nil, err
	}
	// The buffer's reservation, handed over to the decoder once it holds the file.
	defer func() { d.releases = append(d.releases, release) }()
	buf := make([]byte, riffHeaderSize, first)
	copy(buf, header[:])
	for int64(len(buf)) < length {
		if len(buf) == cap(buf) {
			grown := min(int64(cap(buf))*2, length)
			more, err := d.reserveFunc(grown)
			if err != nil {
				return nil, err
			}
			nb := make([]byte, len(buf), grown)
			copy(nb, buf)
			buf = nb
			release()
			release = more
		}
		n, err := io.ReadFull(r, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, FormatError(fmt.Sprintf("insufficient image data in file (the RIFF header announces %d bytes, the file has %d)", length, len(buf)))
		}
		if err != nil {
			return nil, fmt.Errorf("webp: read: %w", err)
		}
	}
	return buf, nil
}

// equalFold4 compares four bytes with an ASCII tag regardless of case (ImageMagick's
// magic test for WebP is LocaleNCompare).
func equalFold4(b []byte, tag string) bool {
	for i := 0; i < 4; i++ {
		c := b[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != tag[i] {
			return false
		}
	}
	return true
}

func le16(b []byte) uint32 { return uint32(b[0]) | uint32(b[1])<<8 }
func le24(b []byte) uint32 { return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 }
func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}
