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
	LocalPictures   int   `json:"local_pictures"`       // live pictures
	Signatures      int   `json:"signatures"`           // distinct signatures among them
	Duplicates      int   `json:"duplicates"`           // live pictures beyond the first of each signature
	DuplicateGroups int   `json:"duplicate_groups"`     // signatures with two or more pictures
	DecodeFailures  int   `json:"decode_failures"`      // live pictures that could not be read or decoded
	Deleted         int   `json:"deleted"`              // rows of files gone from the disk
	FlickrPhotos    int   `json:"flickr_photos"`        // photos known on Flickr
	PendingUploads  int   `json:"pending_uploads"`      // journal rows not settled
	LastIndex       int64 `json:"last_index,omitempty"` // unix seconds of the last complete index
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
		{`SELECT coalesce(sum(deleted = 0), 0), coalesce(sum(deleted = 0 AND error <> ''), 0),
			coalesce(sum(deleted <> 0), 0) FROM local_pictures`,
			[]any{&n.LocalPictures, &n.DecodeFailures, &n.Deleted}},
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
	return n, nil
}
