package cli

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/syncer"
	"github.com/flickrsync/flickrsync/internal/ui"
)

// TestReporterShowsTransfers: on a terminal, a transfer step's line shows the step's
// throughput and each transfer in flight with its bytes; names cannot drive the
// terminal; an ended transfer leaves the line; elsewhere nothing is followed.
func TestReporterShowsTransfers(t *testing.T) {
	var errw bytes.Buffer
	inv := &Invocation{Env: Env{Stderr: &errw, Stdout: &errw, IsTerminal: func() bool { return true }}, Global: &GlobalOptions{},
		Out: ui.NewConsole(&errw, ui.LevelInfo)}
	r := newReporter(inv)
	r.StepStart(syncer.StepUpload, 2)
	r.Transfer(syncer.StepUpload, "2019/Rome/colosseum.jpg", 1_200_000, 3_400_000)
	r.Transfer(syncer.StepUpload, "x/evil\x1b[2J.jpg", 0, 500)
	line := r.transferLine(syncer.StepUpload)
	for _, want := range []string{"B/s", "colosseum.jpg 1.2 MB/3.4 MB", "evil?[2J.jpg 0 B/500 B"} {
		if !strings.Contains(line, want) {
			t.Errorf("line %q lacks %q", line, want)
		}
	}
	if strings.Contains(line, "Rome/") || strings.Contains(line, "\x1b") {
		t.Errorf("line %q shows folders or a control character", line)
	}
	// A retry starts again from 0: the throughput counts the bytes sent twice.
	r.Transfer(syncer.StepUpload, "2019/Rome/colosseum.jpg", 100, 3_400_000)
	if moved := r.xfers[syncer.StepUpload].moved; moved != 1_200_100 {
		t.Errorf("bytes moved %d, want 1200100", moved)
	}
	// Every byte sent, the upload waits for Flickr's answer: it says so.
	r.Transfer(syncer.StepUpload, "2019/Rome/colosseum.jpg", 3_400_000, 3_400_000)
	if line := r.transferLine(syncer.StepUpload); !strings.Contains(line, "colosseum.jpg waiting for Flickr") {
		t.Errorf("line %q does not say the upload waits for Flickr", line)
	}
	r.TransferEnd(syncer.StepUpload, "2019/Rome/colosseum.jpg")
	if line := r.transferLine(syncer.StepUpload); strings.Contains(line, "colosseum") || !strings.Contains(line, "evil") {
		t.Errorf("after one ended: %q", line)
	}
	r.StepEnd(syncer.StepUpload)

	plain := newReporter(&Invocation{Env: Env{Stderr: &errw, Stdout: &errw, IsTerminal: func() bool { return false }}, Global: &GlobalOptions{},
		Out: ui.NewConsole(&errw, ui.LevelInfo)})
	plain.StepStart(syncer.StepUpload, 1)
	plain.Transfer(syncer.StepUpload, "a.jpg", 10, 20)
	if line := plain.transferLine(syncer.StepUpload); line != "" {
		t.Errorf("off a terminal the line got %q", line)
	}
}

// TestFailureSaysItsStepOnce: "upload failed: a.jpg: upload: flickr error 5" repeated the step.
func TestFailureSaysItsStepOnce(t *testing.T) {
	var errw bytes.Buffer
	inv := &Invocation{Env: Env{Stderr: &errw, Stdout: &errw, IsTerminal: func() bool { return false }}, Global: &GlobalOptions{},
		Out: ui.NewConsole(&errw, ui.LevelInfo)}
	newReporter(inv).Event(syncer.Event{Step: syncer.StepUpload, Subject: "a.jpg", Outcome: syncer.Failed,
		Detail: "upload: flickr error 5: Filetype was not recognised"})
	if got, want := errw.String(), "upload failed: a.jpg: flickr error 5: Filetype was not recognised\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestSummaryNamesEveryAlbumDeleted: the summary names every photoset deleted however
// many (the one change a run cannot undo), lists the first names of longer lists and
// counts the rest, and escapes them all.
func TestSummaryNamesEveryAlbumDeleted(t *testing.T) {
	var errw bytes.Buffer
	rep := syncer.NewReport()
	var sets, restored []string
	for i := range 12 {
		sets = append(sets, fmt.Sprintf("album %02d", i))
		restored = append(restored, fmt.Sprintf("trip/IMG_%02d.jpg", i))
	}
	sets[11] = "evil\x1b[2J"
	rep.SetFigures(func(f *syncer.Figures) { f.SetsDeleted, f.Restored = sets, restored })
	writeSummary(ui.NewConsole(&errw, ui.LevelInfo), rep, nil, false, "library")
	out := errw.String()
	for _, want := range []string{`photosets deleted: "album 00", "album 01", "album 02", "album 03", "album 04", "album 05", "album 06", "album 07", "album 08", "album 09", "album 10", "evil\x1b[2J" (`,
		"restored 12 pictures deleted on Flickr: trip/IMG_00.jpg, ", "trip/IMG_09.jpg and 2 more"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("a control character reached the summary: %q", out)
	}
}
