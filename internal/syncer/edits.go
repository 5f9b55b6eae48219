package syncer

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/flickrsync/flickrsync/internal/words"
)

// Edited pictures, and what else the library keeps without a file.
//
// An edit is a file changed in place into other pixels: the same path, a new signature,
// recorded by the index as it happens (Store's HistoryStore). When the earlier version
// is no longer anywhere in the library (no live picture, none the ignore rules exclude),
// its Flickr photo is superseded: the library keeps it (Known's kept signatures), so it is
// not missing (sync2 never downloads it back, sync --identifymissing leaves it out), and
// it stays on Flickr as every photo does. The edit goes up as a new photo, and the
// superseded photo is marked so in the catalog and named once in the report (the
// supersede step).
//
// With Options.Replace, the edit instead replaces the earlier version's photo in place
// (photos.replace: same id, albums, comments and favourites) and the photo's signature
// tag is swapped, when the two versions have the same date taken: a camera that reuses
// a file name for a new shot gives another date, and its picture goes up as a new photo,
// since replacing would lose the only copy of the earlier one. Flickr replaces only the
// photos of a Pro account, never a video: a refusal sends the edit as a new photo.
//
// The pictures the ignore rules exclude are kept too (Known.Excluded): their photos are
// left on Flickr, never downloaded back.

// Edit is a picture changed in place: the file at Path had signature Old (its date taken
// OldDate), and has New (NewDate) since.
type Edit struct {
	Path             string
	Old, New         string
	OldDate, NewDate string
}

// HistoryStore is a Store that remembers the edits of the library: an optional ability
// (a Store without it syncs as if no picture were ever edited).
type HistoryStore interface {
	// Edits lists the edits the index recorded, oldest first.
	Edits(ctx context.Context) ([]Edit, error)
	// SupersededPhotos lists the ids of the photos marked superseded; MarkSuperseded
	// marks more.
	SupersededPhotos(ctx context.Context) ([]string, error)
	MarkSuperseded(ctx context.Context, ss []Superseded) error
}

// supersededPhotos is the set of the photos marked superseded (none when the store
// remembers no edits).
func supersededPhotos(ctx context.Context, s Store) (map[string]bool, error) {
	h, ok := s.(HistoryStore)
	if !ok {
		return nil, nil
	}
	ids, err := h.SupersededPhotos(ctx)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// Superseded is a Flickr photo (its id and signature) that is the earlier version of the
// edited picture at Path, now of signature By.
type Superseded struct {
	PhotoID, Signature string
	Path, By           string
}

// Kept is a Flickr photo no picture matches that the library keeps, and why.
type Kept struct {
	Remote *Remote
	Reason string
}

// readHistory reads the edits the store remembers (nothing when it cannot), and the
// privacy it gave photos: the index's last part (after loadExcluded).
func (r *run) readHistory(ctx context.Context) (change, error) { return readHistory(ctx, r.Store) }

func readHistory(ctx context.Context, s Store) (change, error) {
	var c change
	h, ok := s.(HistoryStore)
	if !ok {
		return c, nil
	}
	var err error
	if c.edits, err = h.Edits(ctx); err != nil {
		return c, fmt.Errorf("read catalog: %w", err)
	}
	if c.marked, err = h.SupersededPhotos(ctx); err != nil {
		return c, fmt.Errorf("read catalog: %w", err)
	}
	if ps, ok := s.(PrivacyStore); ok {
		if c.privacy, err = ps.PhotoPrivacy(ctx); err != nil {
			return c, fmt.Errorf("read catalog: %w", err)
		}
	}
	return c, nil
}

// keptSignatures are the signatures the library keeps though no live picture holds
// them, with why: excluded by the ignore rules, or the earlier version of an edited
// picture (then also the edit, the latest of that signature).
func (k Known) keptSignatures(m *Matching) (map[string]string, map[string]Edit) {
	live := make(map[string]bool, len(m.Locals))
	for _, l := range m.Locals {
		live[l.Signature] = true
	}
	kept := map[string]string{}
	for sig := range k.Excluded {
		if !live[sig] {
			kept[sig] = "its picture is excluded by the ignore rules: left on Flickr"
		}
	}
	earlier := map[string]Edit{}
	for _, e := range k.Edits {
		if live[e.Old] || k.Excluded[e.Old] {
			continue
		}
		earlier[e.Old] = e
		kept[e.Old] = fmt.Sprintf("the earlier version of %s, edited since: superseded, left on Flickr", e.Path)
	}
	return kept, earlier
}

// linkEarlier finds, for each upload that is an edit, the photo of its earlier version
// that an upload with Options.Replace replaces in place: the oldest photo of the
// nearest earlier version that is superseded and whose date taken is the edit's
// (following the edits of the path back), each photo for one upload at most.
func linkEarlier(p *Plan, k Known, m *Matching, earlier map[string]Edit) {
	if len(earlier) == 0 {
		return
	}
	x := indexRemotes(m.Remotes, MatchOptions{})
	claimed := map[string]bool{}
	latest := map[string]Edit{} // by path+new signature
	for _, e := range k.Edits {
		latest[e.Path+"\x00"+e.New] = e
	}
	for i := range p.Uploads {
		u := &p.Uploads[i]
		for _, l := range append([]*Local{u.Local}, u.Copies...) {
			e, ok := latest[l.Path+"\x00"+l.Signature]
			for hops := 0; ok && hops < len(k.Edits) && u.Earlier == nil; hops++ {
				if _, superseded := earlier[e.Old]; !superseded {
					break
				}
				for _, r := range x.bySig[e.Old] {
					if len(m.ByRemote[r.ID]) == 0 && !claimed[r.ID] && e.OldDate == u.Local.DateTaken {
						u.Earlier = r
						claimed[r.ID] = true
						break
					}
				}
				e, ok = latest[l.Path+"\x00"+e.Old]
			}
			if u.Earlier != nil {
				break
			}
		}
	}
}

// supersede marks the photos of edited pictures' earlier versions superseded (p's
// Supersede), and names each. It only writes the catalog: no question (a dry run says
// what it would mark, but for the photos its uploads would replace).
func (r *run) supersede(ctx context.Context, p *Plan) (change, error) {
	var c change
	h, ok := r.Store.(HistoryStore)
	if !ok {
		return c, nil
	}
	ss := p.Supersede
	if r.opt.DryRun {
		replaced := map[string]bool{}
		for _, u := range p.Uploads {
			if r.replaces(u) {
				replaced[u.Earlier.ID] = true
			}
		}
		ss = slices.DeleteFunc(slices.Clone(ss), func(s Superseded) bool { return replaced[s.PhotoID] })
		r.namePaths(ss, func(ids string) string {
			return "would mark Flickr " + ids + ", its earlier version, superseded (left on Flickr, not downloaded back)"
		}, Planned)
		return c, nil
	}
	if err := h.MarkSuperseded(ctx, ss); err != nil {
		return c, fmt.Errorf("write catalog: %w", err)
	}
	for _, s := range ss {
		c.marked = append(c.marked, s.PhotoID)
	}
	r.namePaths(ss, func(ids string) string {
		return "its earlier version, Flickr " + ids + ", superseded: left on Flickr, never downloaded back"
	}, Done)
	return c, nil
}

// namePaths records one event per edited path of ss (a path may supersede several
// photos: duplicates, or each version of a chain of edits), its detail said of the
// photos' ids ("photo 12", "photos 12, 34").
func (r *run) namePaths(ss []Superseded, detail func(ids string) string, o Outcome) {
	var paths []string
	ids := map[string][]string{}
	for _, s := range ss {
		if ids[s.Path] == nil {
			paths = append(paths, s.Path)
		}
		ids[s.Path] = append(ids[s.Path], s.PhotoID)
	}
	for _, p := range paths {
		r.record(Event{Step: StepSupersede, Subject: p, Outcome: o,
			Detail: detail(words.Noun(len(ids[p]), "photo") + " " + strings.Join(ids[p], ", "))})
	}
}
