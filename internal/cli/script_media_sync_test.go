package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
	"github.com/flickrsync/flickrsync/internal/imagesig"
	"github.com/flickrsync/flickrsync/internal/names"
	"github.com/flickrsync/flickrsync/internal/syncer/sample"
)

// file writes raw bytes into the library.
func (e *e2e) file(rel string, b []byte) {
	e.t.Helper()
	full := filepath.Join(e.lib, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(full, b, 0o644); err != nil {
		e.t.Fatal(err)
	}
}

// video writes a sample movie into the library and returns its bytes.
func (e *e2e) video(rel string, v sample.Video) []byte {
	e.t.Helper()
	b, err := v.Bytes()
	if err != nil {
		e.t.Fatal(err)
	}
	e.file(rel, b)
	return b
}

// photoBy finds the emulator's photo of a title.
func (e *e2e) photoBy(title string) (emulator.PhotoView, bool) {
	for _, p := range e.srv.Photos() {
		if p.Title == title {
			return p, true
		}
	}
	return emulator.PhotoView{}, false
}

func signatureOf(t *testing.T, b []byte) string {
	t.Helper()
	res, err := imagesig.Sign(context.Background(), bytes.NewReader(b), imagesig.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Signature
}

// TestMediaSync backs up a library of photos, videos, a Live Photo, a RAW file and
// files that are no media to an account that refuses WebP and takes videos of 64 KB at
// most: videos go up and get their date taken, an untagged Flickr video is adopted by
// title and date, the Live Photo's motion waits for --live-videos, the files Flickr
// cannot take are reported once a run and not sent again; sync2 brings the videos'
// originals home in a second library.
func TestMediaSync(t *testing.T) {
	e := newE2EWith(t, emulator.Config{RefusedFormats: []string{"webp"}, VideoMaxUploadBytes: 64 << 10})
	e.pic("photos/a.jpg", sample.Picture{Seed: 1, DateTaken: "2019:05:01 10:00:00"})
	webp, err := os.ReadFile(filepath.Join("..", "imagesig", "webp", "testdata", "lossless-near.webp"))
	if err != nil {
		t.Fatal(err)
	}
	e.file("photos/b.webp", webp)
	clip := e.video("videos/clip.mp4", sample.Video{Seed: 2, CreateDate: "2019:06:01 12:00:00"})
	e.video("videos/huge.mp4", sample.Video{Seed: 3, Size: 100 << 10})
	old := e.video("videos/old.mp4", sample.Video{Seed: 4, CreateDate: "2018:01:02 03:04:05"})
	still := sample.Picture{Seed: 5, DateTaken: "2019:07:01 09:00:00", LiveID: "LIVE-1"}
	e.pic("live/IMG_0002.JPG", still)
	motion := e.video("live/IMG_0002.MOV", sample.Video{Seed: 6, QuickTime: true, CreationDate: "2019-07-01T09:00:00+0200", ContentID: "LIVE-1"})
	e.file("raw/DSC_0001.NEF", append([]byte("II*\x00\x08\x00\x00\x00"), make([]byte, 64)...))
	e.file("notes.txt", []byte("text"))
	e.file("photos/a.xmp", []byte("<x/>"))
	// A video another tool uploaded, untagged, with the local file's title and date.
	if _, err := e.srv.AddPhoto(emulator.SeedPhoto{Title: "old", Data: old, DateTaken: "2018-01-02 03:04:05", Private: true}); err != nil {
		t.Fatal(err)
	}

	code, _, errs := e.run("--noprompt", "sync")
	if code != 1 {
		t.Errorf("first sync: exit %d, want 1 (Flickr refused the WebP)", code)
	}
	for _, want := range []string{
		"upload: photos/b.webp: refused by Flickr: ",
		"not uploaded: videos/huge.mp4: too large for Flickr: ",
		", limit 64 KB",
		"1 Live Photo motion video not uploaded (--live-videos uploads it)",
		"not uploadable (RAW): 1 file",
		"ignored (no media): 1 .txt, 1 .xmp",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("first sync's output lacks %q", want)
		}
	}
	if out := e.mustRun("status"); !strings.Contains(out, "not uploadable   1 (RAW") {
		t.Errorf("status does not count the RAW file as not uploadable:\n%s", out)
	}
	v, ok := e.photoBy("clip")
	if !ok || v.Media != "video" || v.DateTaken != "2019-06-01 12:00:00" || !slices.Contains(v.MachineTags, names.CleanSignatureTag(signatureOf(t, clip))) {
		t.Errorf("the video on Flickr: %+v (found %v), want media video, date 2019-06-01 12:00:00, its signature tag", v, ok)
	}
	if o, _ := e.photoBy("old"); !slices.Contains(o.MachineTags, names.CleanSignatureTag(signatureOf(t, old))) {
		t.Errorf("the untagged Flickr video was not adopted by title and date: %+v", o)
	}
	for _, title := range []string{"a", "IMG_0002"} {
		if _, ok := e.photoBy(title); !ok {
			t.Errorf("%s is not on Flickr", title)
		}
	}
	if n := len(e.srv.Photos()); n != 4 {
		t.Errorf("%d photos on Flickr, want 4 (a, clip, old, the Live Photo's still)", n)
	}

	uploads := e.srv.Calls()["upload"]
	code, _, errs = e.run("--noprompt", "sync")
	if code != 0 {
		t.Errorf("second sync: exit %d, want 0", code)
	}
	if got := e.srv.Calls()["upload"]; got != uploads {
		t.Errorf("the second sync made %d uploads, want none", got-uploads)
	}
	for _, want := range []string{"not uploaded: photos/b.webp: refused by Flickr earlier", "not uploaded: videos/huge.mp4: too large for Flickr"} {
		if !strings.Contains(errs, want) {
			t.Errorf("second sync's output lacks %q", want)
		}
	}

	e.mustRun("--noprompt", "sync", "--live-videos")
	var mov emulator.PhotoView
	for _, p := range e.srv.Photos() {
		if p.Title == "IMG_0002" && p.Media == "video" {
			mov = p
		}
	}
	stillSig := signatureOf(t, mustBytes(t, still))
	if !slices.Contains(mov.MachineTags, "flickrsync:livephoto="+stillSig) || mov.DateTaken != "2019-07-01 09:00:00" ||
		!slices.Contains(mov.MachineTags, names.CleanSignatureTag(signatureOf(t, motion))) {
		t.Errorf("the Live Photo's motion on Flickr: %+v", mov)
	}

	// A second library restores everything from Flickr, videos in their own format.
	e.lib, e.db = filepath.Join(e.work, "Restored"), filepath.Join(e.work, "restored.db")
	if err := os.MkdirAll(e.lib, 0o755); err != nil {
		t.Fatal(err)
	}
	e.writeConfig("")
	e.mustRun("--noprompt", "sync2", "--nophotosets")
	var restored []string
	for _, f := range e.tree() {
		b, _ := os.ReadFile(filepath.Join(e.lib, f))
		switch {
		case bytes.Equal(b, clip):
			restored = append(restored, "clip:"+filepath.Ext(f))
		case bytes.Equal(b, motion):
			restored = append(restored, "motion:"+filepath.Ext(f))
		}
	}
	slices.Sort(restored)
	if want := []string{"clip:.mp4", "motion:.mov"}; !slices.Equal(restored, want) {
		t.Errorf("restored videos %v, want %v (library: %v)", restored, want, e.tree())
	}
	code, _, _ = e.run("--noprompt", "sync2", "--nophotosets")
	if code != 0 || e.srv.Calls()["download"] == 0 {
		t.Errorf("a second sync2: exit %d", code)
	}
}

// TestMediaSyncFreeAccount: on a free account Flickr offers no video original (only the
// Medium transcodes): sync2 says so for each video and saves nothing in its place.
func TestMediaSyncFreeAccount(t *testing.T) {
	e := newE2EWith(t, emulator.Config{Free: true, FreeOriginals: true})
	e.seedVideo("trip", sample.Video{Seed: 7})
	e.seed("beach", sample.Picture{Seed: 8}, true)
	code, _, errs := e.run("--noprompt", "-v", "sync2", "--nophotosets")
	if code != 0 {
		t.Errorf("exit %d, want 0", code)
	}
	if !strings.Contains(errs, "Flickr offers a video's original to the owner of a Pro account only") {
		t.Errorf("no reason given for the video")
	}
	tree := e.tree()
	if len(tree) != 1 || !strings.HasSuffix(tree[0], "_beach.jpg") {
		t.Errorf("library %v, want the photo only", tree)
	}
}

func mustBytes(t *testing.T, p sample.Picture) []byte {
	t.Helper()
	b, err := p.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMediaIdentifyVideo: an untagged Flickr video nothing in the library matches is
// downloaded from its Video Original to be identified (never its poster frame): sync tags
// it and keeps nothing; sync2 then keeps the original, named with its own extension.
func TestMediaIdentifyVideo(t *testing.T) {
	e := newE2E(t)
	b, err := sample.Video{Seed: 9, CreateDate: "2020:02:02 02:02:02"}.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	id, err := e.srv.AddPhoto(emulator.SeedPhoto{Title: "mystery", Data: b, Private: true})
	if err != nil {
		t.Fatal(err)
	}
	e.pic("photos/a.jpg", sample.Picture{Seed: 10})
	e.mustRun("--noprompt", "sync", "--nophotosets")
	v, _ := e.photoBy("mystery")
	if !slices.Contains(v.MachineTags, names.CleanSignatureTag(signatureOf(t, b))) {
		t.Errorf("the untagged video was not identified by its original's signature: %+v", v)
	}
	if tree := e.tree(); len(tree) != 1 {
		t.Errorf("sync kept files of the download: %v", tree)
	}
	e.mustRun("--noprompt", "sync2", "--nophotosets")
	var kept []string
	for _, f := range e.tree() {
		if got, _ := os.ReadFile(filepath.Join(e.lib, f)); bytes.Equal(got, b) {
			kept = append(kept, f)
		}
	}
	if len(kept) != 1 || !strings.HasSuffix(kept[0], ".mp4") || !strings.Contains(kept[0], id) {
		t.Errorf("sync2 kept %v of the video, want one .mp4 named after photo %s (library: %v)", kept, id, e.tree())
	}
}

// TestMediaUploadCommand: upload treats videos as sync does: a video goes up and gets
// its date taken; one over the account's limits is reported and not sent; a Live
// Photo's motion waits for --live-videos.
func TestMediaUploadCommand(t *testing.T) {
	e := newE2EWith(t, emulator.Config{VideoMaxUploadBytes: 64 << 10})
	dir := filepath.Join(e.work, "Movies")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]sample.Video{
		"clip.mp4": {Seed: 11, CreateDate: "2021:03:04 05:06:07"},
		"huge.mp4": {Seed: 12, Size: 100 << 10},
	} {
		b, err := v.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	still, err := sample.Picture{Seed: 13, LiveID: "LIVE-2"}.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	motion, err := sample.Video{Seed: 14, QuickTime: true, ContentID: "LIVE-2"}.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "IMG_0003.JPG"), still, 0o644)
	os.WriteFile(filepath.Join(dir, "IMG_0003.MOV"), motion, 0o644)
	_, _, errs := e.run("upload", "--noprompt", dir)
	if !strings.Contains(errs, "huge.mp4: too large for Flickr: ") || !strings.Contains(errs, ", limit 64 KB") ||
		!strings.Contains(errs, "1 Live Photo motion video not uploaded (--live-videos uploads it)") {
		t.Errorf("the video over the limit or the Live Photo's motion is not reported:\n%s", errs)
	}
	if c := e.srv.Calls()["upload"]; c != 2 {
		t.Errorf("%d uploads, want 2 (the clip, the Live Photo's still)", c)
	}
	if v, ok := e.photoBy("clip"); !ok || v.Media != "video" || v.DateTaken != "2021-03-04 05:06:07" {
		t.Errorf("the clip on Flickr: %+v (found %v), want a video taken 2021-03-04 05:06:07", v, ok)
	}
	e.mustRun("upload", "--noprompt", "--live-videos", dir)
	if c := e.srv.Calls()["upload"]; c != 3 {
		t.Errorf("%d uploads, want 3 (the Live Photo's motion too)", c)
	}
}
