package syncer

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/flickrsync/flickrsync/internal/names"
	"github.com/flickrsync/flickrsync/internal/words"
)

// DefaultUploadGrace is how long an upload begun by a run that never confirmed it is
// given to land on Flickr before the picture is sent again: a killed process's last
// request may still be processed after it died.
const DefaultUploadGrace = 10 * time.Minute

// resolvePending settles the uploads a previous run began and never confirmed (a crash,
// a kill, a lost answer): Flickr is searched for the signature tag; a photo found is the
// upload (recorded, indexed, a done event); none found, once the upload is older than the
// grace period, means it never happened and the picture is planned again. It returns
// what it changed: the photos found, and the signatures left unsettled (Flickr could not
// be searched, or the upload may still land) with the reason: those pictures are not sent
// in this run.
func (r *run) resolvePending(ctx context.Context) (change, error) {
	c := change{unsettled: map[string]string{}}
	pending, err := r.Store.PendingUploads(ctx)
	if err != nil {
		return c, fmt.Errorf("read upload journal: %w", err)
	}
	grace := r.opt.UploadGrace
	if grace <= 0 {
		grace = DefaultUploadGrace
	}
	for _, p := range pending {
		found, err := r.Flickr.SearchBySignature(ctx, p.Signature)
		if err != nil {
			if ctx.Err() != nil {
				return c, ctx.Err()
			}
			c.unsettled[p.Signature] = fmt.Sprintf("an earlier upload may have reached Flickr, which cannot be searched now (%v): not sent again", err)
			continue
		}
		if len(found) > 0 {
			if err := r.Store.PutRemotes(ctx, found); err != nil {
				return c, fmt.Errorf("write catalog: %w", err)
			}
			c.remotes = append(c.remotes, found...)
		}
		if r.opt.DryRun {
			if len(found) > 0 {
				r.rep.Note("upload of %s begun earlier: on Flickr as %s", p.File, found[0].ID)
			}
			continue
		}
		if len(found) == 0 {
			if age := r.opt.Now().Sub(time.Unix(p.StartedAt, 0)); p.StartedAt > 0 && age < grace {
				c.unsettled[p.Signature] = fmt.Sprintf("an upload begun %s ago by a run that did not finish may still land on Flickr: not sent again before %s have passed",
					age.Round(time.Second), grace)
				continue
			}
		}
		id := ""
		if len(found) > 0 {
			id = found[0].ID
		}
		if err := r.Store.EndUpload(ctx, p.Signature, id); err != nil {
			return c, fmt.Errorf("write upload journal: %w", err)
		}
		if id != "" {
			// The upload an earlier run could not confirm: it ends here.
			r.record(Event{Step: StepUpload, Subject: p.File, Outcome: Done,
				Detail: "uploaded as " + id + " by an earlier run (found by its signature tag; not sent again)"})
		}
	}
	return c, nil
}

// upload sends the pictures no photo matches, each recorded in the journal before it
// starts and confirmed after. It returns what it changed: the photos created (as the
// catalog now knows them) and the signatures sent or tried.
func (r *run) upload(ctx context.Context, ups []Upload) (change, error) {
	var c change
	subjects := make([]string, len(ups))
	for i, u := range ups {
		subjects[i] = u.Local.Path
	}
	ok, err := r.ask(ctx, fmt.Sprintf("Upload %s to Flickr?", words.Count(len(ups), "picture")))
	if err != nil {
		return c, err
	}
	for _, u := range ups {
		for _, c := range u.Copies {
			r.record(Event{Step: StepUpload, Subject: c.Path, Outcome: Skipped, Detail: "duplicate of " + u.Local.Path})
		}
	}
	if !ok {
		for _, u := range ups {
			r.skipAll(r.sendStep(u), []string{u.Local.Path}, r.sendWhat(u))
		}
		return c, nil
	}
	var mu sync.Mutex
	r.out.StepStart(StepUpload, len(ups))
	defer r.out.StepEnd(StepUpload)
	err = parallel(ctx, r.opt.Transfers, ups, func(ctx context.Context, u Upload) {
		defer r.out.StepAdd(StepUpload, 1)
		e, one := r.send(ctx, u)
		mu.Lock()
		c.add(one)
		mu.Unlock()
		r.record(e)
	}, func(u Upload) {
		r.record(Event{Step: r.sendStep(u), Subject: u.Local.Path, Outcome: Skipped, Detail: "interrupted"})
	})
	return c, err
}

// uploadOne is the journal protocol of one upload (still: the still of which l is the
// Live Photo motion). Its change holds the signature sent (whatever the outcome) and the
// photo created, as the catalog now knows it.
func (r *run) uploadOne(ctx context.Context, l, still *Local) (Event, change) {
	ev := Event{Step: StepUpload, Subject: l.Path}
	c := change{sent: map[string]string{l.Signature: l.Path}}
	fail := func(format string, args ...any) (Event, change) {
		ev.Outcome, ev.Detail = Failed, fmt.Sprintf(format, args...)
		return ev, c
	}
	if err := r.Store.BeginUpload(ctx, l.Signature, l.Path); err != nil {
		return fail("write upload journal: %v", err)
	}
	// From here on the journal must hear the outcome even when the run is interrupted.
	bg := context.WithoutCancel(ctx)
	meta := UploadMeta{
		Title: strings.TrimSuffix(path.Base(l.Path), path.Ext(l.Path)),
		Tags:  uploadTags(l, still),
	}
	setPrivacy(&meta, r.opt.Privacy.For(l.Path))
	src := &source{full: filepath.Join(r.Root, filepath.FromSlash(l.Path)), l: l}
	id, err := r.Flickr.Upload(ctx, src.full, src.open, meta, r.transferProgress(StepUpload, l.Path))
	r.transferEnd(StepUpload, l.Path)
	indexed := false
	switch {
	case err == nil && src.changed.Load():
		// The client completed a request after its source saw other bytes (a client
		// that does not stop at a reader's error): the photo carries the old signature
		// over other pixels. It is not this signature's photo; it stays on Flickr.
		if jerr := r.Store.EndUpload(bg, l.Signature, ""); jerr != nil {
			return fail("changed while uploading: Flickr got photo %s tagged with the old signature (left there; and the journal write failed: %v)", id, jerr)
		}
		return fail("changed while uploading: Flickr got photo %s tagged with the old signature (left there, flickrsync deletes no photo); the next run uploads the new content", id)
	case err == nil:
	case errors.Is(err, ErrChanged):
		// Nothing was created: the request never completed.
		if jerr := r.Store.EndUpload(bg, l.Signature, ""); jerr != nil {
			return fail("%v (and the journal write failed: %v)", err, jerr)
		}
		return fail("%v; not uploaded, the next run indexes it again and uploads the new content", err)
	case errors.Is(err, ErrUploadAmbiguous) || ctx.Err() != nil:
		// The photo may exist. Look for it now; if it is not (yet) found, the entry stays
		// pending and the next run looks again before uploading anything.
		if ctx.Err() != nil {
			return fail("interrupted during the upload; the next run checks Flickr before retrying")
		}
		found, serr := r.Flickr.SearchBySignature(ctx, l.Signature)
		if serr != nil || len(found) == 0 {
			return fail("%v; not found on Flickr yet, the next run checks again before retrying", err)
		}
		id = found[0].ID
		if err := r.Store.PutRemotes(bg, found); err != nil {
			return fail("uploaded as %s, but the catalog write failed: %v", id, err)
		}
		c.remotes = found
		indexed = true
	case errors.Is(err, ErrNotAccepted):
		return fail("%s", r.refused(bg, l, err))
	default:
		if jerr := r.Store.EndUpload(bg, l.Signature, ""); jerr != nil {
			return fail("%v (and the journal write failed: %v)", err, jerr)
		}
		return fail("%v", err)
	}
	// Until the next listing brings its details, the catalog knows the photo by its tag,
	// written before the journal is settled: no write is left between the journal's done
	// and the done event, and a run killed before the journal write leaves the upload
	// pending, which the next run finds by its tag and ends (one done event in all).
	if !indexed {
		stub := Remote{ID: id, Title: meta.Title, MachineTags: names.CleanSignatureTag(l.Signature), Tags: names.CleanSignatureTag(l.Signature),
			Media: l.Media}
		if err := r.Store.PutRemotes(bg, []Remote{stub}); err != nil {
			return fail("uploaded as %s, but the catalog write failed: %v", id, err)
		}
		c.remotes = []Remote{stub}
	}
	if err := r.Store.EndUpload(bg, l.Signature, id); err != nil {
		return fail("uploaded as %s, but the journal write failed: %v", id, err)
	}
	ev.Outcome, ev.Detail = Done, "uploaded as "+id
	r.restored(l)
	if indexed {
		ev.Detail += " (the answer was lost; found by its signature tag)"
	}
	ev.Detail += r.afterUpload(bg, l, id)
	return ev, c
}
