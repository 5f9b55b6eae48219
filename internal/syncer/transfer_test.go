package syncer

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSweepParts: a download step first removes the temporary files killed downloads
// left, exactly those: the pattern, in the root and flickrsync/, written before the run.
func TestSweepParts(t *testing.T) {
	e := newEnv(t, map[string]string{"x.jpg": picture("a1", "")})
	e.fl.add("Remote", "2003-01-01 00:00:00", []byte(picture("d4", "")), "flickrsync:signature=d4")
	old := time.Now().Add(-time.Hour)
	leftovers := []string{".flickrsync-0123456789abcdef.part", DownloadDir + "/.flickrsync-fedcba9876543210.part"}
	kept := []string{
		".flickrsync-0123456789ABCDEF.part",           // not the pattern (upper case)
		".flickrsync-0123456789abcdef.part.jpg",       // not the pattern
		"holiday.part",                                // someone's file
		"sub/.flickrsync-0123456789abcdef.part",       // not a download folder
		".flickrsync-1111111111111111.part",           // written during the run (below)
		"..flickrsync-8d3dd4ff49e5e06c.part.part-293", // the old client's pattern: not ours to guess
	}
	for _, p := range append(append([]string{}, leftovers...), kept...) {
		writeFile(t, e.root, p, "partial")
		if p != ".flickrsync-1111111111111111.part" {
			os.Chtimes(filepath.Join(e.root, filepath.FromSlash(p)), old, old)
		}
	}
	fresh := filepath.Join(e.root, ".flickrsync-1111111111111111.part")
	os.Chtimes(fresh, time.Now().Add(time.Hour), time.Now().Add(time.Hour))

	// A dry run removes nothing.
	e.sync(Options{TwoWay: true, DryRun: true})
	for _, p := range leftovers {
		if _, err := os.Stat(filepath.Join(e.root, filepath.FromSlash(p))); err != nil {
			t.Errorf("dry run removed %s", p)
		}
	}
	rep := e.sync(Options{TwoWay: true})
	if got := rep.Count(StepDownload, Done); got != 1 {
		t.Fatalf("downloads %d: %v", got, rep.Events())
	}
	for _, p := range leftovers {
		if _, err := os.Stat(filepath.Join(e.root, filepath.FromSlash(p))); err == nil {
			t.Errorf("leftover %s not removed", p)
		}
	}
	for _, p := range kept {
		if _, err := os.Stat(filepath.Join(e.root, filepath.FromSlash(p))); err != nil {
			t.Errorf("%s removed: %v", p, err)
		}
	}
	notes := rep.Notes()
	if len(notes) != 1 || fmt.Sprintf(notes[0].Format, notes[0].Args...) != "removed 2 temporary files of downloads interrupted earlier" {
		t.Errorf("the report does not tell the sweep: %+v", notes)
	}
}

// changingFlickr changes the picture's file at a chosen moment of its upload, then
// uploads as the real client does (a reader's error ends the upload, nothing created),
// or, with careless, creates the photo whatever the reader said.
type changingFlickr struct {
	*fakeFlickr
	before, during func()
	careless       bool
}

func (c *changingFlickr) Upload(ctx context.Context, file string, open Opener, meta UploadMeta, _ func(done, total int64)) (string, error) {
	if c.before != nil {
		c.before()
	}
	rc, _, err := open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	if c.during != nil {
		c.during()
	}
	b, err := io.ReadAll(rc)
	if err != nil && !c.careless {
		return "", err
	}
	return c.fakeFlickr.add(meta.Title, "", b, strings.ReplaceAll(meta.Tags, `"`, "")), nil
}

// TestUploadOfAChangingPicture: a picture whose file is no longer what was indexed (before
// its upload, or rewritten in place while it is read, same size and time) is failed
// "changed", nothing is recorded as its signature's photo, and the next run uploads the
// new content under its new signature.
func TestUploadOfAChangingPicture(t *testing.T) {
	tests := []struct {
		name     string
		set      func(c *changingFlickr, full string)
		created  bool // a photo of the old signature exists after the first run
		wantText string
	}{
		{"grown before the upload", func(c *changingFlickr, full string) {
			c.before = func() { os.WriteFile(full, []byte(picture("b2", "")+" and more"), 0o644) }
		}, false, "changed since it was indexed"},
		{"rewritten in place while read, same size and time", func(c *changingFlickr, full string) {
			c.during = func() {
				st, _ := os.Stat(full)
				f, _ := os.OpenFile(full, os.O_WRONLY, 0)
				f.WriteAt([]byte(picture("b3", "")), 0)
				f.Close()
				os.Chtimes(full, st.ModTime(), st.ModTime())
			}
		}, false, "changed while uploading"},
		{"a client that sends it anyway", func(c *changingFlickr, full string) {
			c.careless = true
			c.during = func() {
				st, _ := os.Stat(full)
				f, _ := os.OpenFile(full, os.O_WRONLY, 0)
				f.WriteAt([]byte(picture("b3", "")), 0)
				f.Close()
				os.Chtimes(full, st.ModTime(), st.ModTime())
			}
		}, true, "tagged with the old signature"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, map[string]string{"p.jpg": picture("b1", "")})
			full := filepath.Join(e.root, "p.jpg")
			cf := &changingFlickr{fakeFlickr: e.fl}
			tc.set(cf, full)
			e.eng.Flickr = cf
			rep := e.sync(Options{NoPhotosets: true})
			f := rep.Failures()
			if len(f) != 1 || f[0].Subject != "p.jpg" || !strings.Contains(f[0].Detail, tc.wantText) {
				t.Fatalf("failures %v, want p.jpg %q", f, tc.wantText)
			}
			if got := e.uploadsOf("b1"); (got == 1) != tc.created || got > 1 {
				t.Errorf("%d photos tagged with the old signature", got)
			}
			if id, ok := e.store.ended["b1"]; !ok || id != "" {
				t.Errorf("journal: ended %q, %v; want failed", id, ok)
			}
			for _, r := range e.store.remotes {
				if r.Signature() == "b1" {
					t.Errorf("the catalog records %s as the old signature's photo", r.ID)
				}
			}
			// The next run: the new content, under its own signature.
			e.eng.Flickr = e.fl
			e.sync(Options{NoPhotosets: true})
			newSig := parseSig(t, full)
			if e.uploadsOf(newSig) != 1 {
				t.Errorf("the new content (%s) is not on Flickr once: %d", newSig, e.uploadsOf(newSig))
			}
			if rep := e.sync(Options{NoPhotosets: true}); rep.Count(StepUpload, Done) != 0 || len(rep.Failures()) != 0 {
				t.Errorf("third run: %v", rep.Events())
			}
		})
	}
}

func parseSig(t *testing.T, full string) string {
	t.Helper()
	b, err := os.ReadFile(full)
	if err != nil {
		t.Fatal(err)
	}
	sig, _, _ := parsePicture(b)
	return sig
}

// byteReporter records what a TransferReporter hears.
type byteReporter struct {
	nopReporter
	mu    sync.Mutex
	last  map[string][2]int64 // step and subject -> last done, total
	ended map[string]bool
	back  []string // transfers whose bytes went back without a new attempt
}

func (b *byteReporter) Transfer(step Step, subject string, done, total int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if prev, ok := b.last[string(step)+" "+subject]; ok && done < prev[0] && done != 0 {
		b.back = append(b.back, fmt.Sprintf("%s: %d after %d", subject, done, prev[0]))
	}
	b.last[string(step)+" "+subject] = [2]int64{done, total}
}

func (b *byteReporter) TransferEnd(step Step, subject string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.ended[string(step)+" "+subject] = true
}

// TestTransfersReportTheirBytes: each upload and download tells a TransferReporter its
// bytes as they move, up to the whole file, then that it ended.
func TestTransfersReportTheirBytes(t *testing.T) {
	e := newEnv(t, map[string]string{"a/up.jpg": picture("a1", "")})
	id := e.fl.add("down", "", []byte(picture("d4", "")), "flickrsync:signature=d4")
	br := &byteReporter{last: map[string][2]int64{}, ended: map[string]bool{}}
	e.sync(Options{TwoWay: true, Reporter: br})
	up := int64(len(picture("a1", "")))
	if got := br.last["upload a/up.jpg"]; got != [2]int64{up, up} || !br.ended["upload a/up.jpg"] {
		t.Errorf("upload reported %v (ended %v), want %d of %d bytes", got, br.ended["upload a/up.jpg"], up, up)
	}
	if len(br.back) > 0 {
		t.Errorf("bytes went back: %v", br.back)
	}
	down := int64(len(picture("d4", "")))
	if got := br.last["download "+id]; got[0] != down || !br.ended["download "+id] {
		t.Errorf("download reported %v (ended %v), want %d bytes", got, br.ended["download "+id], down)
	}
}
