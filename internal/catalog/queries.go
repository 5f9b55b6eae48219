package catalog

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/flickrsync/flickrsync/internal/names"
)

// DuplicateGroup is the live pictures sharing one signature, two or more.
type DuplicateGroup struct {
	Signature string
	// Pictures are in names.KeepOrder: Pictures[0] is the copy sync uploads.
	Pictures []Picture
}

// Duplicates calls fn for each group of live pictures sharing a signature, by signature.
func (c *Catalog) Duplicates(ctx context.Context, fn func(DuplicateGroup) error) error {
	var g DuplicateGroup
	emit := func() error {
		slices.SortFunc(g.Pictures, func(a, b Picture) int { return names.KeepOrder(a.Path(), b.Path()) })
		return fn(g)
	}
	// Rows come in signature order from the index; each group is ordered here, which
	// spares SQLite a sort of the whole result on a computed key.
	err := c.eachPicture(ctx, `WHERE deleted = 0 AND signature IN (
			SELECT signature FROM local_pictures WHERE deleted = 0 AND signature <> ''
			GROUP BY signature HAVING count(*) > 1)
		ORDER BY signature`, func(p Picture) error {
		if p.Signature != g.Signature && len(g.Pictures) > 0 {
			if err := emit(); err != nil {
				return err
			}
			g = DuplicateGroup{}
		}
		g.Signature = p.Signature
		g.Pictures = append(g.Pictures, p)
		return nil
	})
	if err == nil && len(g.Pictures) > 0 {
		err = emit()
	}
	if err != nil {
		return fmt.Errorf("list duplicates: %w", err)
	}
	return nil
}

// Counts is what `flickrsync status` shows.
type Counts struct {
	LocalPictures   int `json:"local_pictures"`   // live pictures
	Signatures      int `json:"signatures"`       // distinct signatures among them
	Duplicates      int `json:"duplicates"`       // live pictures beyond the first of each signature
	DuplicateGroups int `json:"duplicate_groups"` // signatures with two or more pictures
	DecodeFailures  int `json:"decode_failures"`  // live pictures that could not be read or decoded
	Videos          int `json:"videos"`           // live pictures that are videos
	// RAW counts the live camera RAW files: not uploadable to Flickr (not failures).
	RAW      int `json:"not_uploadable_raw"`
	Deleted  int `json:"deleted"`  // rows of files gone from the disk
	Excluded int `json:"excluded"` // rows of paths the ignore rules exclude now
	// ExcludedLastIndex is how many files and folders the last complete index excluded
	// (a folder counts once: what it holds is not looked at).
	ExcludedLastIndex int   `json:"excluded_last_index"`
	FlickrPhotos      int   `json:"flickr_photos"`        // photos known on Flickr
	PendingUploads    int   `json:"pending_uploads"`      // journal rows not settled
	LastIndex         int64 `json:"last_index,omitempty"` // unix seconds of the last complete index
}

// Counts computes the catalog's own figures (what is matched, and so left to sync, is the
// sync engine's to say: syncer.Outlook).
func (c *Catalog) Counts(ctx context.Context) (Counts, error) {
	var n Counts
	// Few passes, each one table scan or index scan: fast enough on a million rows.
	queries := []struct {
		q    string
		dest []any
	}{
		{`SELECT coalesce(sum(deleted = 0), 0), coalesce(sum(deleted = 0 AND error <> '' AND error_kind <> '` + ErrorRAW + `'), 0),
			coalesce(sum(deleted <> 0 AND excluded = 0), 0), coalesce(sum(excluded <> 0), 0),
			coalesce(sum(deleted = 0 AND media = 'video' AND error = ''), 0),
			coalesce(sum(deleted = 0 AND error_kind = '` + ErrorRAW + `'), 0) FROM local_pictures`,
			[]any{&n.LocalPictures, &n.DecodeFailures, &n.Deleted, &n.Excluded, &n.Videos, &n.RAW}},
		{`SELECT count(*), coalesce(sum(c), 0) - count(*), coalesce(sum(c > 1), 0) FROM (
			SELECT count(*) AS c FROM local_pictures WHERE signature <> '' AND deleted = 0 GROUP BY signature)`,
			[]any{&n.Signatures, &n.Duplicates, &n.DuplicateGroups}},
		{`SELECT count(*) FROM flickr_photos`, []any{&n.FlickrPhotos}},
		{`SELECT count(*) FROM uploads WHERE state = 'uploading'`, []any{&n.PendingUploads}},
	}
	for _, q := range queries {
		if err := c.r.QueryRowContext(ctx, q.q).Scan(q.dest...); err != nil {
			return n, fmt.Errorf("count catalog: %w", err)
		}
	}
	if v, err := c.Meta(ctx, MetaLastIndex); err == nil && v != "" {
		n.LastIndex, _ = strconv.ParseInt(v, 10, 64)
	}
	if v, err := c.Meta(ctx, MetaExcluded); err == nil && v != "" {
		n.ExcludedLastIndex, _ = strconv.Atoi(v)
	}
	return n, nil
}

// ExcludedSignatures calls fn with each signature held by a row the ignore rules exclude
// and by no live row. The sync leaves a Flickr photo of such a signature alone: it is
// not uploaded (the path is out of the library) nor downloaded (the library holds it,
// excluded), and, like every photo, never deleted.
func (c *Catalog) ExcludedSignatures(ctx context.Context, fn func(sig string) error) error {
	rows, err := c.r.QueryContext(ctx, `SELECT DISTINCT signature FROM local_pictures e
		WHERE excluded <> 0 AND signature <> '' AND NOT EXISTS (SELECT 1 FROM local_pictures l
			WHERE l.signature = e.signature AND l.deleted = 0)`)
	if err != nil {
		return fmt.Errorf("list excluded signatures: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sig string
		if err := rows.Scan(&sig); err != nil {
			return fmt.Errorf("list excluded signatures: %w", err)
		}
		if err := fn(sig); err != nil {
			return err
		}
	}
	return rows.Err()
}
