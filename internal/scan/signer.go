package scan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/exifdate"
	"github.com/flickrsync/flickrsync/internal/imagesig"
)

// Signed is what the Signer learns from a file's bytes: what the catalog records of it.
type Signed struct {
	Signature string // lower-case hex
	// Kind is what the signature is the digest of (imagesig.Kind: pixels, coded data,
	// whole file); Format and Media are imagesig's ("jpeg", "heic", "mp4"...; "photo",
	// "video", "raw").
	Kind, Format, Media string
	Width, Height       int
	Duration            float64 // a movie's, in seconds; 0 when none
	// DateTaken is the date matched on (exifdate.Taken.Date), "" when none; DateSource
	// says where it comes from (exifdate's Source constants).
	DateTaken, DateSource string
	// LiveID is Apple's content identifier, shared by the still and the movie of a Live
	// Photo; "" when none.
	LiveID string
}

// Signer reads a file: r holds its size bytes, name is its file name (which only tells a
// RAW file in a TIFF container). An error means it is not a file that can be signed; its
// text is recorded as the reason, and the Signed returned with it still says the format
// and media when they are known.
type Signer func(ctx context.Context, r io.ReaderAt, size int64, name string) (Signed, error)

// ImageSigner is the real Signer: imagesig's identity (Sign) under the process's memory
// budget, exifdate's date taken (the Python flickrsync's for JPEG and PNG: Wand's full
// read) and Live Photo identifier.
func ImageSigner(ctx context.Context, r io.ReaderAt, size int64, name string) (Signed, error) {
	return Sign(ctx, r, size, imagesig.Options{Name: name})
}

// BudgetSigner is ImageSigner under budget (nil: the process's).
func BudgetSigner(budget *imagesig.Budget) Signer {
	return func(ctx context.Context, r io.ReaderAt, size int64, name string) (Signed, error) {
		return Sign(ctx, r, size, imagesig.Options{Budget: budget, Name: name})
	}
}

// Sign is what a scan records of a file: its identity (imagesig.Sign with opts), its
// date taken and its Live Photo identifier (exifdate). `flickrsync info` shows the same.
func Sign(ctx context.Context, r io.ReaderAt, size int64, opts imagesig.Options) (Signed, error) {
	res, err := imagesig.Sign(ctx, io.NewSectionReader(r, 0, size), opts)
	s := Signed{Format: string(res.Format), Media: string(res.Media)}
	if err != nil {
		return s, err
	}
	taken, err := exifdate.DateTaken(ctx, r, size)
	if err != nil {
		return s, fmt.Errorf("%w: %w", imagesig.ErrRead, err)
	}
	live, err := exifdate.ContentIdentifier(ctx, r, size)
	if err != nil {
		return s, fmt.Errorf("%w: %w", imagesig.ErrRead, err)
	}
	s.Signature, s.Kind, s.Width, s.Height = res.Signature, string(res.Kind), res.Width, res.Height
	if res.HasDuration {
		s.Duration = res.Duration
	}
	s.DateTaken, s.DateSource, s.LiveID = taken.Date, taken.Source, live
	return s, nil
}

// SignFile is Sign on the named file (its name is opts.Name unless that is set); its
// errors do not repeat the path.
func SignFile(ctx context.Context, path string, opts imagesig.Options) (Signed, error) {
	f, size, err := imagesig.OpenFile(path)
	if err != nil {
		return Signed{}, err
	}
	defer f.Close()
	if opts.Name == "" {
		opts.Name = filepath.Base(path)
	}
	return Sign(ctx, f, size, opts)
}

// errorKind is the catalog's kind of a Signer's error: a failed read, or a decode stopped
// by a bug or by the memory budget, is tried again by the next scan; a RAW file is not
// uploadable (not a failure); anything else is the decoder's verdict on the bytes, kept
// until they change.
func errorKind(err error) string {
	switch {
	case errors.Is(err, imagesig.ErrRead):
		return catalog.ErrorRead
	case errors.Is(err, imagesig.ErrInternal), errors.Is(err, imagesig.ErrOverBudget):
		return catalog.ErrorInternal
	case errors.Is(err, imagesig.ErrRAW):
		return catalog.ErrorRAW
	}
	return catalog.ErrorDecode
}
