package gif

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
	// MaxPixels bounds width*height of every frame; 0 means DefaultMaxPixels. The logical
	// screen is not bounded: ImageMagick 6 does not allocate it, nor does Decode.
	MaxPixels int64
	// Reserve, when set, is called before the memory of a frame (one byte per pixel) is
	// allocated, with the bytes needed; the decode fails with its error, and calls release
	// once done with the memory. nil: unlimited.
	Reserve func(ctx context.Context, bytes int64) (release func(), err error)
}

// DefaultMaxPixels is the pixel limit used when Options.MaxPixels is 0 (1 gigapixel).
const DefaultMaxPixels = 1 << 30

// Info describes a decoded GIF.
type Info struct {
	// Width and Height are the last frame's, the one written.
	Width, Height int
	// ScreenWidth and ScreenHeight are the logical screen's.
	ScreenWidth, ScreenHeight int
	Frames                    int
	Interlaced                bool // the last frame is interlaced
	Alpha                     bool // the last frame is written as RGBA
	Warnings                  []string
}

// FormatError reports corrupt or invalid GIF data that ImageMagick refuses.
type FormatError string

func (e FormatError) Error() string { return "gif: " + string(e) }

// ErrTooLarge is returned (wrapped, with the size) when a frame is over Options.MaxPixels.
var ErrTooLarge = errors.New("gif: image too large")

type tooLargeError struct {
	what          string
	width, height int64
	max           int64
}

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("gif: %s is %dx%d, over the %s limit", e.what, e.width, e.height, words.Pixels(e.max))
}

func (e *tooLargeError) Is(target error) bool { return target == ErrTooLarge }

// frame is a decoded frame: its colormap indexes, kept row by row, and its colormap.
type frame struct {
	width, height int
	interlaced    bool
	rows          [][]byte // allocated as decoded, so a lying header costs no memory
	colormap      [257][3]byte
	colors        int
	opacity       int // transparent index, or -1
}

// Decode reads every frame of the GIF stream r and writes the last frame's pixels to w, row
// by row, as ImageMagick 6 exports them for its signature. It returns ctx's error soon
// after ctx ends (it checks between rows).
func Decode(ctx context.Context, r io.Reader, w io.Writer, opts Options) (Info, error) {
	max := opts.MaxPixels
	if max == 0 {
		max = DefaultMaxPixels
	}
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 32<<10)
	}
	d := &decoder{ctx: ctx, r: br, max: max, reserve: opts.Reserve}
	defer d.releaseFrame()
	last, err := d.readFrames()
	if d.readErr != nil {
		return d.info, d.readErr
	}
	if err != nil {
		return d.info, err
	}
	d.info.Width, d.info.Height = last.width, last.height
	d.info.Interlaced = last.interlaced
	d.info.Alpha = last.opacity >= 0
	if err := last.export(w); err != nil {
		return d.info, err
	}
	return d.info, nil
}

type decoder struct {
	ctx     context.Context // the caller's, for this one decode
	r       *bufio.Reader
	max     int64
	info    Info
	readErr error // the first read error other than the end of the data
	// spare is the last frame read, whose row buffers the next one reuses: a frame that
	// fails ends the decode, so only one frame is ever held.
	spare *frame
	lzw   *lzw

	reserve  func(ctx context.Context, bytes int64) (release func(), err error)
	reserved int64  // bytes of frame memory reserve granted
	release  func() // gives them back

	warnedIndex bool
}

// maxWarnings bounds Info.Warnings.
const maxWarnings = 20

func (d *decoder) warn(format string, args ...any) {
	if len(d.info.Warnings) < maxWarnings {
		d.info.Warnings = append(d.info.Warnings, fmt.Sprintf(format, args...))
	}
}

// readByte reads one byte; ok is false at the end of the data.
func (d *decoder) readByte() (byte, bool) {
	c, err := d.r.ReadByte()
	d.noteErr(err)
	return c, err == nil
}

// readFull reads up to len(p) bytes and returns how many it got.
func (d *decoder) readFull(p []byte) int {
	n, err := io.ReadFull(d.r, p)
	d.noteErr(err)
	return n
}

// noteErr keeps a read error other than the end of the data: ImageMagick's parsing
// treats the end of the data as the end of the file, but a failing read must not pass
// for one.
func (d *decoder) noteErr(err error) {
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF && d.readErr == nil {
		d.readErr = err
	}
}

// readShort reads a little-endian 16-bit value, 0 when the data ends (ReadBlobLSBShort).
func (d *decoder) readShort() int {
	var b [2]byte
	if d.readFull(b[:]) != 2 {
		return 0
	}
	return int(b[0]) | int(b[1])<<8
}

// readFlag reads a byte as ReadBlobByte does: 0xff at the end of the data.
func (d *decoder) readFlag() byte {
	c, ok := d.readByte()
	if !ok {
		return 0xff
	}
	return c
}

// readBlock reads one data sub-block into buf (ReadBlobBlock): it returns the block's
// length, or 0 for the terminator, at the end of the data, or for a short block (whose
// partial data is still copied into buf).
func (d *decoder) readBlock(buf []byte) int {
	n, ok := d.readByte()
	if !ok {
		return 0
	}
	if d.readFull(buf[:n]) != int(n) {
		return 0
	}
	return int(n)
}

// skipBlocks reads sub-blocks until readBlock returns 0.
func (d *decoder) skipBlocks() {
	var buf [256]byte
	for d.readBlock(buf[:]) != 0 {
	}
}

// readFrames parses the stream as ImageMagick's ReadGIFImage and returns the last frame.
func (d *decoder) readFrames() (*frame, error) {
	var magic [6]byte
	if d.readFull(magic[:]) != 6 || !(equalFold(magic[:5], "GIF87") || equalFold(magic[:5], "GIF89")) {
		return nil, FormatError("not a GIF file (improper image header)")
	}
	d.info.ScreenWidth = d.readShort()
	d.info.ScreenHeight = d.readShort() // only the frames are read: any size is fine
	flag := d.readFlag()
	d.readFlag() // background
	d.readFlag() // reserved
	globalColors := 1 << (int(flag&7) + 1)
	var global [256 * 3]byte
	if flag&0x80 != 0 {
		if d.readFull(global[:3*globalColors]) != 3*globalColors {
			return nil, FormatError("insufficient image data in file (global color table)")
		}
	}
	var last *frame
	opacity := -1
	for {
		c, ok := d.readByte()
		if !ok || c == ';' {
			break
		}
		if c == '!' {
			label, ok := d.readByte()
			if !ok {
				return nil, FormatError("unable to read extension block")
			}
			c = label
			switch label {
			case 0xf9:
				var buf [257]byte
				for d.readBlock(buf[:]) != 0 {
				}
				if buf[0]&1 == 1 {
					opacity = int(buf[3])
				}
			case 0xff:
				var buf [257]byte
				d.readBlock(buf[:])
				d.skipBlocks()
			default:
				d.skipBlocks()
			}
		}
		if c != ',' {
			continue
		}
		last = nil // its buffers are the next frame's (d.spare): a failed frame ends it all
		f, err := d.readFrame(global[:], globalColors, opacity)
		if err != nil {
			var fe FormatError
			if errors.As(err, &fe) {
				return nil, FormatError(fmt.Sprintf("frame %d: %s", d.info.Frames+1, string(fe)))
			}
			return nil, err
		}
		d.info.Frames++
		d.spare = f
		last = f
		opacity = -1
	}
	if last == nil {
		return nil, FormatError("no image frames")
	}
	return last, nil
}

func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// readFrame reads an image descriptor, its colormap and its LZW data.
func (d *decoder) readFrame(global []byte, globalColors, opacity int) (*frame, error) {
	d.readShort() // left
	d.readShort() // top
	width := d.readShort()
	height := d.readShort()
	flag := d.readFlag()
	localColors := globalColors
	if flag&0x80 != 0 {
		localColors = 1 << (int(flag&7) + 1)
	}
	colors := localColors
	if opacity == colors {
		colors++
	} else if opacity > colors {
		opacity = -1
	}
	if width == 0 || height == 0 {
		return nil, FormatError(fmt.Sprintf("negative or zero image size (%dx%d)", width, height))
	}
	if int64(width)*int64(height) > d.max {
		return nil, &tooLargeError{"frame", int64(width), int64(height), d.max}
	}
	if err := d.reserveFrame(width, height); err != nil {
		return nil, err
	}
	f := d.spare
	d.spare = nil
	if f == nil {
		f = &frame{}
	}
	f.width, f.height, f.interlaced = width, height, flag&0x40 != 0
	f.colors, f.opacity = colors, opacity
	f.colormap = [257][3]byte{}
	table := global
	if flag&0x80 != 0 {
		var local [256 * 3]byte
		if d.readFull(local[:3*localColors]) != 3*localColors {
			return nil, FormatError("insufficient image data in file (local color table)")
		}
		table = local[:]
	}
	for i := 0; i < colors && i < 256; i++ {
		copy(f.colormap[i][:], table[3*i:3*i+3])
	}
	if err := d.decodePixels(f); err != nil {
		return nil, err
	}
	return f, nil
}

// export writes the frame as ImageMagick's RGB or RGBA export at depth 8.
func (f *frame) export(w io.Writer) error {
	ch := 3
	if f.opacity >= 0 {
		ch = 4
	}
	out := make([]byte, f.width*ch)
	for _, row := range f.rows[:f.height] {
		o := 0
		for _, idx := range row[:f.width] {
			e := &f.colormap[idx]
			out[o], out[o+1], out[o+2] = e[0], e[1], e[2]
			if ch == 4 {
				out[o+3] = 255
				if int(idx) == f.opacity {
					out[o+3] = 0
				}
			}
			o += ch
		}
		if _, err := w.Write(out); err != nil {
			return err
		}
	}
	return nil
}

// frameBytes is the memory a frame of width x height takes: its rows and their index.
func frameBytes(width, height int) int64 { return int64(height) * (int64(width) + 24) }

// reserveFrame makes sure the reservation covers a frame of width x height. A larger one
// gives back the current reservation (and the spare frame's buffers) first, so that a
// decode never holds memory while it waits for more.
func (d *decoder) reserveFrame(width, height int) error {
	need := frameBytes(width, height)
	if d.reserve == nil || need <= d.reserved {
		return nil
	}
	d.releaseFrame()
	d.spare = nil
	release, err := d.reserve(d.ctx, need)
	if err != nil {
		if d.ctx.Err() != nil {
			return d.ctx.Err()
		}
		return fmt.Errorf("gif: frame of %dx%d pixels: %w", width, height, err)
	}
	d.reserved, d.release = need, release
	return nil
}

func (d *decoder) releaseFrame() {
	if d.release != nil {
		d.release()
	}
	d.reserved, d.release = 0, nil
}
