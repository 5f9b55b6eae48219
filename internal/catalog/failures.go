package catalog

import (
	"context"
	"fmt"
)

// FailedUpload is the kind of a Failure whose upload Flickr refused (a failed upload is
// retried at every sync; one Flickr refused for good, UploadRefused, when the file
// changes); the others are ErrorRead, ErrorDecode and ErrorInternal.
const FailedUpload = "upload"

// Failure is a file flickrsync could not back up. It is listed until the file changes
// and succeeds, is deleted, or its picture reaches Flickr.
type Failure struct {
	Path   string `json:"path"`   // relative to the library root
	Kind   string `json:"kind"`   // ErrorRead, ErrorDecode, ErrorInternal or FailedUpload
	Reason string `json:"reason"` // why, as it was recorded
	When   int64  `json:"when"`   // unix seconds it was recorded (an index's last sight, an upload's last attempt)
}

// Failures lists the live files whose reading or decoding failed (camera RAW files are not
// failures: Counts.RAW), then the pictures whose upload Flickr refused and that are still
// not on Flickr, each by path.
func (c *Catalog) Failures(ctx context.Context) ([]Failure, error) {
	var out []Failure
	rows, err := c.r.QueryContext(ctx, `SELECT dir, name, error_kind, error, last_seen FROM local_pictures
		WHERE deleted = 0 AND error <> '' AND error_kind <> '`+ErrorRAW+`' ORDER BY dir, name`)
	if err != nil {
		return nil, fmt.Errorf("list failures: %w", err)
	}
	for rows.Next() {
		var p Picture
		f := Failure{}
		if err := rows.Scan(&p.Dir, &p.Name, &f.Kind, &f.Reason, &f.When); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list failures: %w", err)
		}
		f.Path = p.Path()
		if f.Kind == "" {
			f.Kind = ErrorDecode // rows written before error kinds were kept
		}
		out = append(out, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list failures: %w", err)
	}
	// An upload is a failure while its picture is still in the library and not on
	// Flickr (a later run may have sent another copy of it, or found it there).
	rows, err = c.r.QueryContext(ctx, `SELECT u.file, u.error, u.updated_at FROM uploads u
		WHERE u.state IN (?, ?)
		AND EXISTS (SELECT 1 FROM local_pictures p WHERE p.signature = u.signature AND p.deleted = 0 AND p.error = '')
		AND NOT EXISTS (SELECT 1 FROM flickr_photos f WHERE f.signature = u.signature)
		ORDER BY u.file`, UploadFailed, UploadRefused)
	if err != nil {
		return nil, fmt.Errorf("list failed uploads: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		f := Failure{Kind: FailedUpload}
		if err := rows.Scan(&f.Path, &f.Reason, &f.When); err != nil {
			return nil, fmt.Errorf("list failed uploads: %w", err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list failed uploads: %w", err)
	}
	return out, nil
}
