package exifdate

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// TestCorpus checks every corpus file against the date the Python flickrsync matched on:
// exif:DateTimeOriginal after Wand's full read (the manifest's im6_exif_datetimeoriginal),
// which is FullRead, the read the scanner uses.
func TestCorpus(t *testing.T) {
	rows := sharedtest.Corpus(t)
	if len(rows) == 0 {
		t.Fatal("empty manifest")
	}
	var misses []string
	withDate := 0
	for _, r := range rows {
		want := r.IM6ExifDateTimeOriginal
		b, err := os.ReadFile(r.Path())
		if err != nil {
			t.Fatal(err)
		}
		got, err := FullRead(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Errorf("%s: %v", r.File, err)
			continue
		}
		if want != "" {
			withDate++
		}
		if got != want {
			misses = append(misses, r.File+" ("+r.Category+"): got "+strings.TrimSpace(quote(got))+", want "+quote(want))
		}
	}
	t.Logf("%d/%d rows match (%d with a date)", len(rows)-len(misses), len(rows), withDate)
	for _, m := range misses {
		t.Error(m)
	}
}

func quote(s string) string { return "\"" + s + "\"" }
