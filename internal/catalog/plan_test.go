package catalog

import (
	"context"
	"strings"
	"testing"
)

// TestQueryPlansUseIndexes guards the lookups that must stay fast on a million rows: the
// scanner's content lookup (one per new or changed file), the upsert's conflict target,
// and the duplicates' grouping, which must read the signature index rather than the table.
func TestQueryPlansUseIndexes(t *testing.T) {
	c := openTemp(t)
	ctx := context.Background()
	queries := map[string]string{
		"content": `SELECT id FROM local_pictures WHERE size = 1 AND content_hash = 'x' AND ` + notRetried + ` LIMIT 1`,
		"by path": `SELECT id FROM local_pictures WHERE dir = 'a' AND name = 'b'`,
		"duplicates": `SELECT id FROM local_pictures WHERE deleted = 0 AND signature IN (
			SELECT signature FROM local_pictures WHERE deleted = 0 AND signature <> ''
			GROUP BY signature HAVING count(*) > 1) ORDER BY signature`,
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
				if step == "SCAN local_pictures" || strings.HasPrefix(step, "SCAN local_pictures USING INDEX") ||
					strings.Contains(step, "USE TEMP B-TREE") {
					t.Errorf("reads the table or sorts it: %s", all)
				}
			}
		})
	}
}
