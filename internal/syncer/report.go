package syncer

import (
	"fmt"
	"slices"
	"sort"
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
	StepReplace     Step = "replace"
	StepSupersede   Step = "supersede"
	StepDownload    Step = "download"
	StepMissingSet  Step = "missing set"
	StepPrivacy     Step = "privacy"
	StepPhotosets   Step = "photosets"
	StepDeleteTags  Step = "delete tags"
)

// Steps lists the steps in the order a sync runs them (and a summary gives them).
var Steps = []Step{StepIndexLocal, StepIndexFlickr, StepIdentify, StepTag, StepUpload,
	StepReplace, StepSupersede, StepDownload, StepMissingSet, StepPrivacy, StepPhotosets, StepDeleteTags}

// Outcome is the final state of one subject (a file, a photo, a set) in one step.
type Outcome int

const (
	Done    Outcome = iota + 1 // the change was made
	Skipped                    // nothing to do, declined, or interrupted (Detail says which)
	Failed                     // the change failed; Detail is the reason
	Planned                    // a dry run's change, not made; Detail says what it would do
)

func (o Outcome) String() string {
	switch o {
	case Done:
		return "done"
	case Skipped:
		return "skipped"
	case Failed:
		return "failed"
	case Planned:
		return "planned"
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

// Report is the journal of a run's events and the figures its summary shows; safe for
// concurrent use. It holds data only: the command line renders it.
type Report struct {
	mu      sync.Mutex
	events  []Event
	final   map[string]int // step+subject -> index of its event
	notes   []Note
	figures Figures
	// DryRun is set when the run changed nothing.
	DryRun bool
}

// Note is a line of the summary that is no subject's event (a warning, a step's count):
// Format is the engine's text, Args may hold names from the disk or from Flickr, which
// the renderer escapes.
type Note struct {
	Format string
	Args   []any
}

// Figures are the counts a run's summary gives, set by the steps that learn them.
type Figures struct {
	// Library is each indexing pass of the library that found changes, in order.
	Library []IndexStats
	// FlickrPhotos is how many photos the account holds, when a step counted them all
	// (rebase); -1 when none did.
	FlickrPhotos int
	// Coverage is how much of the library is on Flickr once the run's changes are made;
	// nil when the run did not match the library with the account.
	Coverage *Coverage
	// NotLocal counts the Flickr photos the library lacks and the run left on Flickr
	// only (a one-way sync).
	NotLocal int
	// Kept counts the Flickr photos no picture matches that the library keeps: of
	// pictures the ignore rules exclude, or of edited pictures' earlier versions.
	Kept int
	// SetsKept counts flickrsync's photosets that needed no change.
	SetsKept int
	// RAW and Ignored are the last index's camera RAW files (not uploadable) and files
	// that are no media, by extension (IndexStats).
	RAW     int
	Ignored map[string]int
	// SetsDeleted are the titles of flickrsync's photosets the run deleted (a dry run:
	// would delete) because no folder uses them any more, in name order (as are SetsHeld
	// and Restored).
	SetsDeleted []string
	// SetsHeld are the titles of flickrsync's photosets no folder uses that the run kept:
	// they hold pictures this library does not have.
	SetsHeld []string
	// DeletedOnFlickr counts the photos a full listing found deleted on Flickr since the
	// catalog listed them (forgotten by the catalog).
	DeletedOnFlickr int
	// Restored are the library's pictures (the paths uploaded) whose photo had been
	// deleted on Flickr, uploaded again.
	Restored []string
}

// Coverage is how much of the library is on Flickr: distinct pictures (signatures) and
// files, counted apart since copies of a picture are uploaded once.
type Coverage struct {
	Pictures int // distinct pictures in the library
	OnFlickr int // of them, those a Flickr photo backs up
	Files    int // picture files read, copies included
	Copies   int // files that are a copy of another file's picture (never uploaded)
}

// CoverageOf counts the coverage of a matching: a picture is on Flickr when any of its
// copies is matched. Files that could not be read (no signature) are not counted: they are
// failures, reported as such.
func CoverageOf(m *Matching) Coverage {
	pictures := map[string]bool{} // signature -> on Flickr
	var c Coverage
	for _, l := range m.Locals {
		if l.Signature == "" {
			continue
		}
		c.Files++
		on, seen := pictures[l.Signature]
		if seen {
			c.Copies++
		}
		pictures[l.Signature] = on || m.Best(l) != nil
	}
	c.Pictures = len(pictures)
	for _, on := range pictures {
		if on {
			c.OnFlickr++
		}
	}
	return c
}

// NewReport starts an empty report.
func NewReport() *Report { return &Report{final: map[string]int{}, figures: Figures{FlickrPhotos: -1}} }

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

// Note adds a line to the summary that is no file's event (a warning, what a step did
// besides its subjects).
func (r *Report) Note(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.notes = append(r.notes, Note{Format: format, Args: args})
}

// Notes returns the notes in the order they were added.
func (r *Report) Notes() []Note {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Note(nil), r.notes...)
}

// Figures returns the run's counts.
func (r *Report) Figures() Figures {
	r.mu.Lock()
	defer r.mu.Unlock()
	f := r.figures
	f.Library = append([]IndexStats(nil), f.Library...)
	// The lists fill as parallel work ends: sorted, so that a run reads the same each time.
	f.Restored = slices.Sorted(slices.Values(f.Restored))
	f.SetsDeleted = slices.Sorted(slices.Values(f.SetsDeleted))
	f.SetsHeld = slices.Sorted(slices.Values(f.SetsHeld))
	if f.Coverage != nil {
		c := *f.Coverage
		f.Coverage = &c
	}
	return f
}

// SetFigures changes the run's counts under the report's lock.
func (r *Report) SetFigures(change func(*Figures)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	change(&r.figures)
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
	for i, x := range Steps {
		if x == s {
			return i
		}
	}
	return len(Steps)
}
