package syncer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

type env struct {
	t     *testing.T
	root  string
	store *memStore
	fl    *fakeFlickr
	eng   *Engine
}

func newEnv(t *testing.T, files map[string]string) *env {
	t.Helper()
	root := t.TempDir()
	for p, c := range files {
		writeFile(t, root, p, c)
	}
	st := newMemStore()
	fl := newFakeFlickr()
	ix := &dirIndexer{root: root, store: st}
	return &env{t: t, root: root, store: st, fl: fl, eng: &Engine{Flickr: fl, Store: st, Indexer: ix, Signer: fileSigner{}, Root: root}}
}

// noEarly makes env.sync answer yes to every question the engine asks when the test
// asks none, which rules uploading while indexing out (TestEngineWithoutUploadsWhileIndexing).
var noEarly bool

func writeFile(t *testing.T, root, p, content string) {
	t.Helper()
	full := filepath.Join(root, filepath.FromSlash(p))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (e *env) sync(opt Options) *Report {
	e.t.Helper()
	if noEarly && opt.Confirm == nil {
		opt.Confirm = func(context.Context, string) (bool, error) { return true, nil }
	}
	rep, err := e.eng.Sync(context.Background(), opt)
	if err != nil {
		e.t.Fatalf("sync: %v", err)
	}
	return rep
}

func (e *env) tree() []string {
	var out []string
	filepath.WalkDir(e.root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(e.root, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func (e *env) uploadsOf(sig string) int {
	n := 0
	for _, p := range e.fl.photos {
		if p.Signature() == sig {
			n++
		}
	}
	return n
}

func TestSyncFirstAndSecond(t *testing.T) {
	e := newEnv(t, map[string]string{
		"a.jpg":           picture("a1", "2001:01:01 00:00:00"),
		"2019/Rome/b.jpg": picture("b2", "2019:05:01 10:00:00"),
		"2019/Rome/c.jpg": picture("c3", ""),
		"copies/b.jpg":    picture("b2", "2019:05:01 10:00:00"),
		"broken.jpg":      "not a picture",
	})
	rep := e.sync(Options{})
	if got := rep.Count(StepUpload, Done); got != 3 {
		t.Errorf("uploads done %d, want 3", got)
	}
	if got := rep.Count(StepUpload, Skipped); got != 1 {
		t.Errorf("uploads skipped (duplicate) %d, want 1", got)
	}
	if got := rep.Count(StepIndexLocal, Failed); got != 1 {
		t.Errorf("index failures %d, want 1", got)
	}
	for _, sig := range []string{"a1", "b2", "c3"} {
		if n := e.uploadsOf(sig); n != 1 {
			t.Errorf("signature %s uploaded %d times", sig, n)
		}
	}
	sets := e.fl.setsByTitle()
	var titles []string
	for k, v := range sets {
		titles = append(titles, k)
		if k == "2019, Rome" && len(v) != 2 {
			t.Errorf("set %q has %d photos, want 2", k, len(v))
		}
	}
	sort.Strings(titles)
	if want := []string{"2019, Rome", "copies", "flickrsync"}; !reflect.DeepEqual(titles, want) {
		t.Errorf("sets %v, want %v", titles, want)
	}

	before := e.fl.total()
	rep = e.sync(Options{})
	calls := e.fl.total() - before
	if calls > 3 {
		t.Errorf("second sync made %d calls (%v), want at most 3", calls, e.fl.calls)
	}
	if n := rep.Count(StepUpload, Done) + rep.Count(StepDownload, Done) + rep.Count(StepPhotosets, Done); n != 0 {
		t.Errorf("second sync changed %d things: %v", n, rep.Events())
	}

	// Moving a folder uploads nothing and moves its pictures between sets.
	if err := os.Rename(filepath.Join(e.root, "2019"), filepath.Join(e.root, "2020")); err != nil {
		t.Fatal(err)
	}
	uploads := e.fl.calls["upload"]
	e.sync(Options{})
	if e.fl.calls["upload"] != uploads {
		t.Errorf("moving a folder uploaded %d pictures", e.fl.calls["upload"]-uploads)
	}
	sets = e.fl.setsByTitle()
	if _, ok := sets["2019, Rome"]; ok {
		t.Errorf("the old folder's set is still there: %v", sets)
	}
	if len(sets["2020, Rome"]) != 2 {
		t.Errorf("the new folder's set: %v", sets)
	}

	// Forgetting the catalog uploads nothing either.
	e.store = newMemStore()
	e.eng.Store = e.store
	e.eng.Indexer = &dirIndexer{root: e.root, store: e.store}
	e.sync(Options{})
	if e.fl.calls["upload"] != uploads {
		t.Errorf("a fresh catalog uploaded %d pictures", e.fl.calls["upload"]-uploads)
	}
}

func TestSyncAdoptsUntaggedLibrary(t *testing.T) {
	e := newEnv(t, map[string]string{
		"IMG_0001.jpg": picture("a1", "2001:02:03 04:05:06"),
	})
	byName := e.fl.add("IMG_0001", "2001-02-03 04:05:06", []byte(picture("a1", "2001:02:03 04:05:06")), "")
	onlyThere := e.fl.add("../../etc/evil", "2002-01-01 00:00:00", []byte(picture("f9", "2002:01:01 00:00:00")), "")
	rep := e.sync(Options{})
	if n := e.fl.calls["upload"]; n != 0 {
		t.Errorf("uploaded %d pictures, want 0: %v", n, rep.Events())
	}
	if sig := e.fl.photos[byName].Signature(); sig != "a1" {
		t.Errorf("photo matched by name and date tagged %q", sig)
	}
	if sig := e.fl.photos[onlyThere].Signature(); sig != "f9" {
		t.Errorf("downloaded photo tagged %q", sig)
	}
	// A one-way sync brings nothing home: the photo only Flickr has is identified, tagged,
	// and its download not kept.
	want := []string{"IMG_0001.jpg"}
	if got := e.tree(); !reflect.DeepEqual(got, want) {
		t.Errorf("tree %v, want %v", got, want)
	}
	if f := rep.Figures(); f.NotLocal != 1 {
		t.Errorf("%d photos not in the library, want 1", f.NotLocal)
	}
	if len(e.fl.photos) != 2 {
		t.Errorf("%d photos on Flickr, want 2", len(e.fl.photos))
	}
}

func TestSync2DownloadsMissingWithoutOverwriting(t *testing.T) {
	e := newEnv(t, map[string]string{"x.jpg": picture("a1", "")})
	id := e.fl.add("Holiday", "2003-01-01 00:00:00", []byte(picture("d4", "2003:01:01 00:00:00")), "flickrsync:signature=d4")
	// Something already has the download name (a folder: a file of that name would be
	// the photo's download): it must not be replaced.
	name := "flickrsync_" + id + "_o" + id + "_Holiday.jpg"
	writeFile(t, e.root, name+"/notes.txt", "someone else's file")
	rep := e.sync(Options{TwoWay: true})
	if got := rep.Count(StepDownload, Done); got != 1 {
		t.Fatalf("downloads %d, want 1: %v", got, rep.Events())
	}
	b, _ := os.ReadFile(filepath.Join(e.root, name, "notes.txt"))
	if string(b) != "someone else's file" {
		t.Errorf("existing file overwritten")
	}
	clash := filepath.Join(e.root, "flickrsync_"+id+"_o"+id+"_Holiday (2).jpg")
	if b, err := os.ReadFile(clash); err != nil || string(b) != picture("d4", "2003:01:01 00:00:00") {
		t.Errorf("download not placed under the clash name: %v", err)
	}
	rep = e.sync(Options{TwoWay: true})
	if n := rep.Count(StepDownload, Done) + rep.Count(StepUpload, Done); n != 0 {
		t.Errorf("second sync2 transferred %d files", n)
	}
}

func TestSyncAmbiguousUploadNotDuplicated(t *testing.T) {
	e := newEnv(t, map[string]string{"a.jpg": picture("a1", ""), "b.jpg": picture("b2", "")})
	e.fl.loseNext = 2
	rep := e.sync(Options{Transfers: 1})
	if got := rep.Count(StepUpload, Done); got != 2 {
		t.Errorf("uploads done %d, want 2: %v", got, rep.Events())
	}
	e.sync(Options{})
	for _, sig := range []string{"a1", "b2"} {
		if n := e.uploadsOf(sig); n != 1 {
			t.Errorf("%s on Flickr %d times", sig, n)
		}
	}
}

func TestSyncResolvesPendingJournal(t *testing.T) {
	tests := []struct {
		name       string
		onFlickr   bool
		wantUpload int
	}{
		{"crashed after the upload", true, 0},
		{"crashed before the upload", false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, map[string]string{"a.jpg": picture("a1", "")})
			if tt.onFlickr {
				e.fl.add("a", "", []byte(picture("a1", "")), "flickrsync:signature=a1")
				e.fl.now = 1_500_000_000 // the catalog never listed it: it looks old
			}
			e.store.journal["a1"] = "a.jpg"
			// The catalog's listing went past "a" already: only the journal can find it.
			e.store.remotes["1"] = Remote{ID: "1", DateUpload: 1_700_000_000, MachineTags: "flickrsync:signature=ff"}
			e.store.meta[metaWatermark] = "1700000000"
			e.sync(Options{})
			if got := e.fl.calls["upload"]; got != tt.wantUpload {
				t.Errorf("uploads %d, want %d", got, tt.wantUpload)
			}
			if got := e.fl.calls["search"]; got != 1 {
				t.Errorf("searches %d, want 1", got)
			}
			if len(e.store.journal) != 0 {
				t.Errorf("journal still pending: %v", e.store.journal)
			}
		})
	}
}

func TestSyncFailuresAreEvents(t *testing.T) {
	e := newEnv(t, map[string]string{"bad.jpg": picture("a1", ""), "good.jpg": picture("b2", "")})
	e.fl.failFiles = map[string]bool{"bad.jpg": true}
	rep := e.sync(Options{})
	f := rep.Failures()
	if len(f) != 1 || f[0].Subject != "bad.jpg" || !strings.Contains(f[0].Detail, "not recognised") {
		t.Errorf("failures %v", f)
	}
	if rep.Count(StepUpload, Done) != 1 {
		t.Errorf("good.jpg not uploaded")
	}
	if len(e.store.journal) != 0 {
		t.Errorf("a refused upload stays pending: %v", e.store.journal)
	}
}

func TestSyncDryRunChangesNothing(t *testing.T) {
	e := newEnv(t, map[string]string{"a.jpg": picture("a1", ""), "d/b.jpg": picture("b2", "")})
	e.fl.add("untagged", "", []byte(picture("c3", "")), "")
	e.fl.add("tagged", "", []byte(picture("d4", "")), "flickrsync:signature=d4")
	tree := e.tree()
	rep := e.sync(Options{DryRun: true, TwoWay: true, Confirm: func(context.Context, string) (bool, error) {
		t.Error("a dry run asked a question")
		return true, nil
	}})
	for name, n := range e.fl.calls {
		switch name {
		case "getPhotos", "recentlyUpdated", "getList", "search":
		default:
			t.Errorf("dry run called %s %d times", name, n)
		}
	}
	if got := e.tree(); !reflect.DeepEqual(got, tree) {
		t.Errorf("tree changed: %v", got)
	}
	if !rep.DryRun || rep.Count(StepUpload, Planned) != 2 || rep.Count(StepIdentify, Planned) != 1 {
		t.Errorf("plan not reported: %v", rep.Events())
	}
}

func TestDeleteTags(t *testing.T) {
	e := newEnv(t, nil)
	id := e.fl.add("x", "", nil, "flickrsync:signature=ab holiday oldtool:id=5")
	other := e.fl.add("y", "", nil, "beach")
	rep, err := e.eng.DeleteTags(context.Background(), "oldtool", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := e.fl.photos[id].Tags; got != "flickrsync:signature=ab holiday" {
		t.Errorf("tags now %q", got)
	}
	if e.fl.photos[other].Tags != "beach" || e.fl.calls["setTags"] != 1 {
		t.Errorf("an unmatched photo was touched")
	}
	if rep.Count(StepDeleteTags, Done) != 1 {
		t.Errorf("events %v", rep.Events())
	}
}

func TestSync2ForgetsPhotosDeletedOnFlickr(t *testing.T) {
	e := newEnv(t, map[string]string{"x.jpg": picture("a1", "")})
	e.sync(Options{})
	// The catalog lists a photo deleted on Flickr since: the account's count tells, and a
	// full listing finds which.
	e.store.remotes["999"] = Remote{ID: "999", OriginalSecret: "ab", URLOriginal: "fake://999", MachineTags: "flickrsync:signature=dd"}
	rep := e.sync(Options{TwoWay: true})
	if len(rep.Failures()) != 0 || e.fl.calls["download"] != 0 || rep.Figures().DeletedOnFlickr != 1 {
		t.Errorf("events %v, figures %+v, calls %v", rep.Events(), rep.Figures(), e.fl.calls)
	}
	if _, ok := e.store.remotes["999"]; ok {
		t.Error("the gone photo is still in the catalog")
	}
	// Deleted between the listing and the download: forgotten too, not failed.
	e.store.remotes["998"] = Remote{ID: "998", OriginalSecret: "ab", URLOriginal: "fake://998", MachineTags: "flickrsync:signature=de"}
	// An upload the listing does not see keeps the counts equal.
	other := e.fl.add("other", "", []byte(picture("ee", "")), "flickrsync:signature=ee")
	e.fl.photos[other].DateUpload = 1
	rep = e.sync(Options{TwoWay: true})
	if len(rep.Failures()) != 0 || rep.Count(StepDownload, Skipped) != 1 {
		t.Errorf("events %v", rep.Events())
	}
	if _, ok := e.store.remotes["998"]; ok {
		t.Error("the gone photo is still in the catalog")
	}
}

func TestSyncDeclinedStepsChangeNothing(t *testing.T) {
	e := newEnv(t, map[string]string{"a.jpg": picture("a1", ""), "b.jpg": picture("b2", "")})
	var asked []string
	rep := e.sync(Options{Confirm: func(ctx context.Context, q string) (bool, error) {
		asked = append(asked, q)
		return !strings.HasPrefix(q, "Upload"), nil
	}})
	if e.fl.calls["upload"] != 0 || rep.Count(StepUpload, Skipped) != 2 {
		t.Errorf("declined uploads: calls %v, events %v", e.fl.calls, rep.Events())
	}
	if len(asked) != 1 || asked[0] != "Upload 2 pictures to Flickr?" {
		t.Errorf("questions %q", asked)
	}
}

// cancelling Flickr stops the run at its second upload.
type cancelAfter struct {
	*fakeFlickr
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Upload(ctx context.Context, file string, open Opener, meta UploadMeta, progress func(done, total int64)) (string, error) {
	c.fakeFlickr.mu.Lock()
	c.n--
	last := c.n <= 0
	c.fakeFlickr.mu.Unlock()
	if last {
		c.cancel()
		return "", ctx.Err()
	}
	return c.fakeFlickr.Upload(ctx, file, open, meta, progress)
}

func TestInterruptedSyncEndsEveryFileOnce(t *testing.T) {
	files := map[string]string{}
	for i := 0; i < 20; i++ {
		files[fmt.Sprintf("p%02d.jpg", i)] = picture(fmt.Sprintf("%02x", i+1), "")
	}
	e := newEnv(t, files)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e.eng.Flickr = &cancelAfter{fakeFlickr: e.fl, n: 3, cancel: cancel}
	rep, err := e.eng.Sync(ctx, Options{Transfers: 2})
	if err == nil {
		t.Fatal("an interrupted sync returned no error")
	}
	if got := len(rep.Events()); got != 20 {
		t.Errorf("%d upload events for 20 pictures: %v", got, rep.Events())
	}
	done := rep.Count(StepUpload, Done)
	if done != len(e.fl.photos) {
		t.Errorf("%d uploads reported done, %d photos on Flickr", done, len(e.fl.photos))
	}
	// A rerun right away sends nothing the interrupted run may still have in flight; one
	// after the grace period finishes the job, without a duplicate.
	e.eng.Flickr = e.fl
	rep = e.sync(Options{})
	held := rep.Failures()
	if len(held) == 0 {
		t.Error("nothing held back by the rerun")
	}
	for _, f := range held {
		if !strings.Contains(f.Detail, "may still land") {
			t.Errorf("rerun failure %v, want only interrupted uploads held back", f)
		}
	}
	later := func() time.Time { return time.Now().Add(DefaultUploadGrace + time.Minute) }
	e.sync(Options{Now: later})
	if len(e.fl.photos) != 20 {
		t.Errorf("%d photos after the rerun, want 20", len(e.fl.photos))
	}
}

func TestSync2DownloadsOneCopyOfAPictureUploadedTwice(t *testing.T) {
	e := newEnv(t, map[string]string{"x.jpg": picture("a1", "")})
	first := e.fl.add("twice", "", []byte(picture("d4", "")), "flickrsync:signature=d4")
	e.fl.add("twice again", "", []byte(picture("d4", "")), "flickrsync:signature=d4")
	rep := e.sync(Options{TwoWay: true})
	if got := rep.Count(StepDownload, Done); got != 1 {
		t.Fatalf("downloads %d, want 1: %v", got, rep.Events())
	}
	want := []string{"flickrsync_" + first + "_o" + first + "_twice.jpg", "x.jpg"}
	if got := e.tree(); !reflect.DeepEqual(got, want) {
		t.Errorf("tree %v, want %v", got, want)
	}
	rep = e.sync(Options{TwoWay: true})
	if rep.Count(StepDownload, Done) != 0 {
		t.Errorf("the second copy was downloaded later")
	}
}

func TestSyncDoesNotRetryAnUnsettledUpload(t *testing.T) {
	e := newEnv(t, map[string]string{"a.jpg": picture("a1", ""), "b.jpg": picture("b2", "")})
	e.store.journal["a1"] = "a.jpg"
	e.fl.noSearch = true
	rep := e.sync(Options{})
	if e.uploadsOf("a1") != 0 || e.uploadsOf("b2") != 1 {
		t.Errorf("uploads: a1 %d (want 0), b2 %d (want 1)", e.uploadsOf("a1"), e.uploadsOf("b2"))
	}
	if f := rep.Failures(); len(f) != 1 || f[0].Subject != "a.jpg" {
		t.Errorf("failures %v", f)
	}
	e.fl.noSearch = false
	e.sync(Options{})
	if e.uploadsOf("a1") != 1 {
		t.Errorf("a1 uploaded %d times once Flickr answers, want 1", e.uploadsOf("a1"))
	}
}

func TestPendingUploadGrace(t *testing.T) {
	tests := []struct {
		name       string
		onFlickr   bool
		age        time.Duration
		wantUpload int
		wantFailed int
	}{
		{"landed", true, time.Second, 0, 0},
		{"may still land", false, time.Minute, 0, 1},
		{"never landed", false, DefaultUploadGrace + time.Minute, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, map[string]string{"a.jpg": picture("a1", "")})
			if tt.onFlickr {
				e.fl.add("a", "", []byte(picture("a1", "")), "flickrsync:signature=a1")
			}
			e.store.journal["a1"] = "a.jpg"
			e.store.started["a1"] = time.Now().Add(-tt.age).Unix()
			rep := e.sync(Options{})
			if got := e.fl.calls["upload"]; got != tt.wantUpload {
				t.Errorf("uploads %d, want %d", got, tt.wantUpload)
			}
			if got := len(rep.Failures()); got != tt.wantFailed {
				t.Errorf("failures %v, want %d", rep.Failures(), tt.wantFailed)
			}
			if e.uploadsOf("a1") != 1-tt.wantFailed {
				t.Errorf("a1 on Flickr %d times", e.uploadsOf("a1"))
			}
		})
	}
}

func TestListingCutShortIsResumed(t *testing.T) {
	files := map[string]string{}
	e := newEnv(t, files)
	for i := 0; i < 6; i++ {
		sig := fmt.Sprintf("%02x", i+1)
		writeFile(t, e.root, fmt.Sprintf("p%d.jpg", i), picture(sig, ""))
		e.fl.add(fmt.Sprintf("p%d", i), "", []byte(picture(sig, "")), "flickrsync:signature="+sig)
	}
	e.fl.listFailAfter = 1
	if _, err := e.eng.Sync(context.Background(), Options{}); err == nil {
		t.Fatal("a failed listing did not fail the sync")
	}
	if len(e.store.remotes) != 2 {
		t.Fatalf("%d photos stored by the cut listing, want 2", len(e.store.remotes))
	}
	e.sync(Options{})
	if got := e.fl.calls["upload"]; got != 0 {
		t.Errorf("%d uploads after a cut listing, want 0", got)
	}
}

func TestUploadsWaitForIdentification(t *testing.T) {
	e := newEnv(t, map[string]string{"renamed.jpg": picture("a1", ""), "other.jpg": picture("b2", "")})
	e.fl.add("original name", "", []byte(picture("a1", "")), "")
	e.fl.downloadErr = fmt.Errorf("download: HTTP 503")
	rep := e.sync(Options{})
	if got := e.fl.calls["upload"]; got != 0 {
		t.Errorf("%d uploads while a photo could not be identified, want 0", got)
	}
	if rep.Count(StepIdentify, Failed) != 1 || rep.Count(StepUpload, Skipped) != 2 {
		t.Errorf("events %v", rep.Events())
	}
	e.fl.downloadErr = nil
	e.sync(Options{})
	if e.uploadsOf("a1") != 1 || e.uploadsOf("b2") != 1 {
		t.Errorf("a1 on Flickr %d times, b2 %d times; want 1 and 1", e.uploadsOf("a1"), e.uploadsOf("b2"))
	}
}
