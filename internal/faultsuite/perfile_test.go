package faultsuite

import (
	"fmt"
	"github.com/flickrsync/flickrsync/internal/syncer/sample"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// small puts n small distinct pictures into the library's folder dir and returns their
// relative paths.
func (w *world) small(dir string, seed int64, n int) []string {
	var rels []string
	for i := 0; i < n; i++ {
		rel := fmt.Sprintf("%s/pic_%02d.jpg", dir, i)
		w.put(rel, gen(w.t, sample.Picture{Seed: seed + int64(i), W: 64, H: 64}))
		rels = append(rels, rel)
	}
	return rels
}

// TestUnreadableFile: a picture that cannot be read is reported by name, the other
// pictures are uploaded, the run exits 1; once readable again the next run uploads it.
// Root reads a chmod 000 file anyway, so as root the unreadable files are a dangling
// symbolic link and (on unix) a FIFO, both with a picture's name.
func TestUnreadableFile(t *testing.T) {
	w := newWorld(t, 11)
	w.small("a", 1100, 5)
	fixed := gen(t, sample.Picture{Seed: 1199, W: 72, H: 72})
	var bad []string
	var repair []func()
	if os.Geteuid() != 0 && runtime.GOOS != "windows" {
		p := w.put("a/locked.jpg", fixed)
		if err := os.Chmod(p, 0); err != nil {
			t.Fatal(err)
		}
		bad = append(bad, "a/locked.jpg")
		repair = append(repair, func() { os.Chmod(p, 0o644) })
	} else {
		t.Log("running as root (modes do not stop reads): a dangling symbolic link and a FIFO stand for unreadable files")
		link := filepath.Join(w.lib, "a", "dangling.jpg")
		if err := os.Symlink(filepath.Join(w.lib, "nowhere.jpg"), link); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
		bad = append(bad, "a/dangling.jpg")
		repair = append(repair, func() {
			os.Remove(link)
			w.put("a/dangling.jpg", fixed)
		})
		if fifo := filepath.Join(w.lib, "a", "pipe.jpg"); mkfifo(fifo) == nil {
			bad = append(bad, "a/pipe.jpg")
			second := gen(t, sample.Picture{Seed: 1198, W: 72, H: 72})
			repair = append(repair, func() {
				os.Remove(fifo)
				w.put("a/pipe.jpg", second)
			})
		}
	}
	code, _, errs := w.run("sync", "--noprompt")
	if code != 1 {
		t.Errorf("exit %d, want 1 (some files failed)\n%s", code, errs)
	}
	for _, b := range bad {
		if !strings.Contains(errs, b) || !strings.Contains(errs, "failed") {
			t.Errorf("%s not reported as failed:\n%s", b, errs)
		}
	}
	if n := len(w.srv.Photos()); n != 5 {
		t.Errorf("%d photos uploaded, want the 5 readable ones", n)
	}
	for _, f := range repair {
		f()
	}
	w.mustRun("sync", "--noprompt")
	o := w.verify(t, verifyOpts{})
	if o.Photos != 5+len(bad) {
		t.Errorf("%d photos after the repair, want %d", o.Photos, 5+len(bad))
	}
	w.checkStatus(t, o, false)
	t.Logf("unreadable %v: reported, the rest uploaded; after the repair: %s", bad, o)
}

// TestPictureChangedWhileUploading rewrites (in place or by rename) or deletes a 1.5 MB
// picture while its upload is under way: the run goes on
// with the other pictures, and once settled Flickr holds what the library holds, once.
func TestPictureChangedWhileUploading(t *testing.T) {
	tests := []struct {
		name   string
		change func(w *world, full string) []byte // returns the new content (nil: deleted)
	}{
		{"rewritten in place", func(w *world, full string) []byte {
			b := padded(gen(w.t, sample.Picture{Seed: 1299, W: 200, H: 150}), 24<<20)
			os.WriteFile(full, b, 0o644)
			return b
		}},
		{"truncated and rewritten smaller", func(w *world, full string) []byte {
			b := gen(w.t, sample.Picture{Seed: 1298, W: 200, H: 150})
			os.WriteFile(full, b, 0o644)
			return b
		}},
		{"replaced by rename", func(w *world, full string) []byte {
			b := padded(gen(w.t, sample.Picture{Seed: 1297, W: 200, H: 150}), 24<<20)
			tmp := full + ".tmp"
			os.WriteFile(tmp, b, 0o644)
			os.Rename(tmp, full)
			return b
		}},
		{"deleted", func(w *world, full string) []byte {
			os.Remove(full)
			return nil
		}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, int64(12+i))
			w.small("b", 1200, 4)
			orig := padded(gen(t, sample.Picture{Seed: 1250, W: 200, H: 150}), 24<<20)
			full := w.put("b/big.jpg", orig)
			origSig := signature(t, orig)
			var once sync.Once
			var now []byte
			changed := false
			w.setHook(func(kind string, r *http.Request) {
				if kind == "upload" && r.ContentLength > int64(len(orig)) {
					once.Do(func() {
						// The emulator reads nothing yet: the client can only send what the
						// socket buffers hold (about 4 MB of the 24 MB file), so it is still
						// reading the file when it changes.
						time.Sleep(300 * time.Millisecond)
						now = tt.change(w, full)
						changed = true
					})
				}
			})
			code, _, errs := w.run("sync", "--noprompt", "--nophotosets", "--debug")
			w.setHook(nil)
			if !changed {
				t.Fatalf("the big picture's upload was never seen (exit %d)\n%s", code, errs)
			}
			t.Logf("run under the change: exit %d\n%s", code, failureLines(errs))
			if code != 0 && code != 1 {
				t.Fatalf("exit %d\n%s", code, errs)
			}
			if code == 1 && !strings.Contains(errs, "big.jpg") {
				t.Errorf("exit 1 without naming big.jpg:\n%s", errs)
			}
			// The rerun settles; a third run has nothing to do.
			w.run("sync", "--noprompt", "--nophotosets")
			w.srv.ResetCalls()
			w.mustRun("sync", "--noprompt", "--nophotosets")
			if c := w.srv.Calls(); c["upload"] != 0 {
				t.Errorf("the third run uploaded again: %v", c)
			}
			o := w.verify(t, verifyOpts{})
			if now != nil && !w.onFlickr(signature(t, now)) {
				t.Errorf("the new content of big.jpg is not on Flickr")
			}
			if now == nil && !w.onFlickr(origSig) {
				t.Logf("the deleted picture's upload was abandoned (nothing of it on Flickr)")
			}
			lying := w.lyingTags(t)
			t.Logf("%s: %s; photos whose signature tag does not match their pixels: %v", tt.name, o, lying)
			if len(lying) > 0 {
				t.Errorf("a picture rewritten in place during its upload ends on Flickr with the signature tag of its old pixels (%v), and its new pixels are uploaded again by the next run", lying)
			}
		})
	}
}

// onFlickr reports whether a photo carries the signature tag sig.
func (w *world) onFlickr(sig string) bool {
	for _, p := range w.srv.Photos() {
		for _, mt := range p.MachineTags {
			if mt == sigPrefix+sig {
				return true
			}
		}
	}
	return false
}

// lyingTags lists the photos whose signature tag is not the signature of their bytes (or
// whose bytes do not decode).
func (w *world) lyingTags(t *testing.T) []string {
	var out []string
	for _, p := range w.srv.Photos() {
		b, err := w.srv.PhotoBytes(p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, mt := range p.MachineTags {
			if v, ok := strings.CutPrefix(mt, sigPrefix); ok {
				if got := signatureOrErr(b); got != v {
					out = append(out, fmt.Sprintf("%s tagged %s…, pixels %s (%d bytes)", p.ID, v[:12], got, len(b)))
				}
			}
		}
	}
	return out
}

// TestPhotoDeletedBeforeDownload deletes a Flickr photo after sync2 listed it, just as its
// download begins: the other downloads go on, the gone photo is reported and forgotten,
// and the next run does not try it again.
func TestPhotoDeletedBeforeDownload(t *testing.T) {
	w := newWorld(t, 13)
	w.small("c", 1300, 3)
	var ids []string
	for i := 0; i < 4; i++ {
		ids = append(ids, w.seed(fmt.Sprintf("remote %d", i), gen(t, sample.Picture{Seed: 1350 + int64(i), W: 64, H: 64}), true, ""))
	}
	victim := ids[2]
	var once sync.Once
	deleted := false
	w.setHook(func(kind string, r *http.Request) {
		if kind == "download" && strings.Contains(r.URL.Path, "/"+victim+"_") {
			once.Do(func() { deleted = w.srv.DeletePhoto(victim) })
		}
	})
	code, _, errs := w.run("sync2", "--noprompt", "--debug")
	w.setHook(nil)
	if !deleted {
		t.Fatalf("photo %s was never downloaded (exit %d)\n%s", victim, code, errs)
	}
	if code != 0 && code != 1 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	reported := false
	for _, l := range strings.Split(errs, "\n") {
		if strings.Contains(l, victim) && (strings.Contains(l, "deleted") || strings.Contains(l, "failed")) {
			reported = true
			t.Logf("reported: %s", strings.TrimSpace(l))
		}
	}
	if !reported {
		t.Errorf("the deleted photo %s is not reported:\n%s", victim, errs)
	}
	w.srv.ResetCalls()
	w.mustRun("sync2", "--noprompt")
	if c := w.srv.Calls(); c["download"] != 0 {
		t.Errorf("the next run downloaded again: %v", c)
	}
	o := w.verify(t, verifyOpts{twoWay: true})
	if o.Downloads != 3 || o.Photos != 6 {
		t.Errorf("%d downloads and %d photos, want 3 and 6", o.Downloads, o.Photos)
	}
	w.checkStatus(t, o, true)
	t.Logf("photo deleted before its download (exit %d): %s", code, o)
}

// TestDiskFullDuringDownload puts the library on a 1 MiB tmpfs (root on Linux only) and
// has sync2 download a 1.5 MB photo with smaller ones: the big one fails by name, the
// others land, no partial file stays; with room again the next run brings it whole.
func TestDiskFullDuringDownload(t *testing.T) {
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		t.Skip("needs root on Linux to mount a small tmpfs (a full disk cannot be simulated otherwise without root)")
	}
	w := newWorld(t, 14)
	if err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "flickrsync-fault", w.lib).Run(); err != nil {
		t.Skipf("cannot mount a tmpfs on the library (%v): full disk not simulated", err)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", w.lib).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", w.lib, err, out)
		}
	})
	w.small("d", 1400, 3)
	big := gen(t, sample.Picture{Seed: 1490, W: 2000, H: 1500})
	if len(big) < 1<<20 {
		t.Fatalf("the big picture is only %d bytes", len(big))
	}
	bigID := w.seed("too big", big, true, "")
	for i := 0; i < 3; i++ {
		w.seed(fmt.Sprintf("fits %d", i), gen(t, sample.Picture{Seed: 1450 + int64(i), W: 64, H: 64}), true, "")
	}
	code, _, errs := w.run("sync2", "--noprompt", "--transfers", "1")
	if code != 1 {
		t.Errorf("exit %d, want 1\n%s", code, errs)
	}
	if !strings.Contains(errs, bigID) || !strings.Contains(errs, "failed") {
		t.Errorf("the photo %s that did not fit is not reported as failed:\n%s", bigID, errs)
	}
	t.Logf("disk full: %s", failureLines(errs))
	o := w.verify(t, verifyOpts{twoWay: false})
	if o.Downloads != 3 {
		t.Errorf("%d downloads on the full disk, want the 3 that fit", o.Downloads)
	}
	if out, err := exec.Command("mount", "-o", "remount,size=8m", w.lib).CombinedOutput(); err != nil {
		t.Fatalf("remount larger: %v %s", err, out)
	}
	w.mustRun("sync2", "--noprompt")
	o = w.verify(t, verifyOpts{twoWay: true})
	if o.Downloads != 4 {
		t.Errorf("%d downloads with room again, want 4", o.Downloads)
	}
	w.checkStatus(t, o, true)
	t.Logf("after the room came back: %s", o)
}

// padded inserts n bytes of APP15 segments right after a JPEG's SOI: the pixels (and so
// the signature) stay, the file grows past what the loopback socket buffers absorb, and
// the image data comes last, so a file rewritten in place mid-upload sends the old
// padding with the new pixels.
func padded(jpg []byte, n int) []byte {
	out := make([]byte, 0, len(jpg)+n+n/65533*4+4)
	out = append(out, jpg[:2]...)
	for n > 0 {
		k := min(n, 65533)
		out = append(out, 0xFF, 0xEF, byte((k+2)>>8), byte(k+2))
		out = append(out, make([]byte, k)...)
		n -= k
	}
	return append(out, jpg[2:]...)
}
