package wire

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
	"github.com/flickrsync/flickrsync/internal/syncer"
	"github.com/flickrsync/flickrsync/internal/syncer/sample"
)

// TestSyncPlansFromWhatTheCatalogRecords: the engine reads the catalog once and follows
// what the scanner and each step changed; after a sync that moved, removed, added, copied
// and spoilt pictures, the photosets it built are those the catalog itself gives (the
// photosets command, which reads it afresh, has nothing to change), and the catalog
// leaves nothing to upload.
func TestSyncPlansFromWhatTheCatalogRecords(t *testing.T) {
	ctx := context.Background()
	_, client := emulated(t, emulator.Config{Username: "tester", Seed: 1})
	cat, lib := library(t)
	eng := &syncer.Engine{Flickr: &Flickr{C: client}, Store: &Store{C: cat}, Indexer: newIndexer(cat, lib), Signer: Signer{}, Root: lib}
	put := func(rel string, b []byte) {
		t.Helper()
		full := filepath.Join(lib, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i, rel := range []string{"a/1.jpg", "a/2.jpg", "b/3.jpg", "b/4.jpg"} {
		put(rel, mustBytes(t, sample.Picture{Seed: int64(i + 1)}))
	}
	put("b/copy of 1.jpg", mustBytes(t, sample.Picture{Seed: 1}))
	if _, err := eng.Sync(ctx, syncer.Options{}); err != nil {
		t.Fatal(err)
	}

	if err := os.Rename(filepath.Join(lib, "a"), filepath.Join(lib, "c")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(lib, "b", "3.jpg")); err != nil {
		t.Fatal(err)
	}
	put("b/4.jpg", []byte("not a picture any more"))
	put("d/5.jpg", mustBytes(t, sample.Picture{Seed: 5}))
	put("d/copy of 2.jpg", mustBytes(t, sample.Picture{Seed: 2}))
	rep, err := eng.Sync(ctx, syncer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := rep.Count(syncer.StepUpload, syncer.Done); n != 1 {
		t.Errorf("the second sync uploaded %d pictures, want 1 (d/5.jpg): %v", n, rep.Events())
	}

	again, err := eng.Photosets(ctx, syncer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ev := again.Events(); len(ev) != 0 {
		t.Errorf("the photosets the sync built are not the catalog's: %v", ev)
	}
	s := &Store{C: cat}
	locals, _ := s.Locals(ctx)
	remotes, _ := s.Remotes(ctx)
	if o := syncer.OutlookOf(locals, remotes, syncer.Known{}); o.ToUpload != 0 || o.Matched != 3 {
		t.Errorf("the catalog after the sync: %+v, want 3 pictures matched, none to upload", o)
	}
}
