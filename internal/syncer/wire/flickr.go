package wire

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/flickrsync/flickrsync/internal/flickr"
	"github.com/flickrsync/flickrsync/internal/syncer"
)

// Flickr adapts *flickr.Client to syncer.Flickr (and syncer.RawTagger, syncer.MediaFlickr).
type Flickr struct {
	C *flickr.Client

	limitsOnce sync.Once
	limits     flickr.UploadLimits // the account's, asked once: the caps of downloads too
	limitsErr  error
}

var (
	_ syncer.Flickr        = (*Flickr)(nil)
	_ syncer.RawTagger     = (*Flickr)(nil)
	_ syncer.Replacer      = (*Flickr)(nil)
	_ syncer.PrivacySetter = (*Flickr)(nil)
	_ syncer.MediaFlickr   = (*Flickr)(nil)
)

// Upload sends the picture synchronously, from open (the engine's checked source: the
// client sends the request's end only once the source ended cleanly, and retries no
// source error); the client's lost-answer error becomes syncer.ErrUploadAmbiguous (both
// stay in the chain).
func (f *Flickr) Upload(ctx context.Context, file string, open syncer.Opener, meta syncer.UploadMeta, progress func(done, total int64)) (string, error) {
	id, err := f.C.UploadFrom(ctx, flickr.Opener(open), flickr.UploadParams{
		Title: meta.Title, Tags: meta.Tags,
		IsPublic: meta.IsPublic, IsFriend: meta.IsFriend, IsFamily: meta.IsFamily,
		SafetyLevel: meta.SafetyLevel, ContentType: meta.ContentType, Hidden: meta.Hidden,
		Filename: filepath.Base(file),
		Progress: progress,
	})
	if err != nil {
		switch {
		case errors.Is(err, flickr.ErrUploadAmbiguous):
			return "", fmt.Errorf("%w: %w", syncer.ErrUploadAmbiguous, err)
		case flickr.IsCode(err, 5), flickr.IsCode(err, 8):
			// 5 "Filetype was not recognised", 8 "Filesize was too large": these bytes
			// never go up (upload.api.html).
			return "", fmt.Errorf("%w: %w", syncer.ErrNotAccepted, err)
		}
		return "", err
	}
	return id, nil
}

// Download fetches url into dest (which must not exist), through the client's temporary
// file beside it (names.PartName, which the engine sweeps after a kill), no larger than
// the account may upload a photo.
func (f *Flickr) Download(ctx context.Context, url, dest string, progress func(done, total int64)) error {
	lim, _ := f.Limits(ctx)
	_, err := f.C.Download(ctx, url, dest, flickr.DownloadOptions{MaxBytes: lim.PhotoMaxBytes, Progress: progress})
	return gone(err)
}

// DownloadVideo fetches a video original (VideoOriginal's URL) as Download does, named
// with the file's real extension, no larger than the account may upload a video.
func (f *Flickr) DownloadVideo(ctx context.Context, url, dest string, progress func(done, total int64)) (string, error) {
	lim, _ := f.Limits(ctx)
	path, _, err := f.C.DownloadVideo(ctx, url, dest, flickr.DownloadOptions{MaxBytes: lim.VideoMaxBytes, Progress: progress})
	return path, gone(err)
}

// gone marks a download's 404 and 410: the photo is no longer on Flickr.
func gone(err error) error {
	var he *flickr.HTTPError
	if errors.As(err, &he) && (he.Status == 404 || he.Status == 410) {
		return fmt.Errorf("%w: %w", syncer.ErrGone, err)
	}
	return err
}

// Limits are the account's upload limits (people.getLimits), asked once; 0 where Flickr
// did not tell (a download's cap is then the client's default, Flickr's largest upload).
func (f *Flickr) Limits(ctx context.Context) (syncer.Limits, error) {
	f.limitsOnce.Do(func() { f.limits, f.limitsErr = f.C.PeopleGetLimits(ctx) })
	l := f.limits
	return syncer.Limits{PhotoMaxBytes: l.PhotoMaxBytes, VideoMaxBytes: l.VideoMaxBytes, VideoMaxDuration: l.VideoMaxDuration}, f.limitsErr
}

// SetDateTaken sets a photo's date taken (photos.setDates); error 1 means it is gone.
func (f *Flickr) SetDateTaken(ctx context.Context, id, date string) error {
	err := f.C.PhotosSetDateTaken(ctx, id, date)
	if flickr.IsCode(err, 1) {
		return fmt.Errorf("%w: %w", syncer.ErrGone, err)
	}
	return err
}

// VideoOriginal finds a video's original (getSizes' Video Original).
func (f *Flickr) VideoOriginal(ctx context.Context, id string) (string, error) {
	url, err := f.C.VideoOriginal(ctx, id)
	switch {
	case errors.Is(err, flickr.ErrNoVideoOriginal):
		return "", fmt.Errorf("%w: %w", syncer.ErrNoOriginal, err)
	case flickr.IsCode(err, 1):
		return "", fmt.Errorf("%w: %w", syncer.ErrGone, err)
	}
	return url, err
}

func remoteOf(p *flickr.Photo) syncer.Remote {
	return syncer.Remote{
		ID:               p.ID,
		Title:            p.Title,
		Secret:           p.Secret,
		OriginalSecret:   p.OriginalSecret,
		OriginalFormat:   p.OriginalFormat,
		DateUpload:       p.DateUpload,
		DateTaken:        p.DateTaken,
		DateTakenUnknown: p.DateTakenUnknown,
		URLOriginal:      p.URLO,
		Tags:             strings.Join(p.Tags, " "),
		MachineTags:      strings.Join(p.MachineTags, " "),
		Media:            p.Media,
	}
}

// remotesOf converts a list's photos, videos included (a video's url_o is its poster
// frame: the engine downloads its Video Original instead).
func remotesOf(ps []flickr.Photo) []syncer.Remote {
	out := make([]syncer.Remote, 0, len(ps))
	for i := range ps {
		out = append(out, remoteOf(&ps[i]))
	}
	return out
}

// ListPhotos lists the account newest first and, for an incremental listing, stops at
// the first page that reaches photos uploaded before minUpload (handing over only those
// uploaded at or after it), rather than asking Flickr for min_upload_date: so that the
// first page's total is the account's count (videos included), which a filtered listing
// does not tell, and a sync learns it without a call of its own.
func (f *Flickr) ListPhotos(ctx context.Context, minUpload int64, fn func([]syncer.Remote) error) (syncer.Listing, error) {
	l := syncer.Listing{Total: -1}
	first := true
	err := f.C.WalkPeoplePhotos(ctx, flickr.ListOptions{}, func(p flickr.PhotoPage) error {
		if first {
			if !p.AsOf.IsZero() {
				l.AsOf = p.AsOf.Unix()
			}
			l.Total = p.Total
			first = false
		}
		page := remotesOf(p.Photos)
		reached := false
		if minUpload > 0 {
			page = slices.DeleteFunc(page, func(r syncer.Remote) bool {
				// An unknown upload date (0) is no sign of the end: kept, as Flickr's
				// min_upload_date would not.
				old := r.DateUpload != 0 && r.DateUpload < minUpload
				reached = reached || old
				return old
			})
		}
		if err := fn(page); err != nil {
			return err
		}
		if reached {
			return errReached
		}
		return nil
	})
	if errors.Is(err, errReached) {
		err = nil
	}
	if err == nil && first {
		l.Total = 0 // not even a first page: an empty account
	}
	return l, err
}

// errReached ends an incremental listing once it reached the photos listed before.
var errReached = errors.New("listing reached its watermark")

func (f *Flickr) RecentlyUpdated(ctx context.Context, since int64, fn func([]syncer.Remote) error) error {
	return f.C.WalkRecentlyUpdated(ctx, since, flickr.ListOptions{}, func(p flickr.PhotoPage) error {
		return fn(remotesOf(p.Photos))
	})
}

func (f *Flickr) SearchBySignature(ctx context.Context, sig string) ([]syncer.Remote, error) {
	ps, err := f.C.SearchBySignature(ctx, sig)
	if err != nil {
		return nil, err
	}
	// Flickr's search squashes values; keep only exact signature matches.
	var out []syncer.Remote
	for _, r := range remotesOf(ps) {
		if r.Signature() == sig {
			out = append(out, r)
		}
	}
	return out, nil
}

// AddTags adds tags; Flickr's error 1 (photo not found) means the photo is gone.
func (f *Flickr) AddTags(ctx context.Context, id, tags string) error {
	err := f.C.PhotosAddTags(ctx, id, tags)
	if flickr.IsCode(err, 1) {
		return fmt.Errorf("%w: %w", syncer.ErrGone, err)
	}
	return err
}

func (f *Flickr) SetTags(ctx context.Context, id, tags string) error {
	return f.C.PhotosSetTags(ctx, id, tags)
}

// RawTags reads a photo's tags as typed (photos.getInfo).
func (f *Flickr) RawTags(ctx context.Context, id string) ([]string, error) {
	info, err := f.C.PhotosGetInfo(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(info.TagDetails))
	for _, t := range info.TagDetails {
		raw := t.Raw
		if raw == "" {
			raw = t.Clean
		}
		out = append(out, raw)
	}
	return out, nil
}

func (f *Flickr) Photosets(ctx context.Context) ([]syncer.Photoset, error) {
	sets, err := f.C.PhotosetsGetList(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]syncer.Photoset, len(sets))
	for i, s := range sets {
		out[i] = syncer.Photoset{ID: s.ID, Title: s.Title, Description: s.Description, Primary: s.Primary,
			Count: s.Photos + s.Videos, Updated: s.DateUpdate}
	}
	return out, nil
}

// CreatePhotoset creates a set; Flickr's error 2 (primary photo not found) means the
// photo is gone.
func (f *Flickr) CreatePhotoset(ctx context.Context, title, description, primary string) (string, error) {
	id, err := f.C.PhotosetsCreate(ctx, title, description, primary)
	if flickr.IsCode(err, 2) {
		return "", fmt.Errorf("%w: %w", syncer.ErrGone, err)
	}
	return id, err
}

// EditPhotos replaces a set's photos; Flickr's error 1 means the set is gone, 2 and 3 (a
// photo, the primary photo not found) that a photo is.
func (f *Flickr) EditPhotos(ctx context.Context, setID, primary string, ids []string) error {
	err := f.C.PhotosetsEditPhotos(ctx, setID, primary, ids)
	switch {
	case flickr.IsCode(err, 1):
		return fmt.Errorf("%w: %w", syncer.ErrSetGone, err)
	case flickr.IsCode(err, 2), flickr.IsCode(err, 3):
		return fmt.Errorf("%w: %w", syncer.ErrGone, err)
	}
	return err
}

func (f *Flickr) DeletePhotoset(ctx context.Context, setID string) error {
	return f.C.PhotosetsDelete(ctx, setID)
}

// PhotosetPhotos lists a set's photos in its order.
func (f *Flickr) PhotosetPhotos(ctx context.Context, setID string) ([]string, error) {
	return f.C.PhotosetsGetPhotos(ctx, setID)
}
