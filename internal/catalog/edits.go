package catalog

import (
	"context"
	"database/sql"
	"fmt"
)

// Edit is a picture changed in place: the live file at Dir/Name had signature Old and
// has New since (the trigger of migration 7 records it as the scanner writes the row).
type Edit struct {
	Seq              int64 // the order of the edits
	Dir, Name        string
	Old, New         string // signatures
	OldDate, NewDate string // the date taken of each version, "" when none
	At               int64  // unix seconds
}

// Path is the edited file's library-relative path.
func (e Edit) Path() string { return Picture{Dir: e.Dir, Name: e.Name}.Path() }

// Edits lists every edit recorded, oldest first.
func (c *Catalog) Edits(ctx context.Context) ([]Edit, error) {
	rows, err := c.r.QueryContext(ctx, `SELECT seq, dir, name, old_signature, new_signature,
		old_date_taken, new_date_taken, at FROM picture_edits ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("list edits: %w", err)
	}
	defer rows.Close()
	var out []Edit
	for rows.Next() {
		var e Edit
		if err := rows.Scan(&e.Seq, &e.Dir, &e.Name, &e.Old, &e.New, &e.OldDate, &e.NewDate, &e.At); err != nil {
			return nil, fmt.Errorf("list edits: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Superseded is a Flickr photo marked as the earlier version of an edited picture:
// Signature its own, BySignature the picture's at Dir/Name when it was marked.
type Superseded struct {
	PhotoID                string
	Dir, Name              string
	Signature, BySignature string
	At                     int64 // unix seconds
}

// SupersededPhotos lists the photos marked superseded.
func (c *Catalog) SupersededPhotos(ctx context.Context) ([]Superseded, error) {
	rows, err := c.r.QueryContext(ctx, `SELECT photo_id, dir, name, signature, by_signature, at
		FROM superseded_photos ORDER BY at, photo_id`)
	if err != nil {
		return nil, fmt.Errorf("list superseded photos: %w", err)
	}
	defer rows.Close()
	var out []Superseded
	for rows.Next() {
		var s Superseded
		if err := rows.Scan(&s.PhotoID, &s.Dir, &s.Name, &s.Signature, &s.BySignature, &s.At); err != nil {
			return nil, fmt.Errorf("list superseded photos: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// MarkSuperseded records photos as superseded (again: the latest mark stays).
func (c *Catalog) MarkSuperseded(ctx context.Context, ss []Superseded) error {
	err := c.tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO superseded_photos
			(photo_id, dir, name, signature, by_signature, at) VALUES (?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, s := range ss {
			if _, err := st.ExecContext(ctx, s.PhotoID, s.Dir, s.Name, s.Signature, s.BySignature, s.At); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("mark superseded photos: %w", err)
	}
	return nil
}

// PhotoPrivacy returns, by photo id, the privacy setting flickrsync last gave each photo
// a rule covers (package privacy's text form).
func (c *Catalog) PhotoPrivacy(ctx context.Context) (map[string]string, error) {
	rows, err := c.r.QueryContext(ctx, `SELECT photo_id, setting FROM photo_privacy`)
	if err != nil {
		return nil, fmt.Errorf("read photo privacy: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, setting string
		if err := rows.Scan(&id, &setting); err != nil {
			return nil, fmt.Errorf("read photo privacy: %w", err)
		}
		out[id] = setting
	}
	return out, rows.Err()
}

// SetPhotoPrivacy records the settings of photos by id; "" forgets a photo's.
func (c *Catalog) SetPhotoPrivacy(ctx context.Context, settings map[string]string) error {
	err := c.tx(ctx, func(tx *sql.Tx) error {
		put, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO photo_privacy (photo_id, setting) VALUES (?, ?)`)
		if err != nil {
			return err
		}
		defer put.Close()
		del, err := tx.PrepareContext(ctx, `DELETE FROM photo_privacy WHERE photo_id = ?`)
		if err != nil {
			return err
		}
		defer del.Close()
		for id, s := range settings {
			if s == "" {
				_, err = del.ExecContext(ctx, id)
			} else {
				_, err = put.ExecContext(ctx, id, s)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("write photo privacy: %w", err)
	}
	return nil
}
