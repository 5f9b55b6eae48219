package catalog

import (
	"context"
	"strings"
	"testing"
)

// TestQueryPlansUseIndexes guards the queries that must stay fast on a million rows: no
// lookup may scan local_pictures, and no subquery may scan a table once per row.
func TestQueryPlansUseIndexes(t *testing.T) {
	c := openTemp(t)
	ctx := context.Background()
	queries := map[string]string{
		"content":      `SELECT id FROM local_pictures WHERE size = 1 AND content_hash = 'x' AND ` + notRetried + ` LIMIT 1`,
		"by signature": `SELECT id FROM local_pictures WHERE signature = 'x' AND deleted = 0`,
		"by path":      `SELECT id FROM local_pictures WHERE dir = 'a' AND name = 'b'`,
		"to download": `SELECT count(*) FROM flickr_photos f WHERE
				NOT (f.signature <> '' AND EXISTS (SELECT 1 FROM local_pictures l WHERE l.signature = f.signature AND l.deleted = 0))
				AND NOT EXISTS (SELECT 1 FROM local_pictures l WHERE l.flickr_id = f.id AND l.deleted = 0)`,
		"on flickr": `SELECT 1 FROM flickr_photos WHERE signature = 'x'`,
	}
	for name, q := range queries {
		t.Run(name, func(t *testing.T) {
			rows, err := c.r.QueryContext(ctx, `EXPLAIN QUERY PLAN `+q)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				rows.Scan(&id, &parent, &unused, &detail)
				plan = append(plan, detail)
			}
			all := strings.Join(plan, " | ")
			t.Log(all)
			for _, step := range plan {
				if strings.HasPrefix(step, "SCAN l") || strings.HasPrefix(step, "SCAN local_pictures") ||
					(strings.HasPrefix(step, "SCAN flickr_photos") && name == "on flickr") {
					t.Errorf("table scan: %s", all)
				}
			}
		})
	}
}
