package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"
)

// Catalog is an open flickrsync database. Its methods are safe for concurrent use; writes
// go through one connection, reads through a small pool (WAL lets them run during a write).
type Catalog struct {
	path string
	// legacy is the Python flickrsync's database found where the catalog was expected
	// (the catalog is then the file beside it, see OwnPath); "" when none.
	legacy string
	w      *sql.DB // the one writer connection
	r      *sql.DB // readers
	lock   *lockFile
	// dropCopy removes the private copy a read-only open made of a catalog whose WAL
	// could not be read in place; nil when none.
	dropCopy func() error

	contentOnce sync.Once
	contentStmt *sql.Stmt
	contentErr  error
}

// Options tunes OpenWith.
type Options struct {
	// Wait is how long to wait for another flickrsync process to release the database;
	// 0 fails at once with a *LockedError.
	Wait time.Duration
	// OnWait is called once if waiting starts (to tell the user).
	OnWait func(*LockedError)
	// ReadOnly opens for commands that only read (status, duplicates): no process lock,
	// no migration, nothing written, so it works while another process writes and on
	// read-only media (see openReadOnly). A database that is missing or has another
	// schema version is an error.
	ReadOnly bool
	// migrateTo stops migrations at a version (tests build old databases with it).
	migrateTo int
}

// ErrNoDatabase is wrapped when a read-only open finds no database.
var ErrNoDatabase = errors.New("no catalog database")

// Open opens (creating it, with its directory, when missing) and migrates the database at
// path, taking the process lock; it fails at once if another flickrsync holds it.
func Open(ctx context.Context, path string) (*Catalog, error) {
	return OpenWith(ctx, path, Options{})
}

// OpenWith is Open with options. When path is the Python flickrsync's database, it is
// never written: the catalog is OwnPath(path) beside it, and Legacy names it.
func OpenWith(ctx context.Context, path string, o Options) (*Catalog, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open catalog %s: %w", path, err)
	}
	c := &Catalog{path: PathFor(ctx, abs)}
	if c.path != abs {
		c.legacy = abs
	}
	if o.ReadOnly {
		if _, err := os.Stat(c.path); err != nil {
			return nil, fmt.Errorf("open catalog %s: %w (%w)", c.path, ErrNoDatabase, err)
		}
		if err := c.openReadOnly(ctx); err != nil {
			c.Close()
			return nil, fmt.Errorf("open catalog %s: %w", c.path, err)
		}
		return c, nil
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		return nil, fmt.Errorf("open catalog %s: %w", c.path, err)
	}
	if c.lock, err = acquireLock(ctx, c.path, o.Wait, o.OnWait); err != nil {
		return nil, err
	}
	if err := c.open(ctx, o); err != nil {
		c.Close()
		return nil, fmt.Errorf("open catalog %s: %w", c.path, err)
	}
	return c, nil
}

// pragmas are the settings of every connection; writable ones also switch to WAL and
// begin their transactions IMMEDIATE.
func pragmas(writable bool) url.Values {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "cache_size(-32000)")
	if writable {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(1)")
	}
	return q
}

func dsn(path string, writable bool) string { return fileURI(path, pragmas(writable)) }

// open opens a writable catalog (the lock is held): the schema version is read first,
// on a read-only connection, so that a database from a newer flickrsync is refused
// before anything is written to it (not even the switch to WAL); then the writer
// migrates it.
func (c *Catalog) open(ctx context.Context, o Options) error {
	if _, err := os.Stat(c.path); err == nil {
		if err := c.checkNotTooNew(ctx); err != nil {
			return err
		}
	}
	var err error
	if c.w, err = sql.Open("sqlite", dsn(c.path, true)); err != nil {
		return err
	}
	c.w.SetMaxOpenConns(1)
	c.w.SetMaxIdleConns(1)
	c.w.SetConnMaxLifetime(0)
	if err := migrate(ctx, c.w, o.migrateTo); err != nil {
		return err
	}
	if c.r, err = sql.Open("sqlite", dsn(c.path, false)); err != nil {
		return err
	}
	c.r.SetMaxOpenConns(4)
	return nil
}

// checkNotTooNew reads the schema version of an existing file without writing to it.
func (c *Catalog) checkNotTooNew(ctx context.Context) error {
	q := pragmas(false)
	q.Set("mode", "ro")
	db, err := sql.Open("sqlite", fileURI(c.path, q))
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := currentVersion(ctx, db)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if want := SchemaVersion(); v > want {
		return tooNew(v, want)
	}
	return nil
}

func tooNew(v, want int) error {
	return fmt.Errorf("%w (schema version %d; this flickrsync knows up to %d): upgrade flickrsync", ErrTooNew, v, want)
}

// Path is the database's absolute path.
func (c *Catalog) Path() string { return c.path }

// Legacy is the Python flickrsync's database that was named as the catalog (read, never
// written), "" when none.
func (c *Catalog) Legacy() string { return c.legacy }

// Close closes the database and releases the process lock.
func (c *Catalog) Close() error {
	var errs []error
	if c.contentStmt != nil {
		c.contentStmt.Close()
	}
	if c.r != nil {
		errs = append(errs, c.r.Close())
	}
	if c.w != nil {
		// The last connection to close checkpoints the WAL into the database and removes it.
		errs = append(errs, c.w.Close())
	}
	errs = append(errs, c.lock.release())
	if c.dropCopy != nil {
		errs = append(errs, c.dropCopy())
	}
	c.r, c.w, c.lock, c.dropCopy = nil, nil, nil, nil
	return errors.Join(errs...)
}

// errReadOnly is returned by writes on a read-only Catalog.
var errReadOnly = errors.New("catalog opened read-only")

// tx runs fn in one write transaction.
func (c *Catalog) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	if c.w == nil {
		return errReadOnly
	}
	tx, err := c.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Reset empties every table (the `delete` command): the schema stays.
func (c *Catalog) Reset(ctx context.Context) error {
	err := c.tx(ctx, func(tx *sql.Tx) error {
		for _, t := range []string{"local_pictures", "flickr_photos", "uploads", "meta", "picture_edits", "superseded_photos", "photo_privacy"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reset catalog: %w", err)
	}
	return nil
}

// Meta keys the catalog and the scanner write (the sync engine keeps its own).
const (
	MetaLibraryRoot = "library_root"        // the library's root: the last indexed, unless inside it or above it
	MetaLastIndex   = "last_index"          // when the last complete index finished (unix seconds)
	MetaExcluded    = "last_index_excluded" // files and folders the last complete index excluded
)

// Meta reads a value, "" when unset.
func (c *Catalog) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := c.r.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read meta %s: %w", key, err)
	}
	return v, nil
}

// SetMeta writes a value.
func (c *Catalog) SetMeta(ctx context.Context, key, value string) error {
	err := c.tx(ctx, func(tx *sql.Tx) error {
		return setMeta(ctx, tx, key, value)
	})
	if err != nil {
		return fmt.Errorf("write meta %s: %w", key, err)
	}
	return nil
}

func setMeta(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}
