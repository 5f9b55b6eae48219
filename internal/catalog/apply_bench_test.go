package catalog

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// BenchmarkApply writes 20,000 new pictures in batches of 500, as a first index does.
func BenchmarkApply(b *testing.B) {
	ctx := context.Background()
	var rows []Picture
	for i := 0; i < 20000; i++ {
		rows = append(rows, Picture{Dir: fmt.Sprintf("group%02d/folder%04d", i/2000, i/100), Name: fmt.Sprintf("IMG_%05d.jpg", i),
			Size: int64(50000 + i), MtimeNS: int64(i) * 1e9, Hash: fmt.Sprintf("%064x", i%8),
			Signature: fmt.Sprintf("%064x", i%8), Format: "jpeg", Width: 640, Height: 480, DateTaken: "2019:05:04 10:11:12"})
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		c, err := Open(ctx, filepath.Join(b.TempDir(), "a.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for j := 0; j < len(rows); j += 500 {
			if err := c.Apply(ctx, PictureChanges{Put: rows[j : j+500]}, 1); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		c.Close()
	}
}
