package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Upload states. An upload is recorded Uploading before any byte is sent, and settled
// after: Done with the photo id, Failed (with the reason) when Flickr certainly does not
// have it. An upload whose answer was lost stays Uploading until a search for its
// signature settles it (PendingUploads).
const (
	UploadUploading = "uploading"
	UploadDone      = "done"
	UploadFailed    = "failed"
	// UploadRefused: Flickr refused these bytes for good (their file type, their size);
	// the row keeps their content hash, and the picture is not sent again until it changes.
	UploadRefused = "refused"
)

// Upload is one row of the upload journal, keyed by signature.
type Upload struct {
	Signature string
	State     string
	File      string // library-relative path of the picture sent
	StartedAt int64  // unix seconds of the latest attempt
	UpdatedAt int64
	PhotoID   string
	Error     string // why it failed (state Failed or Refused)
	Attempts  int
	// ContentHash is the SHA-256 of the bytes Flickr refused (state Refused).
	ContentHash string
}

// BeginUpload records, before sending, that sig is being uploaded from file: state
// Uploading, attempts incremented, outcome fields cleared.
func (c *Catalog) BeginUpload(ctx context.Context, sig, file string) error {
	now := time.Now().Unix()
	err := c.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO uploads (signature, state, file, started_at, updated_at, attempts)
			VALUES (?, ?, ?, ?, ?, 1)
			ON CONFLICT (signature) DO UPDATE SET state = excluded.state, file = excluded.file,
			started_at = excluded.started_at, updated_at = excluded.updated_at, photo_id = '',
			error = '', content_hash = '', attempts = attempts + 1`, sig, UploadUploading, file, now, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("journal upload of %s: %w", file, err)
	}
	return nil
}

// EndUpload settles an upload: state is UploadDone (photoID set) or UploadFailed (errText
// says why).
func (c *Catalog) EndUpload(ctx context.Context, sig, state, photoID, errText string) error {
	switch state {
	case UploadDone, UploadFailed:
	default:
		return fmt.Errorf("end upload %s: bad state %q", sig, state)
	}
	return c.updateUpload(ctx, sig, `state = ?, photo_id = ?, error = ?`, state, photoID, errText)
}

// RefuseUpload settles an upload Flickr refused for good: state UploadRefused, with why
// and the SHA-256 of the bytes it refused.
func (c *Catalog) RefuseUpload(ctx context.Context, sig, contentHash, errText string) error {
	return c.updateUpload(ctx, sig, `state = ?, photo_id = '', error = ?, content_hash = ?`, UploadRefused, errText, contentHash)
}

func (c *Catalog) updateUpload(ctx context.Context, sig, set string, args ...any) error {
	args = append(args, time.Now().Unix(), sig)
	var n int64
	err := c.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE uploads SET `+set+`, updated_at = ? WHERE signature = ?`, args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err == nil && n == 0 {
		err = errors.New("no such upload in the journal")
	}
	if err != nil {
		return fmt.Errorf("journal upload %s: %w", sig, err)
	}
	return nil
}

// Uploads lists the journal rows in the given states (all when none), oldest first.
func (c *Catalog) Uploads(ctx context.Context, states ...string) ([]Upload, error) {
	q := `SELECT signature, state, file, started_at, updated_at, photo_id, error, attempts, content_hash FROM uploads`
	var args []any
	if len(states) > 0 {
		q += ` WHERE state IN (?` + repeat(",?", len(states)-1) + `)`
		for _, s := range states {
			args = append(args, s)
		}
	}
	rows, err := c.r.QueryContext(ctx, q+` ORDER BY started_at, signature`, args...)
	if err != nil {
		return nil, fmt.Errorf("list uploads: %w", err)
	}
	defer rows.Close()
	var out []Upload
	for rows.Next() {
		var u Upload
		if err := rows.Scan(&u.Signature, &u.State, &u.File, &u.StartedAt, &u.UpdatedAt,
			&u.PhotoID, &u.Error, &u.Attempts, &u.ContentHash); err != nil {
			return nil, fmt.Errorf("list uploads: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// PendingUploads lists the uploads begun and never settled: after a crash or a lost
// answer, each must be checked on Flickr before sending it again.
func (c *Catalog) PendingUploads(ctx context.Context) ([]Upload, error) {
	return c.Uploads(ctx, UploadUploading)
}

func repeat(s string, n int) string {
	out := ""
	for i := 0; i < n; i++ {
		out += s
	}
	return out
}
