package cli

// End-to-end tests of the sync commands under faults: lost answers, server errors, a
// killed or interrupted run, broken files, photos deleted on Flickr.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
	"github.com/flickrsync/flickrsync/internal/syncer/sample"
)

func TestAmbiguousUploadIsNotDuplicated(t *testing.T) {
	e := newE2E(t)
	e.pic("a.jpg", sample.Picture{Seed: 40})
	e.pic("b.jpg", sample.Picture{Seed: 41})
	e.srv.SetFaults(emulator.FaultConfig{LostUploadRate: 1, Only: []string{"upload"}})
	_, _, errs := e.run("sync", "--noprompt", "--nophotosets", "--debug")
	if !strings.Contains(errs, "answer was lost") {
		t.Errorf("the lost answers were not noticed")
	}
	e.srv.SetFaults(emulator.FaultConfig{})
	e.mustRun("sync", "--noprompt")
	e.mustRun("sync", "--noprompt")
	if n := len(e.srv.Photos()); n != 2 {
		t.Errorf("%d photos, want 2", n)
	}
	e.unique()
}

func TestFailedFileExitsOne(t *testing.T) {
	e := newE2E(t)
	e.pic("good.jpg", sample.Picture{Seed: 70})
	if err := os.WriteFile(filepath.Join(e.lib, "broken.jpg"), []byte("not a jpeg at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := e.run("sync", "--noprompt")
	if code != ExitFailed {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(errs, "broken.jpg") || !strings.Contains(errs, "Failures:") {
		t.Errorf("the failure is not in the summary: %s", errs)
	}
	if n := len(e.srv.Photos()); n != 1 {
		t.Errorf("%d photos, want 1 (good.jpg)", n)
	}
}

// TestKilledSyncUploadsOnce kills (SIGKILL) a sync at several points of its uploads, then
// syncs again: every picture ends on Flickr exactly once.
func TestKilledSyncUploadsOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process")
	}
	for _, after := range []int{1, 3, 6} {
		t.Run(fmt.Sprintf("after %d upload calls", after), func(t *testing.T) { killedSync(t, after) })
	}
}

func killedSync(t *testing.T, after int) {
	e := newE2E(t)
	const n = 8
	for i := 0; i < n; i++ {
		e.pic(fmt.Sprintf("p%d.jpg", i), sample.Picture{Seed: int64(100 + i)})
	}
	e.srv.SetFaults(emulator.FaultConfig{Latency: 150 * time.Millisecond})
	events := filepath.Join(e.work, "events.jsonl")
	cmd := exec.Command(os.Args[0], "-c", e.cfg, "sync", "--noprompt", "--nophotosets", "--transfers", "2", "--events", events)
	cmd.Env = append(os.Environ(), "FLICKRSYNC_TEST_MAIN=1", "FLICKRSYNC_FLICKR_URL="+e.base, "FLICKRSYNC_PACING=off", "HOME="+e.work)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for e.srv.Calls()["upload"] < after && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	t.Logf("killed after %d upload calls, %d photos on Flickr; its output:\n%s", e.srv.Calls()["upload"], len(e.srv.Photos()), out.String())
	e.srv.SetFaults(emulator.FaultConfig{})
	// Right away, the uploads the killed run had in flight are held back (they may still
	// land); later, those that did not land are sent.
	e.run("sync", "--noprompt", "--debug", "--events", events)
	e.unique()
	time.Sleep(400 * time.Millisecond) // the killed run's requests are served by now
	e.env = map[string]string{"FLICKRSYNC_UPLOAD_GRACE": "1ms"}
	e.mustRun("sync", "--noprompt", "--debug", "--events", events)
	if got := len(e.srv.Photos()); got != n {
		t.Errorf("%d photos on Flickr, want %d", got, n)
	}
	e.unique()
	// The events of both runs: every picture uploaded ("done") exactly once.
	b, err := os.ReadFile(events)
	if err != nil {
		t.Fatal(err)
	}
	done := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var ev eventLine
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("events line %q: %v", line, err)
		}
		if ev.Step == "upload" && ev.Outcome == "done" {
			done[ev.Subject]++
		}
	}
	if len(done) != n {
		t.Errorf("%d pictures with an upload done event, want %d: %v", len(done), n, done)
	}
	for f, c := range done {
		if c != 1 {
			t.Errorf("%s uploaded %d times according to the events", f, c)
		}
	}
}

func TestSync2PhotoDeletedOnFlickr(t *testing.T) {
	e := newE2E(t)
	e.pic("a.jpg", sample.Picture{Seed: 90})
	id := e.seed("soon gone", sample.Picture{Seed: 91}, true)
	e.mustRun("sync", "--noprompt")
	if !e.srv.DeletePhoto(id) {
		t.Fatal("delete failed")
	}
	e.mustRun("sync2", "--noprompt")
	e.srv.ResetCalls()
	e.mustRun("sync2", "--noprompt")
	if c := e.srv.Calls()["download"]; c != 0 {
		t.Errorf("the gone photo was tried again: %d downloads", c)
	}
}

// TestSyncUnderFaults syncs through server errors, Flickr errors, lost upload answers and
// lost write answers until a run ends clean: every picture is on Flickr once, the
// Flickr-only ones are home once, and each folder has one set.
func TestSyncUnderFaults(t *testing.T) {
	e := newE2E(t)
	e.library()
	e.seed("untagged scan", sample.Picture{Seed: 200, DateTaken: "1990:01:01 00:00:00"}, false)
	e.seed("phone", sample.Picture{Seed: 201}, true)
	e.srv.SetFaults(emulator.FaultConfig{HTTPErrorRate: 0.1, FlickrErrorRate: 0.05, LostUploadRate: 0.3, LostWriteRate: 0.2})
	// An upload answered 504 by a gateway may have landed or not: its picture is held
	// back for the grace period. The emulator has no request in flight once a run ended,
	// so the next run need not wait.
	e.env = map[string]string{"FLICKRSYNC_UPLOAD_GRACE": "1ns"}
	clean := false
	for i := 0; i < 12 && !clean; i++ {
		code, _, _ := e.run("sync2", "--noprompt", "--debug")
		clean = code == 0
	}
	n, calls := e.calls()
	t.Logf("under faults: %d calls: %s", n, calls)
	e.srv.SetFaults(emulator.FaultConfig{})
	if !clean {
		e.mustRun("sync2", "--noprompt")
	}
	e.mustRun("sync2", "--noprompt")
	e.unique()
	if n := len(e.srv.Photos()); n != 7 {
		t.Errorf("%d photos, want 7", n)
	}
	titles := map[string]int{}
	for _, s := range e.srv.Photosets() {
		titles[s.Title]++
	}
	for _, want := range []string{"2019, Rome", "2019, Paris", "family", "flickrsync"} {
		if titles[want] != 1 {
			t.Errorf("%d sets %q: %v", titles[want], want, titles)
		}
	}
	downloads := 0
	for _, f := range e.tree() {
		if strings.Contains(f, "flickrsync_") {
			downloads++
		}
	}
	if downloads != 2 {
		t.Errorf("%d downloaded files, want 2: %v", downloads, e.tree())
	}
}

// TestInterruptedSync sends SIGINT to a sync in the middle of its uploads: it stops with
// status 130 after printing its summary, and the next sync completes without duplicates.
func TestInterruptedSync(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process")
	}
	e := newE2E(t)
	const n = 8
	for i := 0; i < n; i++ {
		e.pic(fmt.Sprintf("p%d.jpg", i), sample.Picture{Seed: int64(300 + i)})
	}
	e.srv.SetFaults(emulator.FaultConfig{Latency: 100 * time.Millisecond})
	cmd := exec.Command(os.Args[0], "-c", e.cfg, "sync", "--noprompt", "--transfers", "1")
	cmd.Env = append(os.Environ(), "FLICKRSYNC_TEST_MAIN=1", "FLICKRSYNC_FLICKR_URL="+e.base, "FLICKRSYNC_PACING=off", "HOME="+e.work)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for e.srv.Calls()["upload"] < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	code := cmd.ProcessState.ExitCode()
	t.Logf("interrupted: %v, exit %d:\n%s", err, code, out.String())
	if code != ExitInterrupted {
		t.Errorf("exit %d, want %d", code, ExitInterrupted)
	}
	if !strings.Contains(out.String(), "Summary (the run stopped before its end):") || !strings.Contains(out.String(), "flickrsync: interrupted") {
		t.Errorf("no summary or no interruption message")
	}
	e.srv.SetFaults(emulator.FaultConfig{})
	time.Sleep(300 * time.Millisecond) // the cancelled request is served (or not) by now
	e.env = map[string]string{"FLICKRSYNC_UPLOAD_GRACE": "1ms"}
	e.mustRun("sync", "--noprompt")
	if got := len(e.srv.Photos()); got != n {
		t.Errorf("%d photos, want %d", got, n)
	}
	e.unique()
}
