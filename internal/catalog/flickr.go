package catalog

import (
	"context"
	"database/sql"
	"fmt"
)

// Photo is one photo of the Flickr account as last listed.
type Photo struct {
	ID               string
	Title            string
	Secret           string
	OriginalSecret   string
	OriginalFormat   string // "jpg", "png", "gif"
	DateUpload       int64  // unix seconds
	DateTaken        string // "2004-11-29 16:01:26"
	DateTakenUnknown bool
	LastUpdate       int64 // unix seconds
	Tags             string
	MachineTags      string
	// Signature is the flickrsync:signature machine tag's value, as the writer read it
	// (names.SignatureOf): the catalog does not parse tags.
	Signature   string
	URLOriginal string // url_o
	Media       string // "photo", "video"
}

const photoColumns = `id, title, secret, original_secret, original_format, date_upload, date_taken,
	date_taken_unknown, last_update, tags, machine_tags, signature, url_o, media`

// batchSize is how many rows one write transaction holds.
const batchSize = 500

// PutPhotos inserts or replaces photos by id, in transactions of batchSize rows.
func (c *Catalog) PutPhotos(ctx context.Context, ps []Photo) error {
	return c.putPhotos(ctx, ps, false)
}

// ReplacePhotos forgets every photo and stores ps instead, in one transaction (a rebase).
func (c *Catalog) ReplacePhotos(ctx context.Context, ps []Photo) error {
	return c.putPhotos(ctx, ps, true)
}

func (c *Catalog) putPhotos(ctx context.Context, ps []Photo, replace bool) error {
	write := func(tx *sql.Tx, batch []Photo) error {
		st, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO flickr_photos (`+photoColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, p := range batch {
			if _, err := st.ExecContext(ctx, p.ID, p.Title, p.Secret, p.OriginalSecret,
				p.OriginalFormat, p.DateUpload, p.DateTaken, p.DateTakenUnknown, p.LastUpdate,
				p.Tags, p.MachineTags, p.Signature, p.URLOriginal, p.Media); err != nil {
				return fmt.Errorf("photo %s: %w", p.ID, err)
			}
		}
		return nil
	}
	var err error
	if replace {
		err = c.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `DELETE FROM flickr_photos`); err != nil {
				return err
			}
			return write(tx, ps)
		})
	} else {
		for len(ps) > 0 && err == nil {
			n := min(len(ps), batchSize)
			err = c.tx(ctx, func(tx *sql.Tx) error { return write(tx, ps[:n]) })
			ps = ps[n:]
		}
	}
	if err != nil {
		return fmt.Errorf("write flickr photos: %w", err)
	}
	return nil
}

// DeletePhotos forgets photos by id (deleted on Flickr).
func (c *Catalog) DeletePhotos(ctx context.Context, ids []string) error {
	err := c.tx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `DELETE FROM flickr_photos WHERE id = ?`, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete flickr photos: %w", err)
	}
	return nil
}

// Photos calls fn for every known Flickr photo, by date upload then id.
func (c *Catalog) Photos(ctx context.Context, fn func(Photo) error) error {
	rows, err := c.r.QueryContext(ctx, `SELECT `+photoColumns+` FROM flickr_photos ORDER BY date_upload, id`)
	if err != nil {
		return fmt.Errorf("list flickr photos: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p Photo
		if err := rows.Scan(&p.ID, &p.Title, &p.Secret, &p.OriginalSecret, &p.OriginalFormat,
			&p.DateUpload, &p.DateTaken, &p.DateTakenUnknown, &p.LastUpdate, &p.Tags,
			&p.MachineTags, &p.Signature, &p.URLOriginal, &p.Media); err != nil {
			return fmt.Errorf("list flickr photos: %w", err)
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return rows.Err()
}
