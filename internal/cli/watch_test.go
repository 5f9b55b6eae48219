package cli

import (
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/config"
	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
	"github.com/flickrsync/flickrsync/internal/syncer/sample"
)

// lockedBuffer is an output written by a running command and read by the test.
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

// within polls cond until it holds, failing after 20 seconds.
func within(t *testing.T, what string, cond func() bool, log func() string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s after 20 s:\n%s", what, log())
		}
	}
}

// watching is a running flickrsync sync --watch of the test's profile.
type watching struct {
	t    *testing.T
	errw *lockedBuffer
	done chan int
	stop context.CancelCauseFunc
}

// startWatch runs flickrsync -c CONFIG args... in the background against the Flickr at url.
func (e *e2e) startWatch(url string, args ...string) *watching {
	ctx, stop := context.WithCancelCause(context.Background())
	w := &watching{t: e.t, errw: &lockedBuffer{}, done: make(chan int, 1), stop: stop}
	e.t.Cleanup(func() { stop(nil) })
	env := Env{Stdin: strings.NewReader(""), Stdout: &lockedBuffer{}, Stderr: w.errw, IsTerminal: func() bool { return false },
		Getenv: func(k string) string {
			switch k {
			case "FLICKRSYNC_FLICKR_URL":
				return url
			case "FLICKRSYNC_PACING":
				return "off"
			}
			return ""
		}}
	go func() { w.done <- Main(ctx, append([]string{"-c", e.cfg}, args...), env) }()
	return w
}

// alive fails the test when the watch has ended.
func (w *watching) alive(when string) {
	w.t.Helper()
	select {
	case code := <-w.done:
		w.t.Fatalf("the watch ended with status %d %s:\n%s", code, when, w.errw.String())
	default:
	}
}

// signal stops the watch as sig does, and checks its exit status.
func (w *watching) signal(sig syscall.Signal, want int) {
	w.t.Helper()
	w.stop(&signalError{sig})
	select {
	case code := <-w.done:
		if code != want {
			w.t.Errorf("exit status %d after %v, want %d", code, sig, want)
		}
	case <-time.After(10 * time.Second):
		w.t.Fatalf("the watch did not stop on %v:\n%s", sig, w.errw.String())
	}
}

// TestWatch: sync --watch keeps syncing at its interval, leaves a file modified too
// recently for a later run, lives through Flickr failing (each failed run a log line,
// the next tried later), and stops on SIGTERM with status 143.
func TestWatch(t *testing.T) {
	e := newE2E(t)
	setMtime := func(rel string, at time.Time) {
		t.Helper()
		if err := os.Chtimes(filepath.Join(e.lib, rel), at, at); err != nil {
			t.Fatal(err)
		}
	}
	e.pic("settled.jpg", sample.Picture{Seed: 1})
	setMtime("settled.jpg", time.Now().Add(-2*time.Minute))
	e.pic("copying.jpg", sample.Picture{Seed: 2}) // modified "now": left for later

	w := e.startWatch(e.base, "sync2", "--watch=100ms")
	errw := w.errw
	within(t, "summary of the first run", func() bool {
		return strings.Contains(errw.String(), "1 file modified too recently, left for a later run")
	}, errw.String)
	if ps := e.srv.Photos(); len(ps) != 1 || ps[0].Title != "settled" {
		t.Errorf("uploaded %v first, want settled alone (copying.jpg is too recent)", ps)
	}

	// Flickr fails: the watch logs each failed run and carries on.
	e.srv.SetFaults(emulator.FaultConfig{HTTPErrorRate: 1})
	within(t, "failed runs", func() bool { return strings.Count(errw.String(), "exit status 3: Flickr could not be reached") >= 2 }, errw.String)
	w.alive("while Flickr failed")
	e.srv.SetFaults(emulator.FaultConfig{})
	setMtime("copying.jpg", time.Now().Add(-2*time.Minute))
	within(t, "upload of the file once settled", func() bool { return len(e.srv.Photos()) == 2 }, errw.String)

	w.signal(syscall.SIGTERM, ExitTerminated)
	if strings.Contains(errw.String(), "Summary:\n  nothing to do") {
		t.Errorf("idle runs print summaries:\n%s", errw.String())
	}
	e.unique()
	t.Logf("the watch said:\n%s", errw.String())
}

// cutProxy forwards loopback TCP connections to target until cut: then it closes every
// connection it accepts at once, as a network that is down does (the client sees its
// connection reset, not an answer).
type cutProxy struct {
	ln  net.Listener
	cut atomic.Bool
}

func newCutProxy(t *testing.T, target string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if p.cut.Load() {
				c.Close()
				continue
			}
			go func() {
				defer c.Close()
				u, err := net.Dial("tcp", target)
				if err != nil {
					return
				}
				defer u.Close()
				go func() { io.Copy(u, c); u.Close() }()
				io.Copy(c, u)
			}()
		}
	}()
	return p
}

// TestWatchSurvivesFlickrUnreachable: the network to Flickr gone (every connection
// reset), then the token revoked on Flickr in a later run: each failed run is a log line
// with its exit status (3, then 2), the watch never ends, and once Flickr is back and the
// profile authorised again, the picture added meanwhile goes up.
func TestWatchSurvivesFlickrUnreachable(t *testing.T) {
	e := newE2E(t)
	proxy := newCutProxy(t, strings.TrimPrefix(e.base, "http://"))
	old := time.Now().Add(-time.Hour)
	e.pic("a.jpg", sample.Picture{Seed: 1})
	os.Chtimes(filepath.Join(e.lib, "a.jpg"), old, old)

	w := e.startWatch("http://"+proxy.ln.Addr().String(), "-v", "sync", "--watch=50ms")
	errw := w.errw
	within(t, "the first upload", func() bool { return len(e.srv.Photos()) == 1 }, errw.String)

	// The network is down: runs fail with exit status 3, again and again.
	proxy.cut.Store(true)
	within(t, "runs failing while Flickr is unreachable", func() bool {
		return strings.Count(errw.String(), "exit status 3: Flickr could not be reached") >= 2
	}, errw.String)
	w.alive("while Flickr was unreachable")
	if !strings.Contains(errw.String(), "(failure 2 in a row)") {
		t.Errorf("the failures in a row are not counted:\n%s", errw.String())
	}

	// Back, but the token was revoked meanwhile: a usage error after the first run is a
	// failed run like the others.
	s, err := config.Load(config.Options{ConfigPath: e.cfg, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	e.srv.RevokeToken(e.token)
	proxy.cut.Store(false)
	within(t, "a run refused for the revoked token", func() bool {
		return strings.Contains(errw.String(), "exit status 2: ")
	}, errw.String)
	w.alive("once the token was revoked")

	// Authorised again, and a new picture: the watch carries on with it.
	tok, sec := e.srv.IssueToken("write")
	if err := config.SaveToken(s.TokenPath(), &config.Token{Token: tok, Secret: sec, UserNSID: "12345678@N00", Username: "tester", Perms: "write"}); err != nil {
		t.Fatal(err)
	}
	e.pic("b.jpg", sample.Picture{Seed: 2})
	os.Chtimes(filepath.Join(e.lib, "b.jpg"), old, old)
	within(t, "the upload once Flickr is back", func() bool { return len(e.srv.Photos()) == 2 }, errw.String)
	w.alive("once Flickr was back")

	w.signal(syscall.SIGINT, ExitInterrupted)
	e.unique()
}

func TestWatchOptions(t *testing.T) {
	e := newE2E(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"sync", "--watch=soon"}, `invalid value "soon" for --watch: want an interval such as 5m or 1h`},
		{[]string{"sync", "--watch", "--dryrun"}, "--watch and --dryrun do not go together"},
		{[]string{"sync", "--min-age", "-1s"}, `invalid value "-1s" for --min-age`},
	} {
		code, _, errs := e.run(tt.args...)
		if code != ExitUsage || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tt.args, code, errs, tt.want)
		}
	}
	// The first run's usage error ends the watch: a setup that cannot work.
	os.RemoveAll(filepath.Join(e.work, "tokens"))
	code, _, errs := e.run("sync", "--watch=100ms")
	if code != ExitUsage || !strings.Contains(errs, "flickrsync auth") {
		t.Errorf("no token: exit %d, %q", code, errs)
	}
	for n, want := range map[int]time.Duration{1: time.Minute, 2: 2 * time.Minute, 6: 30 * time.Minute, 20: 30 * time.Minute} {
		if got := retryAfter(n, 5*time.Minute); got != want {
			t.Errorf("retryAfter(%d, 5m) = %s, want %s", n, got, want)
		}
	}
	if got := retryAfter(3, 2*time.Hour); got != 4*time.Minute {
		t.Errorf("retryAfter(3, 2h) = %s", got)
	}
	if got := retryAfter(30, 2*time.Hour); got != 2*time.Hour {
		t.Errorf("retryAfter(30, 2h) = %s", got)
	}
}
