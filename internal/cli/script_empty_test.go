package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/scan"
	"github.com/flickrsync/flickrsync/internal/syncer/sample"
)

// TestEmptyLibraryRefused: a library whose disk is not mounted (its folder empty) must not
// pass for one whose pictures were all deleted. Every command that indexes the library or
// uses its folders stops first, exit status 2, changing nothing (the catalog, the library,
// the account); with the disk back, the catalog knows every file as it was.
// --allow-empty-library goes on.
func TestEmptyLibraryRefused(t *testing.T) {
	e := newE2E(t)
	e.library()
	e.mustRun("sync2", "--noprompt")
	if n := len(e.srv.Photos()); n != 5 {
		t.Fatalf("%d photos on Flickr after the first sync2, want 5", n)
	}

	// The disk goes away: its mount point stays, empty (a .txt and an excluded folder do
	// not make it a library).
	away := filepath.Join(e.work, "away")
	if err := os.Rename(e.lib, away); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(e.lib, ".thumbnails"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(e.lib, ".thumbnails", "x.jpg"), []byte("thumb"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(e.lib, "README.txt"), []byte("mount point"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := e.digest()
	e.srv.ResetCalls()
	for _, args := range [][]string{
		{"sync2", "--noprompt"}, {"sync", "--noprompt"}, {"index"}, {"photosets", "--noprompt"},
		{"sync2", "--noprompt", "--dryrun"},
	} {
		code, out, errs := e.run(args...)
		if code != ExitUsage {
			t.Errorf("%s on an empty library: exit %d, want %d", args, code, ExitUsage)
		}
		// One line says why (the watch's first line aside); no summary.
		want := "flickrsync: library " + e.lib + " is empty but the catalog knows 6 pictures there: is the disk mounted? (--allow-empty-library to go on)\n"
		errs = strings.TrimPrefix(errs, "watching "+e.lib+": a sync every 5m0s, of the files unchanged for 1m0s (Ctrl-C or SIGTERM stops)\n")
		if errs != want || out != "" {
			t.Errorf("%s on an empty library: stdout %q, stderr %q, want the one line %q", args, out, errs, want)
		}
	}
	// Another folder given by mistake is refused the same way, naming the catalog's library.
	wrong := filepath.Join(e.work, "wrong")
	if err := os.Mkdir(wrong, 0o755); err != nil {
		t.Fatal(err)
	}
	code, _, errs := e.run("-l", wrong, "sync2", "--noprompt")
	if want := "library " + wrong + " is empty but the catalog knows 6 pictures of the library " + e.lib; code != ExitUsage || !strings.Contains(errs, want) {
		t.Errorf("sync2 -l on another empty folder: exit %d, stderr %q, want %d and %q", code, errs, ExitUsage, want)
	}
	if err := os.Remove(wrong); err != nil {
		t.Fatal(err)
	}
	if after := e.digest(); after != before {
		t.Error("the refused runs changed the catalog, the library or the account")
	}
	if n, detail := e.calls(); e.srv.Calls()["download"]+e.srv.Calls()["upload"] != 0 {
		t.Errorf("the refused runs transferred files: %d calls: %s", n, detail)
	}

	// The disk is back: every file is known as it was, none read again, nothing to send.
	if err := os.RemoveAll(e.lib); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(away, e.lib); err != nil {
		t.Fatal(err)
	}
	var sum scan.Summary
	if err := json.Unmarshal([]byte(e.mustRun("index", "--json")), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Unchanged != 6 || sum.CameBack != 0 || sum.Deleted != 0 || sum.Decoded != 0 || sum.Bytes != 0 {
		t.Errorf("index with the disk back: %+v, want the 6 files unchanged, none read", sum)
	}
	e.srv.ResetCalls()
	e.mustRun("sync2", "--noprompt")
	if c := e.srv.Calls(); c["upload"]+c["download"] != 0 {
		t.Errorf("sync2 with the disk back transferred files: %v", c)
	}

	// On purpose: the pictures were deleted, sync2 brings the account home.
	if err := os.Rename(e.lib, away); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(e.lib, 0o755); err != nil {
		t.Fatal(err)
	}
	e.mustRun("sync2", "--noprompt", "--allow-empty-library")
	if got := e.tree(); len(got) != 5 {
		t.Errorf("sync2 --allow-empty-library on the empty library: %v, want the 5 photos downloaded", got)
	}
}

// TestEmptyLibraryFirstRun: a catalog that knows no picture lets an empty library through
// (a new library, filled from Flickr by sync2).
func TestEmptyLibraryFirstRun(t *testing.T) {
	e := newE2E(t)
	e.seed("beach", sample.Picture{Seed: 21}, true)
	e.mustRun("index")
	e.mustRun("sync2", "--noprompt")
	if got := e.tree(); len(got) != 1 {
		t.Errorf("sync2 on an empty library with a new catalog: %v, want the photo downloaded", got)
	}
}

// TestMissingLibraryIsUsageError: a library folder that does not exist stops every command
// that needs it, exit status 2, the folder named.
func TestMissingLibraryIsUsageError(t *testing.T) {
	e := newE2E(t)
	e.library()
	e.mustRun("sync", "--noprompt")
	missing := filepath.Join(e.work, "unmounted")
	for _, cmd := range []string{"index", "sync", "sync2", "photosets"} {
		code, _, errs := e.run("-l", missing, cmd, "--noprompt")
		if cmd == "index" {
			code, _, errs = e.run("-l", missing, cmd)
		}
		if code != ExitUsage || !strings.Contains(errs, missing) {
			t.Errorf("%s on a missing library: exit %d, stderr %q, want %d naming the folder", cmd, code, errs, ExitUsage)
		}
	}
}

// TestWatchEmptyLibrary: sync --watch on an empty library the catalog knows pictures of
// ends at its first run, exit status 2, as a single run does.
func TestWatchEmptyLibrary(t *testing.T) {
	e := newE2E(t)
	e.pic("a.jpg", sample.Picture{Seed: 1})
	e.mustRun("sync2", "--noprompt")
	if err := os.Rename(e.lib, filepath.Join(e.work, "away")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(e.lib, 0o755); err != nil {
		t.Fatal(err)
	}
	w := e.startWatch(e.base, "sync2", "--watch=50ms")
	select {
	case code := <-w.done:
		if code != ExitUsage || !strings.Contains(w.errw.String(), "is empty but the catalog knows 1 picture there") {
			t.Errorf("the watch ended with status %d, want %d saying why:\n%s", code, ExitUsage, w.errw.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("the watch goes on with an empty library:\n%s", w.errw.String())
	}
	if got := e.tree(); len(got) != 0 {
		t.Errorf("the watch wrote into the empty library: %v", got)
	}
}
