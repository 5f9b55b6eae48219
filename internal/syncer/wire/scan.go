package wire

import (
	"context"
	"path/filepath"
	"time"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/config"
	"github.com/flickrsync/flickrsync/internal/imagesig"
	"github.com/flickrsync/flickrsync/internal/safeopen"
	"github.com/flickrsync/flickrsync/internal/scan"
	"github.com/flickrsync/flickrsync/internal/syncer"
)

// scanIndexer adapts the scanner (internal/scan) to syncer.Indexer.
type scanIndexer struct {
	cat  *catalog.Catalog
	root string
	fsys scan.FS // the tree read; nil: the folder root
	// The profile's choices of files (config exclude, default_excludes, --exclude...;
	// follow_symlinks).
	exclude                             []string
	noDefaultExcludes, noFollowSymlinks bool
	excluded                            func(scan.Exclusion) // told each path excluded (--debug)
	minAge                              time.Duration        // scan.Config.MinAge
	budget                              *imagesig.Budget     // of the decodes (nil: the process's default)
	allowEmpty                          bool                 // scan.Config.AllowEmptyLibrary
}

var (
	_ syncer.Indexer      = (*scanIndexer)(nil)
	_ syncer.Excluder     = (*scanIndexer)(nil)
	_ syncer.EmptyChecker = (*scanIndexer)(nil)
)

func newIndexer(cat *catalog.Catalog, root string) syncer.Indexer {
	return &scanIndexer{cat: cat, root: root}
}

// profileIndexer is the indexer of a profile's library, with its ignore rules and cfg's
// choices (Excluded, MinAge, AllowEmptyLibrary, Budget).
func profileIndexer(cat *catalog.Catalog, s *config.Settings, cfg Config) *scanIndexer {
	return &scanIndexer{cat: cat, root: s.Directory, exclude: s.Exclude,
		noDefaultExcludes: s.NoDefaultExcludes, noFollowSymlinks: s.NoFollowSymlinks, excluded: cfg.Excluded,
		minAge: cfg.MinAge, allowEmpty: cfg.AllowEmptyLibrary, budget: cfg.Budget}
}

// config is the scan of the library, as Index and CheckNotEmpty run it.
func (x *scanIndexer) config() scan.Config {
	fsys := x.fsys
	if fsys == nil {
		fsys = scan.DirFS(x.root)
	}
	return scan.Config{
		FS: fsys, Catalog: x.cat, Root: x.root,
		Exclude: x.exclude, NoDefaultExcludes: x.noDefaultExcludes, NoFollowSymlinks: x.noFollowSymlinks,
		Excluded: x.excluded, MinAge: x.minAge, AllowEmptyLibrary: x.allowEmpty,
		Budget: x.budget,
	}
}

// CheckNotEmpty refuses a library with no media file while the catalog knows pictures
// (scan.CheckNotEmpty).
func (x *scanIndexer) CheckNotEmpty(ctx context.Context) error {
	return scan.CheckNotEmpty(ctx, x.config())
}

// Index runs the scanner; the files it reads are handed over in the engine's ReadOrder.
func (x *scanIndexer) Index(ctx context.Context, progress func(done, total int), read func(syncer.Local)) (syncer.IndexStats, error) {
	cfg := x.config()
	cfg.Progress = func(p scan.Progress) { progress(int(p.Done), int(p.Seen)) }
	if read != nil {
		cfg.Deliver = func(p catalog.Picture) { read(localOf(p)) }
		cfg.Order = syncer.ReadOrder
	}
	sum, err := scan.Run(ctx, cfg)
	st := syncer.IndexStats{Files: sum.Seen, New: sum.New, Copies: sum.Copies, Changed: sum.Changed,
		Moved: sum.Moved, Removed: sum.Deleted, Failed: len(sum.Failed), Gone: sum.Gone,
		RAW: sum.RAW, Ignored: sum.IgnoredByExt, CatalogRoot: sum.CatalogRoot,
		Excluded: sum.Excluded, NowExcluded: sum.NowExcluded, Recent: sum.Recent}
	for _, f := range sum.Failed {
		st.Failures = append(st.Failures, syncer.FileError{File: f.Path, Err: f.Reason})
	}
	return st, err
}

// Excluded decides a path with the library's ignore rules, as the scan does.
func (x *scanIndexer) Excluded(ctx context.Context, rel string, dir bool) (string, bool, error) {
	return scan.Excluded(scan.Config{FS: scan.DirFS(x.root), Exclude: x.exclude, NoDefaultExcludes: x.noDefaultExcludes}, rel, dir)
}

// Signer signs a file as the scan signs a picture (scan.BudgetSigner), under Budget (nil:
// the process's default).
type Signer struct{ Budget *imagesig.Budget }

var _ syncer.Signer = Signer{}

// Sign opens file as the scan opens library files (safeopen) and signs it.
func (sg Signer) Sign(ctx context.Context, file string) (string, error) {
	f, err := safeopen.Open(file)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	signed, err := scan.BudgetSigner(sg.Budget)(ctx, f, st.Size(), filepath.Base(file))
	if err != nil {
		return "", err
	}
	return signed.Signature, nil
}
