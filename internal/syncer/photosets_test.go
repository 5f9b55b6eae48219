package syncer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// overlapFlickr records how many set calls are under way at once; each call waits (up
// to a bound, so that a sequential engine fails instead of hanging) for another one to
// be under way.
type overlapFlickr struct {
	*fakeFlickr
	mu       sync.Mutex
	inflight int
	most     int
}

func (o *overlapFlickr) enter() {
	o.mu.Lock()
	o.inflight++
	o.most = max(o.most, o.inflight)
	deadline := time.Now().Add(2 * time.Second)
	for o.inflight < 2 && o.most < 2 && time.Now().Before(deadline) {
		o.mu.Unlock()
		time.Sleep(time.Millisecond)
		o.mu.Lock()
	}
	o.mu.Unlock()
}

func (o *overlapFlickr) leave() {
	o.mu.Lock()
	o.inflight--
	o.mu.Unlock()
}

func (o *overlapFlickr) CreatePhotoset(ctx context.Context, title, desc, primary string) (string, error) {
	o.enter()
	defer o.leave()
	return o.fakeFlickr.CreatePhotoset(ctx, title, desc, primary)
}

// TestPhotosetsInParallel: the set edits of a run are made several at once (Transfers),
// and every set still ends right, its memory saved.
func TestPhotosetsInParallel(t *testing.T) {
	files := map[string]string{}
	for i := 0; i < 8; i++ {
		for j := 0; j < 2; j++ {
			files[fmt.Sprintf("folder%d/p%d.jpg", i, j)] = picture(fmt.Sprintf("%02x%02x", i+1, j+1), "")
		}
	}
	e := newEnv(t, files)
	o := &overlapFlickr{fakeFlickr: e.fl}
	e.eng.Flickr = o
	rep := e.sync(Options{Transfers: 4})
	if got := rep.Count(StepPhotosets, Done); got != 8 {
		t.Fatalf("%d sets done, want 8: %v", got, rep.Failures())
	}
	if o.most < 2 {
		t.Errorf("at most %d set calls at once, want several", o.most)
	}
	sets := e.fl.setsByTitle()
	for i := 0; i < 8; i++ {
		if got := len(sets[fmt.Sprintf("folder%d", i)]); got != 2 {
			t.Errorf("set folder%d holds %d photos, want 2", i, got)
		}
	}
	// The memory was saved whole: the next run makes no set call.
	e.eng.Flickr = e.fl
	e.fl.calls = map[string]int{}
	rep = e.sync(Options{Transfers: 4})
	if n := e.fl.calls["create"] + e.fl.calls["editPhotos"]; n != 0 || rep.Count(StepPhotosets, Done) != 0 {
		t.Errorf("second run: %d set calls, %v", n, e.fl.calls)
	}
}

// TestAlbumDeletedOnlyWhenItsPicturesAreSeen: the album of a folder renamed is deleted
// (its pictures are in the new folder's); the album of a folder deleted here is kept, as
// its photos are, and named; the memory spares the next run any call.
func TestAlbumDeletedOnlyWhenItsPicturesAreSeen(t *testing.T) {
	e := newEnv(t, map[string]string{"a/1.jpg": picture("01", ""), "b/2.jpg": picture("02", ""), "c/3.jpg": picture("03", "")})
	e.sync(Options{})
	if err := os.Rename(filepath.Join(e.root, "a"), filepath.Join(e.root, "a2")); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(e.root, "b")); err != nil {
		t.Fatal(err)
	}
	rep := e.sync(Options{})
	sets := e.fl.setsByTitle()
	if _, ok := sets["a"]; ok {
		t.Error("the renamed folder's album is still there")
	}
	if _, ok := sets["b"]; !ok {
		t.Error("the album of a folder deleted here was deleted")
	}
	f := rep.Figures()
	if fmt.Sprint(f.SetsDeleted) != "[a]" || fmt.Sprint(f.SetsHeld) != "[b]" {
		t.Errorf("deleted %v, held %v", f.SetsDeleted, f.SetsHeld)
	}
	e.fl.calls = map[string]int{}
	rep = e.sync(Options{})
	if n := e.fl.total(); n > 3 || fmt.Sprint(rep.Figures().SetsHeld) != "[b]" {
		t.Errorf("the next run: %d calls (%v), held %v", n, e.fl.calls, rep.Figures().SetsHeld)
	}
}

// TestAlbumFailureConverges: a photo deleted on Flickr while a sync runs (after its
// listing) fails the edit of its album (Flickr's "Photo not found"), and only that album:
// the others are made. The next sync notices the deletion, uploads the picture again and
// repairs the album; the one after changes nothing.
func TestAlbumFailureConverges(t *testing.T) {
	e := newEnv(t, map[string]string{"a/1.jpg": picture("01", ""), "a/2.jpg": picture("02", "")})
	e.sync(Options{})
	writeFile(t, e.root, "a/3.jpg", picture("03", ""))
	writeFile(t, e.root, "b/4.jpg", picture("04", ""))
	yes := func(ctx context.Context, q string) (bool, error) {
		if strings.Contains(q, "photoset") {
			for id, p := range e.fl.photos {
				if p.Signature() == "01" {
					delete(e.fl.photos, id) // the member deletes it on Flickr meanwhile
				}
			}
		}
		return true, nil
	}
	rep := e.sync(Options{Confirm: yes})
	if f := rep.Failures(); len(f) != 1 || f[0].Subject != "a" || !strings.Contains(f[0].Detail, "the next sync lists Flickr in full") {
		t.Fatalf("failures %v, want album a's alone", f)
	}
	if got := len(e.fl.setsByTitle()["b"]); got != 1 {
		t.Errorf("album b holds %d photos: the other albums did not go on", got)
	}
	rep = e.sync(Options{})
	if f := rep.Figures(); len(rep.Failures()) > 0 || fmt.Sprint(f.Restored) != "[a/1.jpg]" {
		t.Errorf("the next sync: failures %v, restored %v", rep.Failures(), f.Restored)
	}
	if got := len(e.fl.setsByTitle()["a"]); got != 3 {
		t.Errorf("album a holds %d photos after the next sync, want 3", got)
	}
	e.fl.calls = map[string]int{}
	rep = e.sync(Options{})
	if n := e.fl.total(); len(rep.Failures()) > 0 || n > 3 {
		t.Errorf("the sync after: %d calls (%v), failures %v", n, e.fl.calls, rep.Failures())
	}
}
