package syncer

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

// Step names one stage of a run, in the order a sync runs them.
type Step string

const (
	StepIndexLocal  Step = "index local"
	StepIndexFlickr Step = "index flickr"
	StepIdentify    Step = "download to identify"
	StepTag         Step = "tag"
	StepUpload      Step = "upload"
	StepDownload    Step = "download"
	StepMissingSet  Step = "missing set"
	StepPhotosets   Step = "photosets"
	StepDeleteTags  Step = "delete tags"
)

var stepOrder = []Step{StepIndexLocal, StepIndexFlickr, StepIdentify, StepTag, StepUpload,
	StepDownload, StepMissingSet, StepPhotosets, StepDeleteTags}

// Outcome is the final state of one subject (a file, a photo, a set) in one step.
type Outcome int

const (
	Done    Outcome = iota + 1 // the change was made
	Skipped                    // nothing to do, declined, or a dry run (Detail says which)
	Failed                     // the change failed; Detail is the reason
)

func (o Outcome) String() string {
	switch o {
	case Done:
		return "done"
	case Skipped:
		return "skipped"
	case Failed:
		return "failed"
	}
	return "?"
}

// Event is the final state of one subject in one step. Every subject a step handles ends
// in exactly one event.
type Event struct {
	Step    Step
	Subject string // a picture's path relative to the root, a photo id, a set title
	Outcome Outcome
	Detail  string // what was done ("uploaded as 123"), or the reason for a skip or failure
}

func (e Event) String() string {
	if e.Detail == "" {
		return fmt.Sprintf("%s %s: %s", e.Step, e.Outcome, e.Subject)
	}
	return fmt.Sprintf("%s %s: %s: %s", e.Step, e.Outcome, e.Subject, e.Detail)
}

// Report is the journal of a run's events; safe for concurrent use.
type Report struct {
	mu     sync.Mutex
	events []Event
	final  map[string]int // step+subject -> index of its event
	notes  []string
	// DryRun is set when the run changed nothing.
	DryRun bool
}

// NewReport starts an empty report.
func NewReport() *Report { return &Report{final: map[string]int{}} }

// Record adds a subject's final event. Recording a subject twice in one step is a bug of
// the engine: it returns an error (and the first event stays).
func (r *Report) Record(e Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := string(e.Step) + "\x00" + e.Subject
	if i, dup := r.final[key]; dup {
		return fmt.Errorf("%s %s: already ended as %s", e.Step, e.Subject, r.events[i].Outcome)
	}
	r.final[key] = len(r.events)
	r.events = append(r.events, e)
	return nil
}

// Note adds a line to the summary that is no file's event (counts of a step, a warning).
func (r *Report) Note(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.notes = append(r.notes, fmt.Sprintf(format, args...))
}

// Events returns a copy of the events in the order they were recorded.
func (r *Report) Events() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

// Count is how many subjects of a step ended with an outcome.
func (r *Report) Count(step Step, o Outcome) int {
	n := 0
	for _, e := range r.Events() {
		if e.Step == step && e.Outcome == o {
			n++
		}
	}
	return n
}

// Failures lists the failed events, by step then subject.
func (r *Report) Failures() []Event {
	var out []Event
	for _, e := range r.Events() {
		if e.Outcome == Failed {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Step != out[j].Step {
			return stepRank(out[i].Step) < stepRank(out[j].Step)
		}
		return out[i].Subject < out[j].Subject
	})
	return out
}

func stepRank(s Step) int {
	for i, x := range stepOrder {
		if x == s {
			return i
		}
	}
	return len(stepOrder)
}

// WriteSummary writes one line per step that had events (done, skipped, failed), then
// each failure with its reason, then the notes.
func (r *Report) WriteSummary(w io.Writer) {
	events := r.Events()
	type counts struct{ done, planned, skipped, failed int }
	per := map[Step]*counts{}
	for _, e := range events {
		c := per[e.Step]
		if c == nil {
			c = &counts{}
			per[e.Step] = c
		}
		switch e.Outcome {
		case Done:
			c.done++
		case Skipped:
			if strings.HasPrefix(e.Detail, "dry run:") {
				c.planned++
			} else {
				c.skipped++
			}
		case Failed:
			c.failed++
		}
	}
	title := "Summary"
	if r.DryRun {
		title = "Summary (dry run: nothing was changed)"
	}
	fmt.Fprintf(w, "%s:\n", title)
	if len(per) == 0 {
		fmt.Fprintln(w, "  nothing to do")
	}
	for _, s := range stepOrder {
		c := per[s]
		switch {
		case c == nil:
		case r.DryRun:
			fmt.Fprintf(w, "  %-21s %d planned, %d skipped, %d failed\n", string(s)+":", c.planned, c.skipped, c.failed)
		default:
			fmt.Fprintf(w, "  %-21s %d done, %d skipped, %d failed\n", string(s)+":", c.done, c.skipped, c.failed)
		}
	}
	if f := r.Failures(); len(f) > 0 {
		fmt.Fprintln(w, "Failures:")
		for _, e := range f {
			fmt.Fprintf(w, "  %s: %s: %s\n", e.Step, e.Subject, e.Detail)
		}
	}
	r.mu.Lock()
	notes := append([]string(nil), r.notes...)
	r.mu.Unlock()
	for _, n := range notes {
		fmt.Fprintf(w, "  %s\n", n)
	}
}
