package wire

import (
	"context"
	"time"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/syncer"
)

// Store adapts *catalog.Catalog to syncer.Store (and syncer.HistoryStore,
// syncer.PrivacyStore).
type Store struct {
	C *catalog.Catalog
	// Now is the clock of the marks it writes (time.Now when nil).
	Now func() time.Time
	// Keep, when set, leaves out of Locals the pictures whose path it refuses.
	Keep func(path string) bool
}

func (s *Store) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

var (
	_ syncer.Store        = (*Store)(nil)
	_ syncer.RefusalStore = (*Store)(nil)
)

// Locals lists the live pictures; one that could not be decoded keeps no signature, so
// the engine neither uploads nor matches it.
func (s *Store) Locals(ctx context.Context) ([]syncer.Local, error) {
	var out []syncer.Local
	err := s.C.Pictures(ctx, func(p catalog.Picture) error {
		if s.Keep == nil || s.Keep(p.Path()) {
			out = append(out, localOf(p))
		}
		return nil
	})
	return out, err
}

// localOf is the engine's view of a catalog picture (no signature when it failed).
func localOf(p catalog.Picture) syncer.Local {
	l := syncer.Local{Path: p.Path(), Signature: p.Signature, DateTaken: p.DateTaken,
		Size: p.Size, MtimeNS: p.MtimeNS, Hash: p.Hash, Media: p.Media, Duration: p.Duration, LiveID: p.LiveID, Format: p.Format}
	if p.Error != "" {
		l.Signature = ""
	}
	return l
}

func (s *Store) Remotes(ctx context.Context) ([]syncer.Remote, error) {
	var out []syncer.Remote
	err := s.C.Photos(ctx, func(p catalog.Photo) error {
		out = append(out, syncer.Remote{
			ID: p.ID, Title: p.Title, Secret: p.Secret, OriginalSecret: p.OriginalSecret,
			OriginalFormat: p.OriginalFormat, DateUpload: p.DateUpload, DateTaken: p.DateTaken,
			DateTakenUnknown: p.DateTakenUnknown, URLOriginal: p.URLOriginal,
			Tags: p.Tags, MachineTags: p.MachineTags, Media: p.Media,
		})
		return nil
	})
	return out, err
}

func (s *Store) PutRemotes(ctx context.Context, rs []syncer.Remote) error {
	ps := make([]catalog.Photo, len(rs))
	for i, r := range rs {
		ps[i] = catalog.Photo{
			ID: r.ID, Title: r.Title, Secret: r.Secret, OriginalSecret: r.OriginalSecret,
			OriginalFormat: r.OriginalFormat, DateUpload: r.DateUpload, DateTaken: r.DateTaken,
			DateTakenUnknown: r.DateTakenUnknown, URLOriginal: r.URLOriginal,
			Tags: r.Tags, MachineTags: r.MachineTags, Signature: r.Signature(), Media: mediaOf(r),
		}
	}
	return s.C.PutPhotos(ctx, ps)
}

// mediaOf is the catalog's media of a photo: "photo" unless Flickr said video.
func mediaOf(r syncer.Remote) string {
	if r.IsVideo() {
		return syncer.MediaVideo
	}
	return syncer.MediaPhoto
}

// ExcludedSignatures lists the signatures the library holds only in excluded files: by
// the last index, and by Keep (the live pictures it refuses, when no picture it keeps
// holds their signature).
func (s *Store) ExcludedSignatures(ctx context.Context) ([]string, error) {
	var out []string
	err := s.C.ExcludedSignatures(ctx, func(sig string) error {
		out = append(out, sig)
		return nil
	})
	if err != nil || s.Keep == nil {
		return out, err
	}
	refused, kept := map[string]bool{}, map[string]bool{}
	err = s.C.Pictures(ctx, func(p catalog.Picture) error {
		if p.Signature != "" && p.Error == "" {
			if s.Keep(p.Path()) {
				kept[p.Signature] = true
			} else {
				refused[p.Signature] = true
			}
		}
		return nil
	})
	for sig := range refused {
		if !kept[sig] {
			out = append(out, sig)
		}
	}
	return out, err
}

func (s *Store) ClearRemotes(ctx context.Context) error {
	return s.C.ReplacePhotos(ctx, nil)
}

func (s *Store) ForgetRemotes(ctx context.Context, ids []string) error {
	return s.C.DeletePhotos(ctx, ids)
}

func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	return s.C.Meta(ctx, key)
}

func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	return s.C.SetMeta(ctx, key, value)
}

func (s *Store) BeginUpload(ctx context.Context, sig, file string) error {
	return s.C.BeginUpload(ctx, sig, file)
}

// EndUpload settles the journal row: done with the photo id, or failed (Flickr refused
// it, or does not have it after a lost answer).
func (s *Store) EndUpload(ctx context.Context, sig, photoID string) error {
	if photoID != "" {
		return s.C.EndUpload(ctx, sig, catalog.UploadDone, photoID, "")
	}
	return s.C.EndUpload(ctx, sig, catalog.UploadFailed, "", "not on Flickr")
}

// RefuseUpload settles the upload as refused by Flickr for good, with the bytes' hash.
func (s *Store) RefuseUpload(ctx context.Context, sig, hash, reason string) error {
	return s.C.RefuseUpload(ctx, sig, hash, reason)
}

// Refusals lists the uploads Flickr refused for good.
func (s *Store) Refusals(ctx context.Context) (map[string]syncer.Refusal, error) {
	us, err := s.C.Uploads(ctx, catalog.UploadRefused)
	if err != nil {
		return nil, err
	}
	out := make(map[string]syncer.Refusal, len(us))
	for _, u := range us {
		out[u.Signature] = syncer.Refusal{Hash: u.ContentHash, Reason: u.Error}
	}
	return out, nil
}

func (s *Store) PendingUploads(ctx context.Context) ([]syncer.PendingUpload, error) {
	us, err := s.C.PendingUploads(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]syncer.PendingUpload, len(us))
	for i, u := range us {
		out[i] = syncer.PendingUpload{Signature: u.Signature, File: u.File, StartedAt: u.StartedAt}
	}
	return out, nil
}
