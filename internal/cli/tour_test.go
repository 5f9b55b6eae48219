package cli

// Tests of bugs found by using the merged tool as a user switching from the Python
// flickrsync, and as a user with two computers, would: each named after what went wrong.

import (
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/syncer/sample"
)

// TestSync2SummaryCountsPicturesBroughtHome: the summary's "on Flickr: N of M pictures"
// of a sync2 counted the library as it was before its downloads ("1 of 1" after bringing
// two pictures home), though the next run found 3 of 3.
func TestSync2SummaryCountsPicturesBroughtHome(t *testing.T) {
	e := newE2E(t)
	e.pic("home.jpg", sample.Picture{Seed: 60})
	e.seed("beach", sample.Picture{Seed: 61}, true)
	e.seed("dune", sample.Picture{Seed: 62}, true)
	code, _, errs := e.run("sync2", "--noprompt")
	if code != 0 || !strings.Contains(errs, "on Flickr: 3 of 3 pictures") {
		t.Errorf("sync2: exit %d, want the 3 pictures of the library counted:\n%s", code, errs)
	}
}

// TestUploadSetTwiceAddsNothing: a second `upload FILE --set NAME` of the same files
// added the photos the set already held again (one photosets.addPhoto each) and said
// "2 photos added".
func TestUploadSetTwiceAddsNothing(t *testing.T) {
	e := newE2E(t)
	e.pic("../Downloads/a.jpg", sample.Picture{Seed: 63})
	e.pic("../Downloads/b.jpg", sample.Picture{Seed: 64})
	a, b := e.lib+"/../Downloads/a.jpg", e.lib+"/../Downloads/b.jpg"
	e.mustRun("upload", "--noprompt", "--set", "Trip", a, b)
	e.srv.ResetCalls()
	code, _, errs := e.run("upload", "--noprompt", "--set", "Trip", a, b)
	if n := e.srv.Calls()["flickr.photosets.addPhoto"]; code != 0 || n != 0 || strings.Contains(errs, "added") {
		t.Errorf("second upload --set: exit %d, %d addPhoto calls:\n%s", code, n, errs)
	}
	if !strings.Contains(errs, "photosets:            1 up to date") {
		t.Errorf("second upload --set does not say the set is up to date:\n%s", errs)
	}
	// A third file given: only it is added.
	e.pic("../Downloads/c.jpg", sample.Picture{Seed: 65})
	e.srv.ResetCalls()
	code, _, errs = e.run("upload", "--noprompt", "--set", "Trip", a, b, e.lib+"/../Downloads/c.jpg")
	if n := e.srv.Calls()["flickr.photosets.addPhoto"]; code != 0 || n != 1 || !strings.Contains(errs, `photoset "Trip": 1 photo added`) {
		t.Errorf("upload --set with one new file: exit %d, %d addPhoto calls:\n%s", code, n, errs)
	}
	for title, photos := range e.sets() {
		if title == "Trip" && len(photos) != 3 {
			t.Errorf("set Trip holds %v", photos)
		}
	}
}
