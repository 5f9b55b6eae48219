package syncer

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/flickrsync/flickrsync/internal/names"
	"github.com/flickrsync/flickrsync/internal/words"
)

// Sync runs a one way (or, with TwoWay, two way) sync and returns its report. The error
// is for a failed run (an index that could not be read, an interrupted run); failures of
// single files are in the report.
func (e *Engine) Sync(ctx context.Context, opt Options) (*Report, error) {
	r := e.newRun(opt)
	return r.rep, r.sync(ctx)
}

// sync is the driver: index both sides into the run's state, then plan and apply, one
// step after the other. Each step is given its part of the plan and returns what it
// changed; the state takes that in and the next part of the plan is computed from the
// state in memory (the catalog is read once, by index).
func (r *run) sync(ctx context.Context) error {
	if err := r.checkNotEmpty(ctx); err != nil {
		return err
	}
	st, err := r.index(ctx)
	if err != nil {
		return err
	}
	step := func(c change, err error) error {
		st.apply(c)
		return err
	}
	_, p := st.plan()
	r.endCopies(p.Sent) // the copies of the pictures uploaded while indexing
	if len(p.Identify) > 0 {
		if err := step(r.identify(ctx, p.Identify, st.has, maps.Clone(st.known.Unidentified))); err != nil {
			return err
		}
		_, p = st.plan()
	}
	if len(p.Tags) > 0 {
		if err := step(r.tag(ctx, p.Tags)); err != nil {
			return err
		}
		_, p = st.plan()
	}
	if len(p.Uploads) > 0 && r.withLimits(ctx, st) {
		_, p = st.plan()
	}
	r.endHeld(p)
	if len(p.Uploads) > 0 {
		c, err := r.upload(ctx, p.Uploads)
		st.apply(c)
		if err != nil {
			return err
		}
		if len(c.remotes) > 0 {
			// The listing brings the new photos' details (and moves the watermark past
			// them, so that the next run does not list them again).
			if err := step(r.indexFlickr(ctx, false)); err != nil {
				return err
			}
		}
	}
	if _, p := st.plan(); len(p.Supersede) > 0 {
		if err := step(r.supersede(ctx, p)); err != nil {
			return err
		}
	}
	m, p := st.plan()
	coverage := func() {
		c, kept := CoverageOf(m), len(p.Kept)
		r.rep.SetFigures(func(f *Figures) { f.Coverage, f.Kept = &c, kept })
	}
	coverage()
	switch {
	case r.opt.IdentifyMissing && len(p.Missing) > 0:
		if err := r.missingSet(ctx, p.Missing); err != nil {
			return err
		}
	case r.opt.TwoWay && len(p.Missing) > 0 && r.catalogRoot != "":
		// Seen from a folder inside the library (or around it), the pictures outside it
		// look missing: bringing them home would copy the library into itself.
		r.rep.Note("downloads left out: %s not in this folder stay on Flickr: this run's library %s is inside the catalog's library %s (or holds it), where they may be; run on %s to bring photos home",
			words.Count(len(onePerSignature(p.Missing)), "Flickr photo"), r.Root, r.catalogRoot, r.catalogRoot)
	case r.opt.TwoWay && len(p.Missing) > 0:
		missing := onePerSignature(p.Missing)
		dirOf, err := r.albumFolders(ctx, m)
		if err != nil {
			return err
		}
		c, err := r.download(ctx, StepDownload, missing, dirOf,
			fmt.Sprintf("Download %s missing from the library?", words.Count(len(missing), "Flickr photo")))
		if err := step(c, err); err != nil {
			return err
		}
		// The pictures brought home are the library's now: the summary counts them.
		m, _ = st.plan()
		coverage := CoverageOf(m)
		r.rep.SetFigures(func(f *Figures) { f.Coverage = &coverage })
	}
	if !r.opt.TwoWay && !r.opt.IdentifyMissing && p.NotLocal > 0 {
		r.rep.SetFigures(func(f *Figures) { f.NotLocal = p.NotLocal })
	}
	m, p = st.plan()
	coverage() // again: the pictures sync2 downloaded are the library's now
	if err := step(r.applyPrivacy(ctx, m, st.known)); err != nil {
		return err
	}
	if r.opt.NoPhotosets {
		return nil
	}
	m, p = st.plan()
	if r.opt.DryRun && len(p.Uploads) > 0 {
		// Plan the sets as if the uploads were done.
		m = assumeUploaded(st, p.Uploads)
	}
	return r.photosets(ctx, m, st.known.Excluded)
}

// endCopies ends, in the upload step, the copies of the pictures this run sent, each as a
// duplicate of the copy sent.
func (r *run) endCopies(sent []Upload) {
	for _, u := range sent {
		for _, l := range u.Copies {
			r.record(Event{Step: StepUpload, Subject: l.Path, Outcome: Skipped, Detail: "duplicate of " + u.Local.Path})
		}
	}
}

// endHeld ends, in the upload step, the pictures the plan holds back: failed when an
// earlier upload may still land (the next run looks again), skipped while a photo that
// could not be identified may be one of them.
func (r *run) endHeld(p *Plan) {
	for _, h := range p.Unsettled {
		r.record(Event{Step: StepUpload, Subject: h.Local.Path, Outcome: Failed, Detail: h.Reason})
	}
	for _, h := range p.Waiting {
		r.record(Event{Step: StepUpload, Subject: h.Local.Path, Outcome: Skipped, Detail: h.Reason})
	}
	r.endNotSent(p)
}

// assumeUploaded is the matching a dry run's plan would lead to: every planned upload
// matched by a stand-in photo "(new: path)".
func assumeUploaded(st *state, ups []Upload) *Matching {
	remotes := slices.Collect(maps.Values(st.remotes))
	for _, u := range ups {
		remotes = append(remotes, Remote{ID: "(new: " + u.Local.Path + ")", MachineTags: names.CleanSignatureTag(u.Local.Signature)})
	}
	return Match(slices.Collect(maps.Values(st.locals)), remotes, st.opt)
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
