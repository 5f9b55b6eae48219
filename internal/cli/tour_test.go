package cli

// Tests of bugs found by using the merged tool as a user switching from the Python
// flickrsync, and as a user with two computers, would: each named after what went wrong.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"

	"github.com/flickrsync/flickrsync/internal/catalog/catalogtest"
	"github.com/flickrsync/flickrsync/internal/scan"
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

// TestSwitchFromPythonSaysWhereTheCatalogIs: with config.ini still naming the Python
// tool's database, the first run said nothing of the catalog it made beside it, nor of
// the signatures it took from it, and `config show` named the Python file as the
// database flickrsync uses.
func TestSwitchFromPythonSaysWhereTheCatalogIs(t *testing.T) {
	ctx := context.Background()
	home := t.TempDir()
	lib := filepath.Join(t.TempDir(), "Pictures")
	var rows []catalogtest.PythonRow
	for i := 0; i < 7; i++ {
		f := filepath.Join(lib, "2018", string(rune('a'+i))+".png")
		writePNG(t, f, uint8(20*i))
		r, _ := os.Open(f)
		st, _ := r.Stat()
		signed, err := scan.ImageSigner(ctx, r, st.Size(), filepath.Base(f))
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, catalogtest.PythonRow{Directory: filepath.Dir(f), FileName: filepath.Base(f),
			Signature: signed.Signature, Timestamp: st.ModTime().Unix() + 10})
	}
	py := filepath.Join(home, ".flickrsync", "flickrsync.db")
	os.MkdirAll(filepath.Dir(py), 0o700)
	catalogtest.PythonDB(t, py, rows)
	before, _ := os.ReadFile(py)
	own := filepath.Join(home, ".flickrsync", "flickrsync-go.db")
	writeConfigFile(t, home, "[DEFAULT]\ndirectory = "+lib+"\ndatabase = ~/.flickrsync/flickrsync.db\n")

	notice := py + " is the Python flickrsync's database: flickrsync reads it, never writes it, and keeps its own catalog beside it: " + own
	code, _, errs := runIn(home, "index", "--dryrun")
	if code != 0 || strings.Count(errs, notice) != 1 {
		t.Errorf("index --dryrun: exit %d, want the notice once:\n%s", code, errs)
	}
	code, _, errs = runIn(home, "index")
	if code != 0 || strings.Count(errs, notice) != 1 {
		t.Errorf("first index: exit %d, want the notice once:\n%s", code, errs)
	}
	if want := fmt.Sprintf("signatures from %s: %d taken, %d checked against ours", py, 7-scan.ImportSample, scan.ImportSample); !strings.Contains(errs, want) {
		t.Errorf("first index does not say %q:\n%s", want, errs)
	}
	code, _, errs = runIn(home, "index")
	if code != 0 || strings.Contains(errs, "Python flickrsync") {
		t.Errorf("second index: exit %d, want no notice:\n%s", code, errs)
	}
	code, out, _ := runIn(home, "config", "show")
	if code != 0 || !strings.Contains(out, own) || !strings.Contains(out, "beside the Python flickrsync's database") {
		t.Errorf("config show: exit %d, want the catalog %s named:\n%s", code, own, out)
	}
	if after, _ := os.ReadFile(py); !bytes.Equal(after, before) {
		t.Error("the Python database was written")
	}
}

// TestConfigShowColumnsAligned: config show's key column was 16 wide, so the row of
// full_listing_after (18) pushed its value and source out of line.
func TestConfigShowColumnsAligned(t *testing.T) {
	e := newE2E(t)
	out := e.mustRun("config", "show")
	col := -1
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		for _, key := range []string{"full_listing_after ", "memory ", "transfers ", "token user "} {
			if !strings.HasPrefix(l, key) {
				continue
			}
			at := len(key) + len(l[len(key):]) - len(strings.TrimLeft(l[len(key):], " "))
			if col >= 0 && at != col {
				t.Errorf("the value of %q starts at column %d, others at %d:\n%s", key, at, col, out)
			}
			col = at
		}
	}
}

// TestWrongAccountHintNamesTheAuthCommand: a token of another account than -u asked for
// said "run 'flickrsync auth' to authorise bob", which checks the config's account
// (logged in as tester) and authorises nobody new: the command needs -u bob again.
func TestWrongAccountHintNamesTheAuthCommand(t *testing.T) {
	e := newE2E(t)
	e.pic("a.jpg", sample.Picture{Seed: 66})
	code, _, errs := e.run("-u", "bob", "sync", "--noprompt")
	if code != ExitUsage || !strings.Contains(errs, "run 'flickrsync -u bob auth' to authorise bob") {
		t.Errorf("exit %d, want 2 and the auth command with -u bob:\n%s", code, errs)
	}
	code, _, errs = e.run("sync", "--noprompt")
	if code != 0 {
		t.Errorf("the config's account: exit %d\n%s", code, errs)
	}
}

// TestTerminatedSaysTerminated: a watch stopped by systemd's SIGTERM ended its log with
// "flickrsync: interrupted", the word of Ctrl-C, though its status (143) says terminated.
func TestTerminatedSaysTerminated(t *testing.T) {
	for _, c := range []struct {
		sig  syscall.Signal
		code int
		word string
	}{{syscall.SIGTERM, ExitTerminated, "terminated"}, {syscall.SIGINT, ExitInterrupted, "interrupted"}} {
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(&signalError{c.sig})
		if code, msg := classify(ctx, context.Canceled, nil); code != c.code || msg != c.word {
			t.Errorf("%v: exit %d %q, want %d %q", c.sig, code, msg, c.code, c.word)
		}
	}
}

// TestCatalogOverPythonNamedInMessages: with config.ini naming the Python tool's
// database, status before the first index said "no catalog at .../flickrsync.db" (a
// file that is there: the Python one), and delete offered to empty flickrsync.db and
// said it had, though it empties flickrsync-go.db and never touches the Python file.
func TestCatalogOverPythonNamedInMessages(t *testing.T) {
	home := t.TempDir()
	lib := filepath.Join(t.TempDir(), "Pictures")
	writePNG(t, filepath.Join(lib, "a.png"), 1)
	py := filepath.Join(home, ".flickrsync", "flickrsync.db")
	os.MkdirAll(filepath.Dir(py), 0o700)
	catalogtest.PythonDB(t, py, nil)
	before, _ := os.ReadFile(py)
	own := filepath.Join(home, ".flickrsync", "flickrsync-go.db")
	writeConfigFile(t, home, "[DEFAULT]\ndirectory = "+lib+"\ndatabase = ~/.flickrsync/flickrsync.db\n")

	code, _, errs := runIn(home, "status")
	if code != ExitUsage || !strings.Contains(errs, "no catalog at "+own+" (beside the Python flickrsync's database "+py+")") {
		t.Errorf("status before any index: exit %d, want 2 naming %s:\n%s", code, own, errs)
	}
	if code, _, errs = runIn(home, "index"); code != 0 {
		t.Fatalf("index: exit %d\n%s", code, errs)
	}
	code, out, errs := runIn(home, "delete", "--dryrun")
	if code != 0 || !strings.Contains(out, "would empty the catalog "+own+"\n") {
		t.Errorf("delete --dryrun: exit %d, want %s named:\n%s%s", code, own, out, errs)
	}
	if after, _ := os.ReadFile(py); !bytes.Equal(after, before) {
		t.Error("the Python database was written")
	}
}

// TestUploadNotSentSaysItOnce: a file given to upload that Flickr has already said
// "not sent: a.jpg: on Flickr already as 123 (matched by signature): not sent again".
func TestUploadNotSentSaysItOnce(t *testing.T) {
	e := newE2E(t)
	e.pic("../Downloads/a.jpg", sample.Picture{Seed: 67})
	a := e.lib + "/../Downloads/a.jpg"
	e.mustRun("upload", "--noprompt", a)
	code, _, errs := e.run("upload", "--noprompt", a)
	if code != 0 || strings.Count(errs, "not sent") != 1 || !strings.Contains(errs, "(matched by signature)\n") {
		t.Errorf("second upload: exit %d, want one 'not sent':\n%s", code, errs)
	}
}

// TestNewCatalogKeepsAlbumsThatAgree: a catalog that never saw the albums (the first
// sync after switching from the Python tool, or a catalog rebuilt) rewrote every album
// with photosets.editPhotos and said "updated: 2 photos (was 2)", though each already
// held its folder's photos in order: it now reads an album it knows nothing of first.
func TestNewCatalogKeepsAlbumsThatAgree(t *testing.T) {
	e := newE2E(t)
	e.library()
	e.mustRun("sync", "--noprompt")
	before := e.sets()
	e.srv.ResetCalls()
	code, _, errs := e.run("sync", "--noprompt", "-d", filepath.Join(e.work, "fresh.db"))
	if n := e.srv.Calls()["flickr.photosets.editPhotos"]; code != 0 || n != 0 || strings.Contains(errs, "updated") {
		t.Errorf("a fresh catalog: exit %d, %d editPhotos calls:\n%s", code, n, errs)
	}
	if !strings.Contains(errs, fmt.Sprintf("photosets:            %d up to date", len(before))) {
		t.Errorf("a fresh catalog does not count the %d albums up to date:\n%s", len(before), errs)
	}
	// Remembered: the next run reads no album.
	e.srv.ResetCalls()
	e.mustRun("sync", "--noprompt", "-d", filepath.Join(e.work, "fresh.db"))
	if c := e.srv.Calls(); c["flickr.photosets.getPhotos"]+c["flickr.photosets.editPhotos"] != 0 {
		t.Errorf("the run after: %v", c)
	}
}

// TestTwoComputersShareAlbums: two libraries of one account (each its own catalog) with
// one folder name in common took each other's photos out of that album at every run
// ("updated: 1 photo (was 2)", then "2 photos (was 1)"): an edit now leaves the photos
// of pictures its library does not see, so both converge and verify agrees on both.
func TestTwoComputersShareAlbums(t *testing.T) {
	e := newE2E(t)
	e.pic("2019/Rome/dog.jpg", sample.Picture{Seed: 81})
	e.pic("2019/Rome/starfish.jpg", sample.Picture{Seed: 82})
	e.mustRun("sync", "--noprompt")

	other := filepath.Join(e.work, "Laptop")
	b, _ := sample.Picture{Seed: 81}.Bytes()
	os.MkdirAll(filepath.Join(other, "2019", "Rome"), 0o755)
	os.WriteFile(filepath.Join(other, "2019", "Rome", "dog.jpg"), b, 0o644)
	laptop := []string{"-l", other, "-d", filepath.Join(e.work, "laptop.db")}

	e.mustRun(append([]string{"sync", "--noprompt"}, laptop...)...)
	e.mustRun("sync", "--noprompt")
	if got := e.sets()["2019, Rome"]; strings.Join(got, ",") != "dog,starfish" {
		t.Fatalf("album holds %v after both synced", got)
	}
	for round := 0; round < 2; round++ {
		for _, args := range [][]string{append([]string{"sync", "--noprompt"}, laptop...), {"sync", "--noprompt"}} {
			e.srv.ResetCalls()
			code, _, errs := e.run(args...)
			if n := e.srv.Calls()["flickr.photosets.editPhotos"]; code != 0 || n != 0 || strings.Contains(errs, "updated") {
				t.Errorf("round %d, %v: exit %d, %d editPhotos:\n%s", round, args, code, n, errs)
			}
		}
	}
	if got := e.sets()["2019, Rome"]; strings.Join(got, ",") != "dog,starfish" {
		t.Errorf("album holds %v", got)
	}
	for _, args := range [][]string{append([]string{"verify"}, laptop...), {"verify"}} {
		if code, out, errs := e.run(args...); code != 0 {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, errs)
		}
	}
	// A picture this library sees in another folder now still moves there.
	os.MkdirAll(filepath.Join(e.lib, "2020"), 0o755)
	if err := os.Rename(filepath.Join(e.lib, "2019", "Rome", "starfish.jpg"), filepath.Join(e.lib, "2020", "starfish.jpg")); err != nil {
		t.Fatal(err)
	}
	e.mustRun("sync", "--noprompt")
	if got := e.sets(); strings.Join(got["2019, Rome"], ",") != "dog" || strings.Join(got["2020"], ",") != "starfish" {
		t.Errorf("after a move: %v", got)
	}
}

// TestRestoreIntoNewLibraryKeepsFolders: sync2 into a new library with a new catalog (a
// computer lost, the library restored from Flickr) put every photo in the root, and the
// photosets step then made an album "flickrsync" of them: the albums of flickrsync's it
// never saw are now read, so each photo comes home into its album's folder.
func TestRestoreIntoNewLibraryKeepsFolders(t *testing.T) {
	e := newE2E(t)
	e.pic("2019/Rome/dog.jpg", sample.Picture{Seed: 91})
	e.pic("family/cat.jpg", sample.Picture{Seed: 92})
	e.pic("root.jpg", sample.Picture{Seed: 93})
	e.mustRun("sync", "--noprompt")
	before := e.sets()

	restored := filepath.Join(e.work, "Restored")
	os.MkdirAll(restored, 0o755)
	e.mustRun("sync2", "--noprompt", "-l", restored, "-d", filepath.Join(e.work, "restored.db"))
	var got []string
	filepath.WalkDir(restored, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(restored, p)
			got = append(got, filepath.Dir(filepath.ToSlash(rel)))
		}
		return nil
	})
	sort.Strings(got)
	if strings.Join(got, " ") != ". 2019/Rome family" {
		t.Errorf("restored into folders %v, want . 2019/Rome family", got)
	}
	if after := e.sets(); !equalSets(after, before) {
		t.Errorf("the albums changed: %v, were %v", after, before)
	}
}
