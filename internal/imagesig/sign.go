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

	"github.com/flickrsync/flickrsync/internal/imagesig/gif"
	"github.com/flickrsync/flickrsync/internal/imagesig/jpeg"
	"github.com/flickrsync/flickrsync/internal/imagesig/png"
)

// Sign reads one image from r, detects its format from its first bytes and returns its
// pixel signature. Errors say what is wrong with the data ("png: not enough image data
// (truncated IDAT)", "gif: no image frames", "png: image is 64250x64250, over the 1
// gigapixel limit"); Refused tells a verdict on the bytes from a failed attempt. errors.Is
// matches ErrUnknownFormat and ErrTooLarge (verdicts), ErrRead, ErrOverBudget and
// ErrInternal (a decoder bug, reported with where it is instead of crashing the caller),
// and ctx's error when ctx ends during the decode: decoders stop within a row or so.
//
// When r is an io.ReadSeeker, a huge multi-scan JPEG is decoded in bands, reading its
// scans again from where the previous band left them; from other readers it must fit the
// budget whole.
func Sign(ctx context.Context, r io.Reader, opts Options) (Result, error) {
	h := sha256.New()
	res, err := signTo(ctx, r, opts, h)
	if err != nil {
		return Result{}, err
	}
	res.Signature = hex.EncodeToString(h.Sum(nil))
	return res, nil
}

// signTo decodes the image in r and writes its exported pixels to h.
func signTo(ctx context.Context, r io.Reader, opts Options, h io.Writer) (res Result, err error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	max := opts.MaxPixels
	if max <= 0 {
		max = DefaultMaxPixels
	}
	budget := opts.Budget
	if budget == nil {
		budget = defaultBudget
	}
	in := &input{ctx: ctx, r: r}
	head, src, err := in.sniff()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return Result{}, &formatError{"empty file"}
		}
		return Result{}, decodeError(ctx, err, in.err)
	}
	format := Sniff(head)
	res.Format = format
	defer func() {
		if p := recover(); p != nil {
			res, err = Result{}, newInternalError(format, p)
		}
	}()
	switch format {
	case FormatPNG:
		var info png.Info
		info, err = png.Decode(ctx, src, h, png.Options{MaxPixels: max, Reserve: budget.Reserve})
		res.Width, res.Height, res.Warnings = info.Width, info.Height, info.Warnings
	case FormatGIF:
		var info gif.Info
		info, err = gif.Decode(ctx, src, h, gif.Options{MaxPixels: max, Reserve: budget.Reserve})
		res.Width, res.Height, res.Warnings = info.Width, info.Height, info.Warnings
	case FormatJPEG:
		var info jpeg.Info
		// Half the budget for a band of coefficients: two huge progressive images can
		// decode at once, and there is room for the rest of each decode.
		info, err = jpeg.Decode(ctx, src, h, jpeg.Options{MaxPixels: max, Reserve: budget.Reserve,
			MaxBandBytes: budget.Size() / 2})
		res.Width, res.Height, res.Warnings = info.Width, info.Height, info.Warnings
	default:
		return Result{}, ErrUnknownFormat
	}
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	if err != nil {
		return Result{}, decodeError(ctx, err, in.err)
	}
	if res.Width <= 0 || res.Height <= 0 {
		return Result{}, &formatError{fmt.Sprintf("%s: image has no pixels (%dx%d)", format, res.Width, res.Height)}
	}
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

// input is the reader the decoders read: it stops once ctx is done, so that a long decode
// can be cancelled, and keeps the first read error, which makes the decode's failure a
// read error rather than a verdict on the file.
type input struct {
	ctx context.Context
	r   io.Reader
	err error
}

func (in *input) Read(p []byte) (int, error) {
	if err := in.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := in.r.Read(p)
	if err != nil && err != io.EOF && in.err == nil {
		in.err = err
	}
	return n, err
}

// sniff reads the first SniffLen bytes (fewer at the end of a short file; io.EOF for an
// empty one) and returns them with the reader for the decoder, which reads from the start.
func (in *input) sniff() ([]byte, io.Reader, error) {
	head := make([]byte, SniffLen)
	if rs, ok := in.r.(io.ReadSeeker); ok {
		if start, err := rs.Seek(0, io.SeekCurrent); err == nil {
			n, err := io.ReadFull(in, head)
			if n == 0 {
				return nil, nil, err
			}
			if _, err := rs.Seek(start, io.SeekStart); err != nil {
				in.err = err
				return nil, nil, err
			}
			return head[:n], &seekingInput{in, rs}, nil
		}
	}
	n, err := io.ReadFull(in, head)
	if n == 0 {
		return nil, nil, err
	}
	return head[:n], io.MultiReader(bytes.NewReader(head[:n]), in), nil
}

// seekingInput is input that can seek (a banded JPEG decode reads its scans again).
type seekingInput struct {
	*input
	rs io.ReadSeeker
}

func (s *seekingInput) Seek(off int64, whence int) (int64, error) {
	n, err := s.rs.Seek(off, whence)
	if err != nil && s.err == nil {
		s.err = err
	}
	return n, err
}
