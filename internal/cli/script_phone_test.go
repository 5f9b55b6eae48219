package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
	"github.com/flickrsync/flickrsync/internal/names"
	"github.com/flickrsync/flickrsync/internal/syncer/sample"
)

// The tests of a phone's library going through the whole tool: what the media rules
// hold back (a format Flickr refuses, a Live Photo's motion video) seen by status,
// verify and the upload command as sync sees it.

// phoneLibrary writes a JPEG, a WebP (refused by the emulator of refusingWebP) and a
// Live Photo (a still and its motion video, paired by their content identifier).
func (e *e2e) phoneLibrary() {
	e.t.Helper()
	e.pic("photos/a.jpg", sample.Picture{Seed: 1, DateTaken: "2019:05:01 10:00:00"})
	webp, err := os.ReadFile(filepath.Join("..", "imagesig", "webp", "testdata", "lossless-near.webp"))
	if err != nil {
		e.t.Fatal(err)
	}
	e.file("photos/b.webp", webp)
	e.pic("live/IMG_0002.JPG", sample.Picture{Seed: 5, DateTaken: "2019:07:01 09:00:00", LiveID: "LIVE-1"})
	e.video("live/IMG_0002.MOV", sample.Video{Seed: 6, QuickTime: true, CreationDate: "2019-07-01T09:00:00+0200", ContentID: "LIVE-1"})
}

var refusingWebP = emulator.Config{RefusedFormats: []string{"webp"}}

// seedVideo adds a video to Flickr as an earlier sync would have, tagged with its
// signature, and returns its bytes.
func (e *e2e) seedVideo(title string, v sample.Video) []byte {
	e.t.Helper()
	b, err := v.Bytes()
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.srv.AddPhoto(emulator.SeedPhoto{Title: title, Data: b, Private: true,
		Tags: names.SignatureTag(signatureOf(e.t, b))}); err != nil {
		e.t.Fatal(err)
	}
	return b
}

// TestStatusCountsWhatSyncDoesNotSend: after a sync, status's figures are the sync's:
// the pictures the media rules hold back (a WebP Flickr refused, a Live Photo's motion
// video without --live-videos) are neither "matched" nor "to upload" (status said 3
// matched and 1 to upload, with 2 photos on Flickr).
func TestStatusCountsWhatSyncDoesNotSend(t *testing.T) {
	e := newE2EWith(t, refusingWebP)
	e.phoneLibrary()
	if code, _, errs := e.run("--noprompt", "sync"); code != 1 || !strings.Contains(errs, "photos/b.webp: refused by Flickr") {
		t.Fatalf("sync: exit %d, want 1 with the WebP refused", code)
	}
	var got struct {
		FlickrPhotos int `json:"flickr_photos"`
		Matched      int `json:"matched"`
		ToUpload     int `json:"to_upload"`
		NotSent      int `json:"not_sent"`
	}
	if err := json.Unmarshal([]byte(e.mustRun("status", "--json")), &got); err != nil {
		t.Fatal(err)
	}
	if got.FlickrPhotos != 2 || got.Matched != 2 || got.ToUpload != 0 || got.NotSent != 2 {
		t.Errorf("status --json: %+v, want 2 photos on Flickr, 2 matched, 0 to upload, 2 not sent", got)
	}
	out := e.mustRun("status")
	for _, want := range []string{"matched            2\n", "to upload          0\n", "not sent           2 ("} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
}

// TestUploadCommandKeepsSyncsRefusal: the upload command given a file a sync saw refused
// leaves the refusal as it was (it overwrote it with a plain failure, so the next sync sent
// the file again and failed).
func TestUploadCommandKeepsSyncsRefusal(t *testing.T) {
	e := newE2EWith(t, refusingWebP)
	e.phoneLibrary()
	if code, _, _ := e.run("--noprompt", "sync"); code != 1 {
		t.Fatalf("sync: exit %d, want 1 (the WebP refused)", code)
	}
	e.run("--noprompt", "upload", filepath.Join(e.lib, "photos", "b.webp"))
	uploads := e.srv.Calls()["upload"]
	code, _, errs := e.run("--noprompt", "sync")
	if code != 0 || !strings.Contains(errs, "not uploaded: photos/b.webp: refused by Flickr earlier") {
		t.Errorf("the sync after the upload command: exit %d, want 0 with the WebP refused earlier", code)
	}
	if n := e.srv.Calls()["upload"] - uploads; n != 0 {
		t.Errorf("the sync after the upload command made %d uploads, want none", n)
	}
}

// TestVerifyAfterPhoneSync: verify after a complete sync of a phone's library agrees
// with it: a Live Photo's motion video sync leaves out without --live-videos is listed
// apart and is no difference, and --read-data checks only the originals Flickr keeps as
// uploaded: not a video's (its url_o is the poster frame, its originalformat jpg) nor a
// TIFF's (kept as a JPEG). It exited 1, the motion "not on Flickr (sync uploads them)"
// and the video and the TIFF "its original gives the signature ...".
func TestVerifyAfterPhoneSync(t *testing.T) {
	e := newE2E(t)
	e.phoneLibrary() // the WebP too: Flickr keeps it as uploaded, originalformat webp
	e.video("videos/clip.mp4", sample.Video{Seed: 2, CreateDate: "2019:06:01 12:00:00"})
	tiff, err := os.ReadFile(filepath.Join("..", "imagesig", "tiff", "testdata", "palette4.tif"))
	if err != nil {
		t.Fatal(err)
	}
	e.file("scans/scan.tif", tiff)
	e.mustRun("--noprompt", "sync")
	code, out, _ := e.run("verify", "--read-data")
	if code != 0 {
		t.Errorf("verify --read-data after a complete sync: exit %d, want 0", code)
	}
	for _, want := range []string{
		"not on Flickr               0 pictures\n",
		"Live Photo motion videos not on Flickr (their stills are; sync --live-videos sends them):\n  live/IMG_0002.MOV\n",
		"originals read again        2 of 2: 0 problems\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("verify's output lacks %q:\n%s", want, out)
		}
	}
	e.mustRun("--noprompt", "sync", "--live-videos")
	if _, out, _ := e.run("verify"); strings.Contains(out, "Live Photo motion") {
		t.Errorf("verify after sync --live-videos still lists a motion video:\n%s", out)
	}
}

// TestVerifyNamesWhatSyncDoesNotSend: a picture Flickr refused is not on Flickr (exit 1),
// but not one "sync uploads": verify says why sync leaves it.
func TestVerifyNamesWhatSyncDoesNotSend(t *testing.T) {
	e := newE2EWith(t, refusingWebP)
	e.phoneLibrary()
	e.run("--noprompt", "sync")
	code, out, _ := e.run("verify")
	if code != 1 {
		t.Errorf("verify: exit %d, want 1 (the WebP is not on Flickr)", code)
	}
	if strings.Contains(out, "sync uploads them") || !strings.Contains(out, "Not on Flickr, not sent by sync:\n  photos/b.webp: refused by Flickr earlier (") {
		t.Errorf("verify does not say that sync leaves the refused WebP:\n%s", out)
	}
	var got struct {
		NotOnFlickr []string          `json:"not_on_flickr"`
		NotSent     []json.RawMessage `json:"not_sent"`
		LiveMotions []string          `json:"live_motions"`
	}
	_, js, _ := e.run("verify", "--json")
	if err := json.Unmarshal([]byte(js), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.NotOnFlickr) != 0 || len(got.NotSent) != 1 || len(got.LiveMotions) != 1 {
		t.Errorf("verify --json: %+v, want nothing not on Flickr, 1 not sent, 1 Live Photo motion", got)
	}
}

// TestSync2SaysWhyVideosStayOnFlickr: on a free account Flickr offers no video original:
// sync2's summary says so (it said "download: 1 skipped" and nothing more without -v,
// where the README promises a reason).
func TestSync2SaysWhyVideosStayOnFlickr(t *testing.T) {
	e := newE2EWith(t, emulator.Config{Free: true})
	e.seedVideo("trip", sample.Video{Seed: 7})
	code, _, errs := e.run("--noprompt", "sync2", "--nophotosets")
	if code != 0 {
		t.Errorf("exit %d, want 0", code)
	}
	if want := "not downloaded: 1 Flickr photo (-v names it): Flickr offers a video's original to the owner of a Pro account only"; !strings.Contains(errs, want) {
		t.Errorf("sync2's summary lacks %q", want)
	}
}

// TestSync2CountsThePicturesItDownloaded: sync2 into a new library ends with every
// picture on Flickr, and its summary says so (it counted the library before the
// downloads: "on Flickr: 0 of 0 pictures").
func TestSync2CountsThePicturesItDownloaded(t *testing.T) {
	e := newE2E(t)
	e.pic("photos/a.jpg", sample.Picture{Seed: 1})
	e.video("videos/clip.mp4", sample.Video{Seed: 2, CreateDate: "2019:06:01 12:00:00"})
	e.mustRun("--noprompt", "sync")
	e.lib, e.db = filepath.Join(e.work, "Restored"), filepath.Join(e.work, "restored.db")
	if err := os.MkdirAll(e.lib, 0o755); err != nil {
		t.Fatal(err)
	}
	e.writeConfig("")
	code, _, errs := e.run("--noprompt", "sync2")
	if code != 0 || !strings.Contains(errs, "download:             2 done") || !strings.Contains(errs, "on Flickr: 2 of 2 pictures\n") {
		t.Errorf("sync2 into a new library: exit %d, want 0 with 2 pictures downloaded, 2 of 2 on Flickr:\n%s", code, errs)
	}
}

// TestVerifyOfAnotherComputersLibrary: a second library backed up to the same account
// (a laptop beside the desktop) agrees with it: the first library's albums, which sync
// keeps since they hold pictures this library does not have, are no difference (verify
// exited 1, each "no folder uses it" under "sync repairs them", which sync never does).
func TestVerifyOfAnotherComputersLibrary(t *testing.T) {
	e := newE2E(t)
	e.pic("Desktop/1.jpg", sample.Picture{Seed: 1})
	e.mustRun("--noprompt", "sync")
	e.lib, e.db = filepath.Join(e.work, "Laptop"), filepath.Join(e.work, "laptop.db")
	e.pic("Phone/2.jpg", sample.Picture{Seed: 2})
	e.writeConfig("")
	e.mustRun("--noprompt", "sync")
	code, out, _ := e.run("verify")
	if code != 0 || !strings.Contains(out, "albums no folder uses       1, kept by sync") || !strings.Contains(out, "  \"Desktop\"\n") {
		t.Errorf("verify of the second library: exit %d, want 0 with the album Desktop kept by sync:\n%s", code, out)
	}
}

// TestSync2DryRunNamesVideosRightly: a dry run names a video's download without the
// stand-in extension (it said "as flickrsync_..._trip.mov" for an MP4 that the real run
// saves as .mp4).
func TestSync2DryRunNamesVideosRightly(t *testing.T) {
	e := newE2E(t)
	e.seedVideo("trip", sample.Video{Seed: 7})
	out := e.mustRun("sync2", "--dryrun")
	if strings.Contains(out, "_trip.mov") || !strings.Contains(out, "_trip.* (a video: its file's own extension)") {
		t.Errorf("the dry run's plan of the video:\n%s", out)
	}
	e.mustRun("--noprompt", "sync2")
	if tree := e.tree(); len(tree) != 1 || !strings.HasSuffix(tree[0], "_trip.mp4") {
		t.Errorf("library %v, want the video saved as .mp4", tree)
	}
}

// TestWatchQuietWithLivePhotos: a watch over a phone's library prints the summary of the
// run that uploads, then nothing while nothing changes, though every run leaves out the
// Live Photo's motion video (without --live-videos) and the WebP Flickr refused: it
// printed the whole summary at every run, those skipped files counting as something done.
func TestWatchQuietWithLivePhotos(t *testing.T) {
	e := newE2EWith(t, refusingWebP)
	e.phoneLibrary()
	past := time.Now().Add(-2 * time.Minute)
	for _, f := range e.tree() {
		if err := os.Chtimes(filepath.Join(e.lib, f), past, past); err != nil {
			t.Fatal(err)
		}
	}
	w := e.startWatch(e.base, "sync", "--watch=100ms")
	within(t, "five runs", func() bool { return e.srv.Calls()["flickr.photosets.getList"] >= 5 }, w.errw.String)
	w.signal(syscall.SIGTERM, ExitTerminated)
	if n := strings.Count(w.errw.String(), "Summary:"); n != 1 {
		t.Errorf("%d summaries, want 1 (the first run's):\n%s", n, w.errw.String())
	}
}

// TestVerifyKnowsTheLimits: a video over the account's limits is not one "sync uploads":
// verify reads the limits, as sync does, and says why sync leaves it.
func TestVerifyKnowsTheLimits(t *testing.T) {
	e := newE2EWith(t, emulator.Config{VideoMaxUploadBytes: 64 << 10})
	e.pic("photos/a.jpg", sample.Picture{Seed: 1})
	e.video("videos/huge.mp4", sample.Video{Seed: 3, Size: 100 << 10})
	e.mustRun("--noprompt", "sync")
	code, out, _ := e.run("verify")
	if code != 1 || strings.Contains(out, "sync uploads them") || !strings.Contains(out, "Not on Flickr, not sent by sync:\n  videos/huge.mp4: too large for Flickr: ") {
		t.Errorf("verify: exit %d, want 1 with the video too large for Flickr:\n%s", code, out)
	}
}
