package syncer

import (
	"context"
	"fmt"
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
