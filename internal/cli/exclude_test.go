package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/syncer/sample"
)

// TestExcludeEndToEnd: --exclude and --exclude-from on index, sync, sync2 and photosets;
// --debug names each exclusion with its rule (in a dry run too); the summary and status
// count them; a picture uploaded before and excluded since is left alone on Flickr: not
// deleted, not downloaded back, in no photoset.
func TestExcludeEndToEnd(t *testing.T) {
	e := newE2E(t)
	e.pic("a.jpg", sample.Picture{Seed: 1})
	e.pic("raw/b.jpg", sample.Picture{Seed: 2})
	e.pic("keep/c.jpg", sample.Picture{Seed: 3})
	e.pic("keep/tmp.jpg", sample.Picture{Seed: 4})
	e.pic("@eaDir/a.jpg/SYNOPHOTO_THUMB_XL.jpg", sample.Picture{Seed: 5})
	e.pic(".thumbnails/t.jpg", sample.Picture{Seed: 6})
	from := filepath.Join(e.work, "excludes.txt")
	if err := os.WriteFile(from, []byte("# scratch files\ntmp.jpg\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	// A dry run of the index names each exclusion and its rule, and changes nothing.
	code, _, errs := e.run("index", "--dryrun", "--debug", "--exclude", "raw/", "--exclude-from", from)
	for _, want := range []string{"excluded @eaDir/ by default:5:@eaDir", "excluded .thumbnails/ by default:2:.thumbnails",
		"excluded raw/ by exclude:2:raw/", "excluded keep/tmp.jpg by exclude:1:tmp.jpg", "4 files and folders excluded by the ignore rules"} {
		if !strings.Contains(errs, want) {
			t.Errorf("index --dryrun --debug lacks %q:\n%s", want, errs)
		}
	}
	if code != 0 {
		t.Errorf("exit %d", code)
	}
	if _, err := os.Stat(e.db); !os.IsNotExist(err) {
		t.Errorf("a dry run made the catalog: %v", err)
	}

	// The first sync backs up everything but the defaults' and --exclude-from's.
	_, _, errs = e.run("sync", "--noprompt", "--exclude-from", from)
	if n := len(e.srv.Photos()); n != 3 {
		t.Fatalf("%d photos, want 3 (a, raw/b, keep/c):\n%s", n, errs)
	}
	if !strings.Contains(errs, "3 files and folders excluded by the ignore rules") {
		t.Errorf("the summary does not count the exclusions:\n%s", errs)
	}

	// raw/ excluded now: its photo stays, nothing comes back, its set goes.
	code, _, errs = e.run("sync2", "--noprompt", "--exclude-from", from, "--exclude", "raw/")
	if code != 0 {
		t.Fatalf("sync2: exit %d:\n%s", code, errs)
	}
	if n := len(e.srv.Photos()); n != 3 {
		t.Errorf("%d photos after excluding raw/, want 3: a photo was deleted or uploaded", n)
	}
	for _, f := range e.tree() {
		if strings.Contains(f, "flickrsync_") {
			t.Errorf("sync2 downloaded the excluded picture back: %s", f)
		}
	}
	if _, ok := e.sets()["raw"]; ok {
		t.Errorf("the excluded folder keeps its set: %v", e.sets())
	}
	if !strings.Contains(errs, "1 picture indexed before") || !strings.Contains(errs, "kept on Flickr: 1 photo") {
		t.Errorf("the summary does not say what was excluded and kept:\n%s", errs)
	}
	out := e.mustRun("status")
	for _, want := range []string{"excluded         1 indexed before", "kept on Flickr     1 (0 superseded by edits, 1 of excluded pictures", "to download        0"} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}

	// photosets does not index: --exclude applies to the catalog's pictures.
	e.mustRun("photosets", "--noprompt", "--exclude", "keep/")
	if got := fmt.Sprint(e.sets()); got != "map[flickrsync:[a]]" {
		t.Errorf("sets after photosets --exclude keep/: %s", got)
	}
	if n := len(e.srv.Photos()); n != 3 {
		t.Errorf("%d photos, want 3", n)
	}
}
