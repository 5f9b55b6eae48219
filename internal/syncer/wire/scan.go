package wire

import (
	"context"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/names"
	"github.com/flickrsync/flickrsync/internal/scan"
	"github.com/flickrsync/flickrsync/internal/syncer"
)

// scanIndexer adapts the scanner (internal/scan) to syncer.Indexer.
type scanIndexer struct {
	cat  *catalog.Catalog
	root string
}

var _ syncer.StreamIndexer = (*scanIndexer)(nil)

func newIndexer(cat *catalog.Catalog, root string) syncer.Indexer {
	return &scanIndexer{cat: cat, root: root}
}

func (x *scanIndexer) Index(ctx context.Context, progress func(done, total int)) (syncer.IndexStats, error) {
	return x.IndexStream(ctx, progress, nil)
}

func (x *scanIndexer) IndexStream(ctx context.Context, progress func(done, total int), read func(syncer.Local)) (syncer.IndexStats, error) {
	cfg := scan.Config{
		FS: scan.DirFS(x.root), Catalog: x.cat, Root: x.root,
		Progress: func(p scan.Progress) { progress(int(p.Done), int(p.Seen)) },
	}
	if read != nil {
		cfg.Deliver = func(p catalog.Picture) { read(localOf(p)) }
		cfg.Order = names.KeepOrder
	}
	sum, err := scan.Run(ctx, cfg)
	st := syncer.IndexStats{Files: sum.Seen, New: sum.New, Copies: sum.Copies, Changed: sum.Changed,
		Moved: sum.Moved, Removed: sum.Deleted, Failed: len(sum.Failed)}
	for _, f := range sum.Failed {
		st.Failures = append(st.Failures, syncer.FileError{File: f.Path, Err: f.Reason})
	}
	return st, err
}
