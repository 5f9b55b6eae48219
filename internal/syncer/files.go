package syncer

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/flickrsync/flickrsync/internal/words"
)

// UploadSetDescription describes a set `flickrsync upload --set` created: not the sync's
// own description, so that the photosets step never changes or deletes it.
const UploadSetDescription = "[created by flickrsync upload]"

// PhotosetAdder is an optional ability of a Flickr client: photosets.addPhoto (a photo
// the set holds already is no error).
type PhotosetAdder interface {
	AddToPhotoset(ctx context.Context, setID, photoID string) error
}

// Upload sends the pictures the Indexer reads (flickrsync upload FILE|DIR...: files that
// need not be in the library, and a Store whose Locals are none) as a sync would: the
// account indexed from the catalog's watermark, the journal's unsettled uploads settled,
// each picture no photo matches sent once (its copies and the pictures already on Flickr
// reported, not sent), through the same journalled, exactly-once upload step, while the
// files are read when nothing needs asking. With set, the photos of every picture read
// (sent or found) then go into the photoset of that title: created when there is none
// (UploadSetDescription), else added to the oldest of that title.
func (e *Engine) Upload(ctx context.Context, set string, opt Options) (*Report, error) {
	r := e.newRun(opt)
	st, err := r.index(ctx)
	if err != nil {
		return r.rep, err
	}
	m, p := st.plan()
	if len(p.Uploads) > 0 && r.withLimits(ctx, st) {
		m, p = st.plan() // over the account's limits: held, as a sync holds them
	}
	r.endCopies(p.Sent)
	r.endHeld(p)
	for _, g := range Duplicates(m.Locals) {
		if _, sent := st.known.Sent[g.Signature]; sent {
			continue // sent while the files were read: ended already
		}
		for _, l := range append([]*Local{g.Keep}, g.Copies...) {
			if links := m.ByLocal[l.Path]; len(links) > 0 {
				r.record(Event{Step: StepUpload, Subject: l.Path, Outcome: Skipped,
					Detail: fmt.Sprintf("on Flickr already as %s (matched by %s)", links[0].Remote.ID, links[0].How)})
			}
		}
	}
	if len(p.Uploads) > 0 {
		c, err := r.upload(ctx, p.Uploads)
		st.apply(c)
		if err != nil {
			return r.rep, err
		}
	}
	m, p = st.plan()
	coverage := CoverageOf(m)
	r.rep.SetFigures(func(f *Figures) { f.Coverage = &coverage })
	if set == "" {
		return r.rep, nil
	}
	if r.opt.DryRun && len(p.Uploads) > 0 {
		m = assumeUploaded(st, p.Uploads) // the set as if the uploads were done
	}
	return r.rep, r.addToSet(ctx, set, m)
}

// addToSet puts the photos of the matching's pictures, in the order of their paths, into
// the set titled title.
func (r *run) addToSet(ctx context.Context, title string, m *Matching) error {
	var ids []string
	seen := map[string]bool{}
	for _, l := range m.Locals {
		if x := m.Best(l); x != nil && !seen[x.ID] {
			seen[x.ID] = true
			ids = append(ids, x.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	sets, err := r.Flickr.Photosets(ctx)
	if err != nil {
		return fmt.Errorf("list photosets: %w", err)
	}
	sort.SliceStable(sets, func(i, j int) bool { return lessID(sets[i].ID, sets[j].ID) })
	var existing *Photoset
	for i := range sets {
		if sets[i].Title == title {
			existing = &sets[i]
			break
		}
	}
	what := fmt.Sprintf("create with %s", words.Count(len(ids), "photo"))
	if existing != nil {
		// Only the photos it lacks are added: an upload given the same files again
		// (--set NAME twice) adds nothing.
		held, err := r.Flickr.PhotosetPhotos(ctx, existing.ID)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			r.record(Event{Step: StepPhotosets, Subject: title, Outcome: Failed, Detail: fmt.Sprintf("list its photos: %v", err)})
			return nil
		}
		in := make(map[string]bool, len(held))
		for _, id := range held {
			in[id] = true
		}
		ids = slices.DeleteFunc(ids, func(id string) bool { return in[id] })
		if len(ids) == 0 {
			r.rep.SetFigures(func(f *Figures) { f.SetsKept++ })
			return nil
		}
		what = fmt.Sprintf("add %s (those it holds stay)", words.Count(len(ids), "photo"))
	}
	ok, err := r.ask(ctx, fmt.Sprintf("Photoset %q: %s?", title, what))
	if err != nil {
		return err
	}
	if !ok {
		r.skipAll(StepPhotosets, []string{title}, what)
		return nil
	}
	if existing == nil {
		id, err := r.Flickr.CreatePhotoset(ctx, title, UploadSetDescription, ids[0])
		if err == nil && len(ids) > 1 {
			err = r.Flickr.EditPhotos(ctx, id, ids[0], ids)
		}
		if err != nil {
			r.record(Event{Step: StepPhotosets, Subject: title, Outcome: Failed, Detail: err.Error()})
			return nil
		}
		r.record(Event{Step: StepPhotosets, Subject: title, Outcome: Done, Detail: "created with " + words.Count(len(ids), "photo")})
		return nil
	}
	adder, ok := r.Flickr.(PhotosetAdder)
	if !ok {
		r.record(Event{Step: StepPhotosets, Subject: title, Outcome: Failed, Detail: "this Flickr client cannot add photos to a set"})
		return nil
	}
	added := 0
	for _, id := range ids {
		if err := adder.AddToPhotoset(ctx, existing.ID, id); err != nil {
			r.record(Event{Step: StepPhotosets, Subject: title, Outcome: Failed,
				Detail: fmt.Sprintf("added %s, then photo %s: %v", words.Count(added, "photo"), id, err)})
			return nil
		}
		added++
	}
	r.record(Event{Step: StepPhotosets, Subject: title, Outcome: Done, Detail: fmt.Sprintf("%s added", words.Count(added, "photo"))})
	return nil
}
