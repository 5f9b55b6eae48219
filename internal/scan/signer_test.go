package scan

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestImageSignerFullRead: the date recorded for a PNG is the one the Python flickrsync
// matched on, found by Wand's full read in a "Raw profile type exif" text chunk.
func TestImageSignerFullRead(t *testing.T) {
	for _, name := range []string{"raw-text.png", "raw-ztxt.png"} {
		b, err := os.ReadFile(filepath.Join("..", "exifdate", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		s, err := ImageSigner(context.Background(), bytes.NewReader(b), int64(len(b)), name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if want := "2010:10:10 10:10:10"; s.DateTaken != want {
			t.Errorf("%s: date %q, want %q", name, s.DateTaken, want)
		}
	}
}
