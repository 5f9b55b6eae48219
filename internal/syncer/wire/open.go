package wire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/config"
	"github.com/flickrsync/flickrsync/internal/flickr"
	"github.com/flickrsync/flickrsync/internal/ignore"
	"github.com/flickrsync/flickrsync/internal/imagesig"
	"github.com/flickrsync/flickrsync/internal/scan"
	"github.com/flickrsync/flickrsync/internal/syncer"
)

// Config is what Open needs besides the context.
type Config struct {
	Settings *config.Settings
	// Catalog is the profile's catalog, opened for writing; a dry run's must be a
	// throw-away copy (catalog.CopyForDryRun), since indexing still writes it.
	Catalog *catalog.Catalog
	// Debug receives the client's per-call lines; nil: silent.
	Debug io.Writer
	// BandwidthLimit caps the bytes per second of all uploads and downloads together
	// (flickr.Config.BandwidthLimit); 0: no limit.
	BandwidthLimit int64
	// Excluded, when set, is told each path of the library the ignore rules exclude, with
	// the rule (--debug).
	Excluded func(scan.Exclusion)
	// ApplyExcludes leaves out of the catalog's pictures those the profile's exclude
	// patterns (and defaults) exclude by their path: for the photosets command, which
	// does not index (the .flickrsyncignore files apply as the last index read them).
	ApplyExcludes bool
	// MinAge leaves the files modified less than MinAge ago for a later index
	// (scan.Config.MinAge; sync --watch).
	MinAge time.Duration
	// AllowEmptyLibrary lets the library be indexed when it holds no media file while the
	// catalog knows pictures (scan.Config.AllowEmptyLibrary; --allow-empty-library).
	AllowEmptyLibrary bool
	// Files, when set, makes the engine read these files and folders instead of the
	// library (files.go), into FilesCatalog (a catalog of their own, thrown away after).
	Files        *scan.ArgsFS
	FilesCatalog *catalog.Catalog
	// Budget is the memory budget the run's decodes share (the index's and the
	// identification's); nil: the process's default (imagesig.DefaultMemoryBudget).
	Budget *imagesig.Budget
}

// ConfigError is a problem of the set-up (no token, no library folder): the user must fix
// the configuration, and the CLI exits with status 2.
type ConfigError struct{ Err error }

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// Open builds the engine of a profile around its catalog: the Flickr client with the
// profile's token and the scanner of the library.
//
// The client keeps Flickr's pacing (its rate limit and retry delays) unless the profile
// turns it off (Settings.Pacing, for an emulator on this machine): a policy the user
// states, never one guessed from the URL.
func Open(ctx context.Context, cfg Config) (*syncer.Engine, error) {
	s := cfg.Settings
	if st, err := os.Stat(s.Directory); cfg.Files == nil && (err != nil || !st.IsDir()) {
		return nil, &ConfigError{fmt.Errorf("library folder %s: not a folder (set directory in %s or use -l)", s.Directory, s.ConfigPath)}
	}
	tok, err := config.LoadToken(s.TokenPath())
	if err != nil {
		if errors.Is(err, config.ErrNoToken) {
			return nil, &ConfigError{err}
		}
		return nil, &ConfigError{fmt.Errorf("read token: %w", err)}
	}
	fc := ClientConfig(s)
	fc.Token, fc.TokenSecret = tok.Token, tok.Secret
	fc.Debug = cfg.Debug
	fc.BandwidthLimit = cfg.BandwidthLimit
	client, err := flickr.New(fc)
	if err != nil {
		return nil, &ConfigError{err}
	}
	if cfg.Files != nil {
		ix := newFilesIndexer(cfg.FilesCatalog, cfg.Files, s, cfg.Excluded)
		ix.budget = cfg.Budget
		account := &Store{C: cfg.Catalog}
		return &syncer.Engine{
			Flickr:  &Flickr{C: client},
			Store:   accountStore{Store: account, s: account},
			Indexer: ix,
			Signer:  Signer{Budget: cfg.Budget},
		}, nil
	}
	store := &Store{C: cfg.Catalog}
	if cfg.ApplyExcludes {
		m := ignore.NewMatcher(s.Exclude, !s.NoDefaultExcludes)
		store.Keep = func(path string) bool { ex, _ := m.Decide(nil, path, false); return !ex }
	}
	ix := profileIndexer(cfg.Catalog, s, cfg)
	return &syncer.Engine{
		Flickr:  &Flickr{C: client},
		Store:   store,
		Indexer: ix,
		Signer:  Signer{Budget: cfg.Budget},
		Root:    s.Directory,
	}, nil
}

// ClientConfig is the Flickr client's configuration for a profile, without a token:
// its endpoint, its key, and its pacing.
func ClientConfig(s *config.Settings) flickr.Config {
	fc := flickr.Config{BaseURL: s.FlickrURL, APIKey: s.APIKey, APISecret: s.APISecret}
	if !s.Pacing {
		// An emulator on this machine has no limit to respect and no servers to spare:
		// no pacing, short retry delays.
		fc.RateLimit, fc.MinBackoff, fc.MaxBackoff = -1, 20*time.Millisecond, 500*time.Millisecond
	}
	return fc
}
