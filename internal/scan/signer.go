package scan

import (
	"context"
	"io"

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

// ImageSigner is the real Signer: imagesig's ImageMagick-identical signature and
// exifdate's DateTimeOriginal as the Python flickrsync read it (Wand's full read).
func ImageSigner(ctx context.Context, r io.ReaderAt, size int64) (Signed, error) {
	res, err := imagesig.Sign(ctx, io.NewSectionReader(r, 0, size), imagesig.Options{})
	if err != nil {
		return Signed{}, err
	}
	date, err := exifdate.FullRead(r, size)
	if err != nil {
		return Signed{}, err
	}
	return Signed{Signature: res.Signature, Format: string(res.Format), Width: res.Width,
		Height: res.Height, DateTaken: date}, nil
}
