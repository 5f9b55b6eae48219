package cli

import (
	"bytes"
	"context"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// TestInterruptPanoramaIndex: the first Ctrl-C stops the program within 2 seconds whatever
// it is doing, here an index decoding the corpus gigapixel panoramas at once (a 22500x33300
// progressive JPEG and a 25200x33300 PNG, about 10 s of decoding), and records neither as
// undecodable. The real program runs in a child process
// (TestMain), signalled at a random point of the decodes; the time measured is from the
// signal to the child's exit.
func TestInterruptPanoramaIndex(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process")
	}
	jpg := sharedtest.CorpusFile(t, "gdk-pixbuf__large.jpg")
	png := sharedtest.CorpusFile(t, "gdk-pixbuf__large.png")
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewSource(seed))
	for _, round := range []struct {
		name           string
		from, spreadMS int // the signal's delay after the start: from + a random part of spread
	}{{"early", 300, 1200}, {"later", 1500, 2500}} {
		t.Run(round.name, func(t *testing.T) {
			work := t.TempDir()
			lib, db := filepath.Join(work, "Pictures"), filepath.Join(work, "flickrsync.db")
			if err := os.MkdirAll(lib, 0o755); err != nil {
				t.Fatal(err)
			}
			for _, f := range []string{jpg, png} {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(lib, filepath.Base(f)), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			cmd := exec.Command(os.Args[0], "-l", lib, "-d", db, "index")
			cmd.Env = append(os.Environ(), "FLICKRSYNC_TEST_MAIN=1", "HOME="+work)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan struct{})
			go func() { cmd.Wait(); close(exited) }()
			// Somewhere in the decodes, once the child has started them.
			delay := time.Duration(round.from+rng.Intn(round.spreadMS)) * time.Millisecond
			select {
			case <-exited:
				t.Fatalf("index ended before the signal:\n%s", out.String())
			case <-time.After(delay):
			}
			start := time.Now()
			if err := cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			select {
			case <-exited:
			case <-time.After(20 * time.Second):
				cmd.Process.Kill()
				<-exited
				t.Fatalf("signalled after %v (seed %d): still running 20 s later:\n%s", delay, seed, out.String())
			}
			took := time.Since(start)
			code := cmd.ProcessState.ExitCode()
			t.Logf("signalled after %v (seed %d): exit %d %v later\n%s", delay, seed, code, took, out.String())
			if code != ExitInterrupted {
				t.Errorf("exit %d, want %d", code, ExitInterrupted)
			}
			if took > 2*time.Second {
				t.Errorf("exited %v after the signal, want within 2 s", took)
			}
			if !strings.Contains(out.String(), "flickrsync: interrupted") {
				t.Errorf("no interruption message")
			}
			// Nothing half-way: a decode stopped is no verdict on the picture.
			if _, err := os.Stat(db); err != nil {
				return
			}
			cat, err := catalog.Open(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			defer cat.Close()
			cat.Pictures(context.Background(), func(p catalog.Picture) error {
				if p.Error != "" {
					t.Errorf("%s recorded as failed: %s", p.Name, p.Error)
				}
				return nil
			})
		})
	}
}
