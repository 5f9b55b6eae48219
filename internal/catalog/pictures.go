package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Picture is one row of the local library: a path under the library root and what was
// learnt from its bytes.
type Picture struct {
	ID int64 // assigned by the catalog
	// Dir is the folder relative to the library root with '/' separators ("" = root);
	// Name is the file name. Names that are not UTF-8 are kept byte for byte.
	Dir, Name string
	Size      int64
	MtimeNS   int64  // modification time, nanoseconds since the Unix epoch
	Hash      string // SHA-256 of the file's bytes, hex; "" when it could not be read
	Signature string // the file's identity (imagesig), hex; "" when it could not be signed
	// Kind is what Signature is the digest of: "pixels", "coded data", "whole file".
	Kind string
	// Format is imagesig's ("jpeg", "heic", "mp4"...; "" when unknown); Media is "photo",
	// "video" or "raw" (a camera RAW file, ErrorRAW).
	Format, Media string
	Width         int
	Height        int
	Duration      float64 // a movie's, in seconds
	DateTaken     string  // the date taken matched on (exifdate), "" when none
	LiveID        string  // Apple's Live Photo content identifier, "" when none
	Error         string  // why it could not be read or decoded, "" when fine
	ErrorKind     string  // "", ErrorRead, ErrorDecode or ErrorInternal
	Deleted       bool    // the file is gone (kept to recognise it if it comes back)
	// FirstSeen and LastSeen are unix seconds; see doc.go for LastSeen of live rows.
	FirstSeen, LastSeen int64
}

// Error kinds.
const (
	ErrorRead   = "read"   // the file could not be read: retried by every scan
	ErrorDecode = "decode" // the bytes are not a picture ImageMagick could decode: retried when they change
	// ErrorInternal: decoding stopped for a reason of flickrsync's, not of the bytes (a
	// decoder bug, the memory budget): retried by every scan.
	ErrorInternal = "internal"
	// ErrorRAW: a camera RAW file, which Flickr does not take: counted as not uploadable,
	// not as a failure; read again when it changes.
	ErrorRAW = "raw"
)

// RetriedEveryScan reports whether a row of this error kind is read again by every scan
// (its bytes tell nothing for good); the catalog's queries follow the same rule
// (notRetried).
func RetriedEveryScan(kind string) bool { return kind == ErrorRead || kind == ErrorInternal }

// notRetried is RetriedEveryScan's negation in SQL: rows whose content can be reused.
const notRetried = `error_kind NOT IN ('` + ErrorRead + `', '` + ErrorInternal + `')`

// Path is the picture's path relative to the library root, '/' separated.
func (p Picture) Path() string {
	if p.Dir == "" {
		return p.Name
	}
	return p.Dir + "/" + p.Name
}

// SplitPath splits a library-relative '/' path into Dir and Name.
func SplitPath(rel string) (dir, name string) {
	i := strings.LastIndexByte(rel, '/')
	if i < 0 {
		return "", rel
	}
	return rel[:i], rel[i+1:]
}

const pictureColumns = `id, dir, name, size, mtime_ns, content_hash, signature, kind, format, media,
	width, height, duration, date_taken, live_id, error, error_kind, deleted, first_seen, last_seen`

func scanPicture(rows interface{ Scan(...any) error }) (Picture, error) {
	var p Picture
	err := rows.Scan(&p.ID, &p.Dir, &p.Name, &p.Size, &p.MtimeNS, &p.Hash, &p.Signature, &p.Kind,
		&p.Format, &p.Media, &p.Width, &p.Height, &p.Duration, &p.DateTaken, &p.LiveID, &p.Error,
		&p.ErrorKind, &p.Deleted, &p.FirstSeen, &p.LastSeen)
	return p, err
}

// eachPicture runs a query over local_pictures and calls fn per row.
func (c *Catalog) eachPicture(ctx context.Context, where string, fn func(Picture) error, args ...any) error {
	rows, err := c.r.QueryContext(ctx, `SELECT `+pictureColumns+` FROM local_pictures `+where, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPicture(rows)
		if err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Pictures calls fn for every live (not deleted) picture, ordered by path.
func (c *Catalog) Pictures(ctx context.Context, fn func(Picture) error) error {
	if err := c.eachPicture(ctx, `WHERE deleted = 0 ORDER BY dir, name`, fn); err != nil {
		return fmt.Errorf("list pictures: %w", err)
	}
	return nil
}

// PictureChanges is one batch of scanner results, written in one transaction.
type PictureChanges struct {
	// Put inserts or updates pictures by (Dir, Name); ID is ignored, FirstSeen is kept for
	// an existing row, Deleted and excluded are cleared.
	Put []Picture
	// Delete flags rows deleted by ID (clearing excluded).
	Delete []int64
	// Exclude flags rows excluded (and deleted) by ID: paths the ignore rules exclude now.
	Exclude []int64
	// Meta is written too (e.g. MetaLastIndex when the scan completes).
	Meta map[string]string
}

// Apply writes a batch of changes in one transaction, with prepared statements. now is the
// time recorded as first/last seen (unix seconds).
func (c *Catalog) Apply(ctx context.Context, ch PictureChanges, now int64) error {
	err := c.tx(ctx, func(tx *sql.Tx) error {
		if len(ch.Put) > 0 {
			st, err := tx.PrepareContext(ctx, `INSERT INTO local_pictures (dir, name, size, mtime_ns,
				content_hash, signature, kind, format, media, width, height, duration, date_taken,
				live_id, error, error_kind, deleted, first_seen, last_seen)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
				ON CONFLICT (dir, name) DO UPDATE SET size = excluded.size,
				mtime_ns = excluded.mtime_ns, content_hash = excluded.content_hash,
				signature = excluded.signature, kind = excluded.kind, format = excluded.format,
				media = excluded.media, width = excluded.width, height = excluded.height,
				duration = excluded.duration, date_taken = excluded.date_taken,
				live_id = excluded.live_id, error = excluded.error, error_kind = excluded.error_kind,
				deleted = 0, excluded = 0, last_seen = excluded.last_seen`)
			if err != nil {
				return err
			}
			defer st.Close()
			for _, p := range ch.Put {
				if _, err := st.ExecContext(ctx, p.Dir, p.Name, p.Size, p.MtimeNS, p.Hash,
					p.Signature, p.Kind, p.Format, p.Media, p.Width, p.Height, p.Duration, p.DateTaken,
					p.LiveID, p.Error, p.ErrorKind, now, now); err != nil {
					return fmt.Errorf("put %s: %w", p.Path(), err)
				}
			}
		}
		for _, flag := range []struct {
			ids      []int64
			excluded int
		}{{ch.Delete, 0}, {ch.Exclude, 1}} {
			if len(flag.ids) == 0 {
				continue
			}
			// last_seen of a live row is lazily the last complete index: settle it now.
			st, err := tx.PrepareContext(ctx, `UPDATE local_pictures SET deleted = 1, excluded = ?,
				last_seen = max(last_seen, coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'last_index'), 0))
				WHERE id = ?`)
			if err != nil {
				return err
			}
			defer st.Close()
			for _, id := range flag.ids {
				if _, err := st.ExecContext(ctx, flag.excluded, id); err != nil {
					return fmt.Errorf("flag picture %d: %w", id, err)
				}
			}
		}
		for k, v := range ch.Meta {
			if err := setMeta(ctx, tx, k, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("write pictures: %w", err)
	}
	return nil
}

// KnownFile is the part of a row the scanner compares with the disk.
type KnownFile struct {
	ID        int64
	Dir, Name string
	Size      int64
	MtimeNS   int64
	ErrorKind string
	Deleted   bool
	Excluded  bool // flagged deleted because the ignore rules exclude the path
}

// KnownFiles calls fn for every row, deleted ones included, with the few columns a scan
// needs to tell unchanged files (cheaper than AllPictures on a large library).
func (c *Catalog) KnownFiles(ctx context.Context, fn func(KnownFile) error) error {
	rows, err := c.r.QueryContext(ctx, `SELECT id, dir, name, size, mtime_ns, error_kind, deleted, excluded FROM local_pictures`)
	if err != nil {
		return fmt.Errorf("list known files: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k KnownFile
		if err := rows.Scan(&k.ID, &k.Dir, &k.Name, &k.Size, &k.MtimeNS, &k.ErrorKind, &k.Deleted, &k.Excluded); err != nil {
			return fmt.Errorf("list known files: %w", err)
		}
		if err := fn(k); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ContentOf returns a row (deleted or not) whose bytes have this size and SHA-256: a moved,
// copied or restored file is recognised by it without decoding. Rows whose last read
// failed carry no content and are never returned. ok is false when there is none.
func (c *Catalog) ContentOf(ctx context.Context, size int64, hash string) (p Picture, ok bool, err error) {
	c.contentOnce.Do(func() {
		c.contentStmt, c.contentErr = c.r.PrepareContext(context.WithoutCancel(ctx), `SELECT `+pictureColumns+
			` FROM local_pictures WHERE size = ? AND content_hash = ? AND `+notRetried+` LIMIT 1`)
	})
	if c.contentErr != nil {
		return p, false, fmt.Errorf("find content %s: %w", hash, c.contentErr)
	}
	p, err = scanPicture(c.contentStmt.QueryRowContext(ctx, size, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return p, false, nil
	}
	if err != nil {
		return p, false, fmt.Errorf("find content %s: %w", hash, err)
	}
	return p, true, nil
}

// Content is what identifies a row's bytes.
type Content struct {
	Size int64
	Hash string // SHA-256, hex; "" when the file could not be read
}

// ContentsOf returns the content of the rows with these ids (missing ids are left out).
func (c *Catalog) ContentsOf(ctx context.Context, ids []int64) (map[int64]Content, error) {
	out := make(map[int64]Content, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), batchSize)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		rows, err := c.r.QueryContext(ctx, `SELECT id, size, content_hash FROM local_pictures WHERE id IN (?`+
			strings.Repeat(",?", n-1)+`) AND `+notRetried, args...)
		if err != nil {
			return nil, fmt.Errorf("read contents: %w", err)
		}
		for rows.Next() {
			var id int64
			var ct Content
			if err := rows.Scan(&id, &ct.Size, &ct.Hash); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read contents: %w", err)
			}
			out[id] = ct
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("read contents: %w", err)
		}
		ids = ids[n:]
	}
	return out, nil
}
