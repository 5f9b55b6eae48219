package imagesig

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/flickrsync/flickrsync/internal/imagesig/gif"
	"github.com/flickrsync/flickrsync/internal/imagesig/jpeg"
	"github.com/flickrsync/flickrsync/internal/imagesig/png"
	"github.com/flickrsync/flickrsync/internal/imagesig/tiff"
	"github.com/flickrsync/flickrsync/internal/imagesig/webp"
	"github.com/flickrsync/flickrsync/internal/isobmff"
)

// Sign identifies the file r holds: it detects the format from the first bytes (Sniff;
// Options.Name only tells a RAW file in a TIFF container) and signs it by that format's
// rule (rules.go): the pixel signature of a picture, the coded data or the whole file of a
// HEIF or a movie, the whole file of another video; a camera RAW file is refused (ErrRAW).
// Errors say what is wrong with the data ("png: not enough image data (truncated IDAT)",
// "box 'moov' at offset 0x1c: size 6000 runs past the end of the file"); Refused tells
// a verdict on the bytes from a failed attempt. errors.Is matches ErrUnknownFormat,
// ErrRAW and ErrTooLarge (verdicts), ErrRead, ErrOverBudget and ErrInternal (a decoder
// bug, reported with where it is instead of crashing the caller), and ctx's error when ctx
// ends first: decoders stop within a row or so, hashing within a megabyte. On an error
// the Result still says the format and media when the bytes told them.
//
// TIFF files, ISO base media files and whole-file hashes need r to be an io.ReaderAt and
// an io.Seeker (a file, a bytes.Reader, an io.SectionReader), as does a huge multi-scan
// JPEG, decoded in bands by reading its scans again; other readers serve JPEG, PNG, GIF
// and WebP only, and such a JPEG must then fit the budget whole.
func Sign(ctx context.Context, r io.Reader, opts Options) (Result, error) {
	h := sha256.New()
	res, err := signTo(ctx, r, opts, h)
	if err == nil && res.Signature == "" {
		res.Signature = hex.EncodeToString(h.Sum(nil))
	}
	return res, err
}

// signTo is Sign writing what the digest covers to h (the pixels, the whole file); a
// HEIF's or a movie's signature comes in the Result.
func signTo(ctx context.Context, r io.Reader, opts Options, h io.Writer) (res Result, err error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if opts.MaxPixels <= 0 {
		opts.MaxPixels = DefaultMaxPixels
	}
	if opts.Budget == nil {
		opts.Budget = defaultBudget
	}
	in := &input{ctx: ctx, r: r}
	src, err := in.open()
	if err != nil {
		return Result{}, decodeError(ctx, err, in.err)
	}
	head, err := in.head()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return Result{}, &formatError{"empty file"}
		}
		return Result{}, decodeError(ctx, err, in.err)
	}
	if src == nil {
		src = io.MultiReader(bytes.NewReader(head), in)
	}
	var at io.ReaderAt
	if in.at != nil {
		at = in
	}
	format := sniff(head, opts.Name, at, in.size)
	rule, known := rules[format]
	res = Result{Format: format, Media: rule.media}
	defer func() {
		if p := recover(); p != nil {
			res, err = Result{Format: format, Media: rule.media}, newInternalError(format, p)
		}
	}()
	if !known {
		return res, ErrUnknownFormat
	}
	if rule.method == methodRAW {
		return res, &rawError{format}
	}
	if in.at == nil && (rule.method != methodPixels || format == FormatTIFF) {
		return res, fmt.Errorf("%s: the file must be read at random places, and this reader cannot", format)
	}
	switch rule.method {
	case methodPixels:
		res.Kind = KindPixels
		err = signPixels(ctx, format, src, in, opts, h, &res)
	case methodISOBMFF:
		err = signISOBMFF(ctx, in, in.size, &res)
	case methodWholeFile:
		res.Kind = KindWholeFile
		err = hashWhole(ctx, in, in.size, h)
	}
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	if err != nil {
		return Result{Format: format, Media: res.Media}, decodeError(ctx, err, in.err)
	}
	if rule.method == methodPixels && (res.Width <= 0 || res.Height <= 0) {
		return Result{Format: format, Media: res.Media}, &formatError{fmt.Sprintf("%s: image has no pixels (%dx%d)", format, res.Width, res.Height)}
	}
	return res, nil
}

// signPixels decodes the picture in src (or, for a TIFF, in.at) and writes its exported
// pixels to h.
func signPixels(ctx context.Context, format Format, src io.Reader, in *input, opts Options, h io.Writer, res *Result) error {
	reserve := opts.Budget.Reserve
	var err error
	switch format {
	case FormatPNG:
		var info png.Info
		info, err = png.Decode(ctx, src, h, png.Options{MaxPixels: opts.MaxPixels, Reserve: reserve})
		res.Width, res.Height, res.Warnings = info.Width, info.Height, info.Warnings
	case FormatGIF:
		var info gif.Info
		info, err = gif.Decode(ctx, src, h, gif.Options{MaxPixels: opts.MaxPixels, Reserve: reserve})
		res.Width, res.Height, res.Warnings = info.Width, info.Height, info.Warnings
	case FormatJPEG:
		var info jpeg.Info
		// Half the budget for a band of coefficients: two huge progressive images can
		// decode at once, and there is room for the rest of each decode.
		info, err = jpeg.Decode(ctx, src, h, jpeg.Options{MaxPixels: opts.MaxPixels, Reserve: reserve,
			MaxBandBytes: opts.Budget.Size() / 2})
		res.Width, res.Height, res.Warnings = info.Width, info.Height, info.Warnings
	case FormatWebP:
		var info webp.Info
		info, err = webp.DecodeContext(ctx, src, h, webp.Options{MaxPixels: opts.MaxPixels, Reserve: reserve})
		res.Width, res.Height, res.Warnings = info.Width, info.Height, info.Warnings
	case FormatTIFF:
		var info tiff.Info
		info, err = tiff.Decode(ctx, in, in.size, h, tiff.Options{MaxPixels: opts.MaxPixels, Reserve: reserve})
		res.Width, res.Height, res.Warnings = info.Width, info.Height, info.Warnings
	}
	return err
}

// signISOBMFF signs a HEIF or a movie with package isobmff.
func signISOBMFF(ctx context.Context, ra io.ReaderAt, size int64, res *Result) error {
	ir, err := isobmff.Sign(ctx, ra, size)
	if res.Media == "" {
		res.Media = isoMedia(ir.HasDuration)
	}
	if err != nil {
		return err
	}
	res.Signature, res.Kind = ir.Signature, KindCodedData
	if ir.Kind == isobmff.KindWholeFile {
		res.Kind = KindWholeFile
	}
	res.Width, res.Height = clampInt(ir.Width), clampInt(ir.Height)
	res.Duration, res.HasDuration = ir.Duration, ir.HasDuration
	return nil
}

func clampInt(v int64) int { return int(min(max(v, 0), 1<<31-1)) }

// hashWhole writes the size bytes of ra to h, checking ctx between pieces.
func hashWhole(ctx context.Context, ra io.ReaderAt, size int64, h io.Writer) error {
	buf := make([]byte, min(size, 1<<20))
	for off := int64(0); off < size; {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := ra.ReadAt(buf[:min(int64(len(buf)), size-off)], off)
		if _, err := h.Write(buf[:n]); err != nil {
			return err
		}
		off += int64(n)
		if err == io.EOF && off < size {
			return fmt.Errorf("%w: the file ended at %d of its %d bytes", ErrRead, off, size)
		}
		if err != nil && err != io.EOF {
			return err
		}
	}
	return nil
}

// SignFile signs the file at path; its name is Options.Name unless that is set. Its
// errors do not repeat the path.
func SignFile(ctx context.Context, path string, opts Options) (Result, error) {
	f, _, err := OpenFile(path)
	if err != nil {
		return Result{}, err
	}
	defer f.Close()
	if opts.Name == "" {
		opts.Name = filepath.Base(path)
	}
	return Sign(ctx, f, opts)
}

// OpenFile opens the file at path to be signed, and gives its size. A folder is refused;
// errors do not repeat the path (the caller prints it).
func OpenFile(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, pathError(err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, pathError(err)
	}
	if st.IsDir() {
		f.Close()
		return nil, 0, errors.New("is a directory")
	}
	return f, st.Size(), nil
}

// pathError drops the path from an *fs.PathError: the caller prints it.
func pathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

// input is what the decoders read: it stops once ctx is done, so that a long decode can
// be cancelled, and keeps the first read error, which makes the decode's failure a read
// error rather than a verdict on the file. When the reader can seek and read at random
// places, at is the file from where r stood (size bytes) and reads through ReadAt are
// watched the same way.
type input struct {
	ctx  context.Context
	r    io.Reader
	err  error
	at   *io.SectionReader // nil when r cannot read at random places
	size int64
}

func (in *input) keep(err error) {
	if err != nil && err != io.EOF && in.err == nil {
		in.err = err
	}
}

func (in *input) Read(p []byte) (int, error) {
	if err := in.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := in.r.Read(p)
	in.keep(err)
	return n, err
}

func (in *input) ReadAt(p []byte, off int64) (int, error) {
	if err := in.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := in.at.ReadAt(p, off)
	in.keep(err)
	return n, err
}

// open finds out whether r reads at random places (an io.ReaderAt and io.Seeker: the file
// starts where r stands) and returns the reader for a streaming decoder.
func (in *input) open() (io.Reader, error) {
	ra, okAt := in.r.(io.ReaderAt)
	rs, okSeek := in.r.(io.Seeker)
	if !okAt || !okSeek {
		return nil, nil
	}
	start, err := rs.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, nil
	}
	end, err := rs.Seek(0, io.SeekEnd)
	if err != nil {
		in.keep(err)
		return nil, err
	}
	if _, err := rs.Seek(start, io.SeekStart); err != nil {
		in.keep(err)
		return nil, err
	}
	in.at, in.size = io.NewSectionReader(ra, start, end-start), end-start
	// Reads through in.ReadAt: watched, and cancelled with ctx. A banded JPEG decode
	// seeks it to read its scans again.
	return io.NewSectionReader(in, 0, in.size), nil
}

// head reads the first SniffLen bytes (fewer from a short file; io.EOF for an empty one).
func (in *input) head() ([]byte, error) {
	head := make([]byte, SniffLen)
	if in.at != nil {
		n, err := in.ReadAt(head[:min(int64(len(head)), in.size)], 0)
		if n == 0 {
			if err == nil {
				err = io.EOF
			}
			return nil, err
		}
		return head[:n], nil
	}
	n, err := io.ReadFull(in, head)
	if n == 0 {
		return nil, err
	}
	return head[:n], nil
}
