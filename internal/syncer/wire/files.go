package wire

import (
	"context"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/config"
	"github.com/flickrsync/flickrsync/internal/scan"
	"github.com/flickrsync/flickrsync/internal/syncer"
)

// Files mode (flickrsync upload FILE|DIR...): the engine reads the files and folders
// named, not the library, into a catalog of their own (Config.FilesCatalog, thrown away
// after the run), and keeps the account's side (the listing, the journal) in the
// profile's catalog, whose pictures it does not see.

var _ syncer.PhotosetAdder = (*Flickr)(nil)

// AddToPhotoset adds a photo to a set (one it holds already is no error).
func (f *Flickr) AddToPhotoset(ctx context.Context, setID, photoID string) error {
	return f.C.PhotosetsAddPhoto(ctx, setID, photoID)
}

// accountStore is the profile's catalog without its pictures: only the account's side
// (and no memory of edits or privacy, which are the library's). It offers the engine
// only the Store methods (and the refusals below), none of *Store's other abilities.
type accountStore struct {
	syncer.Store
	s *Store
}

func (accountStore) Locals(context.Context) ([]syncer.Local, error) { return nil, nil }

// The uploads Flickr refused are the account's, as the journal is: a file refused to a
// sync is not sent again by upload, and a refusal upload meets is one the sync keeps
// (without these, upload overwrote the sync's refusal with a plain failure, and the next
// sync sent the file again).
var _ syncer.RefusalStore = accountStore{}

func (a accountStore) RefuseUpload(ctx context.Context, sig, hash, reason string) error {
	return a.s.RefuseUpload(ctx, sig, hash, reason)
}

func (a accountStore) Refusals(ctx context.Context) (map[string]syncer.Refusal, error) {
	return a.s.Refusals(ctx)
}

// ExcludedSignatures: the library's ignore rules are not the files'.
func (accountStore) ExcludedSignatures(context.Context) ([]string, error) { return nil, nil }

// filesIndexer reads the files and folders named, as ArgsFS shows them, under the
// profile's ignore rules; the pictures it hands over carry their paths as given.
type filesIndexer struct {
	scanIndexer
	fsys *scan.ArgsFS
}

func newFilesIndexer(cat *catalog.Catalog, fsys *scan.ArgsFS, s *config.Settings, excluded func(scan.Exclusion)) *filesIndexer {
	return &filesIndexer{scanIndexer: scanIndexer{cat: cat, fsys: fsys, exclude: s.Exclude,
		noDefaultExcludes: s.NoDefaultExcludes, noFollowSymlinks: s.NoFollowSymlinks, excluded: excluded}, fsys: fsys}
}

func (x *filesIndexer) Index(ctx context.Context, progress func(done, total int), read func(syncer.Local)) (syncer.IndexStats, error) {
	var mapped func(syncer.Local)
	if read != nil {
		mapped = func(l syncer.Local) {
			l.Path = x.fsys.Path(l.Path)
			read(l)
		}
	}
	st, err := x.scanIndexer.Index(ctx, progress, mapped)
	for i, g := range st.Gone {
		st.Gone[i] = x.fsys.Path(g)
	}
	for i, f := range st.Failures {
		st.Failures[i].File = x.fsys.Path(f.File)
	}
	return st, err
}
