package catalog

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// BenchmarkLargeCatalog fills a catalog with 200,000 pictures (100,000 signatures, so half
// are duplicates) and 100,000 Flickr photos, then times the status figures, the duplicate
// groups and loading the scanner's view (go test -bench LargeCatalog -run XXX).
func BenchmarkLargeCatalog(b *testing.B) {
	ctx := context.Background()
	c, err := Open(ctx, filepath.Join(b.TempDir(), "big.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	const n = 200000
	var batch []Picture
	for i := 0; i < n; i++ {
		sig := fmt.Sprintf("%064x", i/2)
		batch = append(batch, Picture{Dir: fmt.Sprintf("dir%04d", i/200), Name: fmt.Sprintf("IMG_%06d.jpg", i),
			Size: int64(1000 + i), MtimeNS: int64(i), Hash: fmt.Sprintf("%064x", i), Signature: sig, Format: "jpeg"})
		if len(batch) == 500 {
			if err := c.Apply(ctx, PictureChanges{Put: batch}, 1); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	var photos []Photo
	for i := 0; i < n/2; i++ {
		photos = append(photos, Photo{ID: fmt.Sprint(1e9 + i), Title: "x", MachineTags: fmt.Sprintf("flickrsync:signature=%064x", i+n/4), DateUpload: int64(i)})
	}
	if err := c.PutPhotos(ctx, photos); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	b.Run("Counts", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := c.Counts(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Duplicates", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			groups := 0
			c.Duplicates(ctx, func(DuplicateGroup) error { groups++; return nil })
			if groups != n/2 {
				b.Fatal(groups)
			}
		}
	})
	b.Run("KnownFiles", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			c.KnownFiles(ctx, func(KnownFile) error { return nil })
		}
	})
}
