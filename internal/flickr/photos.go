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

// extras are the extras every photo list asks for: what the sync needs to match a Flickr
// photo to a local file and to download its original.
const extras = "date_upload,date_taken,original_format,tags,machine_tags,url_o,media,last_update"

// maxTags bounds the tags of one photo: Flickr allows 75 a person, and adds its own
// robot tags (vision:*) to the tags extra.
const maxTags = 1000

// Photo is one photo of a list, parsed from the extras and checked (see untrusted.go).
type Photo struct {
	ID               string   // decimal digits
	Secret           string   // hex
	OriginalSecret   string   // hex, "" when the caller may not see the original
	OriginalFormat   string   // jpg, png, gif...; for a video the poster frame's format
	Title            string   // as Flickr has it: escape it before printing
	DateUpload       int64    // unix seconds (GMT); 0 when not PlausibleTime
	DateTaken        string   // "YYYY-MM-DD HH:MM:SS" in the owner's local time, or ""
	DateTakenUnknown bool     // Flickr set DateTaken from the upload time
	Granularity      int      // datetakengranularity: 0 exact, 4 month, 6 year, 8 circa
	LastUpdate       int64    // unix seconds; 0 when not PlausibleTime
	Tags             []string // clean tags, machine tags included
	MachineTags      []string // clean machine tags only
	URLO             string   // the original's URL ("" when the caller may not see it)
	Media            string   // "photo" or "video"
	IsPublic         bool
	IsFriend         bool
	IsFamily         bool
}

// photoFromWire checks and converts one photo of a list.
func photoFromWire(w *api.Photo, now time.Time) (Photo, error) {
	p := Photo{
		ID:               string(w.ID),
		Secret:           string(w.Secret),
		OriginalSecret:   string(w.OriginalSecret),
		OriginalFormat:   string(w.OriginalFormat),
		Title:            string(w.Title),
		DateUpload:       plausible(int64(w.DateUpload), now),
		DateTaken:        string(w.DateTaken),
		DateTakenUnknown: w.DateTakenUnknown != 0,
		Granularity:      int(w.DateTakenGranularity),
		LastUpdate:       plausible(int64(w.LastUpdate), now),
		Tags:             strings.Fields(string(w.Tags)),
		MachineTags:      strings.Fields(string(w.MachineTags)),
		URLO:             string(w.URLO),
		Media:            string(w.Media),
		IsPublic:         w.IsPublic != 0,
		IsFriend:         w.IsFriend != 0,
		IsFamily:         w.IsFamily != 0,
	}
	if !isDateTaken(p.DateTaken) {
		p.DateTaken = ""
	}
	switch {
	case !isID(p.ID):
		return Photo{}, badValue("photo id", p.ID)
	case p.Secret != "" && !isHex(p.Secret):
		return Photo{}, badValue("secret of photo "+p.ID, p.Secret)
	case p.OriginalSecret != "" && !isHex(p.OriginalSecret):
		return Photo{}, badValue("original secret of photo "+p.ID, p.OriginalSecret)
	case p.OriginalFormat != "" && !isWord(p.OriginalFormat):
		return Photo{}, badValue("original format of photo "+p.ID, p.OriginalFormat)
	case p.Media != "" && !isWord(p.Media):
		return Photo{}, badValue("media of photo "+p.ID, p.Media)
	case !isURL(p.URLO):
		return Photo{}, badValue("url_o of photo "+p.ID, p.URLO)
	case len(p.Tags) > maxTags || len(p.MachineTags) > maxTags:
		return Photo{}, fmt.Errorf("%w: photo %s has more than %d tags", ErrBadResponse, p.ID, maxTags)
	}
	return p, nil
}

// PhotoPage is one page of a photo list.
type PhotoPage struct {
	Page, Pages, PerPage, Total int
	Photos                      []Photo
	// AsOf is a time on Flickr's clock no later than the moment Flickr read this page
	// (see callPage); zero when the answer did not say.
	AsOf time.Time
}

// ListOptions select and page a photo list.
type ListOptions struct {
	// MinUploadDate (people.getPhotos): only photos uploaded at or after this unix time;
	// 0 means no bound.
	MinUploadDate int64
	// PerPage is the page size; default (and most) 500, Flickr's maximum. A page holding
	// more photos than asked for is refused.
	PerPage int
}

func (o *ListOptions) perPage() int {
	if o.PerPage <= 0 || o.PerPage > maxPerPage {
		return maxPerPage
	}
	return o.PerPage
}

// maxPerPage is Flickr's largest page (API.md §3.1).
const maxPerPage = 500

// listParams are the parameters every photo list sends.
func (o *ListOptions) listParams() url.Values {
	return url.Values{"per_page": {strconv.Itoa(o.perPage())}, "extras": {extras}}
}

// photoListPage fetches page of a photo list (people.getPhotos, photos.search,
// photos.recentlyUpdated), refusing more photos than perPage.
func (c *Client) photoListPage(ctx context.Context, method string, params url.Values, perPage, page int) (PhotoPage, error) {
	p := url.Values{}
	for k, v := range params {
		p[k] = v
	}
	p.Set("page", strconv.Itoa(page))
	var r api.PhotosResponse
	asOf, err := c.callPage(ctx, method, p, &r, pageLimits(perPage))
	if err != nil {
		return PhotoPage{}, err
	}
	out, err := photoPageFromWire(&r.Photos, time.Now())
	if err != nil {
		return PhotoPage{}, fmt.Errorf("%s page %d: %w", method, page, err)
	}
	out.AsOf = asOf
	return out, nil
}

// pageLimits are the decoding limits of a page of perPage items.
func pageLimits(perPage int) api.Limits {
	lim := api.DefaultLimits
	lim.MaxItems = perPage
	return lim
}

func photoPageFromWire(l *api.PhotoList, now time.Time) (PhotoPage, error) {
	out := PhotoPage{Page: int(l.Page), Pages: int(l.Pages), PerPage: int(l.PerPage), Total: int(l.Total),
		Photos: make([]Photo, len(l.Photo))}
	for i := range l.Photo {
		p, err := photoFromWire(&l.Photo[i], now)
		if err != nil {
			return PhotoPage{}, err
		}
		out.Photos[i] = p
	}
	return out, nil
}

// WalkPeoplePhotos lists the token owner's photos with flickr.people.getPhotos, handing
// each page to fn (see walkPages for when the listing ends); an error from fn stops the
// walk and is returned.
func (c *Client) WalkPeoplePhotos(ctx context.Context, opt ListOptions, fn func(PhotoPage) error) error {
	params := opt.listParams()
	params.Set("user_id", "me")
	if opt.MinUploadDate > 0 {
		params.Set("min_upload_date", strconv.FormatInt(opt.MinUploadDate, 10))
	}
	return c.walkPages(ctx, func(ctx context.Context, page int) (PhotoPage, error) {
		return c.photoListPage(ctx, "flickr.people.getPhotos", params, opt.perPage(), page)
	}, fn)
}

// WalkRecentlyUpdated lists the token owner's photos created or changed at or after
// minDate (unix seconds) with flickr.photos.recentlyUpdated, handing each page to fn (a
// photo changed while the pages are read may be handed over twice); an error from fn
// stops the walk and is returned.
func (c *Client) WalkRecentlyUpdated(ctx context.Context, minDate int64, opt ListOptions, fn func(PhotoPage) error) error {
	params := opt.listParams()
	params.Set("min_date", strconv.FormatInt(minDate, 10))
	return c.walkPages(ctx, func(ctx context.Context, page int) (PhotoPage, error) {
		return c.photoListPage(ctx, "flickr.photos.recentlyUpdated", params, opt.perPage(), page)
	}, fn)
}

// SearchBySignature finds the token owner's photos carrying the flickrsync signature
// machine tag flickrsync:signature=<sig> (flickr.photos.search, all pages; Flickr serves
// at most the first 4000 results of a query), each once.
func (c *Client) SearchBySignature(ctx context.Context, sig string) ([]Photo, error) {
	params := (&ListOptions{}).listParams()
	params.Set("user_id", "me")
	params.Set("machine_tags", names.CleanSignatureTag(sig))
	var all []Photo
	err := c.walkPages(ctx, func(ctx context.Context, page int) (PhotoPage, error) {
		return c.photoListPage(ctx, "flickr.photos.search", params, maxPerPage, page)
	}, func(p PhotoPage) error {
		all = append(all, p.Photos...)
		return nil
	})
	return dedupe(all, func(p Photo) string { return p.ID }), err
}

// dedupe keeps the first item of each id (an item may move to the next page while a
// list is read and then show up twice).
func dedupe[T any](items []T, id func(T) string) []T {
	seen := make(map[string]bool, len(items))
	out := items[:0]
	for _, x := range items {
		if k := id(x); !seen[k] {
			seen[k] = true
			out = append(out, x)
		}
	}
	return out
}

// PhotosAddTags adds tags (Flickr's space-separated, double-quoted syntax) to a photo.
func (c *Client) PhotosAddTags(ctx context.Context, photoID, tags string) error {
	if !isID(photoID) {
		return fmt.Errorf("flickr.photos.addTags: photo id %q is not a Flickr id", cleanText(photoID, 40))
	}
	return c.call(ctx, "flickr.photos.addTags", url.Values{"photo_id": {photoID}, "tags": {tags}}, nil)
}

// PhotosSetTags replaces all of a photo's tags with tags.
func (c *Client) PhotosSetTags(ctx context.Context, photoID, tags string) error {
	if !isID(photoID) {
		return fmt.Errorf("flickr.photos.setTags: photo id %q is not a Flickr id", cleanText(photoID, 40))
	}
	return c.call(ctx, "flickr.photos.setTags", url.Values{"photo_id": {photoID}, "tags": {tags}}, nil)
}

// Tag is one tag of PhotosGetInfo: Raw as typed, Clean as Flickr normalised it.
type Tag struct {
	ID         string // for flickr.photos.removeTag
	Raw        string
	Clean      string
	MachineTag bool
}

// PhotoInfo is what flickr.photos.getInfo tells about one photo.
type PhotoInfo struct {
	Photo      // Tags and MachineTags hold the clean forms; URLO is empty
	OwnerNSID  string
	TagDetails []Tag
}

// PhotosGetInfo returns flickr.photos.getInfo for one photo.
func (c *Client) PhotosGetInfo(ctx context.Context, photoID string) (PhotoInfo, error) {
	var r api.PhotoInfoResponse
	if err := c.call(ctx, "flickr.photos.getInfo", url.Values{"photo_id": {photoID}}, &r); err != nil {
		return PhotoInfo{}, err
	}
	info, err := photoInfoFromWire(&r.Photo, time.Now())
	if err != nil {
		return PhotoInfo{}, fmt.Errorf("flickr.photos.getInfo: %w", err)
	}
	return info, nil
}

func photoInfoFromWire(w *api.PhotoInfo, now time.Time) (PhotoInfo, error) {
	posted := int64(w.Dates.Posted)
	if posted == 0 {
		posted = int64(w.DateUploaded)
	}
	// The photo's own fields are checked by the list's rule: the same values, shaped
	// differently.
	p, err := photoFromWire(&api.Photo{
		ID: w.ID, Secret: w.Secret, OriginalSecret: w.OriginalSecret, OriginalFormat: w.OriginalFormat,
		Title: w.Title, DateUpload: api.Int(posted), DateTaken: w.Dates.Taken,
		DateTakenGranularity: w.Dates.TakenGranularity, DateTakenUnknown: w.Dates.TakenUnknown,
		LastUpdate: w.Dates.LastUpdate, Media: w.Media,
		IsPublic: w.Visibility.IsPublic, IsFriend: w.Visibility.IsFriend, IsFamily: w.Visibility.IsFamily,
	}, now)
	if err != nil {
		return PhotoInfo{}, err
	}
	info := PhotoInfo{Photo: p, OwnerNSID: string(w.Owner.NSID)}
	if info.OwnerNSID != "" && !isNSID(info.OwnerNSID) {
		return PhotoInfo{}, badValue("owner of photo "+p.ID, info.OwnerNSID)
	}
	if len(w.Tags.Tag) > maxTags {
		return PhotoInfo{}, fmt.Errorf("%w: photo %s has more than %d tags", ErrBadResponse, p.ID, maxTags)
	}
	for _, t := range w.Tags.Tag {
		tag := Tag{ID: string(t.ID), Raw: string(t.Raw), Clean: strings.TrimSpace(string(t.Content)), MachineTag: t.MachineTag != 0}
		if !isTagID(tag.ID) {
			return PhotoInfo{}, badValue("tag id of photo "+p.ID, tag.ID)
		}
		info.TagDetails = append(info.TagDetails, tag)
		info.Tags = append(info.Tags, tag.Clean)
		if tag.MachineTag {
			info.MachineTags = append(info.MachineTags, tag.Clean)
		}
	}
	return info, nil
}

// isTagID reports whether s is a tag id of getInfo: <author number>-<photo id>-<tag
// number>.
func isTagID(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) != 3 {
		return false
	}
	for _, p := range parts {
		if !isID(p) {
			return false
		}
	}
	return true
}
