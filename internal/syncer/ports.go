package syncer

import (
	"context"
	"errors"
	"io"
)

// Flickr is what the engine needs of the Flickr client. Every method goes through the
// client's one rate limit and retry policy; the engine calls several at once.
type Flickr interface {
	// ListPhotos pages through the account's photos (videos included, Remote.Media
	// saying so) uploaded at or after minUpload (unix seconds; 0 for all) with the extras
	// the matching needs, calling fn once per page. It returns what the listing learnt
	// besides the photos: the time it was read and the account's count.
	ListPhotos(ctx context.Context, minUpload int64, fn func([]Remote) error) (Listing, error)
	// RecentlyUpdated pages through the photos created or changed (tags, title...) at or
	// after since (unix seconds on Flickr's clock).
	RecentlyUpdated(ctx context.Context, since int64, fn func([]Remote) error) error
	// SearchBySignature finds the account's photos tagged flickrsync:signature=sig.
	SearchBySignature(ctx context.Context, sig string) ([]Remote, error)
	// AddTags adds tags (Flickr's space separated, quoted syntax) to a photo.
	AddTags(ctx context.Context, photoID, tags string) error
	// SetTags replaces all of a photo's tags.
	SetTags(ctx context.Context, photoID, tags string) error
	// Upload sends the bytes open gives (file names the picture, for messages and as the
	// sent file name) and returns the new photo's id. open is called for every attempt;
	// an error from it or from its reader (which may fail at its end instead of
	// returning io.EOF, when what it read is not what it should be) must end the upload
	// without retry and before the request is complete, so that no photo is created.
	// ErrUploadAmbiguous (wrapped) means the answer was lost: the photo may or may not
	// exist. progress, when not nil, is called as the bytes are sent (done starts again
	// from 0 at a retry).
	Upload(ctx context.Context, file string, open Opener, meta UploadMeta, progress func(done, total int64)) (string, error)
	// Download fetches url into the new file dest, which must not exist; it never
	// overwrites (os.ErrExist, wrapped, when dest exists). progress, when not nil, is
	// called as bytes arrive (total 0 when unknown; done starts again at a retry).
	Download(ctx context.Context, url, dest string, progress func(done, total int64)) error
	// Photosets lists the account's photosets.
	Photosets(ctx context.Context) ([]Photoset, error)
	// CreatePhotoset creates a set holding its primary photo and returns its id.
	CreatePhotoset(ctx context.Context, title, description, primary string) (string, error)
	// EditPhotos replaces a set's photos (ids in order, primary among them).
	EditPhotos(ctx context.Context, setID, primary string, photoIDs []string) error
	// DeletePhotoset deletes a set (never its photos).
	DeletePhotoset(ctx context.Context, setID string) error
	// PhotosetPhotos lists a set's photos (videos included) in the set's order.
	PhotosetPhotos(ctx context.Context, setID string) ([]string, error)
}

// Listing is what ListPhotos learnt besides the photos.
type Listing struct {
	// AsOf is a time on Flickr's clock (unix seconds) no later than the moment Flickr
	// read the first page, or 0 when Flickr did not tell.
	AsOf int64
	// Total is the account's count of photos and videos as the first page gave it
	// (Flickr's people.getPhotos total, whatever minUpload says), -1 when it did not.
	Total int
}

// Opener opens the bytes of one upload attempt: a reader and its exact length.
type Opener func() (io.ReadCloser, int64, error)

// UploadMeta is what an upload says about the picture.
type UploadMeta struct {
	Title                        string
	Tags                         string
	IsPublic, IsFriend, IsFamily bool
	// SafetyLevel (1 safe, 2 moderate, 3 restricted), ContentType (1 photo, 2
	// screenshot, 3 other) and Hidden (1 shown in public searches, 2 hidden): 0 leaves
	// the account's default.
	SafetyLevel, ContentType, Hidden int
}

// ErrUploadAmbiguous is what Flickr.Upload wraps when it cannot tell whether the photo was
// created (the answer was lost). Adapters translate the client's own sentinel to it.
var ErrUploadAmbiguous = errors.New("upload outcome unknown")

// ErrGone is what Flickr methods wrap when the photo no longer exists on Flickr (deleted
// there since the catalog listed it): the engine then forgets it instead of failing on it
// at every run.
var ErrGone = errors.New("no longer on Flickr")

// Store is what the engine needs of the catalog.
type Store interface {
	// Locals lists the library's pictures (present files only).
	Locals(ctx context.Context) ([]Local, error)
	// Remotes lists the account's photos as last indexed.
	Remotes(ctx context.Context) ([]Remote, error)
	// PutRemotes inserts or replaces photos by id.
	PutRemotes(ctx context.Context, rs []Remote) error
	// ClearRemotes forgets every photo (rebase).
	ClearRemotes(ctx context.Context) error
	// ForgetRemotes forgets the photos of these ids (gone from Flickr).
	ForgetRemotes(ctx context.Context, ids []string) error
	// ExcludedSignatures lists the signatures the library holds only in files its ignore
	// rules exclude (catalog.ExcludedSignatures): the library has these pictures, out of
	// the sync.
	ExcludedSignatures(ctx context.Context) ([]string, error)
	// Meta reads a value ("" when unset); SetMeta writes it.
	Meta(ctx context.Context, key string) (string, error)
	SetMeta(ctx context.Context, key, value string) error

	// BeginUpload records, before it starts, that the picture of this signature is being
	// uploaded from file.
	BeginUpload(ctx context.Context, sig, file string) error
	// EndUpload records the outcome: photoID when it succeeded, "" when it certainly
	// did not (a refusal, or a search that found nothing after an ambiguous one).
	EndUpload(ctx context.Context, sig, photoID string) error
	// PendingUploads lists the uploads begun and never ended.
	PendingUploads(ctx context.Context) ([]PendingUpload, error)
}

// PendingUpload is an upload the journal saw begin and never end.
type PendingUpload struct {
	Signature string
	File      string
	StartedAt int64 // unix seconds of the latest attempt; 0 when unknown
}

// Indexer indexes the local library into the store.
type Indexer interface {
	// Index walks the library and brings the store's pictures up to date, reporting
	// progress (files done, files total; total may grow). It hands read (from one
	// goroutine) every picture file it reads: new, changed, moved, copied or come back,
	// not the unchanged ones; a file that could not be decoded has no Signature. They come
	// in ReadOrder, each once every file before it in that order is done. The stats list
	// the paths it flagged gone: with the catalog's pictures as they were, what it read
	// and what it found gone are the catalog's pictures after it.
	Index(ctx context.Context, progress func(done, total int), read func(Local)) (IndexStats, error)
}

// Excluder is an optional ability of an Indexer: whether its ignore rules exclude a
// library-relative path (a file, or a folder when dir), and by which rule. A download
// lands only where the next index sees it: else it would be fetched at every run.
type Excluder interface {
	Excluded(ctx context.Context, rel string, dir bool) (rule string, excluded bool, err error)
}

// EmptyChecker is an optional ability of an Indexer: refusing a library that holds no
// file it would index while the store knows pictures (a disk not mounted), unless it was
// set up to allow it. Sync and Photosets ask it before anything else: an index of such a
// library would forget every picture, and sync2 download the whole account.
type EmptyChecker interface {
	CheckNotEmpty(ctx context.Context) error
}

// Signer reads a file as the index reads a picture: its pixel signature (lower-case hex).
// An error says the file cannot be signed (not a picture flickrsync decodes) and why.
// The identify step signs the originals it downloads with it, and verify --read-data.
type Signer interface {
	Sign(ctx context.Context, file string) (string, error)
}

// IndexStats sums up an indexing pass.
type IndexStats struct {
	Files, New, Copies, Changed, Moved, Removed, Failed int
	// Excluded counts the files and folders the ignore rules left out (a folder once),
	// NowExcluded the pictures indexed before that they exclude since this pass, Recent
	// the files left for a later pass, modified too recently (sync --watch's min-age).
	Excluded, NowExcluded, Recent int
	// Gone are the paths flagged gone (deleted or moved away).
	Gone []string
	// Failures are the files that could not be read or decoded, with the reason.
	Failures []FileError
	// RAW counts the camera RAW files of the library (not uploadable to Flickr); Ignored
	// the files that are no media, by extension (".txt", "(none)").
	RAW     int
	Ignored map[string]int
	// CatalogRoot is the catalog's library root when the library indexed is inside it
	// (a subfolder) or holds it: its folders' names are not the library's, and the
	// photosets are left as they are.
	CatalogRoot string
}

// FileError is one file's failure.
type FileError struct {
	File string
	Err  string
}
