package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
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
