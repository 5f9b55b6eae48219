package scan

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/exifdate"
	"github.com/flickrsync/flickrsync/internal/imagesig"
)

// Signed is what the Signer learns from a picture's bytes.
type Signed struct {
	Signature     string // lower-case hex
	Format        string // "jpeg", "png", "gif"
	Width, Height int
	DateTaken     string // EXIF DateTimeOriginal as ImageMagick 6 reports it, "" when none
}

// Signer decodes a picture: r holds its size bytes. An error means it is not a picture
// that can be signed; its text is recorded as the reason.
type Signer func(ctx context.Context, r io.ReaderAt, size int64) (Signed, error)

// ImageSigner is the real Signer: imagesig's ImageMagick-identical signature, under the
// process's memory budget, and exifdate's DateTimeOriginal as the Python flickrsync read
// it (Wand's full read).
func ImageSigner(ctx context.Context, r io.ReaderAt, size int64) (Signed, error) {
	return signImage(ctx, r, size, nil)
}

// BudgetSigner is ImageSigner under budget (nil: the process's).
func BudgetSigner(budget *imagesig.Budget) Signer {
	return func(ctx context.Context, r io.ReaderAt, size int64) (Signed, error) {
		return signImage(ctx, r, size, budget)
	}
}

func signImage(ctx context.Context, r io.ReaderAt, size int64, budget *imagesig.Budget) (Signed, error) {
	res, err := imagesig.Sign(ctx, io.NewSectionReader(r, 0, size), imagesig.Options{Budget: budget})
	if err != nil {
		return Signed{}, err
	}
	taken, err := exifdate.DateTaken(ctx, r, size)
	if err != nil {
		return Signed{}, fmt.Errorf("%w: %w", imagesig.ErrRead, err)
	}
	return Signed{Signature: res.Signature, Format: string(res.Format), Width: res.Width,
		Height: res.Height, DateTaken: taken.Date}, nil
}

// errorKind is the catalog's kind of a Signer's error: a failed read, or a decode stopped
// by a bug or by the memory budget, is tried again by the next scan; anything else is the
// decoder's verdict on the bytes, kept until they change.
func errorKind(err error) string {
	switch {
	case errors.Is(err, imagesig.ErrRead):
		return catalog.ErrorRead
	case errors.Is(err, imagesig.ErrInternal), errors.Is(err, imagesig.ErrOverBudget):
		return catalog.ErrorInternal
	}
	return catalog.ErrorDecode
}
