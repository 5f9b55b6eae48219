package faultsuite

import (
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
	"github.com/flickrsync/flickrsync/internal/syncer/sample"
)

// mode is the suite's seed and size: the CI's fixed seed, or with FLICKRSYNC_FAULT_LONG=1
// a larger run seeded by FLICKRSYNC_FAULT_SEED (else the clock).
func mode(t *testing.T, fixed int64) (seed int64, long bool) {
	t.Helper()
	long = os.Getenv("FLICKRSYNC_FAULT_LONG") == "1"
	seed = fixed
	if long {
		seed = time.Now().UnixNano() % 1_000_000_007
	}
	if v := os.Getenv("FLICKRSYNC_FAULT_SEED"); v != "" {
		s, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("FLICKRSYNC_FAULT_SEED=%q: %v", v, err)
		}
		seed = s
	}
	t.Logf("seed %d, long %v (replay: FLICKRSYNC_FAULT_SEED=%d FLICKRSYNC_FAULT_LONG=%v)", seed, long, seed, map[bool]int{true: 1, false: 0}[long])
	return seed, long
}

// library fills a world with n distinct local pictures spread over folders (a third with
// an EXIF date), one local copy, and on Flickr: photos only there (tagged), untagged photos
// of local pictures (matched by name and date: the tag step) and untagged unknown photos
// (downloaded to be identified). It returns the number of distinct pictures in all.
func (w *world) library(rng *rand.Rand, seed int64, n, flickrOnly, untaggedMatch, unknown int) int {
	w.t.Helper()
	folders := []string{"2019/Rome", "2019/Paris", "family", "", "scans/old"}
	var withDate []string
	for i := 0; i < n; i++ {
		p := sample.Picture{Seed: seed<<20 + int64(i), W: 64 + rng.IntN(64), H: 64 + rng.IntN(32)}
		if i%3 == 0 {
			p.DateTaken = fmt.Sprintf("2019:%02d:%02d 10:%02d:%02d", 1+i%12, 1+i%28, i%60, rng.IntN(60))
		}
		rel := path.Join(folders[rng.IntN(len(folders))], fmt.Sprintf("img_%04d.jpg", i))
		b := gen(w.t, p)
		w.put(rel, b)
		if i == 0 {
			w.put("copies/copy of img_0000.jpg", b)
		}
		if p.DateTaken != "" && len(withDate) < untaggedMatch {
			// The same picture already on Flickr, untagged, under its short name and date.
			withDate = append(withDate, rel)
			date := strings.Replace(p.DateTaken, ":", "-", 2)
			w.seed(strings.TrimSuffix(path.Base(rel), ".jpg"), b, false, date)
		}
	}
	for i := 0; i < flickrOnly; i++ {
		w.seed(fmt.Sprintf("phone %d", i), gen(w.t, sample.Picture{Seed: seed<<20 + 100000 + int64(i), W: 80, H: 64}), true, "")
	}
	for i := 0; i < unknown; i++ {
		w.seed(fmt.Sprintf("scan %d", i), gen(w.t, sample.Picture{Seed: seed<<20 + 200000 + int64(i), W: 64, H: 80}), false, "")
	}
	return n + flickrOnly + unknown
}

// apiCalls are the API's REST methods, uploads and OAuth: every call but the photo files'
// downloads, where Flickr's static servers never answer with an API error (see
// TestDownloadOfAnErrorAnswer).
var apiCalls = []string{"upload", "replace", "oauth",
	"flickr.auth.oauth.checkToken", "flickr.test.login", "flickr.people.getPhotos", "flickr.photos.recentlyUpdated",
	"flickr.photos.search", "flickr.photos.addTags", "flickr.photos.setTags", "flickr.photos.getInfo",
	"flickr.photos.upload.checkTickets", "flickr.photosets.getList", "flickr.photosets.getPhotos",
	"flickr.photosets.create", "flickr.photosets.editPhotos", "flickr.photosets.addPhoto",
	"flickr.photosets.removePhotos", "flickr.photosets.delete"}

// TestFaultsConverge runs sync (and sync2) again and again while a fifth of the calls fail
// (HTTP 5xx, Flickr 105/201, 429 with Retry-After) and a tenth of the uploads lose their
// answer after Flickr committed them, until a run ends clean; then, faults off, one more
// run changes nothing, and every picture is on Flickr exactly once (and with sync2 home
// exactly once, whole). The photo downloads get the HTTP faults (5xx, 429) in their own
// case, since an API error answer is not what a static photo server sends.
func TestFaultsConverge(t *testing.T) {
	api := emulator.FaultConfig{HTTPErrorRate: 0.08, FlickrErrorRate: 0.06, ThrottleRate: 0.06, RetryAfter: 1,
		LostUploadRate: 0.10, Only: apiCalls}
	downloads := emulator.FaultConfig{HTTPErrorRate: 0.12, ThrottleRate: 0.08, RetryAfter: 1, Only: []string{"download"}}
	tests := []struct {
		name, cmd string
		faults    emulator.FaultConfig
		seed      int64
	}{
		{"sync", "sync", api, 20261125},
		{"sync2", "sync2", api, 20261126},
		{"sync2 downloads", "sync2", downloads, 20261127},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seed, long := mode(t, tt.seed)
			n, flickrOnly, maxRuns := 30, 4, 12
			if long {
				n, flickrOnly, maxRuns = 120, 16, 40
			}
			if tt.faults.Only[0] == "download" {
				n, flickrOnly = n/3, flickrOnly*5
			}
			rng := rand.New(rand.NewPCG(uint64(seed), 7))
			w := newWorld(t, seed)
			distinct := w.library(rng, seed, n, flickrOnly, 3, 2)
			w.srv.SetFaults(tt.faults)
			runs, clean := 0, false
			var codes []int
			for runs < maxRuns && !clean {
				runs++
				code, _, errs := w.run(tt.cmd, "--noprompt")
				codes = append(codes, code)
				if code == 2 || code > 3 {
					t.Fatalf("run %d: exit %d (usage or crash)\n%s", runs, code, errs)
				}
				if code != 0 {
					t.Logf("run %d: exit %d; its failures:\n%s", runs, code, failureLines(errs))
				}
				clean = code == 0
			}
			faulted, detail := calls(w.srv.Calls())
			inj := w.injected()
			if inj.HTTP5xx+inj.Throttled+inj.FlickrFail+inj.Lost == 0 {
				t.Errorf("no fault was injected: %v", inj)
			}
			if !clean {
				t.Fatalf("no clean run in %d runs under faults (exits %v); calls: %s", runs, codes, detail)
			}
			w.srv.SetFaults(emulator.FaultConfig{})
			w.srv.ResetCalls()
			w.mustRun(tt.cmd, "--noprompt")
			after := w.srv.Calls()
			if after["upload"]+after["download"]+after["flickr.photos.addTags"] != 0 {
				_, d := calls(after)
				t.Errorf("the run after convergence still changed something: %s", d)
			}
			o := w.verify(t, verifyOpts{twoWay: tt.cmd == "sync2"})
			if o.Photos != distinct {
				t.Errorf("%d photos on Flickr, want %d", o.Photos, distinct)
			}
			w.checkStatus(t, o, tt.cmd == "sync2")
			t.Logf("%s: converged after %d runs (exits %v), %d calls under faults (%s), injected %v; %s", tt.name, runs, codes, faulted, detail, inj, o)
		})
	}
}

// TestDownloadOfAnErrorAnswer has every photo download of a first run answered HTTP 200
// with a body that is not the photo (an HTML page as a CDN serves, Flickr's XML and
// JSON error envelopes), served by a front server before the emulator (whose own faults
// leave photo files alone): the body must not end in the library as the photo, the photo
// is reported failed, and the next run, answered properly, brings it home whole.
func TestDownloadOfAnErrorAnswer(t *testing.T) {
	w := newWorld(t, 21)
	w.small("e", 2100, 2)
	id := w.seed("remote", gen(t, sample.Picture{Seed: 2150, W: 64, H: 64}), true, "")
	bodies := []struct{ ctype, body string }{
		{"text/html", "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>"},
		{"text/xml; charset=utf-8", `<?xml version="1.0" encoding="utf-8" ?>` + "\n" + `<rsp stat="fail"><err code="105" msg="Service currently unavailable" /></rsp>`},
		{"application/json", `{"stat":"fail","code":201,"message":"Sorry, the Flickr API service is not currently available."}`},
	}
	var mu sync.Mutex
	inject, served := true, 0
	front := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		mu.Lock()
		on := inject && kindOf(r) == "download"
		b := bodies[served%len(bodies)]
		if on {
			served++
		}
		mu.Unlock()
		if !on {
			w.serve(rw, r)
			return
		}
		rw.Header().Set("Content-Type", b.ctype)
		rw.Header().Set("Content-Length", strconv.Itoa(len(b.body)))
		io.WriteString(rw, b.body)
	}))
	t.Cleanup(front.Close)
	w.base = front.URL
	code, _, errs := w.run("sync2", "--noprompt")
	mu.Lock()
	inject = false
	mu.Unlock()
	t.Logf("exit %d after %d error pages\n%s", code, served, failureLines(errs))
	if served == 0 {
		t.Fatalf("no download was answered with an error page (exit %d)\n%s", code, errs)
	}
	if code != 1 || !strings.Contains(errs, id) || !strings.Contains(errs, "not an image") {
		t.Errorf("exit %d, want 1 with photo %s failed as not an image:\n%s", code, id, errs)
	}
	var junk []string
	filepath.WalkDir(w.lib, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, err := os.ReadFile(p); err == nil && strings.HasPrefix(signatureOrErr(b), "(") {
				junk = append(junk, fmt.Sprintf("%s (%d bytes: %.60q)", d.Name(), len(b), b))
			}
		}
		return nil
	})
	if len(junk) > 0 {
		t.Errorf("an HTTP 200 answer that is not the photo is in the library: %v", junk)
	}
	code2, _, errs2 := w.run("sync2", "--noprompt")
	t.Logf("rerun without error pages: exit %d\n%s", code2, failureLines(errs2))
	if code2 != 0 {
		t.Errorf("rerun: exit %d\n%s", code2, errs2)
	}
	o := w.verify(t, verifyOpts{twoWay: true})
	if o.Downloads != 1 || o.Damaged != 0 {
		t.Errorf("%d downloads, %d damaged; want the photo home once, whole", o.Downloads, o.Damaged)
	}
	w.checkStatus(t, o, true)
}

// failureLines keeps the lines of a run's standard error that report failures.
func failureLines(errs string) string {
	var out []string
	for _, l := range strings.Split(errs, "\n") {
		if strings.Contains(l, "failed") || strings.Contains(l, "flickrsync:") {
			out = append(out, "  "+l)
		}
	}
	return strings.Join(out, "\n")
}
