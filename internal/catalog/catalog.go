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
	w    *sql.DB // the one writer connection
	r    *sql.DB // readers
	lock *lockFile

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
	// ReadOnly opens without the process lock and without migrating, for commands that
	// only read (status, duplicates) while another process may be writing. A database
	// that is missing or has another schema version is an error.
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

// OpenWith is Open with options.
func OpenWith(ctx context.Context, path string, o Options) (*Catalog, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open catalog %s: %w", path, err)
	}
	c := &Catalog{path: abs}
	if o.ReadOnly {
		if _, err := os.Stat(abs); err != nil {
			return nil, fmt.Errorf("open catalog %s: %w (%w)", abs, ErrNoDatabase, err)
		}
	} else {
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			return nil, fmt.Errorf("open catalog %s: %w", abs, err)
		}
		if c.lock, err = acquireLock(ctx, abs, o.Wait, o.OnWait); err != nil {
			return nil, err
		}
	}
	if err := c.open(ctx, o); err != nil {
		c.Close()
		return nil, fmt.Errorf("open catalog %s: %w", abs, err)
	}
	return c, nil
}

func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "cache_size(-32000)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Set("_txlock", "immediate")
	}
	return "file:" + filepath.ToSlash(path) + "?" + q.Encode()
}

func (c *Catalog) open(ctx context.Context, o Options) error {
	var err error
	if !o.ReadOnly {
		if c.w, err = sql.Open("sqlite", dsn(c.path, false)); err != nil {
			return err
		}
		c.w.SetMaxOpenConns(1)
		c.w.SetMaxIdleConns(1)
		c.w.SetConnMaxLifetime(0)
		if err := migrate(ctx, c.w, o.migrateTo); err != nil {
			return err
		}
	}
	if c.r, err = sql.Open("sqlite", dsn(c.path, true)); err != nil {
		return err
	}
	c.r.SetMaxOpenConns(4)
	if o.ReadOnly {
		v, err := currentVersion(ctx, c.r)
		if err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		if want := SchemaVersion(); v != want {
			if v > want {
				return fmt.Errorf("%w (schema version %d; this flickrsync knows up to %d): upgrade flickrsync", ErrTooNew, v, want)
			}
			return fmt.Errorf("schema version %d is older than %d: run a command that writes (index) to migrate it", v, want)
		}
	}
	return nil
}

// Path is the database's absolute path.
func (c *Catalog) Path() string { return c.path }

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
	c.r, c.w, c.lock = nil, nil, nil
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
		for _, t := range []string{"local_pictures", "flickr_photos", "uploads", "meta"} {
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
	MetaLibraryRoot = "library_root" // the library directory last indexed
	MetaLastIndex   = "last_index"   // when the last complete index finished (unix seconds)
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
