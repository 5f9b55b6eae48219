package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
	"github.com/flickrsync/flickrsync/internal/imagesig"
	"github.com/flickrsync/flickrsync/internal/names"
	"github.com/flickrsync/flickrsync/internal/syncer/sample"
)

// edit overwrites a picture of the library with other pixels, a second later (so that
// its mtime says it changed).
func (e *e2e) edit(rel string, p sample.Picture) {
	e.t.Helper()
	full := filepath.Join(e.lib, filepath.FromSlash(rel))
	st, err := os.Stat(full)
	if err != nil {
		e.t.Fatal(err)
	}
	e.pic(rel, p)
	later := st.ModTime().Add(time.Second)
	if err := os.Chtimes(full, later, later); err != nil {
		e.t.Fatal(err)
	}
}

// photo is the emulator's photo of an id.
func (e *e2e) photo(id string) emulator.PhotoView {
	e.t.Helper()
	for _, p := range e.srv.Photos() {
		if p.ID == id {
			return p
		}
	}
	e.t.Fatalf("no photo %s", id)
	return emulator.PhotoView{}
}

// photoOf is the id of the photo tagged with p's signature ("" when none).
func (e *e2e) photoOf(p sample.Picture) string {
	e.t.Helper()
	b, err := p.Bytes()
	if err != nil {
		e.t.Fatal(err)
	}
	sig, err := imagesig.Sign(context.Background(), bytes.NewReader(b), imagesig.Options{})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, ph := range e.srv.Photos() {
		for _, tag := range ph.MachineTags {
			if tag == names.CleanSignatureTag(sig.Signature) {
				return ph.ID
			}
		}
	}
	return ""
}

func sha(p sample.Picture) string {
	b, _ := p.Bytes()
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestEditedPictures: an edit (same path, other pixels) goes up as a new photo and its
// earlier version's photo is superseded: named once, left on Flickr, never downloaded
// back by sync2; with --replace the earlier version's photo is replaced in place (same
// id and sets, signature tag swapped), unless the dates taken differ (a camera reusing a
// name); a picture deleted locally comes back into its album's folder.
func TestEditedPictures(t *testing.T) {
	e := newE2E(t)
	const taken = "2021:06:01 09:00:00"
	v1, v2, v3 := sample.Picture{Seed: 1, DateTaken: taken}, sample.Picture{Seed: 2, DateTaken: taken}, sample.Picture{Seed: 3, DateTaken: taken}
	e.pic("trip/IMG_0001.jpg", v1)
	e.pic("trip/IMG_0002.jpg", sample.Picture{Seed: 10})
	e.mustRun("sync2", "--noprompt")
	first := e.photoOf(v1)

	// The default: the edit goes up beside its earlier version, which is superseded.
	e.edit("trip/IMG_0001.jpg", v2)
	_, _, errs := e.run("sync2", "--noprompt")
	second := e.photoOf(v2)
	if len(e.srv.Photos()) != 3 || second == "" || e.photoOf(v1) != first {
		t.Fatalf("after the edit: photos %d, v2 as %q, v1 as %q (was %s)", len(e.srv.Photos()), second, e.photoOf(v1), first)
	}
	if want := "edited: trip/IMG_0001.jpg: its earlier version, Flickr photo " + first + ", superseded"; !strings.Contains(errs, want) {
		t.Errorf("the run does not name the superseded file (%q):\n%s", want, errs)
	}
	if tree := strings.Join(e.tree(), " "); tree != "trip/IMG_0001.jpg trip/IMG_0002.jpg" {
		t.Errorf("sync2 brought an earlier version back: %s", tree)
	}
	if got := e.sets()["trip"]; strings.Join(got, ",") != "IMG_0001,IMG_0002" || !contains(e.photo(second).Sets, e.srv.Photosets()[0].ID) {
		t.Errorf("set trip holds %v", got)
	}
	e.srv.ResetCalls()
	_, _, errs = e.run("sync2", "--noprompt")
	if c := e.srv.Calls(); c["upload"]+c["download"] != 0 || strings.Contains(errs, "supersede") {
		t.Errorf("a sync after it transferred %v or named the superseded photo again:\n%s", c, errs)
	}
	if out := e.mustRun("status"); !strings.Contains(out, "kept on Flickr     1 (1 superseded by edits") {
		t.Errorf("status:\n%s", out)
	}

	// --replace: the edit replaces its earlier version's photo in place.
	e.edit("trip/IMG_0001.jpg", v3)
	code, out, _ := e.run("sync", "--noprompt", "--replace", "--dryrun")
	if code != 0 || !strings.Contains(out, "replace: trip/IMG_0001.jpg: would replace Flickr photo "+second+", its earlier version, in place") ||
		strings.Contains(out, "supersede:") {
		t.Errorf("dry run: exit %d, plan %q", code, out)
	}
	e.srv.ResetCalls()
	_, _, errs = e.run("sync", "--noprompt", "--replace")
	if !strings.Contains(errs, "replaced: trip/IMG_0001.jpg: Flickr photo "+second+", its earlier version, replaced in place") {
		t.Errorf("the replace is not named:\n%s", errs)
	}
	if c := e.srv.Calls(); c["replace"] != 1 || c["upload"] != 0 {
		t.Errorf("calls %v: want one replace, no upload", c)
	}
	if got := e.photoOf(v3); got != second {
		t.Errorf("v3 is photo %q, want %s replaced in place", got, second)
	}
	if p := e.photo(second); p.SHA256 != sha(v3) || len(p.Sets) != 1 || e.photoOf(v2) != "" {
		t.Errorf("photo %s after the replace: %+v", second, p)
	}
	if len(e.srv.Photos()) != 3 {
		t.Errorf("%d photos, want 3", len(e.srv.Photos()))
	}

	// A camera reusing the name: another date taken, so not replaced.
	other := sample.Picture{Seed: 4, DateTaken: "2022:01:01 10:00:00"}
	e.edit("trip/IMG_0001.jpg", other)
	e.srv.ResetCalls()
	e.mustRun("sync", "--noprompt", "--replace")
	if c := e.srv.Calls(); c["replace"] != 0 || c["upload"] != 1 || e.photo(second).SHA256 != sha(v3) {
		t.Errorf("a new shot under the same name: calls %v; photo %s holds v3: %v", c, second, e.photo(second).SHA256 == sha(v3))
	}

	// A picture deleted locally comes back into its album's folder.
	if err := os.Remove(filepath.Join(e.lib, "trip", "IMG_0002.jpg")); err != nil {
		t.Fatal(err)
	}
	e.mustRun("sync2", "--noprompt")
	var back []string
	for _, f := range e.tree() {
		if strings.Contains(f, "flickrsync_") {
			back = append(back, f)
		}
	}
	if len(back) != 1 || !strings.HasPrefix(back[0], "trip/flickrsync_") {
		t.Errorf("restored %v, want one file in trip/ (the album's folder)", back)
	}
}

// TestReplaceRefusedByFreeAccount: Flickr replaces no photo of a free account: the edit
// goes up as a new photo, the run says why, and the earlier version is superseded.
func TestReplaceRefusedByFreeAccount(t *testing.T) {
	e := newE2EWith(t, emulator.Config{Username: "tester", AutoApprove: true, Seed: 1, Free: true})
	const taken = "2021:06:01 09:00:00"
	e.pic("a.jpg", sample.Picture{Seed: 1, DateTaken: taken})
	e.mustRun("sync", "--noprompt", "--replace")
	e.edit("a.jpg", sample.Picture{Seed: 2, DateTaken: taken})
	e.srv.ResetCalls()
	_, _, errs := e.run("sync", "--noprompt", "--replace")
	if c := e.srv.Calls(); c["replace"] != 1 || c["upload"] != 1 || len(e.srv.Photos()) != 2 {
		t.Errorf("calls %v, %d photos: want a refused replace, then an upload", c, len(e.srv.Photos()))
	}
	if !strings.Contains(errs, "Flickr replaces no photo of this account") || !strings.Contains(errs, "superseded") {
		t.Errorf("stderr:\n%s", errs)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
