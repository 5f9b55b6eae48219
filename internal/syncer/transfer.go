package syncer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/flickrsync/flickrsync/internal/names"
	"github.com/flickrsync/flickrsync/internal/words"
)

// DownloadDir is the folder, relative to the library root, that receives the Flickr photos
// nothing local matches (they are downloaded to be identified).
const DownloadDir = names.App

// parallel runs fn over items, n at a time. Items not started when ctx ends are passed to
// notStarted, so that each still ends in one event.
func parallel[T any](ctx context.Context, n int, items []T, fn func(context.Context, T), notStarted func(T)) error {
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for i, it := range items {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			for _, rest := range items[i:] {
				notStarted(rest)
			}
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			fn(ctx, it)
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// download fetches each photo into its folder, dirOf(photo) (relative to the root, ""
// for the root), under its download name, then indexes the files it wrote. It returns
// what it changed (the pictures the index read, the photos found deleted on Flickr,
// forgotten).
func (r *run) download(ctx context.Context, step Step, photos []*Remote, dirOf func(*Remote) string, question string) (change, error) {
	var c change
	ok, err := r.ask(ctx, question)
	if err != nil {
		return c, err
	}
	if !ok {
		for _, p := range photos {
			name, err := names.DownloadName(p.ID, p.OriginalSecret, p.Title, downloadFormat(p))
			switch {
			case err != nil:
				name = "(no usable name: " + err.Error() + ")"
			case p.IsVideo():
				// Its extension comes with its file (fetch): the stand-in would mislead.
				name = strings.TrimSuffix(name, "."+downloadFormat(p)) + ".* (a video: its file's own extension)"
			}
			r.skipAll(step, []string{p.ID}, fmt.Sprintf("download %q as %s", p.Title, path.Join(dirOf(p), name)))
		}
		return c, nil
	}
	dirs := map[string]error{} // each folder, and why downloads may not land there
	for _, p := range photos {
		dirs[dirOf(p)] = nil
	}
	r.sweepParts(slices.Collect(maps.Keys(dirs)))
	for dir := range dirs {
		dirs[dir] = r.checkDownloadDir(ctx, dir)
	}
	var mu sync.Mutex
	wrote := false
	skipped := map[string]int{} // the photos without an original to download, by why
	r.out.StepStart(step, len(photos))
	err = parallel(ctx, r.opt.Transfers, photos, func(ctx context.Context, p *Remote) {
		defer r.out.StepAdd(step, 1)
		url, skip, err := r.originalOf(ctx, p)
		if skip != "" {
			// A permanent condition of the photo, not a failure to retry.
			r.record(Event{Step: step, Subject: p.ID, Outcome: Skipped, Detail: skip})
			mu.Lock()
			skipped[skip]++
			mu.Unlock()
			return
		}
		if refuse := dirs[dirOf(p)]; refuse != nil {
			r.record(refusedDownload(step, p.ID, refuse))
			return
		}
		var file string
		if err == nil {
			file, err = r.downloadOne(ctx, step, p, dirOf(p), url)
		}
		r.transferEnd(step, p.ID)
		if errors.Is(err, errExcludedTarget) {
			r.record(refusedDownload(step, p.ID, err))
			return
		}
		if err != nil {
			ev, forgot := r.failure(ctx, step, p.ID, err)
			mu.Lock()
			if forgot {
				c.forgot = append(c.forgot, p.ID)
			}
			mu.Unlock()
			r.record(ev)
			return
		}
		mu.Lock()
		wrote = true
		mu.Unlock()
		rel, _ := filepath.Rel(r.Root, file)
		r.record(Event{Step: step, Subject: p.ID, Outcome: Done, Detail: "downloaded to " + filepath.ToSlash(rel)})
	}, func(p *Remote) {
		r.record(Event{Step: step, Subject: p.ID, Outcome: Skipped, Detail: "interrupted"})
	})
	r.out.StepEnd(step)
	// Said in the summary, not only by -v: each run meets them again.
	for _, why := range slices.Sorted(maps.Keys(skipped)) {
		r.rep.Note("not downloaded: %s (-v names %s): %s", words.Count(skipped[why], "Flickr photo"), words.Noun(skipped[why], "it", "them"), why)
	}
	if err != nil || !wrote {
		return c, err
	}
	// The files written are indexed now: the plan's next steps match them.
	ic, err := r.indexLocal(ctx, nil)
	c.add(ic)
	return c, err
}

// downloadOne fetches p into target under its download name, or the first "name (n).ext"
// that does not exist. The Flickr client writes through a temporary file beside the
// destination (names.IsPartName) and never replaces a file; a name taken meanwhile by another
// file is answered with fs.ErrExist, and the next name is tried.
func (r *run) downloadOne(ctx context.Context, step Step, p *Remote, dir, url string) (string, error) {
	name, err := names.DownloadName(p.ID, p.OriginalSecret, p.Title, downloadFormat(p))
	if err != nil {
		return "", err
	}
	target := filepath.Join(r.Root, filepath.FromSlash(dir))
	dest := filepath.Join(target, name)
	if !inside(r.Root, dest) {
		return "", fmt.Errorf("name %q leaves the library", name)
	}
	if err := os.MkdirAll(target, 0o755); err != nil {
		return "", fmt.Errorf("create folder: %w", err)
	}
	for n := 1; n < 1000; n++ {
		base := name
		if n > 1 {
			base = names.ClashName(name, n)
		}
		if err := r.landsInLibrary(ctx, path.Join(dir, base), false); err != nil {
			return "", err
		}
		file := filepath.Join(target, base)
		if _, err := os.Lstat(file); err == nil {
			continue
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("place %s: %w", file, err)
		}
		written, err := r.fetch(ctx, step, p, url, file)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		return written, nil
	}
	return "", fmt.Errorf("place %s: too many files of that name", dest)
}

// refusedDownload is the event of a download refused where it would land: skipped when
// the ignore rules exclude the place (the user's choice), failed otherwise.
func refusedDownload(step Step, id string, err error) Event {
	if errors.Is(err, errExcludedTarget) {
		return Event{Step: step, Subject: id, Outcome: Skipped, Detail: "not downloaded: " + err.Error()}
	}
	return Event{Step: step, Subject: id, Outcome: Failed, Detail: "not downloaded: " + err.Error()}
}

// sweepParts removes, once per run and folder, before the first download into it, the
// temporary files of downloads a killed process left: only regular files whose name is
// exactly the pattern (names.IsPartName), only in the folders downloads go to (the root,
// DownloadDir, and dirs: the albums' folders sync2 restores pictures into), and only
// those last written before this run started.
func (r *run) sweepParts(dirs []string) {
	if r.opt.DryRun {
		return
	}
	if r.swept == nil {
		r.swept = map[string]bool{}
	}
	removed := 0
	for _, dir := range append([]string{"", DownloadDir}, dirs...) {
		if r.swept[dir] {
			continue
		}
		r.swept[dir] = true
		dir := filepath.Join(r.Root, filepath.FromSlash(dir))
		entries, err := os.ReadDir(dir)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				r.rep.Note("could not look for interrupted downloads in %s: %v", dir, err)
			}
			continue
		}
		for _, e := range entries {
			if !names.IsPartName(e.Name()) || !e.Type().IsRegular() {
				continue
			}
			info, err := e.Info()
			if err != nil || !info.ModTime().Before(r.start) {
				continue
			}
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				r.rep.Note("could not remove the interrupted download %s: %v", filepath.Join(dir, e.Name()), err)
				continue
			}
			removed++
		}
	}
	if removed > 0 {
		r.rep.Note("removed %s of downloads interrupted earlier", words.Count(removed, "temporary file"))
	}
}

// tag adds the signature tag to photos matched without it. It returns what it changed:
// the photos tagged, and those found deleted on Flickr (forgotten).
func (r *run) tag(ctx context.Context, changes []TagChange) (change, error) {
	var c change
	var mu sync.Mutex
	subjects := make([]string, len(changes))
	for i, t := range changes {
		subjects[i] = t.Remote.ID
	}
	ok, err := r.ask(ctx, fmt.Sprintf("Tag %s with their signature?", words.Count(len(changes), "matched Flickr photo")))
	if err != nil {
		return c, err
	}
	if !ok {
		r.skipAll(StepTag, subjects, "tag")
		return c, nil
	}
	r.out.StepStart(StepTag, len(changes))
	defer r.out.StepEnd(StepTag)
	err = parallel(ctx, r.opt.Transfers, changes, func(ctx context.Context, t TagChange) {
		defer r.out.StepAdd(StepTag, 1)
		if err := r.Flickr.AddTags(ctx, t.Remote.ID, names.SignatureTag(t.Signature)); err != nil {
			ev, forgot := r.failure(ctx, StepTag, t.Remote.ID, err)
			if forgot {
				mu.Lock()
				c.forgot = append(c.forgot, t.Remote.ID)
				mu.Unlock()
			}
			r.record(ev)
			return
		}
		updated := *t.Remote
		updated.MachineTags = strings.TrimSpace(updated.MachineTags + " " + names.CleanSignatureTag(t.Signature))
		updated.Tags = strings.TrimSpace(updated.Tags + " " + names.CleanSignatureTag(t.Signature))
		if err := r.Store.PutRemotes(context.WithoutCancel(ctx), []Remote{updated}); err != nil {
			r.record(Event{Step: StepTag, Subject: t.Remote.ID, Outcome: Failed, Detail: "tagged, but the catalog write failed: " + err.Error()})
			return
		}
		mu.Lock()
		c.remotes = append(c.remotes, updated)
		mu.Unlock()
		detail := "identified by its original's signature (not in the library)"
		if t.Local != nil {
			detail = fmt.Sprintf("matched %s by %s", t.Local.Path, t.How)
		}
		r.record(Event{Step: StepTag, Subject: t.Remote.ID, Outcome: Done, Detail: detail})
	}, func(t TagChange) {
		r.record(Event{Step: StepTag, Subject: t.Remote.ID, Outcome: Skipped, Detail: "interrupted"})
	})
	return c, err
}

// failure is the event of a photo's failed step; a photo gone from Flickr is forgotten by
// the catalog (forgot) and skipped rather than failed again at every run.
func (r *run) failure(ctx context.Context, step Step, id string, err error) (ev Event, forgot bool) {
	if errors.Is(err, ErrGone) {
		if ferr := r.Store.ForgetRemotes(context.WithoutCancel(ctx), []string{id}); ferr != nil {
			return Event{Step: step, Subject: id, Outcome: Failed, Detail: fmt.Sprintf("%v (and the catalog write failed: %v)", err, ferr)}, false
		}
		return Event{Step: step, Subject: id, Outcome: Skipped, Detail: "deleted on Flickr since it was listed: forgotten"}, true
	}
	return Event{Step: step, Subject: id, Outcome: Failed, Detail: err.Error()}, false
}
