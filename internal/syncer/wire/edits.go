package wire

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/flickr"
	"github.com/flickrsync/flickrsync/internal/privacy"
	"github.com/flickrsync/flickrsync/internal/syncer"
)

var (
	_ syncer.HistoryStore = (*Store)(nil)
	_ syncer.PrivacyStore = (*Store)(nil)
)

// Replace gives photoID the bytes open gives (photos.replace). Flickr's refusals for
// the photo or the account (1: not a Pro account; 8: a video) become
// syncer.ErrReplaceRefused, a lost answer syncer.ErrUploadAmbiguous.
func (f *Flickr) Replace(ctx context.Context, photoID, file string, open syncer.Opener, progress func(done, total int64)) error {
	err := f.C.ReplaceFrom(ctx, photoID, flickr.Opener(open), filepath.Base(file), progress)
	switch {
	case flickr.IsCode(err, 1), flickr.IsCode(err, 8):
		return fmt.Errorf("%w: %w", syncer.ErrReplaceRefused, err)
	case errors.Is(err, flickr.ErrUploadAmbiguous):
		return fmt.Errorf("%w: %w", syncer.ErrUploadAmbiguous, err)
	}
	return err
}

// SetPrivacy gives a photo the aspects s sets: setPerms for the visibility,
// setSafetyLevel for the safety level and hidden, setContentType for the content type.
func (f *Flickr) SetPrivacy(ctx context.Context, photoID string, s privacy.Setting) error {
	if v := s.Visibility; v.Set {
		if err := f.C.PhotosSetPerms(ctx, photoID, v.Public, v.Friend && !v.Public, v.Family && !v.Public); err != nil {
			return err
		}
	}
	if s.Safety != 0 || s.Hidden != 0 {
		var hidden *bool
		if s.Hidden != 0 {
			h := s.Hidden == 2
			hidden = &h
		}
		if err := f.C.PhotosSetSafetyLevel(ctx, photoID, s.Safety, hidden); err != nil {
			return err
		}
	}
	if s.Content != 0 {
		return f.C.PhotosSetContentType(ctx, photoID, s.Content)
	}
	return nil
}

// Edits lists the pictures edited in place, oldest first.
func (s *Store) Edits(ctx context.Context) ([]syncer.Edit, error) {
	es, err := s.C.Edits(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]syncer.Edit, len(es))
	for i, e := range es {
		out[i] = syncer.Edit{Path: e.Path(), Old: e.Old, New: e.New, OldDate: e.OldDate, NewDate: e.NewDate}
	}
	return out, nil
}

// SupersededPhotos lists the ids of the photos marked superseded.
func (s *Store) SupersededPhotos(ctx context.Context) ([]string, error) {
	ss, err := s.C.SupersededPhotos(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(ss))
	for i, x := range ss {
		out[i] = x.PhotoID
	}
	return out, nil
}

// MarkSuperseded marks photos superseded, now.
func (s *Store) MarkSuperseded(ctx context.Context, ss []syncer.Superseded) error {
	rows := make([]catalog.Superseded, len(ss))
	now := s.now().Unix()
	for i, x := range ss {
		dir, name := catalog.SplitPath(x.Path)
		rows[i] = catalog.Superseded{PhotoID: x.PhotoID, Dir: dir, Name: name, Signature: x.Signature, BySignature: x.By, At: now}
	}
	return s.C.MarkSuperseded(ctx, rows)
}

// PhotoPrivacy and SetPhotoPrivacy keep what flickrsync gave the photos privacy rules
// cover.
func (s *Store) PhotoPrivacy(ctx context.Context) (map[string]string, error) {
	return s.C.PhotoPrivacy(ctx)
}

func (s *Store) SetPhotoPrivacy(ctx context.Context, settings map[string]string) error {
	return s.C.SetPhotoPrivacy(ctx, settings)
}
