package flickr

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/flickrsync/flickrsync/internal/flickr/api"
	"github.com/flickrsync/flickrsync/internal/names"
)

// DefaultExtras are the extras every photo list asks for: what the sync needs to match a
// Flickr photo to a local file and to download its original.
var DefaultExtras = []string{"date_upload", "date_taken", "original_format", "tags",
	"machine_tags", "url_o", "media", "last_update"}

// Photo is one photo of a list, parsed from the DefaultExtras.
type Photo struct {
	ID               string
	Secret           string
	OriginalSecret   string
	OriginalFormat   string // jpg, png, gif...; for a video the poster frame's format
	Title            string
	DateUpload       int64  // unix seconds (GMT)
	DateTaken        string // "YYYY-MM-DD HH:MM:SS" in the owner's local time
	DateTakenUnknown bool   // Flickr set DateTaken from the upload time
	Granularity      int    // datetakengranularity: 0 exact, 4 month, 6 year, 8 circa
	LastUpdate       int64
	Tags             []string // clean tags, machine tags included
	MachineTags      []string // clean machine tags only
	URLO             string   // the original's URL ("" when the caller may not see it)
	Media            string   // "photo" or "video"
	IsPublic         bool
	IsFriend         bool
	IsFamily         bool
	IsPrimary        bool // photosets.getPhotos: the set's primary photo
}

// Signature returns the flickrsync signature held in the photo's machine tags (then its
// tags), or "": names.SignatureIn's rule.
func (p *Photo) Signature() string {
	for _, list := range [][]string{p.MachineTags, p.Tags} {
		for _, t := range list {
			if sig, ok := names.SignatureIn(t); ok {
				return sig
			}
		}
	}
	return ""
}

func photoFromWire(w *api.Photo) Photo {
	return Photo{
		ID:               string(w.ID),
		Secret:           string(w.Secret),
		OriginalSecret:   string(w.OriginalSecret),
		OriginalFormat:   string(w.OriginalFormat),
		Title:            string(w.Title),
		DateUpload:       int64(w.DateUpload),
		DateTaken:        string(w.DateTaken),
		DateTakenUnknown: w.DateTakenUnknown != 0,
		Granularity:      int(w.DateTakenGranularity),
		LastUpdate:       int64(w.LastUpdate),
		Tags:             strings.Fields(string(w.Tags)),
		MachineTags:      strings.Fields(string(w.MachineTags)),
		URLO:             string(w.URLO),
		Media:            string(w.Media),
		IsPublic:         w.IsPublic != 0,
		IsFriend:         w.IsFriend != 0,
		IsFamily:         w.IsFamily != 0,
		IsPrimary:        w.IsPrimary != 0,
	}
}

// PhotoPage is one page of a photo list.
type PhotoPage struct {
	Page, Pages, PerPage, Total int
	Photos                      []Photo
	// AsOf is a time on Flickr's clock no later than the moment Flickr read this page
	// (see callAsOf); zero when the answer did not say.
	AsOf time.Time
}

// ListOptions select and page a photo list.
type ListOptions struct {
	UserID  string   // "" means "me", the token's owner
	PerPage int      // default 500, Flickr's maximum
	Extras  []string // default DefaultExtras
	// MinUploadDate (people.getPhotos, photos.search): only photos uploaded at or after
	// this unix time; 0 means no bound.
	MinUploadDate int64
	// Progress, if set, is called after each page arrives (for a progress display).
	Progress func(page PhotoPage)
}

func (o *ListOptions) params() url.Values {
	p := url.Values{}
	p.Set("user_id", o.UserID)
	if o.UserID == "" {
		p.Set("user_id", "me")
	}
	p.Set("per_page", strconv.Itoa(o.perPage()))
	extras := o.Extras
	if extras == nil {
		extras = DefaultExtras
	}
	if len(extras) > 0 {
		p.Set("extras", strings.Join(extras, ","))
	}
	if o.MinUploadDate > 0 {
		p.Set("min_upload_date", strconv.FormatInt(o.MinUploadDate, 10))
	}
	return p
}

func (o *ListOptions) perPage() int {
	if o.PerPage <= 0 || o.PerPage > DefaultPerPage {
		return DefaultPerPage
	}
	return o.PerPage
}

// walkPages fetches page 1, 2, ... while page <= pages (Flickr repeats photos past the
// last page rather than answering an empty one, so "until empty" never ends), handing
// each page to fn.
func (c *Client) walkPages(ctx context.Context, fetch func(ctx context.Context, page int) (PhotoPage, error), fn func(PhotoPage) error) error {
	for page := 1; ; page++ {
		p, err := fetch(ctx, page)
		if err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
		// Flickr clamps page to 10000 and may answer another page than asked; stop on
		// the answer's own numbers.
		if (p.Page != 0 && p.Page < page) || page >= p.Pages {
			return nil
		}
	}
}

// collect walks every page and returns the photos, each ID once (a photo may move to
// the next page while the list is read and then show up twice).
func (c *Client) collect(ctx context.Context, opt ListOptions, fetch func(ctx context.Context, page int) (PhotoPage, error)) ([]Photo, error) {
	var all []Photo
	seen := map[string]bool{}
	err := c.walkPages(ctx, fetch, func(p PhotoPage) error {
		for _, ph := range p.Photos {
			if !seen[ph.ID] {
				seen[ph.ID] = true
				all = append(all, ph)
			}
		}
		if opt.Progress != nil {
			opt.Progress(p)
		}
		return nil
	})
	return all, err
}

func (c *Client) photoListPage(ctx context.Context, method string, params url.Values, page int) (PhotoPage, error) {
	p := url.Values{}
	for k, v := range params {
		p[k] = v
	}
	p.Set("page", strconv.Itoa(page))
	var r api.PhotosResponse
	asOf, err := c.callAsOf(ctx, method, p, &r)
	if err != nil {
		return PhotoPage{}, err
	}
	out := photoPageFromWire(&r.Photos)
	out.AsOf = asOf
	return out, nil
}

func photoPageFromWire(l *api.PhotoList) PhotoPage {
	out := PhotoPage{Page: int(l.Page), Pages: int(l.Pages), PerPage: int(l.PerPage), Total: int(l.Total),
		Photos: make([]Photo, len(l.Photo))}
	for i := range l.Photo {
		out.Photos[i] = photoFromWire(&l.Photo[i])
	}
	return out
}

// PeopleGetPhotos lists every photo of opt.UserID (default: the token's owner) with
// flickr.people.getPhotos, 500 a page, all pages.
func (c *Client) PeopleGetPhotos(ctx context.Context, opt ListOptions) ([]Photo, error) {
	params := opt.params()
	return c.collect(ctx, opt, func(ctx context.Context, page int) (PhotoPage, error) {
		return c.photoListPage(ctx, "flickr.people.getPhotos", params, page)
	})
}

// WalkPeoplePhotos is PeopleGetPhotos handing each page to fn instead of collecting;
// an error from fn stops the walk and is returned.
func (c *Client) WalkPeoplePhotos(ctx context.Context, opt ListOptions, fn func(PhotoPage) error) error {
	params := opt.params()
	return c.walkPages(ctx, func(ctx context.Context, page int) (PhotoPage, error) {
		return c.photoListPage(ctx, "flickr.people.getPhotos", params, page)
	}, fn)
}

// SearchOptions are the flickr.photos.search criteria the sync uses.
type SearchOptions struct {
	ListOptions
	MachineTags string // e.g. `flickrsync:signature=<hex>`
	Tags        string // comma-separated clean tags
	TagMode     string // "any" (default) or "all"
}

// PhotosSearch runs flickr.photos.search (all pages; Flickr serves at most the first
// 4000 results of one query).
func (c *Client) PhotosSearch(ctx context.Context, q SearchOptions) ([]Photo, error) {
	params := q.params()
	if q.MachineTags != "" {
		params.Set("machine_tags", q.MachineTags)
	}
	if q.Tags != "" {
		params.Set("tags", q.Tags)
	}
	if q.TagMode != "" {
		params.Set("tag_mode", q.TagMode)
	}
	return c.collect(ctx, q.ListOptions, func(ctx context.Context, page int) (PhotoPage, error) {
		return c.photoListPage(ctx, "flickr.photos.search", params, page)
	})
}

// SearchBySignature finds the token owner's photos carrying the flickrsync signature
// machine tag for sig (lowercase hex).
func (c *Client) SearchBySignature(ctx context.Context, sig string) ([]Photo, error) {
	return c.PhotosSearch(ctx, SearchOptions{MachineTags: names.CleanSignatureTag(sig)})
}

// PhotosRecentlyUpdated lists the token owner's photos created or changed at or after
// minDate (unix seconds) with flickr.photos.recentlyUpdated, all pages.
func (c *Client) PhotosRecentlyUpdated(ctx context.Context, minDate int64, opt ListOptions) ([]Photo, error) {
	return c.collect(ctx, opt, c.recentlyUpdatedPage(minDate, opt))
}

// WalkRecentlyUpdated is PhotosRecentlyUpdated handing each page to fn instead of
// collecting (a photo changed while the pages are read may be handed over twice); an
// error from fn stops the walk and is returned.
func (c *Client) WalkRecentlyUpdated(ctx context.Context, minDate int64, opt ListOptions, fn func(PhotoPage) error) error {
	return c.walkPages(ctx, c.recentlyUpdatedPage(minDate, opt), fn)
}

func (c *Client) recentlyUpdatedPage(minDate int64, opt ListOptions) func(ctx context.Context, page int) (PhotoPage, error) {
	params := opt.params()
	params.Del("user_id")
	params.Del("min_upload_date")
	params.Set("min_date", strconv.FormatInt(minDate, 10))
	return func(ctx context.Context, page int) (PhotoPage, error) {
		return c.photoListPage(ctx, "flickr.photos.recentlyUpdated", params, page)
	}
}

// PhotosAddTags adds tags (space-separated, multi-word tags double-quoted, e.g.
// names.SignatureTag(hex)) to a photo.
func (c *Client) PhotosAddTags(ctx context.Context, photoID, tags string) error {
	if photoID == "" {
		return fmt.Errorf("flickr.photos.addTags: no photo id")
	}
	return c.call(ctx, "flickr.photos.addTags", url.Values{"photo_id": {photoID}, "tags": {tags}}, nil)
}

// PhotosSetTags replaces all of a photo's tags with tags.
func (c *Client) PhotosSetTags(ctx context.Context, photoID, tags string) error {
	if photoID == "" {
		return fmt.Errorf("flickr.photos.setTags: no photo id")
	}
	return c.call(ctx, "flickr.photos.setTags", url.Values{"photo_id": {photoID}, "tags": {tags}}, nil)
}

// Tag is one tag of PhotosGetInfo: Raw as typed, Clean as Flickr normalised it.
type Tag struct {
	ID         string // for flickr.photos.removeTag
	Author     string
	Raw        string
	Clean      string
	MachineTag bool
}

// PhotoInfo is what flickr.photos.getInfo tells about one photo.
type PhotoInfo struct {
	Photo       // Tags and MachineTags hold the clean forms; URLO is empty
	Description string
	OwnerNSID   string
	OwnerName   string
	TagDetails  []Tag
}

// PhotosGetInfo returns flickr.photos.getInfo for one photo.
func (c *Client) PhotosGetInfo(ctx context.Context, photoID string) (PhotoInfo, error) {
	var r api.PhotoInfoResponse
	if err := c.call(ctx, "flickr.photos.getInfo", url.Values{"photo_id": {photoID}}, &r); err != nil {
		return PhotoInfo{}, err
	}
	return photoInfoFromWire(&r.Photo), nil
}

func photoInfoFromWire(w *api.PhotoInfo) PhotoInfo {
	info := PhotoInfo{
		Photo: Photo{
			ID:               string(w.ID),
			Secret:           string(w.Secret),
			OriginalSecret:   string(w.OriginalSecret),
			OriginalFormat:   string(w.OriginalFormat),
			Title:            string(w.Title),
			DateUpload:       int64(w.Dates.Posted),
			DateTaken:        string(w.Dates.Taken),
			DateTakenUnknown: w.Dates.TakenUnknown != 0,
			Granularity:      int(w.Dates.TakenGranularity),
			LastUpdate:       int64(w.Dates.LastUpdate),
			Media:            string(w.Media),
			IsPublic:         w.Visibility.IsPublic != 0,
			IsFriend:         w.Visibility.IsFriend != 0,
			IsFamily:         w.Visibility.IsFamily != 0,
		},
		Description: string(w.Description),
		OwnerNSID:   string(w.Owner.NSID),
		OwnerName:   string(w.Owner.Username),
	}
	if info.DateUpload == 0 {
		info.DateUpload = int64(w.DateUploaded)
	}
	for _, t := range w.Tags.Tag {
		tag := Tag{ID: string(t.ID), Author: string(t.Author), Raw: string(t.Raw),
			Clean: strings.TrimSpace(string(t.Content)), MachineTag: t.MachineTag != 0}
		info.TagDetails = append(info.TagDetails, tag)
		info.Tags = append(info.Tags, tag.Clean)
		if tag.MachineTag {
			info.MachineTags = append(info.MachineTags, tag.Clean)
		}
	}
	return info
}
