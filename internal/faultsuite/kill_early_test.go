package faultsuite

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
	"github.com/flickrsync/flickrsync/internal/syncer/sample"
)

// TestKill9WhileIndexing kills the real binary's sync while it uploads new pictures
// during the index of the library (the sync does so with --noprompt when every Flickr
// photo is tagged), at seeded random moments after its first upload request, adding new
// pictures, each with a copy of other bytes deeper in the tree, before every run. After
// the kills a clean run must complete, and: no signature twice on Flickr, no picture
// missing, every photo titled after the copy the plan keeps (the shorter path), and the
// catalog's status agreeing with the account and the library.
func TestKill9WhileIndexing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it")
	}
	seed, long := mode(t, 4343)
	kills := 8
	if long {
		kills = 30
	}
	bin := buildCLI(t)
	rng := rand.New(rand.NewPCG(uint64(seed), 7))
	w := newWorld(t, seed)
	// Pictures of about 1.6 MB at 8 MB/s: a run's uploads outlast its index.
	w.srv.SetFaults(emulator.FaultConfig{Latency: 20 * time.Millisecond, BandwidthBps: 8 << 20})

	keep := map[string]string{} // signature -> title of the copy the plan keeps
	next := int64(5000)
	grow := func(round int) {
		for k := 0; k < 6; k++ {
			next++
			p := sample.Picture{Seed: seed<<20 + next, W: 1200, H: 900}
			b := gen(t, p)
			name := fmt.Sprintf("r%03d_%d", round, k)
			w.put(fmt.Sprintf("in/%03d/%s.jpg", round, name), b)
			p.DateTaken = "2021:01:02 03:04:05" // the same pixels in other bytes
			w.put(fmt.Sprintf("in/%03d/deeper/copy of %s.jpg", round, name), gen(t, p))
			keep[signature(t, b)] = name
		}
	}

	duringIndex, after := 0, 0
	for round := 1; duringIndex+after < kills && round <= kills*3; round++ {
		grow(round)
		uploading := make(chan struct{})
		var once sync.Once
		w.setHook(func(kind string, r *http.Request) {
			if kind == "upload" {
				once.Do(func() { close(uploading) })
			}
		})
		cmd := w.command(bin, "sync", "--noprompt")
		var out lockedBuffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		delay := time.Duration(rng.Int64N(int64(120 * time.Millisecond)))
		select {
		case <-uploading:
		case err := <-exited:
			t.Fatalf("round %d: the sync ended without uploading (%v)\n%s", round, err, out.String())
		case <-time.After(60 * time.Second):
			t.Fatalf("round %d: no upload in 60 s\n%s", round, out.String())
		}
		time.Sleep(delay)
		// The index's line is printed when it ends.
		indexing := !strings.Contains(out.String(), "index local ")
		if err := cmd.Process.Kill(); err != nil {
			if !errors.Is(err, os.ErrProcessDone) {
				t.Fatal(err)
			}
			t.Logf("round %d: the run ended before its kill", round)
		}
		<-exited
		w.waitIdle(t)
		w.setHook(nil)
		if indexing {
			duringIndex++
		} else {
			after++
		}
		t.Logf("round %d: killed %s after the first upload, %s; last lines: %s", round, delay.Round(time.Millisecond),
			map[bool]string{true: "while indexing", false: "after the index"}[indexing], lastLines(out.String(), 2))
	}
	if duringIndex == 0 {
		t.Errorf("no kill landed while the index ran (%d after it)", after)
	}

	w.srv.SetFaults(emulator.FaultConfig{})
	w.mustRun("sync", "--noprompt")
	w.srv.ResetCalls()
	w.mustRun("sync", "--noprompt")
	if c := w.srv.Calls(); c["upload"] != 0 {
		t.Errorf("the run after the clean run uploaded %d pictures", c["upload"])
	}
	o := w.verify(t, verifyOpts{})
	w.checkStatus(t, o, false)
	for _, p := range w.srv.Photos() {
		for _, mt := range p.MachineTags {
			if sig, ok := strings.CutPrefix(mt, sigPrefix); ok && keep[sig] != "" && p.Title != keep[sig] {
				t.Errorf("photo %s is titled %q, want %q (the copy with the shorter path)", p.ID, p.Title, keep[sig])
			}
		}
	}
	t.Logf("%d kills while indexing, %d after the index; %s", duringIndex, after, o)
}

// lockedBuffer is a bytes.Buffer the killed process writes while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
