package syncer

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// waitUploads, as a dirIndexer's afterRead, holds the index open until the fake
// account has received n uploads (or a while has passed) and records whether it had.
func waitUploads(fl *fakeFlickr, n int, got *bool) func() {
	return func() {
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			fl.mu.Lock()
			c := fl.calls["upload"]
			fl.mu.Unlock()
			if c >= n {
				*got = true
				return
			}
			time.Sleep(time.Millisecond)
		}
	}
}

// TestUploadsWhileIndexing: without questions to ask, the new pictures go up while the
// index still runs, the copy sent is the one the plan keeps (the dry run says so), the
// others are ended as its duplicates, and nothing is planned twice.
func TestUploadsWhileIndexing(t *testing.T) {
	files := map[string]string{
		"zz/a.jpg":                               picture("a1", ""),
		"b/a copy.jpg":                           picture("a1", ""),
		"a.jpg":                                  picture("a1", ""),
		"2019/Rome/b.jpg":                        picture("b2", "2019:05:01 10:00:00"),
		"c.jpg":                                  picture("c3", ""),
		"flickrsync/x.jpg":                       picture("d4", ""),
		"flickrsync/flickrsync_1001_o1001_e.jpg": picture("e5", ""),
	}
	account := func(e *env) *env {
		e.fl.add("c", "", []byte(picture("c3", "")), "flickrsync:signature=c3") // id 1001, secret o1001
		return e
	}
	// The dry run on a copy: it writes its catalog, as a dry run's is a throw-away copy.
	dry := account(newEnv(t, files)).sync(Options{DryRun: true})
	e := account(newEnv(t, files))
	var planned []string
	for _, ev := range dry.Events() {
		if ev.Step == StepUpload && ev.Outcome == Planned {
			planned = append(planned, ev.Subject)
		}
	}
	sort.Strings(planned)

	si := e.eng.Indexer.(*dirIndexer)
	var during bool
	si.afterRead = waitUploads(e.fl, 3, &during)
	rep := e.sync(Options{})
	if !during {
		t.Errorf("the index ended before the uploads were made")
	}
	var sent []string
	for _, ev := range rep.Events() {
		if ev.Step == StepUpload && ev.Outcome == Done {
			sent = append(sent, ev.Subject)
		}
	}
	sort.Strings(sent)
	if want := []string{"2019/Rome/b.jpg", "a.jpg", "flickrsync/x.jpg"}; strings.Join(sent, "|") != strings.Join(want, "|") ||
		strings.Join(planned, "|") != strings.Join(want, "|") {
		t.Errorf("uploaded %q, the dry run planned %q, want %q", sent, planned, want)
	}
	for _, sig := range []string{"a1", "b2", "c3", "d4"} {
		if n := e.uploadsOf(sig); n != 1 {
			t.Errorf("signature %s on Flickr %d times, want once", sig, n)
		}
	}
	// The file named after photo 1001 matches it by that name: not uploaded.
	if n := e.uploadsOf("e5"); n != 0 {
		t.Errorf("the downloaded file was uploaded %d times", n)
	}
	dups := map[string]string{}
	for _, ev := range rep.Events() {
		if ev.Step == StepUpload && ev.Outcome == Skipped {
			dups[ev.Subject] = ev.Detail
		}
	}
	if len(dups) != 2 || dups["zz/a.jpg"] != "duplicate of a.jpg" || dups["b/a copy.jpg"] != "duplicate of a.jpg" {
		t.Errorf("copies ended as %v, want both duplicates of a.jpg", dups)
	}
	for _, p := range e.fl.photos {
		if p.Signature() == "a1" && p.Title != "a" {
			t.Errorf("picture a1 went up as %q, want the kept copy a.jpg", p.Title)
		}
	}

	// A new picture and a new copy of a known one: only the new picture goes up.
	writeFile(t, e.root, "new/f.jpg", picture("f6", ""))
	writeFile(t, e.root, "a again.jpg", picture("a1", ""))
	si.afterRead = nil
	rep = e.sync(Options{})
	if n := rep.Count(StepUpload, Done); n != 1 || e.uploadsOf("f6") != 1 || e.uploadsOf("a1") != 1 {
		t.Errorf("after adding a picture and a copy: %d uploads, f6 %d times, a1 %d times", n, e.uploadsOf("f6"), e.uploadsOf("a1"))
	}
}

// TestNoUploadsWhileIndexingBesideUntaggedPhotos: a Flickr photo without a signature tag
// may be any picture of the library (by name and date, or once downloaded), so nothing
// goes up before the whole library is indexed; the photo is adopted, not duplicated.
func TestNoUploadsWhileIndexingBesideUntaggedPhotos(t *testing.T) {
	e := newEnv(t, map[string]string{
		"IMG_1.jpg": picture("a1", "2019:05:01 10:00:00"),
		"IMG_2.jpg": picture("b2", ""),
	})
	e.fl.add("IMG_1", "2019-05-01 10:00:00", []byte(picture("a1", "2019:05:01 10:00:00")), "")
	si := e.eng.Indexer.(*dirIndexer)
	var during bool
	si.afterRead = func() {
		e.fl.mu.Lock()
		during = e.fl.calls["upload"] > 0
		e.fl.mu.Unlock()
	}
	rep := e.sync(Options{})
	if during {
		t.Error("an upload started before the index ended")
	}
	if n := rep.Count(StepUpload, Done); n != 1 || e.uploadsOf("a1") != 1 || e.uploadsOf("b2") != 1 {
		t.Errorf("%d uploads; a1 on Flickr %d times, b2 %d times; want IMG_1 adopted and IMG_2 uploaded", n, e.uploadsOf("a1"), e.uploadsOf("b2"))
	}
}

// TestEngineWithoutUploadsWhileIndexing runs the engine's tests again with questions to
// ask (all answered yes): the sync that indexes everything before it uploads.
func TestEngineWithoutUploadsWhileIndexing(t *testing.T) {
	noEarly = true
	defer func() { noEarly = false }()
	for name, f := range map[string]func(*testing.T){
		"FirstAndSecond":               TestSyncFirstAndSecond,
		"AdoptsUntaggedLibrary":        TestSyncAdoptsUntaggedLibrary,
		"AmbiguousUploadNotDuplicated": TestSyncAmbiguousUploadNotDuplicated,
		"ResolvesPendingJournal":       TestSyncResolvesPendingJournal,
		"FailuresAreEvents":            TestSyncFailuresAreEvents,
		"InterruptedSync":              TestInterruptedSyncEndsEveryFileOnce,
		"DoesNotRetryAnUnsettled":      TestSyncDoesNotRetryAnUnsettledUpload,
		"PendingUploadGrace":           TestPendingUploadGrace,
		"UploadsWaitForIdentification": TestUploadsWaitForIdentification,
		"UploadOfAChangingPicture":     TestUploadOfAChangingPicture,
	} {
		t.Run(name, f)
	}
}

// TestUploadsWhileIndexingFollowThePlan: a picture one of whose copies is a file
// downloaded from a photo (matched by its name, whatever that photo's tag says) is backed
// up, though its kept copy is read first; the plan says so, and no upload made while
// indexing says otherwise. A copy the catalog knew that is gone by the end of the index
// only makes its picture wait for the plan.
func TestUploadsWhileIndexingFollowThePlan(t *testing.T) {
	files := map[string]string{
		"a.jpg":                                  picture("e5", ""),
		"flickrsync/flickrsync_1001_o1001_x.jpg": picture("e5", ""),
		"b.jpg":                                  picture("f6", ""),
	}
	e := newEnv(t, files)
	e.fl.add("x", "", []byte(picture("c3", "")), "flickrsync:signature=c3") // 1001, edited on Flickr since
	rep := e.sync(Options{})
	if n := e.uploadsOf("e5"); n != 0 {
		t.Errorf("e5 uploaded %d times, want 0: its downloaded copy matches photo 1001: %v", n, rep.Events())
	}
	if n := e.uploadsOf("f6"); n != 1 {
		t.Errorf("f6 uploaded %d times, want once", n)
	}

	// The kept copy known to the catalog is removed: the other copy goes up, once, after
	// the index.
	writeFile(t, e.root, "sub/g.jpg", picture("d7", ""))
	e.sync(Options{})
	if err := os.Remove(filepath.Join(e.root, "sub", "g.jpg")); err != nil {
		t.Fatal(err)
	}
	e.fl.mu.Lock()
	for id, p := range e.fl.photos {
		if p.Signature() == "d7" {
			delete(e.fl.photos, id) // deleted on Flickr too: d7 must go up again
		}
	}
	e.fl.mu.Unlock()
	for id, r := range e.store.remotes {
		if r.Signature() == "d7" {
			delete(e.store.remotes, id) // as a rebase would find
		}
	}
	writeFile(t, e.root, "sub/longer/g.jpg", picture("d7", ""))
	rep = e.sync(Options{})
	if n := e.uploadsOf("d7"); n != 1 || rep.Count(StepUpload, Done) != 1 || len(rep.Failures()) != 0 {
		t.Errorf("d7 on Flickr %d times after its kept copy went; events %v", n, rep.Events())
	}
}
