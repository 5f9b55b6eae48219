package faultsuite

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
	"github.com/flickrsync/flickrsync/internal/names"
	"github.com/flickrsync/flickrsync/internal/syncer/sample"
)

// The steps a kill aims at, by the requests that show a run is in them ("scan" is before
// the first request).
var killSteps = map[string][]string{
	"scan":     nil,
	"index":    {"flickr.people.getPhotos", "flickr.photos.recentlyUpdated"},
	"tag":      {"flickr.photos.addTags"},
	"upload":   {"upload"},
	"download": {"download"},
	"sets":     {"flickr.photosets.getList", "flickr.photosets.create", "flickr.photosets.editPhotos"},
}

// killWindow is how long after a step's first request its kill may come: about the
// step's length with the slowed emulator.
var killWindow = map[string]time.Duration{
	"index": 30 * time.Millisecond, "tag": 50 * time.Millisecond,
	"upload": 100 * time.Millisecond, "download": 80 * time.Millisecond, "sets": 120 * time.Millisecond,
}

// stepOf names the step a request kind belongs to.
func stepOf(kind string) string {
	for step, kinds := range killSteps {
		for _, k := range kinds {
			if k == kind {
				return step
			}
		}
	}
	if kind == "flickr.photos.search" {
		return "resolve"
	}
	return kind
}

// TestKill9 runs the real binary's sync2 against a slowed emulator (latency on every call,
// a bandwidth cap on transfers) and SIGKILLs it at 20 seeded random moments spread over
// the steps (during the scan, the Flickr index, tagging, uploads, downloads, photosets),
// adding new work on both sides before each run so every step has some; then a clean
// run must complete, and: no signature twice on Flickr, no picture missing on either
// side, every download whole (sha256 of the original), no partial file, and the catalog's
// status agreeing with the account and the library.
func TestKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it 20 times")
	}
	seed, long := mode(t, 4242)
	kills := 20
	if long {
		kills = 60
	}
	bin := buildCLI(t)
	rng := rand.New(rand.NewPCG(uint64(seed), 99))
	w := newWorld(t, seed)
	distinct := w.library(rng, seed, 16, 3, 2, 1)
	slow := emulator.FaultConfig{Latency: 20 * time.Millisecond, BandwidthBps: 128 << 10}
	during := slow
	if long {
		// The long mode also fails calls and loses answers while it kills.
		during.HTTPErrorRate, during.FlickrErrorRate, during.ThrottleRate = 0.04, 0.03, 0.03
		during.LostUploadRate, during.LostWriteRate, during.Only = 0.05, 0.05, apiCalls
	}
	w.srv.SetFaults(during)

	next := int64(1000)
	grow := func(round int) {
		// Four new pictures (a new folder every third round: a new set), a photo only on
		// Flickr, untagged copies on Flickr of three new local pictures (to tag), and every
		// third round an unknown untagged photo (to identify).
		folder := fmt.Sprintf("rounds/%d", round/3)
		for k := 0; k < 4; k++ {
			next++
			w.put(path.Join(folder, fmt.Sprintf("r%03d_%d.jpg", round, k)),
				gen(t, sample.Picture{Seed: seed<<20 + next, W: 128, H: 96 + rng.IntN(32)}))
		}
		next++
		w.seed(fmt.Sprintf("flickr only %d", round), gen(t, sample.Picture{Seed: seed<<20 + next, W: 128, H: 96}), true, "")
		for k := 0; k < 3; k++ {
			next++
			p := sample.Picture{Seed: seed<<20 + next, W: 112, H: 96, DateTaken: fmt.Sprintf("2020:03:%02d 12:%02d:%02d", 1+round%28, k, round%60)}
			b := gen(t, p)
			name := fmt.Sprintf("tagme_%03d_%d", round, k)
			w.put(path.Join(folder, name+".jpg"), b)
			w.seed(name, b, false, strings.Replace(p.DateTaken, ":", "-", 2))
		}
		distinct += 8
		if round%3 == 0 {
			next++
			w.seed(fmt.Sprintf("unknown %d", round), gen(t, sample.Picture{Seed: seed<<20 + next, W: 96, H: 96}), false, "")
			distinct++
		}
	}

	order := []string{"scan", "index", "tag", "upload", "download", "sets"}
	var targets []string
	for len(targets) < kills {
		perm := rng.Perm(len(order))
		for _, i := range perm {
			targets = append(targets, order[i])
		}
	}
	targets = targets[:kills]
	scanWindow := 150 * time.Millisecond
	hit := map[string]int{}
	// Each target is tried until a kill lands in its step (at most 3 times): every kill
	// counts, so there are at least as many kills as targets.
	done, rounds, ti, tries := 0, 0, 0, 0
	var misses []string
	for ti < len(targets) && rounds < kills*4 {
		target := targets[ti]
		rounds++
		grow(rounds)
		reached := make(chan struct{})
		var once, reachOnce sync.Once
		var firstReq time.Time
		want := killSteps[target]
		w.setHook(func(kind string, r *http.Request) {
			once.Do(func() { firstReq = time.Now() })
			for _, k := range want {
				if k == kind {
					// Requests of the step run at once: close it once.
					reachOnce.Do(func() { close(reached) })
				}
			}
		})
		_, before := w.lastRequest()
		cmd := w.command(bin, "sync2", "--noprompt")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		start := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		var delay time.Duration
		if target == "scan" {
			delay = time.Duration(rng.Int64N(int64(scanWindow)))
		} else {
			delay = time.Duration(rng.Int64N(int64(killWindow[target])))
			select {
			case <-reached:
			case err := <-exited:
				exited <- err
			case <-time.After(30 * time.Second):
			}
		}
		var killedAt string
		select {
		case err := <-exited:
			misses = append(misses, fmt.Sprintf("round %d: %s never reached, run ended (%v)", rounds, target, err))
		case <-time.After(delay):
			kind, n := w.lastRequest()
			killedAt = "scan"
			if n > before {
				killedAt = stepOf(kind)
			}
			if err := cmd.Process.Kill(); err != nil {
				if !errors.Is(err, os.ErrProcessDone) {
					t.Fatal(err)
				}
				// The run ended between the delay and the kill (a quick run on an idle
				// machine): no kill landed, as when the step was never reached.
				err := <-exited
				misses = append(misses, fmt.Sprintf("round %d: %s: run ended before the kill (%v)", rounds, target, err))
				killedAt = "(run ended first)"
				w.waitIdle(t)
				break
			}
			<-exited
			w.waitIdle(t)
			done++
			hit[killedAt]++
			tries++
			if killedAt == target || tries == 3 {
				ti, tries = ti+1, 0
			} else if target == "scan" {
				scanWindow /= 2
			}
		}
		w.setHook(nil)
		if !firstReq.IsZero() && target != "scan" {
			scanWindow = max(10*time.Millisecond, firstReq.Sub(start))
		}
		t.Logf("round %d: aimed at %s, +%s: killed in %q after %s; last lines: %s", rounds, target, delay.Round(time.Millisecond),
			killedAt, time.Since(start).Round(time.Millisecond), lastLines(out.String(), 2))
	}
	if done < kills || ti < len(targets) {
		t.Fatalf("only %d kills in %d rounds, %d of %d targets: %v", done, rounds, ti, len(targets), misses)
	}

	// A clean run (still slowed: the same code paths), then a run that must change nothing.
	w.srv.SetFaults(slow)
	cmd := w.command(bin, "sync2", "--noprompt")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("clean run after the kills: %v\n%s", err, out)
	}
	w.srv.SetFaults(emulator.FaultConfig{})
	w.srv.ResetCalls()
	if out, err := w.command(bin, "sync2", "--noprompt").CombinedOutput(); err != nil {
		t.Fatalf("second clean run: %v\n%s", err, out)
	}
	if c := w.srv.Calls(); c["upload"]+c["download"]+c["flickr.photos.addTags"] != 0 {
		_, d := calls(c)
		t.Errorf("the run after the clean run still changed something: %s", d)
	}
	o := w.verify(t, verifyOpts{twoWay: true, partial: true})
	if o.Photos != distinct {
		t.Errorf("%d photos on Flickr, want %d", o.Photos, distinct)
	}
	w.checkStatus(t, o, true)
	var steps []string
	for s, n := range hit {
		steps = append(steps, fmt.Sprintf("%s=%d", s, n))
	}
	sort.Strings(steps)
	t.Logf("%d kills in %d rounds (killed in: %s; %d runs ended before their kill); %s",
		done, rounds, strings.Join(steps, " "), len(misses), o)
	for _, s := range []string{"scan", "upload", "download", "sets"} {
		if hit[s] == 0 {
			t.Errorf("no kill landed in %s", s)
		}
	}
	t.Run("no partial file left", func(t *testing.T) {
		if o.Partial > 0 {
			t.Errorf("%d partial download files (.part) left in the library by killed runs and never removed by the clean runs", o.Partial)
		}
	})
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// TestKilledDownload kills sync2 while it downloads a photo (the emulator sends it at
// 64 kB/s), then syncs again: the photo must be home once, whole, and no partial file of
// the killed download may stay in the library.
func TestKilledDownload(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildCLI(t)
	w := newWorld(t, 31)
	w.small("f", 3100, 2)
	big := gen(t, sample.Picture{Seed: 3150, W: 400, H: 300})
	id := w.seed("slow", big, true, "")
	w.srv.SetFaults(emulator.FaultConfig{BandwidthBps: 64 << 10})
	started := make(chan struct{})
	var once sync.Once
	w.setHook(func(kind string, r *http.Request) {
		if kind == "download" {
			once.Do(func() { close(started) })
		}
	})
	cmd := w.command(bin, "sync2", "--noprompt")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-started:
	case err := <-exited:
		t.Fatalf("sync2 ended before downloading (%v)\n%s", err, out.String())
	case <-time.After(60 * time.Second):
		t.Fatal("no download in 60 s")
	}
	// Wait until the client holds part of the photo on disk, then kill it.
	deadline := time.Now().Add(10 * time.Second)
	for len(partFiles(w.lib)) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	during := partFiles(w.lib)
	cmd.Process.Kill()
	<-exited
	w.waitIdle(t)
	w.setHook(nil)
	w.srv.SetFaults(emulator.FaultConfig{})
	if len(during) == 0 {
		t.Fatalf("no partial file seen during the %d-byte download at 64 kB/s", len(big))
	}
	for _, p := range during {
		if !names.IsPartName(path.Base(p)) {
			t.Errorf("partial file %s is not named by the one pattern the sync sweeps", p)
		}
	}
	w.mustRun("sync2", "--noprompt")
	o := w.verify(t, verifyOpts{twoWay: true, partial: true})
	if o.Downloads != 1 || o.Damaged != 0 {
		t.Errorf("photo %s: %d downloads, %d damaged; want 1 whole", id, o.Downloads, o.Damaged)
	}
	w.checkStatus(t, o, true)
	if left := partFiles(w.lib); len(left) > 0 {
		t.Errorf("the partial file of a killed download stays in the library after the next sync: %v (seen during the download: %v)", left, during)
	}
}

// partFiles lists the library's files whose name holds ".part".
func partFiles(root string) []string {
	var out []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.Contains(d.Name(), ".part") {
			rel, _ := filepath.Rel(root, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}
