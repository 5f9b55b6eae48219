package catalog

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// The Python flickrsync kept its state in the file its config calls database (by default
// ~/.flickrsync/flickrsync.db, the very setting flickrsync reads): tables LocalPhotos and
// FlickrPhotos. flickrsync never writes into that file; its own catalog is OwnPath beside
// it, and the Python tool's signatures are offered to the first index (LegacyPictures).

// OwnPath is flickrsync's catalog beside a Python flickrsync database: "-go" before the
// extension, e.g. flickrsync.db -> flickrsync-go.db.
func OwnPath(pythonDB string) string {
	ext := filepath.Ext(pythonDB)
	if ext == filepath.Base(pythonDB) {
		ext = ""
	}
	return strings.TrimSuffix(pythonDB, ext) + "-go" + ext
}

// PathFor is the catalog file the database setting path stands for: path itself, or
// OwnPath(path) when path is the Python flickrsync's database.
func PathFor(ctx context.Context, path string) string {
	if IsPythonDatabase(ctx, path) {
		return OwnPath(path)
	}
	return path
}

// legacyURI opens the Python tool's database read-only and immutable: no lock, no
// journal, no shared-memory file, nothing ever written beside or into it.
func legacyURI(path string) string {
	q := url.Values{}
	q.Set("mode", "ro")
	q.Set("immutable", "1")
	q.Add("_pragma", "query_only(1)")
	return fileURI(path, q)
}

// IsPythonDatabase reports whether the file at path is the Python flickrsync's database:
// an SQLite file with tables LocalPhotos and FlickrPhotos. Anything unreadable is not.
func IsPythonDatabase(ctx context.Context, path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	head := make([]byte, 16)
	_, err = io.ReadFull(f, head)
	f.Close()
	if err != nil || !bytes.Equal(head, []byte("SQLite format 3\x00")) {
		return false
	}
	db, err := sql.Open("sqlite", legacyURI(path))
	if err != nil {
		return false
	}
	defer db.Close()
	var n int
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table'
		AND name IN ('LocalPhotos', 'FlickrPhotos')`).Scan(&n)
	return err == nil && n == 2
}

// LegacyPicture is a row of the Python tool's LocalPhotos that can stand for a decode.
type LegacyPicture struct {
	Path      string // relative to the library root, '/' separated
	Signature string // ImageMagick 6's pixel signature, lower-case hex
	// IndexedAt is when the Python tool read the file (its Timestamp column, unix
	// seconds): a file modified since may hold other pixels.
	IndexedAt int64
}

// LegacyPictures reads, from the Python database this catalog was opened in place of,
// the pictures it had signed under root (its Directory column is the absolute folder):
// rows neither deleted nor failed, with a 64-hex signature. Rows outside root, or whose
// path cannot be made relative to it, are left out. None without a Python database.
func (c *Catalog) LegacyPictures(ctx context.Context, root string) ([]LegacyPicture, error) {
	if c.legacy == "" {
		return nil, nil
	}
	db, err := sql.Open("sqlite", legacyURI(c.legacy))
	if err != nil {
		return nil, fmt.Errorf("read python database %s: %w", c.legacy, err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT Directory, FileName, lower(Signature), Timestamp
		FROM LocalPhotos WHERE Deleted IS NULL AND ImageError IS NULL AND Signature IS NOT NULL
		AND Directory IS NOT NULL AND FileName IS NOT NULL AND Timestamp IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("read python database %s: %w", c.legacy, err)
	}
	defer rows.Close()
	root = filepath.Clean(root)
	var out []LegacyPicture
	for rows.Next() {
		var dir, name, sig string
		var ts int64
		if err := rows.Scan(&dir, &name, &sig, &ts); err != nil {
			return nil, fmt.Errorf("read python database %s: %w", c.legacy, err)
		}
		rel, ok := relativeTo(root, dir, name)
		if !ok || !isHexSignature(sig) {
			continue
		}
		out = append(out, LegacyPicture{Path: rel, Signature: sig, IndexedAt: ts})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read python database %s: %w", c.legacy, err)
	}
	return out, nil
}

// relativeTo makes the Python tool's absolute Directory and FileName a library-relative
// '/' path; ok is false outside root.
func relativeTo(root, dir, name string) (string, bool) {
	if name == "" || strings.ContainsAny(name, `/`) || name == "." || name == ".." {
		return "", false
	}
	rel, err := filepath.Rel(root, filepath.Clean(dir))
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", false
	}
	if rel == "." {
		return name, true
	}
	return filepath.ToSlash(rel) + "/" + name, true
}

func isHexSignature(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
