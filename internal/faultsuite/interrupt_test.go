//go:build unix

package faultsuite

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
)

// TestInterrupt runs the real binary's sync2 against a slowed emulator and signals it
// in the middle of a step (the Flickr index, the uploads, the downloads, the photosets):
// it must end within 2 seconds of the first SIGINT with status 130 (143 for SIGTERM),
// saying it was interrupted and nothing that looks like a finished run; then a clean run
// converges as after a kill: every picture on Flickr once, every photo home once.
func TestInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and signals it")
	}
	bin := buildCLI(t)
	for i, tt := range []struct {
		name string
		step string // a request kind of the step the signal aims at
		sig  syscall.Signal
		code int
	}{
		{"SIGINT during the Flickr index", "flickr.people.getPhotos", syscall.SIGINT, 130},
		{"SIGINT during the uploads", "upload", syscall.SIGINT, 130},
		{"SIGTERM during the uploads", "upload", syscall.SIGTERM, 143},
		{"SIGINT during the downloads", "download", syscall.SIGINT, 130},
		{"SIGINT during the photosets", "flickr.photosets.create", syscall.SIGINT, 130},
	} {
		t.Run(tt.name, func(t *testing.T) {
			seed := int64(7100 + i)
			w := newWorld(t, seed)
			w.library(rand.New(rand.NewPCG(uint64(seed), 1)), seed, 12, 3, 0, 0)
			// Slow enough that every step lasts well over the moment the signal comes.
			w.srv.SetFaults(emulator.FaultConfig{Latency: 300 * time.Millisecond, BandwidthBps: 32 << 10})
			reached := make(chan struct{})
			w.setHook(func(kind string, r *http.Request) {
				if kind == tt.step {
					select {
					case <-reached:
					default:
						close(reached)
					}
				}
			})
			cmd := w.command(bin, "sync2", "--noprompt", "--transfers", "2")
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			select {
			case <-reached:
			case <-time.After(60 * time.Second):
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("the run never reached %s:\n%s", tt.step, out.String())
			}
			time.Sleep(100 * time.Millisecond) // inside the step, its calls in flight
			took, code := signalAndWait(t, cmd, tt.sig)
			w.setHook(nil)
			t.Logf("%v %v after the step began: exit %d in %v; its output:\n%s", tt.sig, 100*time.Millisecond, code, took, out.String())
			if code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			if took > 2*time.Second {
				t.Errorf("the run took %v to stop, want at most 2s", took)
			}
			// Nothing after the signal looks like a finished run: no step "done", no plain
			// "Summary:", no "nothing to do".
			s := out.String()
			last := "flickrsync: interrupted"
			if tt.sig == syscall.SIGTERM {
				last = "flickrsync: terminated"
			}
			_, after, acknowledged := strings.Cut(s, "flickrsync: stopping (press Ctrl-C again to quit at once)")
			if !acknowledged || !strings.Contains(after, last) || strings.Contains(after, ", done in") ||
				strings.Contains(s, "Summary:\n") || strings.Contains(s, "nothing to do") {
				t.Errorf("output does not say the run was interrupted, or looks like a finished run:\n%s", s)
			}
			w.waitIdle(t)
			w.srv.SetFaults(emulator.FaultConfig{})
			w.mustRun("sync2", "--noprompt")
			w.verify(t, verifyOpts{twoWay: true})
		})
	}
}

// TestSecondSignalQuitsAtOnce: a run stuck where cancellation cannot reach (here opening a
// config file that is a named pipe nobody writes) ignores nothing: the first signal asks
// it to stop, the second ends the process at once with the signal's status.
func TestSecondSignalQuitsAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and signals it")
	}
	bin := buildCLI(t)
	for _, tt := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(tt.sig.String(), func(t *testing.T) {
			fifo := filepath.Join(t.TempDir(), "config.ini")
			if err := mkfifo(fifo); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(bin, "-c", fifo, "status")
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(300 * time.Millisecond) // blocked opening the pipe
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			if err := cmd.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-exited:
				t.Fatalf("the run could stop after the first signal (%v); this test needs one that cannot:\n%s", err, out.String())
			case <-time.After(500 * time.Millisecond):
			}
			start := time.Now()
			if err := cmd.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			var err error
			select {
			case err = <-exited:
			case <-time.After(5 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("a second %v did not end the process:\n%s", tt.sig, out.String())
			}
			code := exitCode(err)
			t.Logf("second %v: exit %d in %v; output:\n%s", tt.sig, code, time.Since(start), out.String())
			if code != tt.code || time.Since(start) > time.Second {
				t.Errorf("exit %d after %v, want %d at once", code, time.Since(start), tt.code)
			}
			if !strings.Contains(out.String(), "press Ctrl-C again to quit at once") {
				t.Errorf("the first signal was not acknowledged:\n%s", out.String())
			}
		})
	}
}

// signalAndWait sends sig and waits (at most 30 s) for the process to end.
func signalAndWait(t *testing.T, cmd *exec.Cmd, sig syscall.Signal) (time.Duration, int) {
	t.Helper()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	start := time.Now()
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		return time.Since(start), exitCode(err)
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-exited
		t.Fatalf("still running 30 s after %v", sig)
	}
	return 0, -1
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}
