package scan

import (
	"context"
	"maps"
	"testing"

	"github.com/flickrsync/flickrsync/internal/catalog"
)

// TestScanRAWAndIgnored: a camera RAW file is recorded as not uploadable (counted, not a
// failure, in every scan, read or not); files with no media extension stay unopened and
// are counted by extension.
func TestScanRAWAndIgnored(t *testing.T) {
	e := newEnv(t)
	e.write("a.jpg", "A")
	e.write("DSC_1.NEF", "RAW nikon")
	e.write("clip.MOV", "B")
	e.write("a.xmp", "sidecar")
	e.write("b.XMP", "sidecar")
	e.write("notes.txt", "text")
	e.write("README", "text")
	for i, want := range []string{"seen=3 new=3 decoded=3 ignored=4", "seen=3 unchanged=3 ignored=4"} {
		sum := e.scan()
		if got := counts(sum); got != want {
			t.Errorf("scan %d: %s, want %s", i+1, got, want)
		}
		if sum.RAW != 1 || len(sum.Failed) != 0 || sum.KnownFailures != 0 {
			t.Errorf("scan %d: RAW %d, failed %v, known failures %d; want 1, none, 0", i+1, sum.RAW, sum.Failed, sum.KnownFailures)
		}
		if want := map[string]int{".xmp": 2, ".txt": 1, "(none)": 1}; !maps.Equal(sum.IgnoredByExt, want) {
			t.Errorf("scan %d: ignored by extension %v, want %v", i+1, sum.IgnoredByExt, want)
		}
	}
	raw := e.live()["DSC_1.NEF"]
	if raw.ErrorKind != catalog.ErrorRAW || raw.Media != "raw" || raw.Format != "nef" || raw.Signature != "" {
		t.Errorf("RAW row: %+v", raw)
	}
	n, err := e.cat.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n.RAW != 1 || n.DecodeFailures != 0 {
		t.Errorf("counts: RAW %d, decode failures %d; want 1, 0", n.RAW, n.DecodeFailures)
	}
	if f, err := e.cat.Failures(context.Background()); err != nil || len(f) != 0 {
		t.Errorf("failures %v, %v; want none", f, err)
	}
}
