package imagesig

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/flickrsync/flickrsync/internal/imagesig/gif"
	"github.com/flickrsync/flickrsync/internal/imagesig/jpeg"
	"github.com/flickrsync/flickrsync/internal/imagesig/png"
)

// Sign reads one image from r, detects its format from its first bytes and returns its
// pixel signature. Errors say what is wrong with the data ("png: not enough image data
// (truncated IDAT)", "gif: no image frames", "png: image is 64250x64250, over the 1
// gigapixel limit"); errors.Is matches ErrUnknownFormat and ErrTooLarge, and ctx's error
// when ctx ends during the decode.
func Sign(ctx context.Context, r io.Reader, opts Options) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	max := opts.MaxPixels
	if max <= 0 {
		max = DefaultMaxPixels
	}
	br := bufio.NewReaderSize(&ctxReader{ctx: ctx, r: r}, 64<<10)
	head, err := br.Peek(SniffLen)
	if err != nil && len(head) == 0 {
		if errors.Is(err, io.EOF) {
			return Result{}, errors.New("empty file")
		}
		return Result{}, readError(ctx, err)
	}
	format := Sniff(head)
	h := sha256.New()
	res := Result{Format: format}
	switch format {
	case FormatPNG:
		var info png.Info
		info, err = png.Decode(br, h, png.Options{MaxPixels: max})
		res.Width, res.Height, res.Warnings = info.Width, info.Height, info.Warnings
	case FormatGIF:
		var info gif.Info
		info, err = gif.Decode(br, h, gif.Options{MaxPixels: max})
		res.Width, res.Height, res.Warnings = info.Width, info.Height, info.Warnings
	case FormatJPEG:
		var info jpeg.Info
		info, err = jpeg.Decode(br, h, jpeg.Options{MaxPixels: max})
		res.Width, res.Height, res.Warnings = info.Width, info.Height, info.Warnings
	default:
		return Result{}, ErrUnknownFormat
	}
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	if err != nil {
		return Result{}, decodeError(ctx, err)
	}
	if res.Width <= 0 || res.Height <= 0 {
		return Result{}, fmt.Errorf("%s: image has no pixels (%dx%d)", format, res.Width, res.Height)
	}
	res.Signature = hex.EncodeToString(h.Sum(nil))
	return res, nil
}

// SignFile signs the image in the file at path. Its errors do not repeat the path.
func SignFile(ctx context.Context, path string, opts Options) (Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return Result{}, pathError(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Result{}, pathError(err)
	}
	if st.IsDir() {
		return Result{}, errors.New("is a directory")
	}
	return Sign(ctx, f, opts)
}

// pathError drops the path from an *fs.PathError: the caller prints it.
func pathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

// sigError is a decoder's error that also matches one of imagesig's sentinel errors.
type sigError struct {
	err  error
	kind error
}

func (e *sigError) Error() string   { return e.err.Error() }
func (e *sigError) Unwrap() []error { return []error{e.err, e.kind} }

func decodeError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, png.ErrTooLarge) || errors.Is(err, gif.ErrTooLarge) || errors.Is(err, jpeg.ErrTooLarge) {
		return &sigError{err: err, kind: ErrTooLarge}
	}
	return err
}

func readError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("read: %w", err)
}

// ctxReader stops reading once ctx is done, so that a long decode can be cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
