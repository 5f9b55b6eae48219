package flickr

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/flickrsync/flickrsync/internal/flickr/api"
)

// Photoset is one album of photosets.getList (URL only from PhotosetsCreate).
type Photoset struct {
	ID          string
	Title       string
	Description string
	Primary     string // primary photo id
	Photos      int
	Videos      int
	DateCreate  int64
	DateUpdate  int64
	URL         string
}

// PhotosetsGetList lists the token owner's photosets in the owner's order, all pages.
func (c *Client) PhotosetsGetList(ctx context.Context) ([]Photoset, error) {
	var all []Photoset
	seen := map[string]bool{}
	for page := 1; ; page++ {
		var r api.PhotosetsResponse
		p := url.Values{"page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(DefaultPerPage)}}
		if err := c.call(ctx, "flickr.photosets.getList", p, &r); err != nil {
			return nil, err
		}
		for _, w := range r.Photosets.Photoset {
			if seen[string(w.ID)] {
				continue
			}
			seen[string(w.ID)] = true
			all = append(all, Photoset{
				ID: string(w.ID), Title: string(w.Title), Description: string(w.Description),
				Primary: string(w.Primary), Photos: int(w.Photos), Videos: int(w.Videos),
				DateCreate: int64(w.DateCreate), DateUpdate: int64(w.DateUpdate),
			})
		}
		got := int(r.Photosets.Page)
		// An answer without paging holds every set.
		if r.Photosets.Pages == 0 || (got != 0 && got < page) || page >= int(r.Photosets.Pages) {
			return all, nil
		}
	}
}

// PhotosetsGetPhotos lists a photoset's photos in the set's order, all pages, with
// opt.Extras (default DefaultExtras); opt.UserID and MinUploadDate are not used.
func (c *Client) PhotosetsGetPhotos(ctx context.Context, setID string, opt ListOptions) ([]Photo, error) {
	params := opt.params()
	params.Del("user_id")
	params.Del("min_upload_date")
	params.Set("photoset_id", setID)
	return c.collect(ctx, opt, func(ctx context.Context, page int) (PhotoPage, error) {
		p := url.Values{}
		for k, v := range params {
			p[k] = v
		}
		p.Set("page", strconv.Itoa(page))
		var r api.PhotosetPhotosResponse
		if err := c.call(ctx, "flickr.photosets.getPhotos", p, &r); err != nil {
			return PhotoPage{}, err
		}
		s := &r.Photoset
		out := PhotoPage{Page: int(s.Page), Pages: int(s.Pages), PerPage: int(s.PerPage), Total: int(s.Total),
			Photos: make([]Photo, len(s.Photo))}
		for i := range s.Photo {
			out.Photos[i] = photoFromWire(&s.Photo[i])
		}
		return out, nil
	})
}

// PhotosetsCreate creates a photoset with a primary photo (Flickr requires one). The
// call is not repeated once it may have reached Flickr (a lost answer could otherwise
// create the set twice): on a transport error list the sets before trying again.
func (c *Client) PhotosetsCreate(ctx context.Context, title, description, primaryPhotoID string) (Photoset, error) {
	p := url.Values{"title": {title}, "primary_photo_id": {primaryPhotoID}}
	if description != "" {
		p.Set("description", description)
	}
	var r api.PhotosetCreateResponse
	err := c.do(ctx, "flickr.photosets.create", doOpts{}, func(ctx context.Context, n int) error {
		err := c.callOnce(ctx, "flickr.photosets.create", p, &r, n, nil)
		var ne *netError
		if errors.As(err, &ne) && ne.sent {
			// Not retryable: the set may exist now.
			return fmt.Errorf("flickr.photosets.create %q: %w: %v", title, ErrOutcomeUnknown, ne)
		}
		return err
	})
	if err != nil {
		return Photoset{}, err
	}
	return Photoset{ID: string(r.Photoset.ID), URL: string(r.Photoset.URL), Title: title,
		Description: description, Primary: primaryPhotoID, Photos: 1}, nil
}

// PhotosetsEditPhotos replaces a set's photos with photoIDs, in that order; primary must
// be among them.
func (c *Client) PhotosetsEditPhotos(ctx context.Context, setID, primaryPhotoID string, photoIDs []string) error {
	return c.call(ctx, "flickr.photosets.editPhotos", url.Values{"photoset_id": {setID},
		"primary_photo_id": {primaryPhotoID}, "photo_ids": {strings.Join(photoIDs, ",")}}, nil)
}

// PhotosetsAddPhoto appends a photo to a set (error code 3 if it is there already;
// success when a retry after a lost answer finds it there).
func (c *Client) PhotosetsAddPhoto(ctx context.Context, setID, photoID string) error {
	return c.callRepeatable(ctx, "flickr.photosets.addPhoto", url.Values{"photoset_id": {setID}, "photo_id": {photoID}}, nil, CodePhotoAlreadyInSet)
}

// PhotosetsRemovePhotos removes photos from a set.
func (c *Client) PhotosetsRemovePhotos(ctx context.Context, setID string, photoIDs []string) error {
	return c.call(ctx, "flickr.photosets.removePhotos", url.Values{"photoset_id": {setID},
		"photo_ids": {strings.Join(photoIDs, ",")}}, nil)
}

// PhotosetsDelete deletes a set (not its photos); success when a retry after a lost
// answer finds it gone.
func (c *Client) PhotosetsDelete(ctx context.Context, setID string) error {
	return c.callRepeatable(ctx, "flickr.photosets.delete", url.Values{"photoset_id": {setID}}, nil, CodeNotFound)
}
