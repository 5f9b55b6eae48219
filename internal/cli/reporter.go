package cli

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/flickrsync/flickrsync/internal/syncer"
	"github.com/flickrsync/flickrsync/internal/ui"
)

// reporter renders the engine's progress through the invocation's console: a bar (or
// plain lines) per step, each failure as it happens, each photoset created, changed or
// deleted, a line per file with -v, and in a dry run each planned change on standard
// output. On a terminal, the bars of the transfer steps also show the bytes of each
// transfer in flight and the step's throughput. A step's last line waits until the run
// goes on, so that a step a failing run ends on says "stopped", not "done" (end).
type reporter struct {
	out    *ui.Console
	stderr io.Writer // where the bars draw
	plan   io.Writer // where a dry run's planned changes go: standard output, or standard error when it carries --events
	dryRun bool
	tty    bool
	mu     sync.Mutex
	bars   map[syncer.Step]*ui.Progress
	ended  []*ui.Progress                 // steps ended, their last line not drawn yet
	xfers  map[syncer.Step]*stepTransfers // on a terminal only
	events *eventWriter                   // --events, nil when not asked
	// stopping reports whether the run is being stopped (interrupted): a step that ends
	// then ended because of it, and its last line says "stopped". nil: never.
	stopping func() bool
	// nameSkipped shows each upload skipped (on Flickr already, a duplicate) without -v:
	// the upload command's files were named one by one.
	nameSkipped bool
	// progress is the level at which the steps' progress shows (LevelInfo; sync
	// --watch's runs off a terminal: LevelVerbose).
	progress ui.Level
}

var _ syncer.TransferReporter = (*reporter)(nil)

// stepTransfers follows a step's transfers for its line on a terminal.
type stepTransfers struct {
	start  time.Time
	moved  int64       // bytes the step's transfers moved so far (retries included)
	active []*transfer // in flight, in the order they started
}

type transfer struct {
	subject     string
	done, total int64
}

func newReporter(inv *Invocation) *reporter {
	return &reporter{out: inv.Out, stderr: inv.Stderr, plan: inv.Stdout, dryRun: inv.Global.DryRun, tty: inv.IsTerminal(), progress: ui.LevelInfo,
		bars: map[syncer.Step]*ui.Progress{}, xfers: map[syncer.Step]*stepTransfers{}}
}

// stepUnit is what a step counts, in the singular.
func stepUnit(s syncer.Step) string {
	switch s {
	case syncer.StepIndexLocal:
		return "file"
	case syncer.StepIndexFlickr, syncer.StepIdentify, syncer.StepDownload, syncer.StepTag, syncer.StepDeleteTags:
		return "photo"
	case syncer.StepPhotosets:
		return "set"
	}
	return "picture"
}

// settle draws the last line of the steps that ended: the run went on, so they are done,
// unless the run is being stopped. The caller holds r.mu.
func (r *reporter) settle() {
	stopped := r.stopping != nil && r.stopping()
	for _, p := range r.ended {
		if stopped {
			p.Stop()
		} else {
			p.Finish()
		}
	}
	r.ended = nil
}

// end draws the last line of the steps still waiting for it, done when the run
// succeeded, stopped when it failed.
func (r *reporter) end(runErr error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range r.ended {
		if runErr != nil {
			p.Stop()
		} else {
			p.Finish()
		}
	}
	r.ended = nil
}

func (r *reporter) StepStart(s syncer.Step, total int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.settle()
	if !r.out.Shows(r.progress) {
		return // -q: no progress
	}
	p := ui.NewProgressOn(r.out.Screen, r.stderr, r.tty, string(s), stepUnit(s))
	if total > 0 {
		p.SetTotal(int64(total))
	}
	if r.tty && (s == syncer.StepUpload || s == syncer.StepDownload || s == syncer.StepIdentify) {
		r.xfers[s] = &stepTransfers{start: time.Now()}
		p.SetDetail(func() string { return r.transferLine(s) })
	}
	r.bars[s] = p
}

func (r *reporter) StepAdd(s syncer.Step, n int) {
	r.mu.Lock()
	r.settle()
	p := r.bars[s]
	r.mu.Unlock()
	if p != nil {
		p.Add(int64(n))
	}
}

func (r *reporter) StepEnd(s syncer.Step) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.settle()
	if p := r.bars[s]; p != nil {
		r.ended = append(r.ended, p)
	}
	delete(r.bars, s)
	delete(r.xfers, s)
}

func (r *reporter) Transfer(s syncer.Step, subject string, done, total int64) {
	r.mu.Lock()
	st := r.xfers[s]
	if st == nil {
		r.mu.Unlock()
		return
	}
	var t *transfer
	for _, x := range st.active {
		if x.subject == subject {
			t = x
			break
		}
	}
	if t == nil {
		t = &transfer{subject: subject}
		st.active = append(st.active, t)
	}
	if done >= t.done {
		st.moved += done - t.done
	} else {
		st.moved += done // a new attempt
	}
	t.done, t.total = done, total
	p := r.bars[s]
	r.mu.Unlock()
	if p != nil {
		p.Add(0) // redraws when due
	}
}

func (r *reporter) TransferEnd(s syncer.Step, subject string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if st := r.xfers[s]; st != nil {
		for i, x := range st.active {
			if x.subject == subject {
				st.active = append(st.active[:i], st.active[i+1:]...)
				break
			}
		}
	}
}

// transferLine is the throughput of step s and the bytes of each transfer in flight:
// "9.8 MB/s · IMG_0042.jpg 1.2 MB/3.4 MB · IMG_0043.jpg waiting for Flickr". An upload
// whose bytes are all sent waits for Flickr's answer, which can take as long as the
// sending did: it says so rather than look stuck at 100%.
func (r *reporter) transferLine(s syncer.Step) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.xfers[s]
	if st == nil || st.moved == 0 {
		return ""
	}
	var b strings.Builder
	if secs := time.Since(st.start).Seconds(); secs > 0 {
		fmt.Fprintf(&b, "%s/s", ui.Bytes(int64(float64(st.moved)/secs)))
	}
	for _, t := range st.active {
		name := ui.Printable(path.Base(t.subject))
		switch {
		case s == syncer.StepUpload && t.total > 0 && t.done >= t.total:
			fmt.Fprintf(&b, " · %s waiting for Flickr", name)
		case t.total > 0:
			fmt.Fprintf(&b, " · %s %s/%s", name, ui.Bytes(t.done), ui.Bytes(t.total))
		default:
			fmt.Fprintf(&b, " · %s %s", name, ui.Bytes(t.done))
		}
	}
	return b.String()
}

func (r *reporter) Event(e syncer.Event) {
	r.mu.Lock()
	r.settle()
	r.mu.Unlock()
	r.events.write(e, r.dryRun)
	switch {
	case e.Outcome == syncer.Planned:
		ui.Fprintf(r.plan, "%s: %s: %s\n", string(e.Step), e.Subject, e.Detail)
	case e.Outcome == syncer.Failed:
		r.out.Errorf("%s failed: %s: %s", string(e.Step), e.Subject, cause(e))
	case e.Outcome == syncer.Done && (e.Step == syncer.StepPhotosets || e.Step == syncer.StepMissingSet):
		// Albums are few and visible to the user's contacts: each change is named.
		r.out.Infof("photoset %q: %s", e.Subject, e.Detail)
	case e.Outcome == syncer.Done && e.Step == syncer.StepSupersede:
		// A photo sync2 will not bring back: each is named, once.
		r.out.Infof("edited: %s: %s", e.Subject, e.Detail)
	case e.Outcome == syncer.Skipped && e.Step == syncer.StepUpload && r.nameSkipped:
		r.out.Infof("not sent: %s", eventText(e))
	case e.Outcome == syncer.Done && e.Step == syncer.StepReplace:
		// A photo whose pixels change for everyone who sees it.
		r.out.Infof("replaced: %s: %s", e.Subject, e.Detail)
	default:
		r.out.Verbosef("%s %s: %s", string(e.Step), e.Outcome.String(), eventText(e))
	}
}

// cause is a failure's reason without the step's name when the reason starts with it
// again ("upload failed: a.jpg: upload: flickr error 5" says "upload" once).
func cause(e syncer.Event) string {
	return strings.TrimPrefix(e.Detail, string(e.Step)+": ")
}

func eventText(e syncer.Event) string {
	if e.Detail == "" {
		return e.Subject
	}
	return e.Subject + ": " + e.Detail
}

// eventWriter writes --events: one JSON line per event, unbuffered as it happens, so that
// a killed run leaves its events. Its first write error is kept for the run's result.
type eventWriter struct {
	mu   sync.Mutex
	name string
	w    io.Writer
	err  error
}

// eventLine is one line of the --events file. Subject holds the name as text (invalid
// UTF-8 replaced, as JSON must); when the name is not valid UTF-8, subject_bytes holds its
// exact bytes (base64), so that a script can find the file.
type eventLine struct {
	Time         string `json:"time"`
	Step         string `json:"step"`
	Subject      string `json:"subject"`
	SubjectBytes string `json:"subject_bytes,omitempty"`
	Outcome      string `json:"outcome"`
	Detail       string `json:"detail,omitempty"`
	DryRun       bool   `json:"dry_run,omitempty"`
}

func (ew *eventWriter) write(e syncer.Event, dryRun bool) {
	if ew == nil {
		return
	}
	line := eventLine{Time: time.Now().UTC().Format(time.RFC3339Nano), Step: string(e.Step),
		Subject: e.Subject, Outcome: e.Outcome.String(), Detail: e.Detail, DryRun: dryRun}
	if !utf8.ValidString(e.Subject) {
		line.SubjectBytes = base64.StdEncoding.EncodeToString([]byte(e.Subject))
	}
	b, err := json.Marshal(line)
	ew.mu.Lock()
	defer ew.mu.Unlock()
	if ew.err != nil {
		return
	}
	if err == nil {
		_, err = ew.w.Write(append(b, '\n'))
	}
	if err != nil {
		ew.err = fmt.Errorf("--events %s: %w", ew.name, err)
	}
}

// failed is the first write error, nil when every event was written.
func (ew *eventWriter) failed() error {
	if ew == nil {
		return nil
	}
	ew.mu.Lock()
	defer ew.mu.Unlock()
	return ew.err
}
