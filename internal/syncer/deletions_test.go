package syncer

import (
	"testing"
	"time"
)

// TestFullListingWhenDue: an incremental sync lists fully when the account's count
// differs from the catalog's, when the last full listing is older than the option says,
// and when asked; otherwise it does not.
func TestFullListingWhenDue(t *testing.T) {
	e := newEnv(t, map[string]string{"a.jpg": picture("a1", ""), "b.jpg": picture("b2", "")})
	now := time.Unix(1_700_000_000, 0)
	opt := Options{Now: func() time.Time { return now }, FullListingAfter: 48 * time.Hour}
	e.sync(opt)
	fulls := func(opt Options) int {
		t.Helper()
		before := e.fl.calls["getPhotos"]
		rep := e.sync(opt)
		if len(rep.Failures()) > 0 {
			t.Fatalf("failures %v", rep.Failures())
		}
		// The fake lists everything every time; a full listing is a second getPhotos,
		// or the only one when due.
		return e.fl.calls["getPhotos"] - before
	}
	if n := fulls(opt); n != 1 {
		t.Errorf("a sync with nothing changed listed %d times, want 1", n)
	}
	now = now.Add(49 * time.Hour)
	if e.sync(opt); e.store.meta[metaFullListing] != "1700176400" {
		t.Errorf("the full listing due by age did not run: last %q", e.store.meta[metaFullListing])
	}
	now = now.Add(time.Hour)
	mark := e.store.meta[metaFullListing]
	if e.sync(opt); e.store.meta[metaFullListing] != mark {
		t.Error("a full listing ran before it was due")
	}
	if e.sync(Options{Now: opt.Now, FullListing: true}); e.store.meta[metaFullListing] == mark {
		t.Error("--full did not list in full")
	}
	// A photo deleted on Flickr: the count tells, the picture goes up again, reported.
	for id, p := range e.fl.photos {
		if p.Signature() == "a1" {
			delete(e.fl.photos, id)
		}
	}
	rep := e.sync(opt)
	if f := rep.Figures(); f.DeletedOnFlickr != 1 || len(f.Restored) != 1 || f.Restored[0] != "a.jpg" || e.uploadsOf("a1") != 1 {
		t.Errorf("figures %+v, a1 on Flickr %d times", f, e.uploadsOf("a1"))
	}
	// A listing cut short forgets nothing.
	for _, sig := range []string{"c3", "d4", "e5"} {
		e.fl.add(sig, "", []byte(picture(sig, "")), "flickrsync:signature="+sig)
	}
	e.store.remotes["777"] = Remote{ID: "777", MachineTags: "flickrsync:signature=77"}
	e.fl.listFailAfter = 1
	if _, err := e.eng.Sync(t.Context(), opt); err == nil {
		t.Fatal("a failed listing did not fail the sync")
	}
	if _, ok := e.store.remotes["777"]; !ok {
		t.Error("a listing cut short forgot a photo")
	}
}

// TestPoisonedWatermarkHeals: a watermark no Flickr date can be (an earlier run took a
// server's absurd date) makes the listing full, and is replaced.
func TestPoisonedWatermarkHeals(t *testing.T) {
	e := newEnv(t, map[string]string{"a.jpg": picture("a1", "")})
	e.fl.now = time.Now().Unix()
	e.sync(Options{})
	e.store.meta[metaWatermark] = "99999999999"
	rep := e.sync(Options{})
	if w := e.store.meta[metaWatermark]; w == "99999999999" || len(rep.Notes()) == 0 {
		t.Errorf("watermark %s, notes %v", w, rep.Notes())
	}
	if e.uploadsOf("a1") != 1 {
		t.Errorf("a1 uploaded %d times", e.uploadsOf("a1"))
	}
}

// TestUndecodableDownloadMatchesByName: a file flickrsync downloaded is its photo's by its
// name even when it cannot be decoded: the photo is neither downloaded again nor tagged.
func TestUndecodableDownloadMatchesByName(t *testing.T) {
	e := newEnv(t, nil)
	id := e.fl.add("deep", "", []byte("not decodable"), "")
	e.sync(Options{TwoWay: true})
	if e.fl.calls["download"] != 1 || len(e.tree()) != 1 {
		t.Fatalf("first sync2: %d downloads, tree %v", e.fl.calls["download"], e.tree())
	}
	for range 2 {
		e.sync(Options{TwoWay: true})
	}
	if e.fl.calls["download"] != 1 || e.fl.calls["addTags"] != 0 {
		t.Errorf("later syncs: %d downloads, %d tags (want 1, 0); tree %v", e.fl.calls["download"], e.fl.calls["addTags"], e.tree())
	}
	if got := e.tree(); len(got) != 1 || got[0] != "flickrsync/flickrsync_"+id+"_o"+id+"_deep.jpg" {
		t.Errorf("tree %v", got)
	}
}

// TestIdentifyFailuresBackOff: a photo whose original cannot be downloaded is tried at
// every run until it no longer holds the uploads back, then after a day, two, four...
func TestIdentifyFailuresBackOff(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	var u Unidentified
	var waits []time.Duration
	for range 6 {
		u = u.failedAgain(now, "HTTP 503")
		waits = append(waits, time.Unix(u.Next, 0).Sub(now))
	}
	want := []time.Duration{0, 0, 24 * time.Hour, 48 * time.Hour, 96 * time.Hour, 192 * time.Hour}
	for i := range want {
		if waits[i] != want[i] {
			t.Errorf("after failure %d, tried again in %v, want %v", i+1, waits[i], want[i])
		}
	}
	if u.holds() || !(Unidentified{Failures: 2}).holds() || (Unidentified{Hash: "ab"}).holds() {
		t.Error("holds: wrong")
	}
	for range 20 {
		u = u.failedAgain(now, "HTTP 503")
	}
	if w := time.Unix(u.Next, 0).Sub(now); w != maxIdentifyBackoff {
		t.Errorf("after many failures, tried again in %v, want %v", w, maxIdentifyBackoff)
	}
}
