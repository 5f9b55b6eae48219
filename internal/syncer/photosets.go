package syncer

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/flickrsync/flickrsync/internal/words"
)

// MissingSetDescription describes the set of photos missing locally; it is not
// flickrsync's usual description, so that the photosets step never deletes it.
const MissingSetDescription = "[created by flickrsync: pictures not in the local library]"

// Photosets runs the photosets step alone (flickrsync photosets): it indexes nothing,
// it uses the catalog as the last sync left it.
func (e *Engine) Photosets(ctx context.Context, opt Options) (*Report, error) {
	r := e.newRun(opt)
	locals, err := r.Store.Locals(ctx)
	if err != nil {
		return r.rep, fmt.Errorf("read catalog: %w", err)
	}
	remotes, err := r.Store.Remotes(ctx)
	if err != nil {
		return r.rep, fmt.Errorf("read catalog: %w", err)
	}
	return r.rep, r.photosets(ctx, Match(locals, remotes, MatchOptions{NoDateMatch: opt.NoDateMatch}))
}

func (r *run) knownSets(ctx context.Context) (map[string][]string, error) {
	known := map[string][]string{}
	v, err := r.Store.Meta(ctx, metaSets)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	if v != "" {
		if err := json.Unmarshal([]byte(v), &known); err != nil {
			known = map[string][]string{} // a damaged memory only costs calls
		}
	}
	return known, nil
}

func (r *run) photosets(ctx context.Context, m *Matching) error {
	wanted := WantedSets(m)
	existing, err := r.Flickr.Photosets(ctx)
	if err != nil {
		return fmt.Errorf("list photosets: %w", err)
	}
	known, err := r.knownSets(ctx)
	if err != nil {
		return err
	}
	// Forget the memory of sets that are gone (deleted on Flickr): it only grows otherwise.
	alive := map[string]bool{}
	for _, s := range existing {
		alive[s.ID] = true
	}
	for id := range known {
		if !alive[id] {
			delete(known, id)
		}
	}
	changes := PlanSets(wanted, existing, known)
	var todo []SetChange
	kept := 0
	for _, c := range changes {
		if c.Action == SetKeep {
			kept++
		} else {
			todo = append(todo, c)
		}
	}
	if kept > 0 {
		r.rep.SetFigures(func(f *Figures) { f.SetsKept = kept })
	}
	if len(todo) == 0 {
		return nil
	}
	ok, err := r.ask(ctx, fmt.Sprintf("Create, update or delete %s on Flickr?", words.Count(len(todo), "photoset")))
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
				}
			}
			r.record(Event{Step: StepPhotosets, Subject: c.Title, Outcome: outcome, Detail: reason})
		}
		return nil
	}
	// The sets are independent: their calls run Options.Transfers at a time (the client
	// paces them all under its one rate limit).
	r.out.StepStart(StepPhotosets, len(todo))
	defer r.out.StepEnd(StepPhotosets)
	var mu sync.Mutex
	remember := func(id string, photos []string) {
		mu.Lock()
		defer mu.Unlock()
		if photos == nil {
			delete(known, id)
		} else {
			known[id] = photos
		}
	}
	// parallel's error is ctx's, returned below once the memory is saved.
	parallel(ctx, r.opt.Transfers, todo, func(ctx context.Context, c SetChange) {
		detail, err := r.applySet(ctx, c, remember)
		r.out.StepAdd(StepPhotosets, 1)
		if err != nil {
			r.record(Event{Step: StepPhotosets, Subject: c.Title, Outcome: Failed, Detail: err.Error()})
			return
		}
		r.record(Event{Step: StepPhotosets, Subject: c.Title, Outcome: Done, Detail: detail})
	}, func(c SetChange) {
		r.record(Event{Step: StepPhotosets, Subject: c.Title, Outcome: Skipped, Detail: "interrupted"})
	})
	b, _ := json.Marshal(known)
	if err := r.Store.SetMeta(context.WithoutCancel(ctx), metaSets, string(b)); err != nil {
		return fmt.Errorf("write catalog: %w", err)
	}
	return ctx.Err()
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
