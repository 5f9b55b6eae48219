package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/config"
)

// openCatalog opens the profile's catalog for a command that writes it. Every such
// command follows one policy when another flickrsync holds the catalog: it says so, waits
// up to Env.CatalogWait (a minute) for it, then gives up (exit status 1).
//
// A dry run must change nothing, the catalog included, yet it indexes to make its plan: it
// works on a copy of the catalog (catalog.CopyForDryRun: the file and its WAL, copied
// without opening them, so not even a migration touches the original), removed by the
// returned close function.
func (inv *Invocation) openCatalog(ctx context.Context, s *config.Settings) (*catalog.Catalog, func() error, error) {
	path := s.Database
	cleanup := func() error { return nil }
	if inv.Global.DryRun {
		var err error
		if path, cleanup, err = catalog.CopyForDryRun(s.Database); err != nil {
			return nil, nil, &catalogError{path: s.Database, err: err}
		}
	}
	// The first run over the Python tool's database says where flickrsync's catalog goes
	// (a dry run makes none: each says it).
	first := false
	if own := catalog.PathFor(ctx, s.Database); own != s.Database {
		_, err := os.Stat(own)
		first = errors.Is(err, fs.ErrNotExist)
	}
	wait := inv.CatalogWait
	cat, err := catalog.OpenWith(ctx, path, catalog.Options{Wait: wait, OnWait: func(e *catalog.LockedError) {
		inv.Out.Errorf("%v; waiting up to %v for it...", e, wait)
	}})
	if err != nil {
		cleanup()
		if errors.Is(err, catalog.ErrLocked) && wait > 0 {
			err = fmt.Errorf("%w (waited %v)", err, wait)
		}
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		return nil, nil, &catalogError{path: s.Database, err: err}
	}
	if first {
		inv.Out.Infof("%s", pythonNotice(s.Database))
	}
	closeFn := func() error {
		err := cat.Close()
		if cerr := cleanup(); err == nil {
			err = cerr
		}
		return err
	}
	return cat, closeFn, nil
}

// openCatalogReadOnly opens the catalog for a command that only reads it; it does not wait
// for a writer (WAL lets it read during a sync).
func openCatalogReadOnly(ctx context.Context, path string) (*catalog.Catalog, error) {
	c, err := catalog.OpenWith(ctx, path, catalog.Options{ReadOnly: true})
	if err != nil {
		e := &catalogError{path: path, err: err}
		if own := catalog.PathFor(ctx, path); own != path {
			e.path, e.python = own, path
		}
		return nil, e
	}
	return c, nil
}

// pythonNotice says, of the Python flickrsync's database the profile names, that
// flickrsync leaves it as it is and where its own catalog is.
func pythonNotice(database string) string {
	return fmt.Sprintf("%s is the Python flickrsync's database: flickrsync reads it, never writes it, and keeps its own catalog beside it: %s",
		database, catalog.OwnPath(database))
}
