package tiff

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// Options tunes Decode.
type Options struct {
	// MaxPixels bounds width*height of every directory; 0 means DefaultMaxPixels.
	MaxPixels int64
	// Reserve, when set, is asked for every allocation proportional to the image size
	// before it is made (the process-wide memory budget); the release it returns is called
	// once the memory is no longer used. nil means no limit.
	Reserve func(ctx context.Context, bytes int64) (release func(), err error)
}

// DefaultMaxPixels is the pixel limit used when Options.MaxPixels is 0 (1 gigapixel).
const DefaultMaxPixels = 1 << 30

// Info describes the decoded file and the image that was written.
type Info struct {
	// Width and Height are the last directory's, the image written.
	Width, Height int
	// Pages is the number of directories read in the main IFD chain.
	Pages int
	// Depth is the exported sample depth in bits (ImageMagick's image depth: the
	// directory's BitsPerSample); LittleEndian says how samples wider than 8 bits are
	// written.
	Depth        int
	LittleEndian bool
	// Alpha and CMYK say which of ImageMagick's layouts was written: RGB, RGBA, CMYK or
	// CMYKA.
	Alpha, CMYK bool
	// Warnings lists what libtiff or ImageMagick warned about and read past.
	Warnings []string
}

// FormatError reports a file that libtiff or ImageMagick refuses as corrupt.
type FormatError string

func (e FormatError) Error() string { return "tiff: " + string(e) }

// UnsupportedError reports a valid TIFF feature this decoder does not read (ImageMagick
// may, or may refuse it too: the message says which).
type UnsupportedError string

func (e UnsupportedError) Error() string { return "tiff: unsupported: " + string(e) }

// ErrTooLarge is returned (wrapped, with the size) when a directory's width*height is
// over Options.MaxPixels.
var ErrTooLarge = errors.New("tiff: image too large")

type tooLargeError struct{ width, height, max int64 }

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("tiff: image is %dx%d, over the %d pixel limit", e.width, e.height, e.max)
}

func (e *tooLargeError) Is(target error) bool { return target == ErrTooLarge }

// maxWarnings bounds the warnings kept in Info.
const maxWarnings = 50

// Decode reads every directory of the TIFF file r (size bytes) in its main IFD chain, as
// ImageMagick 6 does, and writes the pixels of the last one to w, row by row, in the byte
// layout ImageMagick exports for its signature. A directory ImageMagick or libtiff fails
// on fails the whole file, as it failed Wand's read.
func Decode(ctx context.Context, r io.ReaderAt, size int64, w io.Writer, opts Options) (info Info, err error) {
	d := &decoder{ctx: ctx, opts: opts}
	defer func() {
		if v := recover(); v != nil {
			if panicOnBug {
				panic(v)
			}
			// A decoder bug on hostile input must not crash the caller.
			err = FormatError(fmt.Sprintf("internal decoder failure: %v", v))
		}
	}()
	if d.opts.MaxPixels == 0 {
		d.opts.MaxPixels = DefaultMaxPixels
	}
	info, err = d.decode(r, size, w)
	info.Warnings = d.warnings
	return info, err
}

// panicOnBug makes Decode re-panic instead of reporting a FormatError (set by the fuzz
// target, so that fuzzing finds decoder bugs instead of hiding them).
var panicOnBug = false

// DecodeConfig reads the main IFD chain and describes its last directory without decoding
// any pixels.
func DecodeConfig(r io.ReaderAt, size int64) (Info, error) {
	d := &decoder{ctx: context.Background(), opts: Options{MaxPixels: DefaultMaxPixels}}
	f, err := openFile(r, size, d)
	if err != nil {
		return Info{Warnings: d.warnings}, err
	}
	dirs, err := f.readChain()
	if err != nil {
		return Info{Warnings: d.warnings}, err
	}
	last := dirs[len(dirs)-1]
	return Info{Width: int(last.width), Height: int(last.height), Pages: len(dirs),
		Depth: int(last.bitsPerSample), LittleEndian: !f.bigEndian, Warnings: d.warnings}, nil
}

type decoder struct {
	ctx      context.Context
	opts     Options
	warnings []string
}

func (d *decoder) warn(format string, args ...any) {
	if len(d.warnings) < maxWarnings {
		d.warnings = append(d.warnings, fmt.Sprintf(format, args...))
	}
}

// reserve asks the memory budget for n bytes.
func (d *decoder) reserve(n int64) (func(), error) {
	if d.opts.Reserve == nil || n <= 0 {
		return func() {}, nil
	}
	release, err := d.opts.Reserve(d.ctx, n)
	if err != nil {
		return nil, fmt.Errorf("tiff: reserve %d bytes: %w", n, err)
	}
	return release, nil
}

// decode reads the chain, then decodes every directory in order, as ImageMagick does (an
// error in any of them fails the read), writing only the last one's pixels.
func (d *decoder) decode(r io.ReaderAt, size int64, w io.Writer) (Info, error) {
	f, err := openFile(r, size, d)
	if err != nil {
		return Info{}, err
	}
	dirs, err := f.readChain()
	if err != nil {
		return Info{}, err
	}
	var info Info
	for i, dr := range dirs {
		if err := d.ctx.Err(); err != nil {
			return info, err
		}
		var out io.Writer
		if i == len(dirs)-1 {
			out = w
		}
		// A single directory with Photoshop layers is signed by its last layer.
		var layers []byte
		layerStart := -1
		if len(dirs) == 1 {
			if e := dr.entries[tagImageSourceData]; e != nil && f.profileOK(dr) {
				if b, ok := f.data(e); ok && len(b) >= 4 {
					if layerStart = psdLayerStart(b, !f.bigEndian); layerStart >= 0 {
						layers, out = b, nil
					}
				}
			}
		}
		var p *page
		info, p, err = d.decodeDir(f, dr, out)
		if err == nil && layers != nil {
			var li Info
			li, err = d.psdLayers(p, layers, layerStart, w)
			if err == nil {
				if li.Width == 0 {
					// No layer was read: ImageMagick's list is the page alone, which was
					// not written. Decode it again, writing.
					info, _, err = d.decodeDir(f, dr, w)
				} else {
					info = li
				}
			}
		}
		if err != nil {
			if len(dirs) > 1 {
				err = fmt.Errorf("page %d of %d: %w", i+1, len(dirs), err)
			}
			return info, err
		}
	}
	info.Pages = len(dirs)
	return info, nil
}
