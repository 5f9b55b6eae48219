package catalog

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
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
	// Signature is the flickrsync:signature machine tag's value; when empty on write it is
	// parsed from MachineTags (then Tags).
	Signature   string
	URLOriginal string // url_o
	Media       string // "photo", "video"
	// ShortName (title without extension, lower case; the original secret when the title
	// is empty) and DateFlat (digits of DateTaken) are computed on write.
	ShortName, DateFlat string
}

var signatureTagRE = regexp.MustCompile(`(?i)(?:^|\s)flickrsync:signature=([0-9a-f]+)(?:\s|$)`)

// SignatureFromTags returns the signature carried by a flickrsync:signature machine tag.
func SignatureFromTags(tagLists ...string) string {
	for _, s := range tagLists {
		if m := signatureTagRE.FindStringSubmatch(s); m != nil {
			return strings.ToLower(m[1])
		}
	}
	return ""
}

func (p *Photo) keys() {
	if p.Signature == "" {
		p.Signature = SignatureFromTags(p.MachineTags, p.Tags)
	}
	if p.Title == "" {
		p.ShortName = strings.ToLower(p.OriginalSecret)
	} else {
		p.ShortName = ShortName(p.Title)
	}
	p.DateFlat = FlatDate(p.DateTaken)
}

const photoColumns = `id, title, secret, original_secret, original_format, date_upload, date_taken,
	date_taken_unknown, last_update, tags, machine_tags, signature, url_o, media, short_name, date_flat`

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
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, p := range batch {
			p.keys()
			if _, err := st.ExecContext(ctx, p.ID, p.Title, p.Secret, p.OriginalSecret,
				p.OriginalFormat, p.DateUpload, p.DateTaken, p.DateTakenUnknown, p.LastUpdate,
				p.Tags, p.MachineTags, p.Signature, p.URLOriginal, p.Media, p.ShortName,
				p.DateFlat); err != nil {
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
			&p.MachineTags, &p.Signature, &p.URLOriginal, &p.Media, &p.ShortName, &p.DateFlat); err != nil {
			return fmt.Errorf("list flickr photos: %w", err)
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return rows.Err()
}

// MaxDateUpload is the newest date upload among the known photos (0 when none).
func (c *Catalog) MaxDateUpload(ctx context.Context) (int64, error) {
	var v int64
	if err := c.r.QueryRowContext(ctx, `SELECT coalesce(max(date_upload), 0) FROM flickr_photos`).Scan(&v); err != nil {
		return 0, fmt.Errorf("newest upload date: %w", err)
	}
	return v, nil
}

// Photoset is one album of the account.
type Photoset struct {
	ID, Title, Description, Primary string
	Photos                          int
}

// ReplacePhotosets stores the account's photosets, forgetting the others.
func (c *Catalog) ReplacePhotosets(ctx context.Context, sets []Photoset) error {
	err := c.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM photosets`); err != nil {
			return err
		}
		for _, s := range sets {
			if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO photosets (id, title, description, primary_id, photos)
				VALUES (?, ?, ?, ?, ?)`, s.ID, s.Title, s.Description, s.Primary, s.Photos); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("write photosets: %w", err)
	}
	return nil
}

// Photosets lists the stored photosets by title then id.
func (c *Catalog) Photosets(ctx context.Context) ([]Photoset, error) {
	rows, err := c.r.QueryContext(ctx, `SELECT id, title, description, primary_id, photos FROM photosets ORDER BY title, id`)
	if err != nil {
		return nil, fmt.Errorf("list photosets: %w", err)
	}
	defer rows.Close()
	var out []Photoset
	for rows.Next() {
		var s Photoset
		if err := rows.Scan(&s.ID, &s.Title, &s.Description, &s.Primary, &s.Photos); err != nil {
			return nil, fmt.Errorf("list photosets: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
