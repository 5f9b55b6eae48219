package syncer

import (
	"context"
	"fmt"
	"maps"
	"strconv"

	"github.com/flickrsync/flickrsync/internal/flickr"
)

// index brings the run's state up to date with both sides, reading the catalog once: its
// pictures, then the library's index (the pictures read and the paths gone); the
// account's listing since the watermark, then the catalog's photos; the journal's uploads
// left unsettled; last, what the catalog remembers beyond the present files (edits.go).
// Without questions to ask (and not in a dry run), the account is indexed
// first and the new pictures go up while the library is indexed (early.go), unless a
// photo without a signature tag could make their plan depend on the rest of the library.
func (r *run) index(ctx context.Context) (*state, error) {
	st := newState(MatchOptions{NoDateMatch: r.opt.NoDateMatch})
	locals, err := r.Store.Locals(ctx)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	st.apply(change{locals: locals})
	early := !r.opt.DryRun && r.opt.Confirm == nil
	if !early {
		c, err := r.indexLocal(ctx, nil)
		if st.apply(c); err != nil {
			return nil, err
		}
	}
	// The listing writes the catalog, which holds the photos listed by earlier runs too.
	if err := r.syncFlickr(ctx, st); err != nil {
		return nil, err
	}
	if err := r.loadKnown(ctx, st); err != nil {
		return nil, err
	}
	c, err := r.resolvePending(ctx)
	if st.apply(c); err != nil {
		return nil, err
	}
	if st.known.Media, err = r.loadMedia(ctx); err != nil {
		return nil, err
	}
	if early {
		if st.allTagged() {
			c, err = r.indexUploading(ctx, st)
		} else {
			c, err = r.indexLocal(ctx, nil)
		}
		if st.apply(c); err != nil {
			return nil, err
		}
	}
	if err := r.loadExcluded(ctx, st); err != nil {
		return nil, err
	}
	c, err = r.readHistory(ctx)
	if st.apply(c); err != nil {
		return nil, err
	}
	return st, nil
}

// checkNotEmpty is the Indexer's refusal of an empty library the store knows pictures of
// (EmptyChecker).
func (r *run) checkNotEmpty(ctx context.Context) error {
	if c, ok := r.Indexer.(EmptyChecker); ok {
		return c.CheckNotEmpty(ctx)
	}
	return nil
}

// indexLocal brings the catalog's pictures up to date with the library and returns what
// it changed: the pictures the Indexer read (also handed to also, when not nil, as they
// come) and the paths it found gone.
func (r *run) indexLocal(ctx context.Context, also func(Local)) (change, error) {
	var c change
	r.out.StepStart(StepIndexLocal, 0)
	last := 0
	progress := func(done, total int) {
		if done > last {
			r.out.StepAdd(StepIndexLocal, done-last)
			last = done
		}
	}
	read := func(l Local) {
		c.locals = append(c.locals, l)
		if also != nil {
			also(l)
		}
	}
	st, err := r.Indexer.Index(ctx, progress, read)
	r.out.StepEnd(StepIndexLocal)
	c.gone = st.Gone
	if st.CatalogRoot != "" {
		r.catalogRoot = st.CatalogRoot
	}
	if err != nil {
		return c, fmt.Errorf("index library: %w", err)
	}
	if st.New+st.Copies+st.Changed+st.Moved+st.Removed+st.Excluded+st.Recent > 0 {
		r.rep.SetFigures(func(f *Figures) { f.Library = append(f.Library, st) })
	}
	r.rep.SetFigures(func(f *Figures) { f.RAW, f.Ignored = st.RAW, st.Ignored })
	for _, f := range st.Failures {
		if !r.indexFail[f.File] {
			r.indexFail[f.File] = true
			r.record(Event{Step: StepIndexLocal, Subject: f.File, Outcome: Failed, Detail: f.Err})
		}
	}
	return c, nil
}

// indexFlickr lists the photos uploaded since the watermark (all of them when full or
// when there is none) and those created or changed since the last index.
//
// The watermark is the newest upload date seen by a listing that ran to its end: a listing
// cut short (an error, a kill) leaves it where it was, so that the next one lists again
// what this one may have missed (photos are listed newest first). Photos the catalog
// learns otherwise (an upload's answer, a search) never move it. A watermark that is no
// plausible Flickr date (flickr.PlausibleTime: a catalog an older flickrsync poisoned
// with a server's absurd date) counts as none: the listing is full, and heals it.
//
// Changes are listed from the moment the previous index began, read on Flickr's clock
// (the Date of its first answer, less the round trip): the photos' dates come from that
// clock, so no allowance for this machine's skew is needed, and the photos a run uploaded
// before its last index are not listed again by the next run. Only when Flickr gives no
// date does this machine's clock stand in, a minute early.
//
// It returns what it changed: the photos listed (a photo may come twice).
func (r *run) indexFlickr(ctx context.Context, full bool) (change, error) {
	c, _, err := r.listFlickr(ctx, full)
	return c, err
}

// listFlickr is indexFlickr, which also returns what the listing learnt besides the
// photos (the account's count), and, when the listing was full, the ids it listed in
// Listed.
func (r *run) listFlickr(ctx context.Context, full bool) (change, listed, error) {
	var c change
	var since, from int64
	if !full {
		var err error
		if since, from, err = r.listingMarks(ctx); err != nil {
			return c, listed{}, err
		}
		full = since == 0
	}
	start := r.opt.Now().Unix()
	r.out.StepStart(StepIndexFlickr, 0)
	defer r.out.StepEnd(StepIndexFlickr)
	newest := since
	// The progress counts photos, not listings: a photo both uploaded and changed since
	// the last index is listed twice.
	seen := map[string]bool{}
	put := func(page []Remote) error {
		n := 0
		for _, x := range page {
			if !seen[x.ID] {
				seen[x.ID] = true
				n++
			}
		}
		r.out.StepAdd(StepIndexFlickr, n)
		if err := r.Store.PutRemotes(ctx, page); err != nil {
			return err
		}
		c.remotes = append(c.remotes, page...)
		return nil
	}
	onPage := func(page []Remote) error {
		for _, x := range page {
			newest = max(newest, x.DateUpload)
		}
		return put(page)
	}
	info, err := r.Flickr.ListPhotos(ctx, since, onPage)
	if err != nil {
		return c, listed{}, fmt.Errorf("index flickr: %w", err)
	}
	out := listed{Listing: info, full: full}
	if full {
		out.ids = maps.Clone(seen)
	}
	asOf := info.AsOf
	if asOf <= 0 {
		asOf = start - 60
	}
	if err := r.Store.SetMeta(ctx, metaWatermark, strconv.FormatInt(newest, 10)); err != nil {
		return c, out, fmt.Errorf("write catalog: %w", err)
	}
	if !full {
		if err := r.Flickr.RecentlyUpdated(ctx, from, put); err != nil {
			return c, out, fmt.Errorf("index flickr updates: %w", err)
		}
	}
	if err := r.Store.SetMeta(ctx, metaChangesFrom, strconv.FormatInt(asOf, 10)); err != nil {
		return c, out, fmt.Errorf("write catalog: %w", err)
	}
	return c, out, nil
}

// listed is what a listing learnt besides the photos: the account's count, whether it
// listed every photo and, then, their ids.
type listed struct {
	Listing
	full bool
	ids  map[string]bool
}

// listingMarks are where an incremental listing starts: the watermark (photos uploaded
// since) and the start of the listing of changes; (0, 0) when the listing must be full:
// none yet, or one is no plausible date (a catalog an older flickrsync poisoned with a
// server's absurd date heals so).
func (r *run) listingMarks(ctx context.Context) (since, from int64, err error) {
	v, err := r.Store.Meta(ctx, metaWatermark)
	if err != nil {
		return 0, 0, fmt.Errorf("read catalog: %w", err)
	}
	since, _ = strconv.ParseInt(v, 10, 64)
	if since == 0 {
		return 0, 0, nil
	}
	if from, err = r.changesFrom(ctx); err != nil {
		return 0, 0, err
	}
	if now := r.opt.Now(); !flickr.PlausibleTime(since, now) || !flickr.PlausibleTime(from, now) {
		r.rep.Note("the catalog's marks of the last Flickr listing are no plausible dates: the account is listed in full")
		return 0, 0, nil
	}
	return since, from, nil
}

// changesFrom is where the next listing of changes starts (0: no index yet). A catalog
// written before it was kept on Flickr's clock holds this machine's time of its last
// index instead, which is read a minute early, as it was then.
func (r *run) changesFrom(ctx context.Context) (int64, error) {
	v, err := r.Store.Meta(ctx, metaChangesFrom)
	if err != nil {
		return 0, fmt.Errorf("read catalog: %w", err)
	}
	if from, err := strconv.ParseInt(v, 10, 64); err == nil && from > 0 {
		return from, nil
	}
	v, err = r.Store.Meta(ctx, metaUpdatedSince)
	if err != nil {
		return 0, fmt.Errorf("read catalog: %w", err)
	}
	if last, err := strconv.ParseInt(v, 10, 64); err == nil && last > 0 {
		return last - 60, nil
	}
	return 0, nil
}

// Rebase forgets the catalog's Flickr photos and lists them all again.
func (e *Engine) Rebase(ctx context.Context, opt Options) (*Report, error) {
	r := e.newRun(opt)
	ok, err := r.confirmAlways(ctx, "Rebuild the index of the Flickr photos?")
	if err != nil || !ok {
		return r.rep, err
	}
	// Without a watermark, a rebase cut short is finished by the next sync's listing.
	if err := r.Store.SetMeta(ctx, metaWatermark, ""); err != nil {
		return r.rep, fmt.Errorf("write catalog: %w", err)
	}
	if err := r.Store.ClearRemotes(ctx); err != nil {
		return r.rep, fmt.Errorf("clear catalog: %w", err)
	}
	c, err := r.indexFlickr(ctx, true)
	if err != nil {
		return r.rep, err
	}
	listed := map[string]bool{}
	for _, x := range c.remotes {
		listed[x.ID] = true
	}
	r.rep.SetFigures(func(f *Figures) { f.FlickrPhotos = len(listed) })
	return r.rep, nil
}

// confirmAlways asks before a step that only touches the catalog: a dry run goes ahead
// without asking, since its catalog is a throw-away copy.
func (r *run) confirmAlways(ctx context.Context, q string) (bool, error) {
	if r.opt.DryRun || r.opt.Confirm == nil {
		return true, nil
	}
	return r.opt.Confirm(ctx, q)
}
