package imagesig

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/flickrsync/flickrsync/internal/imagesig/gif"
	"github.com/flickrsync/flickrsync/internal/imagesig/jpeg"
	"github.com/flickrsync/flickrsync/internal/imagesig/png"
	"github.com/flickrsync/flickrsync/internal/imagesig/tiff"
	"github.com/flickrsync/flickrsync/internal/imagesig/webp"
	"github.com/flickrsync/flickrsync/internal/isobmff"
)

// ErrUnknownFormat is returned for data that is no picture or video format Sign knows.
var ErrUnknownFormat = errors.New("unknown format (not a picture or video flickrsync reads)")

// ErrRAW matches the refusal of a camera RAW file (CR2, CR3, NEF, ARW, DNG, ORF, RAF, RW2...):
// Flickr takes none, so it is not signed and never uploaded.
var ErrRAW = errors.New("not uploadable (RAW)")

// rawError is the refusal of a RAW file, naming its format.
type rawError struct{ format Format }

func (e *rawError) Error() string        { return strings.ToUpper(string(e.format)) + ": " + ErrRAW.Error() }
func (e *rawError) Is(target error) bool { return target == ErrRAW }

// ErrTooLarge is returned (wrapped, with the image size in the message) for an image over
// the pixel limit, or a JPEG with more data before its image than any real one has.
var ErrTooLarge = errors.New("image over the pixel limit")

// ErrInternal matches the error of a decode that stopped on a bug of flickrsync's own
// decoder (a runtime panic: an index out of range, a nil dereference...), not on the
// file: the file may be fine, and a fixed flickrsync may well sign it. Its text says where
// the bug is, for a report.
var ErrInternal = errors.New("internal decoder error")

// ErrRead matches the error of a decode that stopped because reading the file failed.
var ErrRead = errors.New("read error")

// Refused reports whether err, from Sign, is a verdict on the bytes: they are not an image
// ImageMagick 6 decodes (the decoders' format and unsupported-feature errors, an unknown
// format, an empty file), nor a HEIF or movie whose container holds together, the image is
// over the pixel limit, or the file is a RAW file. Trying again changes nothing until the
// file does. The other errors (ErrRead, ErrInternal, ErrOverBudget,
// ctx's) are about this attempt, not the file.
func Refused(err error) bool {
	if err == nil || errors.Is(err, ErrRead) || errors.Is(err, ErrInternal) || errors.Is(err, ErrOverBudget) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var fe *formatError
	for _, f := range []Format{FormatJPEG, FormatPNG, FormatGIF, FormatTIFF, FormatWebP, FormatHEIF, FormatUnknown} {
		if refusedBy(f, err) {
			return true
		}
	}
	return errors.As(err, &fe) || errors.Is(err, ErrTooLarge) || errors.Is(err, ErrRAW)
}

// refusedBy reports whether err is the refusal of the decoder of format f: its format or
// unsupported-feature error, or its pixel limit; for the ISO base media formats, package
// isobmff's verdicts; for FormatUnknown, ErrUnknownFormat.
func refusedBy(f Format, err error) bool {
	switch f {
	case FormatJPEG:
		var fe jpeg.FormatError
		var ue jpeg.UnsupportedError
		return errors.As(err, &fe) || errors.As(err, &ue) || errors.Is(err, jpeg.ErrTooLarge)
	case FormatPNG:
		var fe png.FormatError
		return errors.As(err, &fe) || errors.Is(err, png.ErrTooLarge)
	case FormatGIF:
		var fe gif.FormatError
		return errors.As(err, &fe) || errors.Is(err, gif.ErrTooLarge)
	case FormatTIFF:
		var fe tiff.FormatError
		var ue tiff.UnsupportedError
		return errors.As(err, &fe) || errors.As(err, &ue) || errors.Is(err, tiff.ErrTooLarge)
	case FormatWebP:
		var fe webp.FormatError
		var ue webp.UnsupportedError
		return errors.As(err, &fe) || errors.As(err, &ue) || errors.Is(err, webp.ErrTooLarge)
	case FormatHEIC, FormatAVIF, FormatHEIF, FormatMOV, FormatMP4, FormatM4V, Format3GP, Format3G2, FormatISOBMFF:
		var fe *isobmff.FormatError
		return errors.As(err, &fe) || errors.Is(err, isobmff.ErrEmpty) || errors.Is(err, isobmff.ErrTooManyItems)
	}
	return errors.Is(err, ErrUnknownFormat)
}

// formatError is a verdict of Sign's own on the bytes (an empty file, an image of no pixels).
type formatError struct{ msg string }

func (e *formatError) Error() string { return e.msg }

// sigError is a decoder's error that also matches one of imagesig's sentinel errors.
type sigError struct {
	err  error
	kind error
}

func (e *sigError) Error() string   { return e.err.Error() }
func (e *sigError) Unwrap() []error { return []error{e.err, e.kind} }

// decodeError classifies the error a decoder returned; readErr is the first error the
// input returned, if any.
func decodeError(ctx context.Context, err, readErr error) error {
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, png.ErrTooLarge) || errors.Is(err, gif.ErrTooLarge) || errors.Is(err, jpeg.ErrTooLarge) ||
		errors.Is(err, tiff.ErrTooLarge) || errors.Is(err, webp.ErrTooLarge):
		return &sigError{err: err, kind: ErrTooLarge}
	case readErr != nil && !errors.Is(err, ErrOverBudget):
		return fmt.Errorf("%w: %w", ErrRead, readErr)
	}
	return err
}

// internalError is a bug of a decoder: the value it panicked with, and where.
type internalError struct {
	format Format
	value  any
	where  string
}

func (e *internalError) Error() string {
	return fmt.Sprintf("%s: internal decoder error, a flickrsync bug (please report it): %v at %s", e.format, e.value, e.where)
}

func (e *internalError) Is(target error) bool { return target == ErrInternal }

// newInternalError describes the panic being recovered (called by the deferred function
// that recovered it): its value and the function it started in.
func newInternalError(f Format, value any) error {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)])
	where := "unknown place"
	for {
		fr, more := frames.Next()
		// Skip the panic machinery and the decoders' own recovery, which panicked again.
		if fr.Function != "" && !strings.HasPrefix(fr.Function, "runtime.") && !strings.HasSuffix(fr.Function, ".recoverError") {
			where = fmt.Sprintf("%s (%s:%d)", fr.Function[strings.LastIndexByte(fr.Function, '/')+1:], filepath.Base(fr.File), fr.Line)
			break
		}
		if !more {
			break
		}
	}
	return &internalError{format: f, value: value, where: where}
}
