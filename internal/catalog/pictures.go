package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path"
	"regexp"
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
	Signature string // pixel signature, hex; "" when the picture could not be decoded
	Format    string // "jpeg", "png", "gif" ("" when unknown)
	Width     int
	Height    int
	DateTaken string // EXIF DateTimeOriginal as ImageMagick 6 reports it, "" when none
	// Derived match keys, computed by the catalog on write (see Keys).
	ShortName, DateFlat    string
	FlickrID, FlickrSecret string
	Error                  string // why it could not be read or decoded, "" when fine
	ErrorKind              string // "", ErrorRead, ErrorDecode or ErrorInternal
	Deleted                bool   // the file is gone (kept to recognise it if it comes back)
	FirstSeen, LastSeen    int64  // unix seconds; see doc.go for LastSeen of live rows
}

// Error kinds.
const (
	ErrorRead   = "read"   // the file could not be read: retried by every scan
	ErrorDecode = "decode" // the bytes are not a picture ImageMagick could decode: retried when they change
	// ErrorInternal: decoding stopped for a reason of flickrsync's, not of the bytes (a
	// decoder bug, the memory budget): retried by every scan.
	ErrorInternal = "internal"
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

// downloadNameRE is the name the Python flickrsync gave downloads.
var downloadNameRE = regexp.MustCompile(`(?i)^flickrsync_([0-9]+)_([a-z0-9]+)_(.*)\.(jpg|jpeg|png|gif)$`)

// Keys fills the derived match keys from Name and DateTaken, as the Python tool did:
// ShortName is the name without extension in lower case (for a downloaded
// flickrsync_<id>_<secret>_<title>.<ext>, the title, or the secret when the title is
// empty); DateFlat keeps the digits of the date; FlickrID and FlickrSecret come from a
// downloaded name.
func (p *Picture) Keys() {
	p.FlickrID, p.FlickrSecret = "", ""
	base := p.Name
	if m := downloadNameRE.FindStringSubmatch(p.Name); m != nil {
		p.FlickrID, p.FlickrSecret = m[1], m[2]
		base = m[3]
		if base == "" {
			base = m[2]
		}
	}
	p.ShortName = ShortName(base)
	p.DateFlat = FlatDate(p.DateTaken)
}

// ShortName is name without its extension, in lower case.
func ShortName(name string) string {
	if ext := path.Ext(name); ext != "" && ext != name {
		name = strings.TrimSuffix(name, ext)
	}
	return strings.ToLower(name)
}

// FlatDate keeps the digits of a date: "2004:11:29 16:01:26" -> "20041129160126".
func FlatDate(date string) string {
	var b strings.Builder
	for i := 0; i < len(date); i++ {
		if c := date[i]; c >= '0' && c <= '9' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

const pictureColumns = `id, dir, name, size, mtime_ns, content_hash, signature, format, width, height,
	date_taken, short_name, date_flat, flickr_id, flickr_secret, error, error_kind, deleted,
	first_seen, last_seen`

func scanPicture(rows interface{ Scan(...any) error }) (Picture, error) {
	var p Picture
	err := rows.Scan(&p.ID, &p.Dir, &p.Name, &p.Size, &p.MtimeNS, &p.Hash, &p.Signature,
		&p.Format, &p.Width, &p.Height, &p.DateTaken, &p.ShortName, &p.DateFlat, &p.FlickrID,
		&p.FlickrSecret, &p.Error, &p.ErrorKind, &p.Deleted, &p.FirstSeen, &p.LastSeen)
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

// AllPictures calls fn for every row, deleted ones included, in no particular order (the
// scanner loads them to compare with the disk).
func (c *Catalog) AllPictures(ctx context.Context, fn func(Picture) error) error {
	if err := c.eachPicture(ctx, ``, fn); err != nil {
		return fmt.Errorf("list pictures: %w", err)
	}
	return nil
}

// Pictures calls fn for every live (not deleted) picture, ordered by path.
func (c *Catalog) Pictures(ctx context.Context, fn func(Picture) error) error {
	if err := c.eachPicture(ctx, `WHERE deleted = 0 ORDER BY dir, name`, fn); err != nil {
		return fmt.Errorf("list pictures: %w", err)
	}
	return nil
}

// PictureByPath returns the row of a library-relative path (deleted or not); ok is false
// when there is none.
func (c *Catalog) PictureByPath(ctx context.Context, rel string) (p Picture, ok bool, err error) {
	dir, name := SplitPath(rel)
	err = c.eachPicture(ctx, `WHERE dir = ? AND name = ?`, func(q Picture) error {
		p, ok = q, true
		return nil
	}, dir, name)
	if err != nil {
		return p, false, fmt.Errorf("read picture %s: %w", rel, err)
	}
	return p, ok, nil
}

// PicturesBySignature returns the live pictures of a signature, representative first.
func (c *Catalog) PicturesBySignature(ctx context.Context, sig string) ([]Picture, error) {
	var out []Picture
	err := c.eachPicture(ctx, `WHERE signature = ? AND deleted = 0 ORDER BY `+representativeOrder,
		func(p Picture) error { out = append(out, p); return nil }, sig)
	if err != nil {
		return nil, fmt.Errorf("pictures of %s: %w", sig, err)
	}
	return out, nil
}

// PictureChanges is one batch of scanner results, written in one transaction.
type PictureChanges struct {
	// Put inserts or updates pictures by (Dir, Name); ID is ignored, FirstSeen is kept for
	// an existing row, Deleted and excluded are cleared, and the derived keys are recomputed.
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
				content_hash, signature, format, width, height, date_taken, short_name, date_flat,
				flickr_id, flickr_secret, error, error_kind, deleted, first_seen, last_seen)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
				ON CONFLICT (dir, name) DO UPDATE SET size = excluded.size,
				mtime_ns = excluded.mtime_ns, content_hash = excluded.content_hash,
				signature = excluded.signature, format = excluded.format, width = excluded.width,
				height = excluded.height, date_taken = excluded.date_taken,
				short_name = excluded.short_name, date_flat = excluded.date_flat,
				flickr_id = excluded.flickr_id, flickr_secret = excluded.flickr_secret,
				error = excluded.error, error_kind = excluded.error_kind, deleted = 0,
				excluded = 0, last_seen = excluded.last_seen`)
			if err != nil {
				return err
			}
			defer st.Close()
			for _, p := range ch.Put {
				p.Keys()
				if _, err := st.ExecContext(ctx, p.Dir, p.Name, p.Size, p.MtimeNS, p.Hash,
					p.Signature, p.Format, p.Width, p.Height, p.DateTaken, p.ShortName,
					p.DateFlat, p.FlickrID, p.FlickrSecret, p.Error, p.ErrorKind, now, now); err != nil {
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
