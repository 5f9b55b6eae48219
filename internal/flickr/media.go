package flickr

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"

	"github.com/flickrsync/flickrsync/internal/flickr/api"
)

// Videos (MEDIA.md): uploaded on the photo endpoint, their date taken set afterwards
// (Flickr reads none from a video file), their original offered by getSizes' "Video
// Original" to the owner of a Pro account only.

// Size is one size of a photo or video (flickr.photos.getSizes).
type Size struct {
	Label         string // "Square", "Original", "Video Original"...
	Width, Height int
	Source        string // the file's URL (checked: printable ASCII)
	Media         string // "photo" or "video"
}

// maxSizes bounds the sizes of one photo (Flickr lists about twenty).
const maxSizes = 100

// PhotosGetSizes calls flickr.photos.getSizes.
func (c *Client) PhotosGetSizes(ctx context.Context, photoID string) ([]Size, error) {
	if !isID(photoID) {
		return nil, fmt.Errorf("flickr.photos.getSizes: photo id %q is not a Flickr id", cleanText(photoID, 40))
	}
	var r api.SizesResponse
	if err := c.call(ctx, "flickr.photos.getSizes", url.Values{"photo_id": {photoID}}, &r); err != nil {
		return nil, err
	}
	if len(r.Sizes.Size) > maxSizes {
		return nil, fmt.Errorf("flickr.photos.getSizes: %w: more than %d sizes", ErrBadResponse, maxSizes)
	}
	out := make([]Size, 0, len(r.Sizes.Size))
	for _, s := range r.Sizes.Size {
		z := Size{Label: cleanText(string(s.Label), 40), Width: int(s.Width), Height: int(s.Height),
			Source: string(s.Source), Media: string(s.Media)}
		if !isURL(z.Source) {
			return nil, fmt.Errorf("flickr.photos.getSizes: %w", badValue("size source of photo "+photoID, z.Source))
		}
		out = append(out, z)
	}
	return out, nil
}

// VideoOriginalLabel is the getSizes label of a video's original file.
const VideoOriginalLabel = "Video Original"

// ErrNoVideoOriginal is what VideoOriginal wraps when Flickr lists no original of the
// video for the caller: only its owner, on a Pro account, is offered one (a free account
// gets the Medium sizes only since 2022); a very old video may have only its player.
var ErrNoVideoOriginal = errors.New("Flickr offers no original of this video to this account (only the owner of a Pro account gets it; the others get transcodes, never saved as the original)")

// VideoOriginal returns the URL of the video's original file (getSizes' "Video Original":
// https://www.flickr.com/photos/<nsid>/<id>/play/orig/<originalsecret>/, which redirects
// to the file), or an error wrapping ErrNoVideoOriginal.
func (c *Client) VideoOriginal(ctx context.Context, photoID string) (string, error) {
	sizes, err := c.PhotosGetSizes(ctx, photoID)
	if err != nil {
		return "", err
	}
	for _, s := range sizes {
		if s.Label == VideoOriginalLabel && s.Source != "" {
			return s.Source, nil
		}
	}
	return "", fmt.Errorf("video %s: %w", photoID, ErrNoVideoOriginal)
}

// PhotosSetDateTaken sets a photo's date taken (flickr.photos.setDates' date_taken,
// "YYYY-MM-DD HH:MM:SS" in the photo's local time, granularity 0: exact).
func (c *Client) PhotosSetDateTaken(ctx context.Context, photoID, dateTaken string) error {
	if !isID(photoID) {
		return fmt.Errorf("flickr.photos.setDates: photo id %q is not a Flickr id", cleanText(photoID, 40))
	}
	if !isDateTaken(dateTaken) {
		return fmt.Errorf("flickr.photos.setDates: date %q is not YYYY-MM-DD HH:MM:SS", cleanText(dateTaken, 40))
	}
	return c.call(ctx, "flickr.photos.setDates", url.Values{"photo_id": {photoID}, "date_taken": {dateTaken},
		"date_taken_granularity": {strconv.Itoa(0)}}, nil)
}
