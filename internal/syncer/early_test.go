package syncer

import (
	"sort"
	"strings"
	"testing"
	"time"
)

// waitUploads, as a streamingIndexer's afterRead, holds the index open until the fake
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

	si := e.eng.Indexer.(*streamingIndexer)
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
	si := e.eng.Indexer.(*streamingIndexer)
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

// TestEngineWithoutStreamingIndex runs the engine's tests again through the plain
// Indexer: the sync that indexes everything before it uploads.
func TestEngineWithoutStreamingIndex(t *testing.T) {
	plainIndexer = true
	defer func() { plainIndexer = false }()
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
