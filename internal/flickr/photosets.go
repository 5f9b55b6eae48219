package flickr

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/flickrsync/flickrsync/internal/flickr/api"
)

// Photoset is one album of photosets.getList (URL only from PhotosetsCreate).
type Photoset struct {
	ID          string // decimal digits
	Title       string // as Flickr has it: escape it before printing
	Description string
	Primary     string // primary photo id
	Photos      int
	Videos      int
	// DateUpdate is the set's last change (unix seconds, Flickr's clock): its photos,
	// their order, its primary, its title; 0 when not PlausibleTime.
	DateUpdate int64
}

// PhotosetsGetList lists the token owner's photosets in the owner's order, all pages
// (ended as photo lists end: see pager).
func (c *Client) PhotosetsGetList(ctx context.Context) ([]Photoset, error) {
	var all []Photoset
	pg := pager{max: c.maxPages}
	for page := 1; ; page++ {
		var r api.PhotosetsResponse
		p := url.Values{"page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(maxPerPage)}}
		if _, err := c.callPage(ctx, "flickr.photosets.getList", p, &r, pageLimits(maxPerPage)); err != nil {
			return nil, err
		}
		sets := make([]Photoset, 0, len(r.Photosets.Photoset))
		ids := make([]string, 0, len(r.Photosets.Photoset))
		for _, w := range r.Photosets.Photoset {
			s := Photoset{
				ID: string(w.ID), Title: string(w.Title), Description: string(w.Description),
				Primary: string(w.Primary), Photos: int(w.Photos), Videos: int(w.Videos),
				DateUpdate: plausible(int64(w.DateUpdate), time.Now()),
			}
			if !isID(s.ID) {
				return nil, fmt.Errorf("flickr.photosets.getList: %w", badValue("photoset id", s.ID))
			}
			if s.Primary != "" && !isID(s.Primary) {
				return nil, fmt.Errorf("flickr.photosets.getList: %w", badValue("primary photo of set "+s.ID, s.Primary))
			}
			sets = append(sets, s)
			ids = append(ids, s.ID)
		}
		pages := int(r.Photosets.Pages)
		if pages == 0 {
			pages = page // an answer without paging holds every set
		}
		handOver, more := pg.step(page, int(r.Photosets.Page), pages, ids)
		if handOver {
			all = append(all, sets...)
		}
		if !handOver || !more {
			return dedupe(all, func(s Photoset) string { return s.ID }), nil
		}
	}
}

// PhotosetsGetPhotos lists a set's photos and videos (ids, in the set's order), all
// pages (ended as photo lists end: see pager). Only the set's owner sees its private
// photos.
func (c *Client) PhotosetsGetPhotos(ctx context.Context, setID string) ([]string, error) {
	if !isID(setID) {
		return nil, fmt.Errorf("flickr.photosets.getPhotos: photoset id %q is not a Flickr id", cleanText(setID, 40))
	}
	var all []string
	pg := pager{max: c.maxPages}
	for page := 1; ; page++ {
		var r api.PhotosetPhotosResponse
		p := url.Values{"photoset_id": {setID}, "page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(maxPerPage)}, "media": {"all"}}
		if _, err := c.callPage(ctx, "flickr.photosets.getPhotos", p, &r, pageLimits(maxPerPage)); err != nil {
			return nil, err
		}
		ids := make([]string, 0, len(r.Photoset.Photo))
		for _, w := range r.Photoset.Photo {
			if !isID(string(w.ID)) {
				return nil, fmt.Errorf("flickr.photosets.getPhotos: %w", badValue("photo id of set "+setID, string(w.ID)))
			}
			ids = append(ids, string(w.ID))
		}
		pages := int(r.Photoset.Pages)
		if pages == 0 {
			pages = page
		}
		handOver, more := pg.step(page, int(r.Photoset.Page), pages, ids)
		if handOver {
			all = append(all, ids...)
		}
		if !handOver || !more {
			return dedupe(all, func(s string) string { return s }), nil
		}
	}
}

// PhotosetsCreate creates a photoset with a primary photo (Flickr requires one) and
// returns its id. The call is not repeated once it may have reached Flickr (a lost
// answer could otherwise create the set twice): the error then wraps ErrOutcomeUnknown,
// and the sets should be listed before trying again.
func (c *Client) PhotosetsCreate(ctx context.Context, title, description, primaryPhotoID string) (string, error) {
	p := url.Values{"title": {title}, "primary_photo_id": {primaryPhotoID}}
	if description != "" {
		p.Set("description", description)
	}
	var r api.PhotosetCreateResponse
	err := c.do(ctx, "flickr.photosets.create", doOpts{}, func(ctx context.Context, n int) error {
		err := c.callOnce(ctx, "flickr.photosets.create", p, &r, api.DefaultLimits, n, nil)
		var ne *netError
		if errors.As(err, &ne) && ne.sent {
			// Not retryable: the set may exist now.
			return fmt.Errorf("flickr.photosets.create: %w: %v", ErrOutcomeUnknown, ne)
		}
		return err
	})
	if err != nil {
		return "", err
	}
	if id := string(r.Photoset.ID); !isID(id) {
		return "", fmt.Errorf("flickr.photosets.create: %w", badValue("photoset id", id))
	}
	return string(r.Photoset.ID), nil
}

// PhotosetsEditPhotos replaces a set's photos with photoIDs, in that order; primary must
// be among them.
func (c *Client) PhotosetsEditPhotos(ctx context.Context, setID, primaryPhotoID string, photoIDs []string) error {
	return c.call(ctx, "flickr.photosets.editPhotos", url.Values{"photoset_id": {setID},
		"primary_photo_id": {primaryPhotoID}, "photo_ids": {strings.Join(photoIDs, ",")}}, nil)
}

// PhotosetsDelete deletes a set (not its photos); success when a retry after a lost
// answer finds it gone.
func (c *Client) PhotosetsDelete(ctx context.Context, setID string) error {
	return c.callRepeatable(ctx, "flickr.photosets.delete", url.Values{"photoset_id": {setID}}, nil, CodeNotFound)
}
