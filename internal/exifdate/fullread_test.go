package exifdate

import (
	"bytes"
	"os"
	"os/exec"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// TestFullReadCorpus checks FullRead where it differs from FromReader (the manifest records
// header reads) against a full read by the installed ImageMagick 6.9.11.
func TestFullReadCorpus(t *testing.T) {
	rows := sharedtest.Corpus(t)
	identify := sharedtest.Identify(t)
	differ := 0
	for _, r := range rows {
		path := r.Path()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		full, err := FullRead(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		if full == r.IM6ExifDateTimeOriginal {
			continue
		}
		differ++
		out, _ := exec.Command(identify, "-format", "%[exif:DateTimeOriginal]", path).Output()
		if string(out) != full {
			t.Errorf("%s: FullRead %q, identify (full read) %q", r.File, full, out)
		}
	}
	t.Logf("%d corpus files read differently in full", differ)
}
