package wire

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/flickr"
	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
	"github.com/flickrsync/flickrsync/internal/syncer"
	"github.com/flickrsync/flickrsync/internal/syncer/sample"
)

// countingFlickr counts the photos the listing of changes hands over.
type countingFlickr struct {
	*Flickr
	mu      sync.Mutex
	changed []string
}

func (c *countingFlickr) RecentlyUpdated(ctx context.Context, since int64, fn func([]syncer.Remote) error) error {
	return c.Flickr.RecentlyUpdated(ctx, since, func(page []syncer.Remote) error {
		c.mu.Lock()
		for _, r := range page {
			c.changed = append(c.changed, r.ID)
		}
		c.mu.Unlock()
		return fn(page)
	})
}

// steppingClock is a Flickr clock an hour ahead of this machine's, moving two seconds
// at every reading: whatever Flickr does is at least two seconds after what it did
// before, so the test does not depend on how many happen within one second.
type steppingClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *steppingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(2 * time.Second)
	return c.t
}

// TestChangesListedOnFlickrsClock: a sync that uploaded pictures has already listed
// them, so the next sync's listing of changes hands over none of them, even with
// Flickr's clock an hour ahead of this machine's (a watermark on this machine's clock
// would list every photo changed in that hour at every sync).
func TestChangesListedOnFlickrsClock(t *testing.T) {
	ctx := context.Background()
	clk := &steppingClock{t: time.Now().Add(time.Hour)}
	srv, client := emulated(t, emulator.Config{Username: "tester", Seed: 1, Clock: clk.Now})
	// A photo already there, so that later listings are incremental.
	if _, err := srv.AddPhoto(emulator.SeedPhoto{Title: "older", Data: mustBytes(t, sample.Picture{Seed: 99}), Private: true}); err != nil {
		t.Fatal(err)
	}
	cat, lib := library(t)
	fl := &countingFlickr{Flickr: &Flickr{C: client}}
	eng := &syncer.Engine{Flickr: fl, Store: &Store{C: cat}, Indexer: newIndexer(cat, lib), Signer: Signer{}, Root: lib}
	opt := syncer.Options{NoPhotosets: true}

	// The first sync indexes the photo already there (and downloads it to identify it).
	if err := os.MkdirAll(lib, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Sync(ctx, opt); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		name := filepath.Join(lib, string(rune('a'+i))+".jpg")
		if err := os.WriteFile(name, mustBytes(t, sample.Picture{Seed: int64(i + 1)}), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := eng.Sync(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	if n := rep.Count(syncer.StepUpload, syncer.Done); n != 3 {
		t.Fatalf("the second sync uploaded %d pictures, want 3", n)
	}
	if len(fl.changed) < 3 {
		t.Errorf("the sync that uploaded listed %d changed photos after its uploads, want the 3 uploads", len(fl.changed))
	}

	fl.changed = nil
	rep, err = eng.Sync(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	if n := rep.Count(syncer.StepUpload, syncer.Done); n != 0 {
		t.Errorf("the no-change sync uploaded %d pictures", n)
	}
	if len(fl.changed) != 0 {
		t.Errorf("the no-change sync listed photos %v as changed, want none", fl.changed)
	}

	// A change made on Flickr since is listed.
	if err := client.PhotosAddTags(ctx, rep0ID(t, srv), "beach"); err != nil {
		t.Fatal(err)
	}
	fl.changed = nil
	if _, err := eng.Sync(ctx, opt); err != nil {
		t.Fatal(err)
	}
	if len(fl.changed) != 1 {
		t.Errorf("after tagging one photo on Flickr, the sync listed %v as changed, want that photo", fl.changed)
	}
}

// emulated starts an emulator and returns it with a client authorised on it.
func emulated(t *testing.T, cfg emulator.Config) (*emulator.Server, *flickr.Client) {
	t.Helper()
	srv := emulator.New(cfg)
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	tok, sec := srv.IssueToken("write")
	client, err := flickr.New(flickr.Config{BaseURL: base, APIKey: "0123456789abcdef0123456789abcdef", APISecret: "fedcba9876543210",
		Token: tok, TokenSecret: sec, RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	return srv, client
}

// library opens a new catalog and names a library folder beside it (not made).
func library(t *testing.T) (*catalog.Catalog, string) {
	t.Helper()
	dir := t.TempDir()
	cat, err := catalog.Open(context.Background(), filepath.Join(dir, "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cat.Close() })
	return cat, filepath.Join(dir, "lib")
}

func rep0ID(t *testing.T, srv *emulator.Server) string {
	t.Helper()
	ps := srv.Photos()
	if len(ps) == 0 {
		t.Fatal("no photo on Flickr")
	}
	return ps[0].ID
}

func mustBytes(t *testing.T, p sample.Picture) []byte {
	t.Helper()
	b, err := p.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}
