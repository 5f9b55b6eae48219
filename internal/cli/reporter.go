package cli

import (
	"encoding/json"
	"fmt"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/flickrsync/flickrsync/internal/syncer"
	"github.com/flickrsync/flickrsync/internal/ui"
)

// reporter renders the engine's progress: a bar (or plain lines) per step on standard
// error, each failure as it happens, and in a dry run each planned change on standard
// output. On a terminal, the bars of the transfer steps also show the bytes of each
// transfer in flight and the step's throughput.
type reporter struct {
	inv    *Invocation
	tty    bool
	mu     sync.Mutex
	bars   map[syncer.Step]*ui.Progress
	xfers  map[syncer.Step]*stepTransfers // on a terminal only
	screen ui.Screen                      // the terminal line the bars share (the index and uploads run at once)
	events *json.Encoder                  // --events: one JSON line per event, nil when not asked
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

// eventLine is one line of the --events file.
type eventLine struct {
	Time    string `json:"time"`
	Step    string `json:"step"`
	Subject string `json:"subject"`
	Outcome string `json:"outcome"`
	Detail  string `json:"detail,omitempty"`
	DryRun  bool   `json:"dry_run,omitempty"`
}

func newReporter(inv *Invocation) *reporter {
	r := &reporter{inv: inv, tty: inv.IsTerminal(), bars: map[syncer.Step]*ui.Progress{}, xfers: map[syncer.Step]*stepTransfers{}}
	if r.tty && inv.TermWidth != nil {
		r.screen.Width = inv.TermWidth()
	}
	return r
}

func stepUnit(s syncer.Step) string {
	switch s {
	case syncer.StepIndexLocal:
		return "files"
	case syncer.StepIndexFlickr, syncer.StepIdentify, syncer.StepDownload, syncer.StepTag, syncer.StepDeleteTags:
		return "photos"
	case syncer.StepPhotosets:
		return "sets"
	}
	return "pictures"
}

func (r *reporter) StepStart(s syncer.Step, total int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := ui.NewProgressOn(&r.screen, r.inv.Stderr, r.tty, string(s), stepUnit(s))
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
	p := r.bars[s]
	r.mu.Unlock()
	if p != nil {
		p.Add(int64(n))
	}
}

func (r *reporter) StepEnd(s syncer.Step) {
	r.mu.Lock()
	p := r.bars[s]
	delete(r.bars, s)
	delete(r.xfers, s)
	r.mu.Unlock()
	if p != nil {
		p.Finish()
	}
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
// "9.8 MB/s · IMG_0042.jpg 1.2 MB/3.4 MB · ...".
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
		fmt.Fprintf(&b, " · %s %s", ui.Printable(path.Base(t.subject)), ui.Bytes(t.done))
		if t.total > 0 {
			fmt.Fprintf(&b, "/%s", ui.Bytes(t.total))
		}
	}
	return b.String()
}

func (r *reporter) Event(e syncer.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.events != nil {
		// Written unbuffered as it happens, so that a killed run leaves its events.
		r.events.Encode(eventLine{Time: time.Now().UTC().Format(time.RFC3339Nano), Step: string(e.Step),
			Subject: e.Subject, Outcome: e.Outcome.String(), Detail: e.Detail, DryRun: r.inv.Global.DryRun})
	}
	// Names and details may hold anything a file name or Flickr holds: no control
	// character reaches the terminal.
	subject, detail := ui.Printable(e.Subject), ui.Printable(e.Detail)
	switch {
	case r.inv.Global.DryRun && e.Outcome == syncer.Skipped:
		fmt.Fprintf(r.inv.Stdout, "%s: %s: %s\n", e.Step, subject, detail)
	case e.Outcome == syncer.Failed:
		r.screen.Println(r.inv.Stderr, fmt.Sprintf("%s failed: %s: %s", e.Step, subject, detail))
	case r.inv.Global.Debug:
		r.screen.Println(r.inv.Stderr, ui.Printable(e.String()))
	}
}
