package exifdate

import (
	"os"
	"os/exec"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// TestHeaderReadCorpus checks the header read (FromFile, FromBytes) where it differs from
// the manifest's full read against a header read by the installed ImageMagick 6.9.11
// (`identify -ping`), and that the two header-read entry points agree on every row.
func TestHeaderReadCorpus(t *testing.T) {
	rows := sharedtest.Corpus(t)
	identify := sharedtest.Identify(t)
	differ := 0
	for _, r := range rows {
		path := r.Path()
		head, err := FromFile(path)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if gotB, _ := FromBytes(b); gotB != head {
			t.Errorf("%s: FromBytes %q != FromFile %q", r.File, gotB, head)
		}
		if head == r.IM6ExifDateTimeOriginal {
			continue
		}
		differ++
		out, _ := exec.Command(identify, "-ping", "-format", "%[exif:DateTimeOriginal]", path).Output()
		if string(out) != head {
			t.Errorf("%s: header read %q, identify -ping %q", r.File, head, out)
		}
	}
	if differ == 0 {
		t.Error("no corpus file reads differently in full: the manifest's column is not the full read")
	}
	t.Logf("%d corpus files give no date in a header read, one in a full read", differ)
}
