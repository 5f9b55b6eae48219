package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/flickrsync/flickrsync/internal/words"
)

// flickrsync's albums (photosets) as Flickr's members change them.
//
// The albums flickrsync made (description SetDescription) mirror the library's folders and
// are repaired at every sync: one deleted on Flickr is created again, one whose photos,
// order or primary photo were changed there (its photosets.getList date_update moved
// since flickrsync last saw it: SetMemory) is edited back, in one call. An album the
// catalog knows nothing of (a new catalog) is read first, and kept when it holds its
// folder's photos already (readEdited). An edit never takes out the photos of pictures
// the run does not see (another computer's library, a picture deleted here): they stay,
// after the folder's, so that two libraries of one account do not undo each other's
// albums at every run. An album without the description is never touched.
//
// An album of flickrsync's that no folder uses any more is deleted only when the run sees
// every picture it holds (each of its photos is matched by a picture of this library, in
// other folders now: a folder renamed or moved; a file flickrsync downloaded does not
// count, see keptHere), or knows the library holds it in a file the ignore rules exclude
// (the sets ignore excluded folders). An album holding pictures this library
// does not have (another computer's library, a disk not mounted, a folder deleted here)
// is kept, and the summary says so; the pictures' photos are never deleted either. A run
// whose library is a folder inside the catalog's library (or holds it) leaves every album
// as it is: its folders' names are not the library's.
//
// A failure of one album is its event; the others go on. An album Flickr says a photo of
// is gone from (error 2 or 3 of photosets.editPhotos: deleted since the listing) makes the
// next sync list Flickr in full, which forgets that photo, so the same failure cannot come
// back at every run.

// ErrSetGone is what Flickr methods wrap when a photoset no longer exists (deleted on
// Flickr since it was listed).
var ErrSetGone = errors.New("photoset no longer on Flickr")

// knownSets reads the catalog's memory of the sets (a damaged memory only costs calls);
// an older flickrsync's memory (set id -> photo ids) is read as photos without a date.
func (r *run) knownSets(ctx context.Context) (map[string]SetMemory, error) {
	known := map[string]SetMemory{}
	v, err := r.Store.Meta(ctx, metaSets)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	if v == "" || json.Unmarshal([]byte(v), &known) == nil {
		return known, nil
	}
	old := map[string][]string{}
	known = map[string]SetMemory{}
	if json.Unmarshal([]byte(v), &old) == nil {
		for id, photos := range old {
			known[id] = SetMemory{Photos: photos}
		}
	}
	return known, nil
}

func (r *run) saveSets(ctx context.Context, known map[string]SetMemory) error {
	b, _ := json.Marshal(known)
	if err := r.Store.SetMeta(context.WithoutCancel(ctx), metaSets, string(b)); err != nil {
		return fmt.Errorf("write catalog: %w", err)
	}
	return nil
}

// holdUnseen keeps, of the deletions planned, those of albums every picture of which this
// run sees (see above), or knows excluded by the ignore rules (excluded: signatures; the
// sets ignore excluded folders); the others are kept on Flickr and named in the summary.
// An album's photos come from the memory when it is current, else from
// photosets.getPhotos (then remembered: the next run asks nothing).
func (r *run) holdUnseen(ctx context.Context, m *Matching, excluded map[string]bool, changes []SetChange, byID map[string]Photoset, known map[string]SetMemory) ([]SetChange, error) {
	sigOf := make(map[string]string, len(m.Remotes))
	for _, p := range m.Remotes {
		sigOf[p.ID] = p.Signature()
	}
	out := changes[:0:0]
	var held []string
	for _, c := range changes {
		if c.Action != SetDelete {
			out = append(out, c)
			continue
		}
		s := byID[c.ID]
		k, ok := known[c.ID]
		if !ok || len(k.Photos) != s.Count || s.Updated != k.Updated {
			photos, err := r.Flickr.PhotosetPhotos(ctx, c.ID)
			if err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				r.record(Event{Step: StepPhotosets, Subject: c.Title, Outcome: Failed, Detail: fmt.Sprintf("not deleted: its photos could not be listed: %v", err)})
				continue
			}
			k = SetMemory{Photos: photos, Updated: s.Updated}
			known[c.ID] = k
		}
		if holdsUnseen(k.Photos, m, sigOf, excluded) {
			held = append(held, c.Title)
			continue
		}
		out = append(out, c)
	}
	if len(held) > 0 {
		slices.Sort(held) // Flickr lists sets in no order a summary should show
		r.rep.SetFigures(func(f *Figures) { f.SetsHeld = held })
	}
	return out, nil
}

// holdsUnseen reports whether an album of these photos holds a picture this run does not
// see (see above), so that it is kept though no folder uses it; an empty one is kept too.
// sigOf gives the signatures of m's photos.
func holdsUnseen(photos []string, m *Matching, sigOf map[string]string, excluded map[string]bool) bool {
	for _, id := range photos {
		if sig := sigOf[id]; !keptHere(m.ByRemote[id]) && (sig == "" || !excluded[sig]) {
			return true
		}
	}
	return len(photos) == 0
}

// keptHere reports whether a photo's links hold a picture of the library's own, not a file
// flickrsync downloaded: a download proves no folder was renamed (sync2 brings home the
// pictures of a folder deleted here, or of a disk not mounted, into their album's folder,
// restore.go, or the library's root).
func keptHere(links []Link) bool {
	return slices.ContainsFunc(links, func(k Link) bool { return !isDownload(k.Local) })
}

// setsQuestion asks before the sets' changes, naming every set to be deleted.
func setsQuestion(todo []SetChange) string {
	var creates, edits int
	var dels []string
	for _, c := range todo {
		switch c.Action {
		case SetCreate:
			creates++
		case SetEdit:
			edits++
		case SetDelete:
			dels = append(dels, fmt.Sprintf("%q", c.Title))
		}
	}
	var parts []string
	if creates > 0 {
		parts = append(parts, fmt.Sprintf("create %s", words.Count(creates, "photoset")))
	}
	if edits > 0 {
		parts = append(parts, fmt.Sprintf("update %s", words.Count(edits, "photoset")))
	}
	if len(dels) > 0 {
		parts = append(parts, fmt.Sprintf("delete %s (%s; their photos stay on Flickr)", words.Count(len(dels), "photoset"), strings.Join(dels, ", ")))
	}
	q := strings.Join(parts, ", ")
	return strings.ToUpper(q[:1]) + q[1:] + " on Flickr?"
}

// setFailure says what comes of a set's failure (appended to its reason) and whether the
// next sync lists Flickr in full to repair it.
func (r *run) setFailure(err error) (why string, relist bool) {
	switch {
	case errors.Is(err, ErrGone):
		return "a photo of it was deleted on Flickr: the next sync lists Flickr in full and repairs it", true
	case errors.Is(err, ErrSetGone):
		return "the set was deleted on Flickr meanwhile: the next sync creates it again", false
	}
	return "", false
}
