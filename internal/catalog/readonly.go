package catalog

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
)

// openReadOnly opens the readers of a read-only Catalog, and checks the schema version.
// It never writes to the catalog:
//   - first with mode=ro, sharing SQLite's locks with a writer that may be running;
//   - where that fails (read-only media: the WAL's shared-memory file cannot be created),
//     a catalog with no write-ahead log left (closed cleanly) is read with immutable=1,
//     which takes no lock and needs no shared memory (a snapshot, a read-only mount);
//   - a catalog whose WAL still holds transactions is copied, with its WAL, to a
//     temporary folder (removed by Close) and read there, so none is missed.
func (c *Catalog) openReadOnly(ctx context.Context) error {
	q := pragmas(false)
	q.Set("mode", "ro")
	first := c.openReaders(ctx, fileURI(c.path, q))
	if first == nil {
		return c.checkVersion(ctx)
	}
	if st, err := os.Stat(c.path + "-wal"); err == nil && st.Size() > 0 {
		tmp, err := os.MkdirTemp("", "flickrsync-readonly-")
		if err != nil {
			return first
		}
		c.dropCopy = func() error { return os.RemoveAll(tmp) }
		cp := filepath.Join(tmp, filepath.Base(c.path))
		for _, suffix := range []string{"", "-wal"} {
			if err := copyIfExists(c.path+suffix, cp+suffix); err != nil {
				return fmt.Errorf("%w; copy: %w", first, err)
			}
		}
		if err := c.openReaders(ctx, dsn(cp, false)); err != nil {
			return fmt.Errorf("%w; from a copy: %w", first, err)
		}
		return c.checkVersion(ctx)
	}
	q.Set("immutable", "1")
	if err := c.openReaders(ctx, fileURI(c.path, q)); err != nil {
		return fmt.Errorf("%w; immutable: %w", first, err)
	}
	return c.checkVersion(ctx)
}

// openReaders opens the reader pool on a URI and reads from it once (SQLite opens lazily).
func (c *Catalog) openReaders(ctx context.Context, uri string) error {
	db, err := sql.Open("sqlite", uri)
	if err != nil {
		return err
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master`).Scan(&n); err != nil {
		db.Close()
		return err
	}
	db.SetMaxOpenConns(4)
	c.r = db
	return nil
}

// checkVersion refuses a catalog of another schema version than this build's.
func (c *Catalog) checkVersion(ctx context.Context) error {
	v, err := currentVersion(ctx, c.r)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if want := SchemaVersion(); v != want {
		if v > want {
			return tooNew(v, want)
		}
		return fmt.Errorf("schema version %d is older than %d: run a command that writes (index) to migrate it", v, want)
	}
	return nil
}
