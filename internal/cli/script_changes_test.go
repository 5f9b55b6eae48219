package cli

// End-to-end tests of the backup staying true when Flickr changes (issue 12) and of the
// engine never looping on what it cannot download or decode (issue 11): the member
// changes the account through the API, as Flickr's own pages or another app would, and
// the next sync repairs it, then the one after changes nothing.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
	"github.com/flickrsync/flickrsync/internal/imagesig"
	"github.com/flickrsync/flickrsync/internal/names"
	"github.com/flickrsync/flickrsync/internal/oauth1"
	"github.com/flickrsync/flickrsync/internal/syncer/sample"
)

// flickrApp is another application of the member's, with its own token (delete
// permission), changing the account through Flickr's API.
type flickrApp struct {
	t    *testing.T
	base string
	s    oauth1.Signer
}

func (e *e2e) app() *flickrApp {
	tok, sec := e.srv.IssueToken("delete")
	return &flickrApp{t: e.t, base: e.base, s: oauth1.Signer{Credentials: oauth1.Credentials{
		ConsumerKey: "0123456789abcdef0123456789abcdef", ConsumerSecret: "fedcba9876543210", Token: tok, TokenSecret: sec}}}
}

// call makes one REST call and fails the test unless Flickr says ok.
func (a *flickrApp) call(method string, args ...string) map[string]any {
	a.t.Helper()
	u := a.base + "/services/rest/"
	v := url.Values{"method": {method}, "format": {"json"}, "nojsoncallback": {"1"}}
	for i := 0; i+1 < len(args); i += 2 {
		v.Set(args[i], args[i+1])
	}
	req, err := http.NewRequest("POST", u, strings.NewReader(v.Encode()))
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", a.s.AuthorizationHeader("POST", u, v, oauth1.Extra{}))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil || out["stat"] != "ok" {
		a.t.Fatalf("%s %v: %s", method, args, b)
	}
	return out
}

// photoID is the id of the photo titled title.
func (e *e2e) photoID(title string) string {
	e.t.Helper()
	for _, p := range e.srv.Photos() {
		if p.Title == title {
			return p.ID
		}
	}
	e.t.Fatalf("no photo titled %q", title)
	return ""
}

// set is the photoset titled title (flickrsync's when ours).
func (e *e2e) set(title string, ours bool) emulator.PhotosetView {
	e.t.Helper()
	for _, s := range e.srv.Photosets() {
		if s.Title == title && (s.Description == "[created by flickrsync]") == ours {
			return s
		}
	}
	e.t.Fatalf("no photoset %q", title)
	return emulator.PhotosetView{}
}

// titles are the titles of photo ids, in order.
func (e *e2e) titles(ids []string) []string {
	byID := map[string]string{}
	for _, p := range e.srv.Photos() {
		byID[p.ID] = p.Title
	}
	var out []string
	for _, id := range ids {
		out = append(out, byID[id])
	}
	return out
}

// quiet runs a sync that must change nothing and make a handful of calls.
func (e *e2e) quiet(args ...string) {
	e.t.Helper()
	e.srv.ResetCalls()
	code, _, errs := e.run(args...)
	n, calls := e.calls()
	if code != 0 || n > 5 {
		e.t.Errorf("the sync after: exit %d, %d calls (%s), want 0 and a handful", code, n, calls)
	}
	for _, changed := range []string{"upload ", "download ", "tag ", "photoset \"", "restored", "deleted on Flickr"} {
		if strings.Contains(errs, changed) {
			e.t.Errorf("the sync after changed something (%q):\n%s", changed, errs)
		}
	}
}

// offsetClock is Flickr's clock, moved ahead by the test when the member edits the
// account: what the member does comes in a later second than what flickrsync did.
type offsetClock struct {
	mu sync.Mutex
	d  time.Duration
}

func (c *offsetClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.d)
}

func (c *offsetClock) later() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.d += 2 * time.Second
}

// TestPhotoDeletedOnFlickrIsBackedUpAgain: a photo deleted on Flickr was believed in for
// ever ("4 of 4 pictures are on Flickr"); now the account's count tells, the picture is
// uploaded again and said so; one deleted on purpose stays deleted when an ignore rule
// says so.
func TestPhotoDeletedOnFlickrIsBackedUpAgain(t *testing.T) {
	clk := &offsetClock{}
	e := newE2EWith(t, emulator.Config{Clock: clk.Now})
	for i, name := range []string{"trip/IMG_0001.jpg", "trip/IMG_0002.jpg", "trip/IMG_0003.jpg", "home.jpg"} {
		e.pic(name, sample.Picture{Seed: int64(100 + i)})
	}
	e.mustRun("sync", "--noprompt")
	app := e.app()
	clk.later()
	app.call("flickr.photos.delete", "photo_id", e.photoID("IMG_0001"))

	code, _, errs := e.run("sync", "--noprompt")
	if code != 0 || !strings.Contains(errs, "restored 1 picture deleted on Flickr: trip/IMG_0001.jpg") ||
		!strings.Contains(errs, "deleted on Flickr: 1 photo since the last listing (the catalog forgot it)") || !strings.Contains(errs, "on Flickr: 4 of 4 pictures") {
		t.Errorf("exit %d, summary:\n%s", code, errs)
	}
	if n := len(e.srv.Photos()); n != 4 {
		t.Errorf("%d photos on Flickr, want 4", n)
	}
	e.unique()
	if got := e.titles(e.set("trip", true).Photos); fmt.Sprint(got) != "[IMG_0001 IMG_0002 IMG_0003]" {
		t.Errorf("album trip holds %v", got)
	}
	e.quiet("sync", "--noprompt")

	// Deleted on purpose: an ignore rule says so, and it stays deleted, also for sync2.
	clk.later()
	app.call("flickr.photos.delete", "photo_id", e.photoID("IMG_0002"))
	if err := os.WriteFile(filepath.Join(e.lib, "trip", ".flickrsyncignore"), []byte("IMG_0002.jpg\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = e.run("sync2", "--noprompt")
	if code != 0 || strings.Contains(errs, "restored") || len(e.srv.Photos()) != 3 {
		t.Errorf("exit %d, %d photos, summary:\n%s", code, len(e.srv.Photos()), errs)
	}
	if got := e.titles(e.set("trip", true).Photos); fmt.Sprint(got) != "[IMG_0001 IMG_0003]" {
		t.Errorf("album trip holds %v", got)
	}
	e.quiet("sync2", "--noprompt")
}

// TestAlbumsRepairedAfterChangesOnFlickr: flickr error 3 "Primary photo not found" at
// every run after the primary was deleted, error 2 after an album was deleted, a photo
// taken out of an album never put back; now each is repaired by one sync, an album of the
// member's own is never touched, and the sync after changes nothing.
func TestAlbumsRepairedAfterChangesOnFlickr(t *testing.T) {
	clk := &offsetClock{}
	e := newE2EWith(t, emulator.Config{Clock: clk.Now})
	for i, name := range []string{"a/1.jpg", "a/2.jpg", "a/3.jpg", "b/4.jpg", "b/5.jpg"} {
		e.pic(name, sample.Picture{Seed: int64(200 + i)})
	}
	e.mustRun("sync", "--noprompt")
	app := e.app()
	a, b := e.set("a", true), e.set("b", true)
	clk.later()
	app.call("flickr.photosets.removePhoto", "photoset_id", a.ID, "photo_id", e.photoID("2"))
	app.call("flickr.photosets.setPrimaryPhoto", "photoset_id", a.ID, "photo_id", e.photoID("3"))
	app.call("flickr.photosets.delete", "photoset_id", b.ID)
	mine := app.call("flickr.photosets.create", "title", "a", "description", "my own", "primary_photo_id", e.photoID("5"))
	_ = mine
	e.mustRun("sync", "--noprompt")
	check := func(when string) {
		t.Helper()
		a := e.set("a", true)
		if got := e.titles(a.Photos); fmt.Sprint(got) != "[1 2 3]" || e.titles([]string{a.Primary})[0] != "1" {
			t.Errorf("%s: album a holds %v, primary %v", when, got, e.titles([]string{a.Primary}))
		}
		if got := e.titles(e.set("b", true).Photos); fmt.Sprint(got) != "[4 5]" {
			t.Errorf("%s: album b holds %v", when, got)
		}
		if own := e.set("a", false); fmt.Sprint(e.titles(own.Photos)) != "[5]" || own.Description != "my own" {
			t.Errorf("%s: the member's own album was touched: %+v", when, own)
		}
	}
	check("after removePhoto, setPrimaryPhoto, delete")
	e.quiet("sync", "--noprompt")

	// Reordered on Flickr: put back in the folder's order.
	clk.later()
	a = e.set("a", true)
	app.call("flickr.photosets.reorderPhotos", "photoset_id", a.ID, "photo_ids", strings.Join([]string{a.Photos[2], a.Photos[1]}, ","))
	e.mustRun("sync", "--noprompt")
	check("after reorderPhotos")

	// The primary photo deleted: uploaded again, and primary again.
	clk.later()
	app.call("flickr.photos.delete", "photo_id", e.set("a", true).Primary)
	code, _, errs := e.run("sync", "--noprompt")
	if code != 0 || strings.Contains(errs, "Primary photo not found") || !strings.Contains(errs, "restored 1 picture deleted on Flickr: a/1.jpg") {
		t.Errorf("exit %d:\n%s", code, errs)
	}
	check("after the primary photo was deleted")
	e.quiet("sync", "--noprompt")
}

// TestAlbumsOfAnotherRoot: pointed at a subfolder or at a second computer's library, sync
// planned to delete every other album flickrsync had made behind a prompt that named none.
// Now a run on a folder inside the catalog's library leaves the albums as they are and
// says why; another library deletes no album made of pictures it cannot see; the prompt
// and the summary name every album deleted.
func TestAlbumsOfAnotherRoot(t *testing.T) {
	e := newE2E(t)
	e.pic("2019/a.jpg", sample.Picture{Seed: 300})
	e.pic("2019/Rome/b.jpg", sample.Picture{Seed: 301})
	e.pic("2020/c.jpg", sample.Picture{Seed: 302})
	e.mustRun("sync", "--noprompt")
	before := e.sets()

	sub := filepath.Join(e.lib, "2019")
	code, _, errs := e.run("sync", "--noprompt", "-l", sub)
	if code != 0 || !strings.Contains(errs, "photosets left as they are: this run's library "+sub+" is inside the catalog's library "+e.lib) {
		t.Errorf("a run on a subfolder: exit %d\n%s", code, errs)
	}
	if got := e.sets(); !equalSets(got, before) {
		t.Errorf("a run on a subfolder changed the albums: %v, was %v", got, before)
	}
	if out := e.mustRun("status"); !strings.Contains(out, "library            "+e.lib+" ") {
		t.Errorf("the catalog forgot its library root:\n%s", out)
	}
	// sync2 there brings no other folder's picture home into it.
	code, _, errs = e.run("sync2", "--noprompt", "-l", sub)
	if code != 0 || !strings.Contains(errs, "downloads left out: 1 Flickr photo not in this folder stay on Flickr: this run's library "+sub+" is inside the catalog's library "+e.lib) {
		t.Errorf("sync2 on a subfolder: exit %d\n%s", code, errs)
	}
	for _, f := range e.tree() {
		if strings.Contains(f, "flickrsync_") {
			t.Errorf("sync2 on a subfolder downloaded %s", f)
		}
	}
	e.quiet("sync", "--noprompt")

	// Another computer's library, with its own catalog: it has only 2020 and a new folder.
	other := filepath.Join(e.work, "Other")
	for _, d := range []struct {
		rel  string
		seed int64
	}{{"2020/c.jpg", 302}, {"2021/d.jpg", 303}} {
		b, _ := sample.Picture{Seed: d.seed}.Bytes()
		os.MkdirAll(filepath.Dir(filepath.Join(other, d.rel)), 0o755)
		os.WriteFile(filepath.Join(other, d.rel), b, 0o644)
	}
	otherDB := filepath.Join(e.work, "other.db")
	code, _, errs = e.run("sync", "--noprompt", "-l", other, "-d", otherDB)
	if code != 0 || !strings.Contains(errs, `photosets kept though no folder uses them: "2019", "2019, Rome" (they hold pictures this library does not have`) {
		t.Errorf("another library: exit %d\n%s", code, errs)
	}
	sets := e.sets()
	for _, title := range []string{"2019", "2019, Rome", "2020", "2021"} {
		if _, ok := sets[title]; !ok {
			t.Errorf("album %q missing after the other library's sync: %v", title, sets)
		}
	}
	e.quiet("sync", "--noprompt", "-l", other, "-d", otherDB)
	e.quiet("sync", "--noprompt", "-l", other, "-d", otherDB) // the kept albums cost no call
	delete(sets, "2021")
	e.mustRun("sync", "--noprompt")

	// A folder renamed: its album is deleted, named in the question and in the summary.
	if err := os.Rename(filepath.Join(e.lib, "2020"), filepath.Join(e.lib, "2020 trip")); err != nil {
		t.Fatal(err)
	}
	code, out, errs := e.runAnswering("y\ny\ny\ny\n", "sync")
	if code != 0 || !strings.Contains(errs, `delete 1 photoset ("2020"; their photos stay on Flickr) on Flickr? [y/N]`) ||
		!strings.Contains(errs, `photoset deleted: "2020" (no folder uses it; its photos stay on Flickr)`) {
		t.Errorf("exit %d:\n%s%s", code, out, errs)
	}
	if _, ok := e.sets()["2020"]; ok {
		t.Error("the album of the renamed folder is still there")
	}
}

// TestAlbumsKeptWhenSync2BringsPicturesHome: with the library's folders gone (deleted
// here; the library left empty, sync2 goes on only when told: TestEmptyLibraryRefused),
// sync2 downloaded their pictures into the library's root and then deleted every album,
// its pictures being "in the library under another folder". A download proves no folder
// was renamed: the albums are kept, the pictures come home into their albums' folders
// (issue 15), and the sync after changes nothing.
func TestAlbumsKeptWhenSync2BringsPicturesHome(t *testing.T) {
	e := newE2E(t)
	e.pic("a/1.jpg", sample.Picture{Seed: 310})
	e.pic("b/2.jpg", sample.Picture{Seed: 311})
	e.mustRun("sync", "--noprompt")
	before := e.sets()
	for _, d := range []string{"a", "b"} {
		if err := os.RemoveAll(filepath.Join(e.lib, d)); err != nil {
			t.Fatal(err)
		}
	}
	code, _, errs := e.run("sync2", "--noprompt", "--allow-empty-library")
	if code != 0 || strings.Contains(errs, " deleted: \"") {
		t.Errorf("exit %d\n%s", code, errs)
	}
	if tree := e.tree(); len(tree) != 2 || !strings.HasPrefix(tree[0], "a/flickrsync_") || !strings.HasPrefix(tree[1], "b/flickrsync_") {
		t.Errorf("the library after sync2: %v", tree)
	}
	for title, photos := range before {
		if got := e.sets()[title]; fmt.Sprint(got) != fmt.Sprint(photos) {
			t.Errorf("album %q holds %v, held %v", title, got, photos)
		}
	}
	e.quiet("sync2", "--noprompt")
}

// runAnswering runs flickrsync on a terminal whose user types answers.
func (e *e2e) runAnswering(answers string, args ...string) (int, string, string) {
	e.t.Helper()
	var out, errw strings.Builder
	env := Env{Stdin: strings.NewReader(answers), Stdout: &out, Stderr: &errw, IsTerminal: func() bool { return true },
		Getenv: func(k string) string {
			return map[string]string{"FLICKRSYNC_FLICKR_URL": e.base, "FLICKRSYNC_PACING": "off", "HOME": e.work}[k]
		}}
	code := Main(context.Background(), append([]string{"-c", e.cfg}, args...), env)
	e.t.Logf("flickrsync %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errw.String())
	return code, out.String(), errw.String()
}

// TestIdentificationLeavesNoCopies: when a photo's signature tag was removed on Flickr, it
// was downloaded to be identified and the download kept, a second local copy of a picture
// the library had. Now it is tagged again and the download not kept; a photo the library
// lacks is kept only by sync2.
func TestIdentificationLeavesNoCopies(t *testing.T) {
	e := newE2E(t)
	e.pic("x.jpg", sample.Picture{Seed: 400})
	e.mustRun("sync", "--noprompt")
	app := e.app()
	app.call("flickr.photos.setTags", "photo_id", e.photoID("x"), "tags", "holiday")
	elsewhere := e.seed("from my phone", sample.Picture{Seed: 401}, false)

	code, _, errs := e.run("sync", "--noprompt")
	if code != 0 || !strings.Contains(errs, "not in the library: 1 Flickr photo (sync2 downloads it)") {
		t.Errorf("exit %d\n%s", code, errs)
	}
	if tree := e.tree(); fmt.Sprint(tree) != "[x.jpg]" {
		t.Errorf("the library after sync: %v, want only x.jpg", tree)
	}
	for _, p := range e.srv.Photos() {
		if !slices.ContainsFunc(p.MachineTags, func(s string) bool { return strings.HasPrefix(s, "flickrsync:signature=") }) {
			t.Errorf("photo %s %q not tagged: %v", p.ID, p.Title, p.MachineTags)
		}
	}
	if len(e.srv.Photos()) != 2 {
		t.Errorf("%d photos, want 2", len(e.srv.Photos()))
	}
	e.quiet("sync", "--noprompt")

	// sync2 brings the photo the library lacks home, once.
	e.mustRun("sync2", "--noprompt")
	if tree := e.tree(); len(tree) != 2 || !strings.HasPrefix(tree[0], "flickrsync_"+elsewhere+"_") {
		t.Errorf("the library after sync2: %v", tree)
	}
	e.quiet("sync2", "--noprompt")
}

// twelveBit is a JPEG whose frame header says 12-bit samples: a valid kind of JPEG that
// flickrsync's decoder refuses, as it refuses any original it cannot sign.
func twelveBit(t *testing.T, seed int64) []byte {
	t.Helper()
	b, err := sample.Picture{Seed: seed}.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	for i := 2; i+4 < len(b); i++ {
		if b[i] == 0xFF && (b[i+1] == 0xC0 || b[i+1] == 0xC1) {
			b[i+4] = 12
			return b
		}
	}
	t.Fatal("no SOF marker")
	return nil
}

// TestUndecodableOriginalIsFetchedOnce: an original flickrsync cannot decode was
// downloaded again at every run (each sync2 added two copies, each sync one). Now it is
// recognised by its download name, decodable or not, or remembered, and never fetched
// twice.
func TestUndecodableOriginalIsFetchedOnce(t *testing.T) {
	for _, cmd := range []string{"sync", "sync2"} {
		t.Run(cmd, func(t *testing.T) {
			e := newE2E(t)
			e.pic("home.jpg", sample.Picture{Seed: 500})
			id, err := e.srv.AddPhoto(emulator.SeedPhoto{Title: "deep", Data: twelveBit(t, 501), Private: true})
			if err != nil {
				t.Fatal(err)
			}
			e.run(cmd, "--noprompt")
			downloads := e.srv.Calls()["download"]
			if downloads != 1 {
				t.Errorf("first %s: %d downloads, want 1", cmd, downloads)
			}
			for range 2 {
				e.srv.ResetCalls()
				e.run(cmd, "--noprompt")
				if n := e.srv.Calls()["download"]; n != 0 {
					t.Errorf("a later %s downloaded %d times", cmd, n)
				}
			}
			tree := e.tree()
			want := "[home.jpg]"
			if cmd == "sync2" {
				want = fmt.Sprintf("[flickrsync/flickrsync_%s_%s_deep.jpg home.jpg]", id, origSecret(e, id))
			}
			if fmt.Sprint(tree) != want {
				t.Errorf("library %v, want %s", tree, want)
			}
		})
	}
}

// TestUndownloadableUntaggedPhotoStopsHoldingUploads: one untagged photo that could not be
// downloaded held every upload back, at every run. Now the uploads wait for 3 runs, then
// go up; status and verify name the photo; it is tried again a day later.
func TestUndownloadableUntaggedPhotoStopsHoldingUploads(t *testing.T) {
	e := newE2E(t)
	e.seed("lost", sample.Picture{Seed: 600}, false)
	e.pic("new.jpg", sample.Picture{Seed: 601})
	e.srv.SetFaults(emulator.FaultConfig{HTTPErrorRate: 1, Only: []string{"download"}})
	for run := 1; run <= 3; run++ {
		code, _, errs := e.run("sync", "--noprompt", "-v")
		uploads := e.srv.Calls()["upload"]
		switch {
		case run < 3 && (code != ExitFailed || uploads != 0 || !strings.Contains(errs, "held back: 1 Flickr photo could not be downloaded")):
			t.Errorf("run %d: exit %d, %d uploads\n%s", run, code, uploads, errs)
		case run == 3 && (uploads != 1 || !strings.Contains(errs, "the uploads no longer wait for it")):
			t.Errorf("run %d: exit %d, %d uploads, want the picture up\n%s", run, code, uploads, errs)
		}
	}
	out := e.mustRun("status", "--failed")
	if !strings.Contains(out, `photo `+e.photoID("lost")+` "lost": its original could not be downloaded in 3 runs`) {
		t.Errorf("status --failed:\n%s", out)
	}
	if out := e.mustRun("status"); !strings.Contains(out, "unidentified       1 Flickr photo without a signature tag whose original could not be signed, 0 holding the uploads back (status --failed lists it)") {
		t.Errorf("status:\n%s", out)
	}
	e.srv.ResetCalls()
	if code, _, _ := e.run("sync", "--noprompt"); code != 0 || e.srv.Calls()["download"] != 0 {
		t.Errorf("the run after: exit %d, %d downloads (tried again before a day)", code, e.srv.Calls()["download"])
	}
	code, out, _ := e.run("verify")
	if code != ExitFailed || !strings.Contains(out, "could not be identified     1 photo") {
		t.Errorf("verify: exit %d\n%s", code, out)
	}
}

// TestDownloadsLandOnlyWhereTheIndexSees: a symbolic link named flickrsync/ sent the
// downloads outside the library; an excluded download folder had them fetched again at
// every run, as was a photo of a picture the library holds in an excluded file.
func TestDownloadsLandOnlyWhereTheIndexSees(t *testing.T) {
	t.Run("symlinked download folder", func(t *testing.T) {
		e := newE2E(t)
		outside := filepath.Join(e.work, "outside")
		os.MkdirAll(outside, 0o755)
		if err := os.Symlink(outside, filepath.Join(e.lib, "flickrsync")); err != nil {
			t.Skip("no symbolic links here")
		}
		e.seed("elsewhere", sample.Picture{Seed: 700}, false)
		code, _, errs := e.run("sync2", "--noprompt")
		if code != ExitFailed || !strings.Contains(errs, "flickrsync/ leads outside the library") {
			t.Errorf("exit %d\n%s", code, errs)
		}
		if ents, _ := os.ReadDir(outside); len(ents) != 0 {
			t.Errorf("%d files written outside the library", len(ents))
		}
	})
	t.Run("excluded file and folder", func(t *testing.T) {
		e := newE2E(t)
		e.pic("x.jpg", sample.Picture{Seed: 710})
		e.mustRun("sync", "--noprompt")
		os.WriteFile(filepath.Join(e.lib, ".flickrsyncignore"), []byte("x.jpg\nflickrsync/\n"), 0o644)
		e.seed("untagged", sample.Picture{Seed: 711}, false)
		e.run("sync2", "--noprompt")
		for range 2 {
			e.srv.ResetCalls()
			e.run("sync2", "--noprompt")
			if n := e.srv.Calls()["download"]; n != 0 {
				t.Errorf("a later sync2 downloaded %d times", n)
			}
		}
		for _, f := range e.tree() {
			if strings.Contains(f, "flickrsync_"+e.photoID("x")+"_") || strings.HasPrefix(f, "flickrsync/") {
				t.Errorf("downloaded %s", f)
			}
		}
	})
}

// TestUntrustedTextEscaped: an escape sequence in a Flickr title or a folder's name went
// through to the terminal in the summary; a revoked token ended with a bare error.
func TestUntrustedTextEscaped(t *testing.T) {
	e := newE2E(t)
	e.pic("evil\x1b[2J/a.jpg", sample.Picture{Seed: 800})
	e.mustRun("sync", "--noprompt")
	if _, err := e.srv.AddPhoto(emulator.SeedPhoto{Title: "title \x1b]0;pwned\x07 \x1b[31mred", Data: twelveBit(t, 801), Private: true}); err != nil {
		t.Fatal(err)
	}
	os.Rename(filepath.Join(e.lib, "evil\x1b[2J"), filepath.Join(e.lib, "good"))
	var all strings.Builder
	for _, args := range [][]string{{"sync", "--noprompt", "-v"}, {"sync2", "--noprompt", "-v", "--dryrun"}, {"verify"}, {"status", "--failed"}} {
		_, out, errs := e.run(args...)
		all.WriteString(out + errs)
	}
	if strings.ContainsAny(all.String(), "\x1b\x07") {
		t.Errorf("a control character reached the terminal:\n%q", all.String())
	}
	for _, want := range []string{`photoset deleted: "evil?[2J"`, `"title ?]0;pwned? ?[31mred"`} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, all.String())
		}
	}

	// The member withdraws flickrsync's access on Flickr.
	if !e.srv.RevokeToken(e.token) {
		t.Fatal("no token to revoke")
	}
	for _, cmd := range []string{"sync", "verify"} {
		code, _, errs := e.run(cmd, "--noprompt")
		if code != ExitUsage || !strings.Contains(errs, "re-authorise with 'flickrsync auth'") {
			t.Errorf("%s with a revoked token: exit %d\n%s", cmd, code, errs)
		}
	}
}

// TestVerify: a consistent backup exits 0; each kind of difference is counted, then named,
// with --json for scripts; --read-data re-signs the originals.
func TestVerify(t *testing.T) {
	e := newE2E(t)
	e.pic("a/1.jpg", sample.Picture{Seed: 900})
	e.pic("a/2.jpg", sample.Picture{Seed: 901})
	e.pic("b/3.png", sample.Picture{Seed: 902, PNG: true})
	e.pic("a/5.jpg", sample.Picture{Seed: 905})
	e.mustRun("sync", "--noprompt")
	e.mustRun("status") // a reader of the catalog, as verify is
	before := e.digest()
	if code, out, _ := e.run("verify", "--read-data"); code != 0 || !strings.Contains(out, "originals read again        4 of 4: 0 problems") {
		t.Errorf("a consistent backup: exit %d\n%s", code, out)
	}
	if e.digest() != before {
		t.Error("verify changed the catalog, the library or the account")
	}
	app := e.app()
	app.call("flickr.photos.delete", "photo_id", e.photoID("2"))
	app.call("flickr.photosets.removePhoto", "photoset_id", e.set("a", true).ID, "photo_id", e.photoID("5"))
	app.call("flickr.photos.setTags", "photo_id", e.photoID("3"), "tags", "")
	e.seed("twice", sample.Picture{Seed: 900}, true)
	e.pic("c/4.jpg", sample.Picture{Seed: 903})
	e.mustRun("index")
	code, out, _ := e.run("verify", "--read-data=50%")
	// b/3.png's photo lost its tag: with no date to match it by, it is not b/3.png's
	// backup any more, and the album of b holds no picture of b's: no folder uses it, and
	// sync keeps it, as it holds a picture this library does not have (that photo).
	for _, want := range []string{"not on Flickr               3 pictures", "without a signature tag     1 photo",
		"signatures on Flickr twice  1", "albums that differ          1", "catalog disagreeing         3 photos",
		"  a/2.jpg\n", "  b/3.png\n", "  c/4.jpg\n", `"a": 1 photo of the folder missing`, "in the catalog, no longer on Flickr",
		"albums no folder uses       1, kept by sync", "Albums no folder uses, kept by sync (another computer's library, a disk not mounted, a folder deleted here?):\n  \"b\"\n",
		"originals read again        2 of 3: 0 problems"} {
		if !strings.Contains(out, want) {
			t.Errorf("verify lacks %q:\n%s", want, out)
		}
	}
	if code != ExitFailed {
		t.Errorf("verify of a differing backup: exit %d, want 1", code)
	}
	// A photo whose tag is not its original's signature (another tool wrote it).
	liar, _ := sample.Picture{Seed: 904}.Bytes()
	lie, _ := imagesig.Sign(context.Background(), bytes.NewReader(liar), imagesig.Options{})
	if _, err := e.srv.AddPhoto(emulator.SeedPhoto{Title: "liar", Data: liar, Private: true,
		Tags: names.SignatureTag(strings.Repeat("0", len(lie.Signature)))}); err != nil {
		t.Fatal(err)
	}
	if _, out, _ := e.run("verify", "--read-data"); !strings.Contains(out, "its original gives the signature "+lie.Signature+", its tag says 000") {
		t.Errorf("verify --read-data missed a wrong tag:\n%s", out)
	}
	_, out, _ = e.run("verify", "--json")
	var v struct {
		Consistent  bool     `json:"consistent"`
		NotOnFlickr []string `json:"not_on_flickr"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil || v.Consistent || len(v.NotOnFlickr) != 3 {
		t.Errorf("verify --json: %v %+v\n%s", err, v, out)
	}
	// verify reads the catalog only: it works on a read-only catalog.
	if err := os.Chmod(e.db, 0o444); err == nil {
		defer os.Chmod(e.db, 0o644)
		if code, _, errs := e.run("verify"); code != ExitFailed {
			t.Errorf("verify on a read-only catalog: exit %d\n%s", code, errs)
		}
	}
	_ = catalog.MetaLibraryRoot
}

// TestReadDataFlag: --read-data alone reads every original, =N% a share above 0 and at
// most 100; anything else is refused with what is wanted.
func TestReadDataFlag(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{{"true", 1, true}, {"false", 0, true}, {"10%", 0.1, true}, {"100%", 1, true}, {"0.5%", 0.005, true},
		{"0%", 0, false}, {"101%", 0, false}, {"10", 0, false}, {"abc", 0, false}, {"-5%", 0, false}} {
		var f readDataFlag
		err := f.Set(c.in)
		if (err == nil) != c.ok || c.ok && f.share != c.want {
			t.Errorf("--read-data=%s: share %v, error %v", c.in, f.share, err)
		}
		if err != nil && !strings.Contains(err.Error(), "above 0 and at most 100") {
			t.Errorf("--read-data=%s: %v", c.in, err)
		}
	}
}
