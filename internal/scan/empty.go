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

// CheckNotEmpty refuses (*EmptyLibraryError) a library that holds no media file the scan
// with cfg would read (after the ignore rules; a file too recent for MinAge counts) while
// cfg.Catalog knows pictures: the disk of a library that is not mounted leaves an empty
// folder, and a scan of it would flag every picture deleted (the next scan reads every
// file again) and sync2 would download the whole account into it. Since the catalog's
// paths are relative to the root scanned, its every live picture counts, whatever root
// it recorded; and, before the first index of a catalog opened in place of the Python
// flickrsync's database, that database's pictures under cfg.Root. A catalog that knows
// no picture (a first run) lets an empty library through.
//
// It walks as the scan walks, but stops at the first media file: on a library that is
// there, a few folders are listed; nothing is written.
func CheckNotEmpty(ctx context.Context, cfg Config) error {
	if _, err := cfg.FS.ReadDir("."); err != nil {
		return fmt.Errorf("library directory: %w", err)
	}
	found, unreadable, err := anyMediaFile(ctx, cfg)
	if err != nil || found {
		return err
	}
	n, err := knownPictures(ctx, cfg)
	if err != nil || n == 0 {
		return err
	}
	e := &EmptyLibraryError{Root: cfg.Root, Pictures: n}
	if unreadable != nil {
		e.Unreadable = unreadable.Path + ": " + unreadable.Reason
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

// anyMediaFile walks cfg.FS as a scan does until it meets a media file; unreadable is
// the first folder that could not be listed, when none was met.
func anyMediaFile(ctx context.Context, cfg Config) (found bool, unreadable *Failure, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	res := &walkResult{matcher: cfg.matcher(), noFollow: cfg.NoFollowSymlinks}
	entries := make(chan []entry, 1)
	go walk(ctx, cfg.FS, 8, entries, res)
	for batch := range entries {
		if len(batch) > 0 && !found {
			found = true
			cancel() // the walk ends after the folders being read
		}
	}
	if found {
		return true, nil, nil
	}
	if err := ctx.Err(); err != nil {
		return false, nil, err
	}
	for i := range res.failed { // the walk's order is random: the first by name
		if unreadable == nil || res.failed[i].Path < unreadable.Path {
			unreadable = &res.failed[i]
		}
	}
	return false, unreadable, nil
}

// knownPictures counts the pictures a scan of an empty cfg.FS would forget: the
// catalog's live rows, or, before its first index, the Python database's under cfg.Root.
func knownPictures(ctx context.Context, cfg Config) (int, error) {
	counts, err := cfg.Catalog.Counts(ctx)
	if err != nil || counts.LocalPictures > 0 {
		return counts.LocalPictures, err
	}
	rows, _, err := legacyPictures(ctx, cfg)
	return len(rows), err
}
