package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/syncer"
	"github.com/flickrsync/flickrsync/internal/syncer/sample"
)

// TestUploadCommand: upload sends the pictures given (files and folders, outside the
// library) that Flickr lacks, by the same signature dedupe as a sync (a picture already
// on Flickr, or given twice, is reported and not sent), through the same journal; --set
// puts their photos in a set the sync then leaves alone; the library and its catalog
// are not read.
func TestUploadCommand(t *testing.T) {
	e := newE2E(t)
	e.pic("in library.jpg", sample.Picture{Seed: 1})
	e.mustRun("sync", "--noprompt")
	outside := filepath.Join(e.work, "Downloads")
	put := func(rel string, p sample.Picture) string {
		t.Helper()
		b, err := p.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		full := filepath.Join(outside, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return full
	}
	single := put("scan.jpg", sample.Picture{Seed: 2})
	put("album/one.jpg", sample.Picture{Seed: 3})
	put("album/same as library.jpg", sample.Picture{Seed: 1})
	put("album/copy of scan.jpg", sample.Picture{Seed: 2})
	put("album/.hidden.jpg", sample.Picture{Seed: 4})
	put("album/notes.txt", sample.Picture{Seed: 5})
	before := len(e.srv.Photos())

	code, out, _ := e.run("upload", "--dryrun", "--set", "Holiday", single, filepath.Join(outside, "album"))
	if code != 0 || !strings.Contains(out, "upload: "+filepath.ToSlash(single)+": would upload") ||
		!strings.Contains(out, "photosets: Holiday: would create with 3 photos") || len(e.srv.Photos()) != before {
		t.Errorf("dry run: exit %d, plan:\n%s", code, out)
	}

	_, _, errs := e.run("upload", "--noprompt", "--set", "Holiday", single, filepath.Join(outside, "album"))
	if n := len(e.srv.Photos()); n != before+2 {
		t.Fatalf("%d photos, want %d (scan and one):\n%s", n, before+2, errs)
	}
	e.unique()
	for _, want := range []string{"same as library.jpg: on Flickr already as ", "duplicate of ", `photoset "Holiday": created with 3 photos`} {
		if !strings.Contains(errs, want) {
			t.Errorf("the run does not say %q:\n%s", want, errs)
		}
	}
	var holiday []string
	for title, photos := range e.sets() {
		if title == "Holiday" {
			holiday = photos
		}
	}
	if strings.Join(holiday, ",") != "in library,one,scan" {
		t.Errorf("set Holiday holds %v", holiday)
	}
	for _, s := range e.srv.Photosets() {
		if s.Title == "Holiday" && s.Description != syncer.UploadSetDescription {
			t.Errorf("the set's description %q", s.Description)
		}
	}

	// Again: nothing is sent twice, nothing added to the set that holds it already. A sync
	// leaves the set alone.
	e.srv.ResetCalls()
	e.mustRun("upload", "--noprompt", "--set", "Holiday", filepath.Join(outside, "album", "one.jpg"))
	if c := e.srv.Calls(); c["upload"] != 0 || c["flickr.photosets.addPhoto"] != 0 {
		t.Errorf("a second upload: calls %v", c)
	}
	e.mustRun("sync", "--noprompt")
	if got := e.sets()["Holiday"]; len(got) != 3 {
		t.Errorf("the sync changed the upload's set: %v", got)
	}
	if tree := strings.Join(e.tree(), " "); tree != "in library.jpg" {
		t.Errorf("the library changed: %s", tree)
	}

	code, _, errs = e.run("upload", "--noprompt", filepath.Join(outside, "nothing.jpg"))
	if code != ExitUsage || !strings.Contains(errs, "nothing.jpg") {
		t.Errorf("a missing file: exit %d, %q", code, errs)
	}
	code, _, errs = e.run("upload", "--noprompt")
	if code != ExitUsage || !strings.Contains(errs, "FILE or DIR") {
		t.Errorf("no argument: exit %d, %q", code, errs)
	}
}

// TestUploadWithoutLibrary: upload needs no library folder and no earlier sync: the
// profile's library may not exist, and the account is listed once for the dedupe.
func TestUploadWithoutLibrary(t *testing.T) {
	e := newE2E(t)
	e.lib = filepath.Join(e.work, "no such library")
	e.writeConfig("")
	file := filepath.Join(e.work, "Downloads", "scan.jpg")
	b, err := sample.Picture{Seed: 7}.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Dir(file), 0o755)
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	e.mustRun("upload", "--noprompt", file)
	if n := len(e.srv.Photos()); n != 1 {
		t.Fatalf("%d photos, want 1", n)
	}
	if _, err := os.Stat(e.lib); !os.IsNotExist(err) {
		t.Errorf("the library folder was made: %v", err)
	}
	_, _, errs := e.run("upload", "--noprompt", file)
	if n := len(e.srv.Photos()); n != 1 || !strings.Contains(errs, "on Flickr already as ") {
		t.Errorf("again: %d photos, want 1, and the picture named as on Flickr:\n%s", n, errs)
	}
}
