package scan

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/words"
)

// EmptyLibraryError is CheckNotEmpty's refusal: the library holds no media file a scan
// would read while the catalog knows pictures there.
type EmptyLibraryError struct {
	Root string // the library walked
	// CatalogRoot is the catalog's own library root when it is not Root ("" when the
	// same, or never recorded).
	CatalogRoot string
	Pictures    int // the catalog's live pictures
	// Unreadable names a folder that could not be listed, and why ("" when none): the
	// pictures may be behind it.
	Unreadable string
}

func (e *EmptyLibraryError) Error() string {
	where := "there"
	if e.CatalogRoot != "" {
		where = "of the library " + e.CatalogRoot
	}
	empty := "is empty"
	if e.Unreadable != "" {
		empty = "holds no media file that could be read (" + e.Unreadable + ")"
	}
	question := "is the disk mounted?"
	if e.CatalogRoot != "" {
		question = "is the disk mounted, is the folder right?"
	}
	return fmt.Sprintf("library %s %s but the catalog knows %s %s: %s",
		e.Root, empty, words.Count(e.Pictures, "picture"), where, question)
}

// CheckNotEmpty refuses (*EmptyLibraryError), unless cfg.AllowEmptyLibrary, a library
// that holds no media file the scan with cfg would read (after the ignore rules; a file
// too recent for MinAge counts) while cfg.Catalog knows pictures a scan would flag
// deleted: the disk of a library that is not mounted leaves an empty folder, and a scan
// of it would flag every picture deleted (the next scan reads every file again) and sync2
// would download the whole account into it. Since the catalog's paths are relative to the
// root scanned, its every live picture counts, whatever root it recorded, but for those
// under a folder that could not be listed (the scan leaves them alone); and, before the
// first index of a catalog opened in place of the Python flickrsync's database, that
// database's pictures under cfg.Root. A catalog that knows no such picture (a first run)
// lets an empty library through.
//
// It walks as the scan walks, but stops at the first media file: on a library that is
// there, a few folders are listed; nothing is written. Run decides the same once its walk
// found no media file, before it flags anything deleted.
func CheckNotEmpty(ctx context.Context, cfg Config) error {
	if cfg.AllowEmptyLibrary {
		return nil
	}
	if _, err := cfg.FS.ReadDir("."); err != nil {
		return fmt.Errorf("library directory: %w", err)
	}
	found, res, err := anyMediaFile(ctx, cfg)
	if err != nil || found {
		return err
	}
	return refuseEmpty(ctx, cfg, res)
}

// refuseEmpty is the refusal of a library whose walk (res) met no media file, nil when
// the catalog knows no picture the scan would flag deleted.
func refuseEmpty(ctx context.Context, cfg Config, res *walkResult) error {
	n, err := knownPictures(ctx, cfg, res.unreadable)
	if err != nil || n == 0 {
		return err
	}
	e := &EmptyLibraryError{Root: cfg.Root, Pictures: n}
	if f := firstFailure(res.failed); f != nil {
		e.Unreadable = f.Path + ": " + f.Reason
	}
	recorded, err := cfg.Catalog.Meta(ctx, catalog.MetaLibraryRoot)
	if err != nil {
		return err
	}
	if recorded != "" && filepath.Clean(recorded) != filepath.Clean(cfg.Root) {
		e.CatalogRoot = recorded
	}
	return e
}

// anyMediaFile walks cfg.FS as a scan does until it meets a media file, and returns what
// the walk found besides.
func anyMediaFile(ctx context.Context, cfg Config) (bool, *walkResult, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	res := &walkResult{matcher: cfg.matcher(), noFollow: cfg.NoFollowSymlinks}
	entries := make(chan []entry, 1)
	go walk(ctx, cfg.FS, 8, entries, res)
	found := false
	for batch := range entries {
		if len(batch) > 0 && !found {
			found = true
			cancel() // the walk ends after the folders being read
		}
	}
	if found {
		return true, res, nil
	}
	return false, res, ctx.Err()
}

// firstFailure is the failure of the smallest path (the walk's order is random), nil
// when none.
func firstFailure(fs []Failure) *Failure {
	var first *Failure
	for i := range fs {
		if first == nil || fs[i].Path < first.Path {
			first = &fs[i]
		}
	}
	return first
}

// knownPictures counts the pictures a scan of a tree without media files would flag
// deleted: the catalog's live rows outside the unreadable folders, or, before its first
// index, the Python database's under cfg.Root.
func knownPictures(ctx context.Context, cfg Config, unreadable []string) (int, error) {
	n := 0
	if len(unreadable) == 0 {
		counts, err := cfg.Catalog.Counts(ctx)
		if err != nil {
			return 0, err
		}
		n = counts.LocalPictures
	} else {
		err := cfg.Catalog.KnownFiles(ctx, func(k catalog.KnownFile) error {
			if !k.Deleted && !isUnder(catalog.Picture{Dir: k.Dir, Name: k.Name}.Path(), unreadable) {
				n++
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	if n > 0 {
		return n, nil
	}
	rows, _, err := legacyPictures(ctx, cfg)
	for _, r := range rows {
		if !isUnder(r.Path, unreadable) {
			n++
		}
	}
	return n, err
}
