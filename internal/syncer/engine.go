package syncer

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/flickrsync/flickrsync/internal/privacy"
)

// Reporter receives a run's progress as it happens; the CLI renders it (bars on a
// terminal, plain lines elsewhere). The engine calls it from several goroutines.
type Reporter interface {
	// StepStart begins a step of total subjects (0 when unknown).
	StepStart(step Step, total int)
	// StepAdd counts n more subjects done (whatever their outcome).
	StepAdd(step Step, n int)
	// StepEnd ends the step.
	StepEnd(step Step)
	// Event reports one subject's final state as soon as it is known.
	Event(e Event)
}

// TransferReporter is a Reporter that also follows the bytes of each upload and download
// (the CLI shows them on a terminal).
type TransferReporter interface {
	Reporter
	// Transfer says subject's transfer in step is at done of total bytes (total 0 when
	// unknown); done starts again from 0 when an attempt is retried.
	Transfer(step Step, subject string, done, total int64)
	// TransferEnd says subject's transfer ended, whatever its outcome.
	TransferEnd(step Step, subject string)
}

// transferProgress is the progress callback of one transfer, nil when the reporter does
// not follow bytes.
func (r *run) transferProgress(step Step, subject string) func(done, total int64) {
	tr, ok := r.out.(TransferReporter)
	if !ok {
		return nil
	}
	return func(done, total int64) { tr.Transfer(step, subject, done, total) }
}

func (r *run) transferEnd(step Step, subject string) {
	if tr, ok := r.out.(TransferReporter); ok {
		tr.TransferEnd(step, subject)
	}
}

type nopReporter struct{}

func (nopReporter) StepStart(Step, int) {}
func (nopReporter) StepAdd(Step, int)   {}
func (nopReporter) StepEnd(Step)        {}
func (nopReporter) Event(Event)         {}

// Options are the choices of one run.
type Options struct {
	// TwoWay downloads the Flickr photos missing locally (sync2).
	TwoWay bool
	// IdentifyMissing puts the Flickr photos missing locally in a new set (sync only).
	IdentifyMissing bool
	// NoDateMatch turns off matching by name and date taken.
	NoDateMatch bool
	// NoPhotosets skips the photosets step.
	NoPhotosets bool
	// LiveVideos uploads the motion videos of Live Photos too (media.go).
	LiveVideos bool
	// DryRun changes nothing on Flickr nor in the library; the Store given to the engine
	// must be a throw-away copy, since indexing still writes it.
	DryRun bool
	// Transfers is how many uploads, downloads or tag changes run at once (default 4).
	Transfers int
	// Privacy is who may see each uploaded photo and how Flickr classes it (nil:
	// private); its rules also apply to the photos already on Flickr (privacy.go).
	Privacy *privacy.Rules
	// Replace replaces the Flickr photo of an edited picture's earlier version in place
	// instead of uploading the edit as a new photo (edits.go).
	Replace bool
	// Confirm asks before each step that changes something; nil means yes.
	Confirm func(ctx context.Context, question string) (bool, error)
	// Reporter receives progress; nil means none.
	Reporter Reporter
	// FullListing lists the whole account, to find the photos deleted there (sync
	// --full); FullListingAfter is how old the last full listing may be before a sync
	// makes one anyway (DefaultFullListingAfter when 0).
	FullListing      bool
	FullListingAfter time.Duration
	// UploadGrace is how long an unconfirmed upload of an earlier run is given to land on
	// Flickr before its picture is sent again (DefaultUploadGrace when 0).
	UploadGrace time.Duration
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Engine runs syncs between one library and one account.
type Engine struct {
	Flickr  Flickr
	Store   Store
	Indexer Indexer
	// Signer signs the originals downloaded to be identified (and those verify reads).
	Signer Signer
	// Root is the library's absolute path.
	Root string
}

// Meta keys the engine keeps in the store.
const (
	metaChangesFrom  = "sync.flickr_changes_from"  // min_date of the next photos.recentlyUpdated, on Flickr's clock
	metaUpdatedSince = "sync.flickr_updated_since" // before metaChangesFrom: this machine's clock at the last Flickr index
	metaWatermark    = "sync.flickr_watermark"     // newest upload date a complete listing saw
	metaSets         = "sync.photosets"            // JSON: set id -> photo ids last written
)

type run struct {
	*Engine
	opt       Options
	rep       *Report
	out       Reporter
	indexFail map[string]bool
	start     time.Time       // when the run began (temporary files older than this are leftovers)
	swept     map[string]bool // the folders sweepParts swept (download steps run one after another)
	noReplace atomic.Bool     // Flickr refused a replace: edits go up as new photos (replace.go)
	deleted   deletedSigs
	// catalogRoot is the catalog's library root when this run's library is nested in
	// it or around it (IndexStats.CatalogRoot).
	catalogRoot string
}

func (e *Engine) newRun(opt Options) *run {
	if opt.Transfers <= 0 {
		opt.Transfers = 4
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	out := opt.Reporter
	if out == nil {
		out = nopReporter{}
	}
	rep := NewReport()
	rep.DryRun = opt.DryRun
	return &run{Engine: e, opt: opt, rep: rep, out: out, indexFail: map[string]bool{}, start: opt.Now()}
}

func (r *run) record(e Event) {
	if err := r.rep.Record(e); err != nil {
		r.rep.Note("internal: %v", err)
		return
	}
	r.out.Event(e)
}

// ask asks before a change; a dry run never asks and never changes.
func (r *run) ask(ctx context.Context, question string) (bool, error) {
	if r.opt.DryRun {
		return false, nil
	}
	if r.opt.Confirm == nil {
		return true, nil
	}
	return r.opt.Confirm(ctx, question)
}

// skipAll ends every subject of a step declined, or planned only (a dry run).
func (r *run) skipAll(step Step, subjects []string, what string) {
	outcome, reason := Skipped, "declined"
	if r.opt.DryRun {
		outcome, reason = Planned, "would "+what
	}
	for _, s := range subjects {
		r.record(Event{Step: step, Subject: s, Outcome: outcome, Detail: reason})
	}
}
