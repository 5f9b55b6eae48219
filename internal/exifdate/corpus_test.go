package exifdate

import (
	"os"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// TestCorpus checks every corpus file against ImageMagick 6's recorded value.
func TestCorpus(t *testing.T) {
	rows := sharedtest.Corpus(t)
	if len(rows) == 0 {
		t.Fatal("empty manifest")
	}
	var misses []string
	withDate := 0
	for _, r := range rows {
		want := r.IM6ExifDateTimeOriginal
		got, err := FromFile(r.Path())
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
		// The bytes path must agree with the file path.
		b, err := os.ReadFile(r.Path())
		if err != nil {
			t.Fatal(err)
		}
		if gotB, _ := FromBytes(b); gotB != got {
			t.Errorf("%s: FromBytes %q != FromFile %q", r.File, gotB, got)
		}
	}
	t.Logf("%d/%d rows match (%d with a date)", len(rows)-len(misses), len(rows), withDate)
	for _, m := range misses {
		t.Error(m)
	}
}

func quote(s string) string { return "\"" + s + "\"" }
