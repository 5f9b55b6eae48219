package wire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"time"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/config"
	"github.com/flickrsync/flickrsync/internal/flickr"
	"github.com/flickrsync/flickrsync/internal/syncer"
)

// Config is what Open needs besides the context.
type Config struct {
	Settings *config.Settings
	// DryRun opens a throw-away copy of the catalog (see Open).
	DryRun bool
	// Debug receives the client's per-call lines; nil: silent.
	Debug io.Writer
	// BandwidthLimit caps the bytes per second of all uploads and downloads together
	// (flickr.Config.BandwidthLimit); 0: no limit.
	BandwidthLimit int64
}

// ConfigError is a problem of the set-up (no token, no library folder): the user must fix
// the configuration, and the CLI exits with status 2.
type ConfigError struct{ Err error }

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// Open builds the engine of a profile: the Flickr client with the profile's token, the
// catalog and the scanner of the library. The returned close function releases the
// catalog (and removes a dry run's copy).
//
// A dry run must change nothing, the catalog included, yet it indexes the library and the
// account to make its plan: it works on a copy of the catalog (the database file and its
// WAL, copied without opening them, so not even a migration touches the original) in a
// temporary folder, deleted by the close function. Without a catalog yet, the copy
// starts empty.
func Open(ctx context.Context, cfg Config) (*syncer.Engine, func() error, error) {
	s := cfg.Settings
	st, err := os.Stat(s.Directory)
	if err != nil || !st.IsDir() {
		return nil, nil, &ConfigError{fmt.Errorf("library folder %s: not a folder (set directory in %s or use -l)", s.Directory, s.ConfigPath)}
	}
	tok, err := config.LoadToken(s.TokenPath())
	if err != nil {
		if errors.Is(err, config.ErrNoToken) {
			return nil, nil, &ConfigError{err}
		}
		return nil, nil, &ConfigError{fmt.Errorf("read token: %w", err)}
	}
	fc := flickr.Config{
		BaseURL: s.FlickrURL, APIKey: s.APIKey, APISecret: s.APISecret,
		Token: tok.Token, TokenSecret: tok.Secret,
		Debug:          cfg.Debug,
		BandwidthLimit: cfg.BandwidthLimit,
	}
	if onLoopback(s.FlickrURL) {
		// An emulator on this machine (tests, the demo) has no limit to respect and no
		// servers to spare: no pacing, short retry delays.
		fc.RateLimit, fc.MinBackoff, fc.MaxBackoff = -1, 20*time.Millisecond, 500*time.Millisecond
	}
	client, err := flickr.New(fc)
	if err != nil {
		return nil, nil, &ConfigError{err}
	}

	dbPath := s.Database
	cleanup := func() error { return nil }
	if cfg.DryRun {
		if dbPath, cleanup, err = catalog.CopyForDryRun(s.Database); err != nil {
			return nil, nil, err
		}
	}
	cat, err := catalog.Open(ctx, dbPath)
	if err != nil {
		cleanup()
		if errors.Is(err, catalog.ErrLocked) {
			return nil, nil, &ConfigError{err}
		}
		return nil, nil, err
	}
	eng := &syncer.Engine{
		Flickr:  &Flickr{C: client},
		Store:   &Store{C: cat},
		Indexer: profileIndexer(cat, s),
		Root:    s.Directory,
	}
	closeFn := func() error {
		err := cat.Close()
		if cerr := cleanup(); err == nil {
			err = cerr
		}
		return err
	}
	return eng, closeFn, nil
}

// onLoopback reports whether the Flickr base URL points at this machine.
func onLoopback(base string) bool {
	if base == "" {
		return false
	}
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return (ip != nil && ip.IsLoopback()) || u.Hostname() == "localhost"
}

// EmptyCatalog empties the catalog at path (the delete command): every table is
// emptied, the schema stays; no file and no Flickr photo is touched.
func EmptyCatalog(ctx context.Context, path string) error {
	cat, err := catalog.Open(ctx, path)
	if err != nil {
		return err
	}
	if err := cat.Reset(ctx); err != nil {
		cat.Close()
		return err
	}
	return cat.Close()
}
