package syncer

import (
	"context"
	"fmt"
	"time"

	"github.com/flickrsync/flickrsync/internal/words"
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

// Privacy is who may see the uploaded photos; the zero value is private.
type Privacy struct {
	IsPublic, IsFriend, IsFamily bool
}

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
	// DryRun changes nothing on Flickr nor in the library; the Store given to the engine
	// must be a throw-away copy, since indexing still writes it.
	DryRun bool
	// Transfers is how many uploads, downloads or tag changes run at once (default 4).
	Transfers int
	Privacy   Privacy
	// Confirm asks before each step that changes something; nil means yes.
	Confirm func(ctx context.Context, question string) (bool, error)
	// Reporter receives progress; nil means none.
	Reporter Reporter
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
	start     time.Time // when the run began (temporary files older than this are leftovers)
	swept     bool      // sweepParts ran (download steps run one after another)
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

// Sync runs a one way (or, with TwoWay, two way) sync and returns its report. The error
// is for a failed run (an index that could not be read, an interrupted run); failures of
// single files are in the report.
func (e *Engine) Sync(ctx context.Context, opt Options) (*Report, error) {
	r := e.newRun(opt)
	return r.rep, r.sync(ctx)
}

func (r *run) sync(ctx context.Context) error {
	var early *earlyUploads
	if r.canUploadWhileIndexing() {
		var err error
		if early, err = r.indexUploading(ctx); err != nil {
			return err
		}
	} else {
		if err := r.indexLocal(ctx, nil); err != nil {
			return err
		}
		if err := r.indexFlickr(ctx, false); err != nil {
			return err
		}
	}
	m, plan, err := r.plan(ctx)
	if err != nil {
		return err
	}
	if early != nil && len(early.tried) > 0 {
		r.recordCopies(m.Locals, early.tried)
	}
	if len(plan.Identify) > 0 {
		changed, err := r.download(ctx, StepIdentify, plan.Identify, DownloadDir,
			fmt.Sprintf("Download %s without a signature tag into %s/ to identify them?", words.Count(len(plan.Identify), "Flickr photo"), DownloadDir))
		if err != nil {
			return err
		}
		if changed {
			if err := r.indexLocal(ctx, nil); err != nil {
				return err
			}
			if m, plan, err = r.plan(ctx); err != nil {
				return err
			}
		} else {
			// Not downloaded (a dry run, declined): not planned twice as missing either.
			plan.Missing = without(plan.Missing, plan.Identify)
		}
	}
	if len(plan.Tags) > 0 {
		if err := r.tag(ctx, plan.Tags); err != nil {
			return err
		}
		if m, plan, err = r.plan(ctx); err != nil {
			return err
		}
	}
	var unsettled map[string]string
	if early == nil {
		var resolved bool
		if resolved, unsettled, err = r.resolvePending(ctx); err != nil {
			return err
		}
		if resolved {
			if m, plan, err = r.plan(ctx); err != nil {
				return err
			}
		}
	} else {
		// Settled before the index; what was sent during it is not planned again, even
		// when it failed (the next run retries it).
		unsettled = early.unsettled
		var keep []Upload
		for _, u := range plan.Uploads {
			if _, tried := early.tried[u.Local.Signature]; !tried {
				keep = append(keep, u)
			}
		}
		plan.Uploads = keep
	}
	if len(unsettled) > 0 {
		var keep []Upload
		for _, u := range plan.Uploads {
			if why, ok := unsettled[u.Local.Signature]; ok {
				r.record(Event{Step: StepUpload, Subject: u.Local.Path, Outcome: Failed, Detail: why})
				continue
			}
			keep = append(keep, u)
		}
		plan.Uploads = keep
	}
	if n := r.rep.Count(StepIdentify, Failed); n > 0 && len(plan.Uploads) > 0 {
		// A photo that could not be identified may be one of these pictures under another
		// name: uploading them now could put a second copy on Flickr.
		for _, u := range plan.Uploads {
			r.record(Event{Step: StepUpload, Subject: u.Local.Path, Outcome: Skipped,
				Detail: fmt.Sprintf("held back: %s could not be downloaded to be identified, and this picture may be one of them", words.Count(n, "Flickr photo"))})
		}
		plan.Uploads = nil
	}
	if len(plan.Uploads) > 0 {
		changed, err := r.upload(ctx, plan.Uploads)
		if err != nil {
			return err
		}
		if changed {
			if err := r.indexFlickr(ctx, false); err != nil {
				return err
			}
			if m, plan, err = r.plan(ctx); err != nil {
				return err
			}
		}
	}
	switch {
	case r.opt.IdentifyMissing && len(plan.Missing) > 0:
		if err := r.missingSet(ctx, plan.Missing); err != nil {
			return err
		}
	case r.opt.TwoWay && len(plan.Missing) > 0:
		missing := onePerSignature(plan.Missing)
		changed, err := r.download(ctx, StepDownload, missing, "",
			fmt.Sprintf("Download %s missing from the library?", words.Count(len(missing), "Flickr photo")))
		if err != nil {
			return err
		}
		if changed {
			if err := r.indexLocal(ctx, nil); err != nil {
				return err
			}
			if m, _, err = r.plan(ctx); err != nil {
				return err
			}
		}
	case len(plan.Missing) > 0:
		r.rep.SetFigures(func(f *Figures) { f.NotLocal = len(plan.Missing) })
	}
	coverage := CoverageOf(m)
	r.rep.SetFigures(func(f *Figures) { f.Coverage = &coverage })
	if r.opt.NoPhotosets {
		return nil
	}
	if r.opt.DryRun && len(plan.Uploads) > 0 {
		// Plan the sets as if the uploads were done: each planned upload stands for the
		// photo it would create.
		if m, err = r.assumeUploaded(ctx, plan.Uploads); err != nil {
			return err
		}
	}
	return r.photosets(ctx, m)
}

// assumeUploaded is the matching a dry run's plan would lead to: every planned upload
// matched by a stand-in photo "(new: path)".
func (r *run) assumeUploaded(ctx context.Context, ups []Upload) (*Matching, error) {
	locals, err := r.Store.Locals(ctx)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	remotes, err := r.Store.Remotes(ctx)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	for _, u := range ups {
		remotes = append(remotes, Remote{ID: "(new: " + u.Local.Path + ")", MachineTags: signatureNS + "=" + u.Local.Signature})
	}
	return Match(locals, remotes, MatchOptions{NoDateMatch: r.opt.NoDateMatch}), nil
}

// onePerSignature keeps, of the photos sharing a signature (one picture uploaded twice),
// the oldest upload: once it is home, the others match it by signature.
func onePerSignature(list []*Remote) []*Remote {
	best := map[string]*Remote{}
	for _, r := range list {
		if sig := r.Signature(); sig != "" {
			if b := best[sig]; b == nil || olderUpload(r, b) {
				best[sig] = r
			}
		}
	}
	var out []*Remote
	for _, r := range list {
		if sig := r.Signature(); sig == "" || best[sig] == r {
			out = append(out, r)
		}
	}
	return out
}

func without(list, drop []*Remote) []*Remote {
	gone := map[string]bool{}
	for _, r := range drop {
		gone[r.ID] = true
	}
	var out []*Remote
	for _, r := range list {
		if !gone[r.ID] {
			out = append(out, r)
		}
	}
	return out
}

// plan reads the store and computes the matching and the plan.
func (r *run) plan(ctx context.Context) (*Matching, *Plan, error) {
	locals, err := r.Store.Locals(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("read catalog: %w", err)
	}
	remotes, err := r.Store.Remotes(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("read catalog: %w", err)
	}
	m := Match(locals, remotes, MatchOptions{NoDateMatch: r.opt.NoDateMatch})
	return m, MakePlan(m), nil
}
