package syncer

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/flickrsync/flickrsync/internal/words"
)

// MissingSetDescription describes the set of photos missing locally; it is not
// flickrsync's usual description, so that the photosets step never deletes it.
const MissingSetDescription = "[created by flickrsync: pictures not in the local library]"

// Photosets runs the photosets step alone (flickrsync photosets): it indexes nothing,
// it uses the catalog as the last sync left it (but refuses, as Sync does, a library
// the Indexer finds empty: EmptyChecker).
func (e *Engine) Photosets(ctx context.Context, opt Options) (*Report, error) {
	r := e.newRun(opt)
	if err := r.checkNotEmpty(ctx); err != nil {
		return r.rep, err
	}
	locals, err := r.Store.Locals(ctx)
	if err != nil {
		return r.rep, fmt.Errorf("read catalog: %w", err)
	}
	remotes, err := r.Store.Remotes(ctx)
	if err != nil {
		return r.rep, fmt.Errorf("read catalog: %w", err)
	}
	excluded, err := r.Store.ExcludedSignatures(ctx)
	if err != nil {
		return r.rep, fmt.Errorf("read catalog: %w", err)
	}
	ex := make(map[string]bool, len(excluded))
	for _, sig := range excluded {
		ex[sig] = true
	}
	return r.rep, r.photosets(ctx, Match(locals, remotes, MatchOptions{NoDateMatch: opt.NoDateMatch}), ex)
}

// photosets brings flickrsync's sets in line with the folders of m; excluded are the
// signatures the library holds only in files its ignore rules exclude (Known.Excluded).
func (r *run) photosets(ctx context.Context, m *Matching, excluded map[string]bool) error {
	if r.catalogRoot != "" {
		r.rep.Note("photosets left as they are: this run's library %s is inside the catalog's library %s (or holds it), so its folders do not name the albums; run on %s to update them",
			r.Root, r.catalogRoot, r.catalogRoot)
		return nil
	}
	wanted := WantedSets(m)
	existing, err := r.Flickr.Photosets(ctx)
	if err != nil {
		return fmt.Errorf("list photosets: %w", err)
	}
	known, err := r.knownSets(ctx)
	if err != nil {
		return err
	}
	byID := map[string]Photoset{}
	for _, s := range existing {
		byID[s.ID] = s
	}
	// Forget the memory of sets that are gone (deleted on Flickr): it only grows otherwise.
	changed := false
	for id := range known {
		if _, ok := byID[id]; !ok {
			delete(known, id)
			changed = true
		}
	}
	changes, err := r.holdUnseen(ctx, m, excluded, PlanSets(wanted, existing, known), byID, known)
	if err != nil {
		return err
	}
	superseded, err := supersededPhotos(ctx, r.Store)
	if err != nil {
		return err
	}
	read, err := r.readEdited(ctx, m, othersOf{excluded, superseded}, changes, byID, known)
	if err != nil {
		return err
	}
	changed = changed || read
	var todo []SetChange
	kept := 0
	for _, c := range changes {
		if c.Action != SetKeep {
			todo = append(todo, c)
			continue
		}
		kept++
		// A set known without its date_update (a catalog of an older flickrsync)
		// learns it: from now on a change made on Flickr shows.
		if k := known[c.ID]; k.Updated == 0 && byID[c.ID].Updated != 0 {
			known[c.ID] = SetMemory{Photos: k.Photos, Updated: byID[c.ID].Updated}
			changed = true
		}
	}
	if kept > 0 {
		r.rep.SetFigures(func(f *Figures) { f.SetsKept = kept })
	}
	if len(todo) == 0 {
		if changed && !r.opt.DryRun {
			return r.saveSets(ctx, known)
		}
		return nil
	}
	ok, err := r.ask(ctx, setsQuestion(todo))
	if err != nil {
		return err
	}
	if !ok {
		for _, c := range todo {
			outcome, reason := Skipped, "declined"
			if r.opt.DryRun {
				outcome, reason = Planned, fmt.Sprintf("would %s (%s)", c.Action, words.Count(len(c.Photos), "photo"))
				if c.Action == SetDelete {
					reason = fmt.Sprintf("would delete (it held %s; they stay on Flickr)", words.Count(c.Old, "photo"))
					r.rep.SetFigures(func(f *Figures) { f.SetsDeleted = append(f.SetsDeleted, c.Title) })
				}
			}
			r.record(Event{Step: StepPhotosets, Subject: c.Title, Outcome: outcome, Detail: reason})
		}
		return nil
	}
	// The sets are independent: their calls run Options.Transfers at a time (the client
	// paces them all under its one rate limit). A failure of one is its event; the others
	// go on.
	r.out.StepStart(StepPhotosets, len(todo))
	defer r.out.StepEnd(StepPhotosets)
	var mu sync.Mutex
	wrote := map[string]bool{} // sets written, whose date_update is read afterwards
	remember := func(id string, photos []string) {
		mu.Lock()
		defer mu.Unlock()
		if photos == nil {
			delete(known, id)
			delete(wrote, id)
		} else {
			known[id] = SetMemory{Photos: photos}
			wrote[id] = true
		}
	}
	relist := false
	// parallel's error is ctx's, returned below once the memory is saved.
	parallel(ctx, r.opt.Transfers, todo, func(ctx context.Context, c SetChange) {
		detail, err := r.applySet(ctx, c, remember)
		r.out.StepAdd(StepPhotosets, 1)
		if err != nil {
			why, full := r.setFailure(err)
			if why != "" {
				err = fmt.Errorf("%w (%s)", err, why)
			}
			if full {
				mu.Lock()
				relist = true
				mu.Unlock()
			}
			r.record(Event{Step: StepPhotosets, Subject: c.Title, Outcome: Failed, Detail: err.Error()})
			return
		}
		if c.Action == SetDelete {
			r.rep.SetFigures(func(f *Figures) { f.SetsDeleted = append(f.SetsDeleted, c.Title) })
		}
		r.record(Event{Step: StepPhotosets, Subject: c.Title, Outcome: Done, Detail: detail})
	}, func(c SetChange) {
		r.record(Event{Step: StepPhotosets, Subject: c.Title, Outcome: Skipped, Detail: "interrupted"})
	})
	if relist {
		if err := r.Store.SetMeta(context.WithoutCancel(ctx), metaFullListing, ""); err != nil {
			return fmt.Errorf("write catalog: %w", err)
		}
	}
	if len(wrote) > 0 && ctx.Err() == nil {
		// Each set written has a new date_update: remembered, so that the next run tells
		// a change made on Flickr from its own.
		if sets, err := r.Flickr.Photosets(ctx); err == nil {
			for _, s := range sets {
				if k, ok := known[s.ID]; ok && wrote[s.ID] {
					known[s.ID] = SetMemory{Photos: k.Photos, Updated: s.Updated}
				}
			}
		}
	}
	if err := r.saveSets(ctx, known); err != nil {
		return err
	}
	return ctx.Err()
}

// readEdited settles the sets to edit against what they hold. A set the catalog knows
// nothing of (a new catalog: the first sync after the Python tool, another computer's, one
// rebuilt) or knows from before a change made on Flickr is read first (remembered: changed
// says the memory is to be saved). The photos of pictures this run does not see (another
// computer's library, a picture deleted here; seen: keptHere) stay in the set, after the
// wanted ones, so that two libraries of one account do not take them out of each other's
// albums at every run. A set that then holds what is wanted is kept without a call.
func (r *run) readEdited(ctx context.Context, m *Matching, o othersOf, changes []SetChange, byID map[string]Photoset, known map[string]SetMemory) (changed bool, err error) {
	for i, c := range changes {
		if c.Action != SetEdit {
			continue
		}
		k, ok := known[c.ID]
		if s := byID[c.ID]; !ok || (k.Updated != 0 && s.Updated != 0 && k.Updated != s.Updated) {
			photos, err := r.Flickr.PhotosetPhotos(ctx, c.ID)
			if err != nil {
				if ctx.Err() != nil {
					return changed, ctx.Err()
				}
				continue // edited, as it would have been
			}
			k = SetMemory{Photos: photos, Updated: s.Updated}
			known[c.ID], changed = k, true
		}
		if others := o.in(m, k.Photos, c.Photos); len(others) > 0 {
			changes[i].Photos = append(slices.Clip(c.Photos), others...)
		}
		if k.holds(byID[c.ID], changes[i].Photos) {
			changes[i].Action = SetKeep
		}
	}
	return changed, nil
}

// othersOf tells the photos of an album that are another library's: on Flickr, not
// superseded by an edit here, and of a picture this run does not see nor knows excluded.
type othersOf struct {
	excluded   map[string]bool // signatures the library holds in excluded files only
	superseded map[string]bool // photo ids
}

// in lists, in their order, the photos of held (an album's) that are another library's
// and not in wanted.
func (o othersOf) in(m *Matching, held, wanted []string) []string {
	var out []string
	for _, id := range held {
		p := m.remote(id)
		if p == nil || o.superseded[id] || slices.Contains(wanted, id) || keptHere(m.ByRemote[id]) || o.excluded[p.Signature()] {
			continue
		}
		out = append(out, id)
	}
	return out
}

// applySet makes one set's calls; remember(id, photos) records what flickrsync wrote
// into a set (nil: forget it), safe for concurrent use.
func (r *run) applySet(ctx context.Context, c SetChange, remember func(id string, photos []string)) (string, error) {
	switch c.Action {
	case SetCreate:
		id, err := r.Flickr.CreatePhotoset(ctx, c.Title, SetDescription, c.Photos[0])
		if err != nil {
			return "", fmt.Errorf("create: %w", err)
		}
		remember(id, c.Photos[:1])
		if len(c.Photos) > 1 {
			if err := r.Flickr.EditPhotos(ctx, id, c.Photos[0], c.Photos); err != nil {
				return "", fmt.Errorf("created as %s, then set its photos: %w", id, err)
			}
		}
		remember(id, c.Photos)
		return fmt.Sprintf("created with %s", words.Count(len(c.Photos), "photo")), nil
	case SetEdit:
		remember(c.ID, nil)
		if err := r.Flickr.EditPhotos(ctx, c.ID, c.Photos[0], c.Photos); err != nil {
			return "", fmt.Errorf("update: %w", err)
		}
		remember(c.ID, c.Photos)
		return fmt.Sprintf("updated: %s (was %d)", words.Count(len(c.Photos), "photo"), c.Old), nil
	case SetDelete:
		if err := r.Flickr.DeletePhotoset(ctx, c.ID); err != nil {
			return "", fmt.Errorf("delete: %w", err)
		}
		remember(c.ID, nil)
		return fmt.Sprintf("deleted (no folder uses it; its %s on Flickr)", words.Count(c.Old, "photo stays", "photos stay")), nil
	}
	return "", nil
}

// missingSet puts the photos missing locally in a new set (sync --identifymissing).
func (r *run) missingSet(ctx context.Context, missing []*Remote) error {
	title := MissingSetPrefix + " " + r.opt.Now().Format("2006-01-02 15:04:05")
	ids := make([]string, len(missing))
	for i, p := range missing {
		ids[i] = p.ID
	}
	ok, err := r.ask(ctx, fmt.Sprintf("Create the photoset %q with the %s missing locally?", title, words.Count(len(ids), "Flickr photo")))
	if err != nil {
		return err
	}
	if !ok {
		r.skipAll(StepMissingSet, []string{title}, fmt.Sprintf("create with %s: %s", words.Count(len(ids), "photo"), strings.Join(ids, ",")))
		return nil
	}
	id, err := r.Flickr.CreatePhotoset(ctx, title, MissingSetDescription, ids[0])
	if err == nil && len(ids) > 1 {
		err = r.Flickr.EditPhotos(ctx, id, ids[0], ids)
	}
	if err != nil {
		r.record(Event{Step: StepMissingSet, Subject: title, Outcome: Failed, Detail: err.Error()})
		return nil
	}
	r.record(Event{Step: StepMissingSet, Subject: title, Outcome: Done, Detail: fmt.Sprintf("created with %s", words.Count(len(ids), "photo"))})
	return nil
}
