package syncer

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/flickrsync/flickrsync/internal/names"
)

// Replacer is an optional ability of a Flickr client: photos.replace, which gives an
// existing photo new bytes (open, file and progress as in Flickr.Upload). A refusal of
// Flickr's for that photo or account (not Pro, a video) wraps ErrReplaceRefused; a lost
// answer wraps ErrUploadAmbiguous.
type Replacer interface {
	Replace(ctx context.Context, photoID, file string, open Opener, progress func(done, total int64)) error
}

// ErrReplaceRefused is what Replacer.Replace wraps when Flickr will not replace the photo
// (a free account, a video): the edit then goes up as a new photo.
var ErrReplaceRefused = errors.New("Flickr does not replace this photo")

// send sends one picture: with Options.Replace, an edit replaces its earlier version's
// photo in place (an event of the replace step); anything else is uploaded.
func (r *run) send(ctx context.Context, u Upload) (Event, change) {
	if r.replaces(u) {
		return r.replaceOne(ctx, u)
	}
	return r.uploadOne(ctx, u.Local, u.Still)
}

// replaces reports whether send replaces a photo with u.
func (r *run) replaces(u Upload) bool {
	_, ok := r.Flickr.(Replacer)
	return ok && u.Earlier != nil && r.opt.Replace && !r.noReplace.Load()
}

// sendStep is the step of send's event for u, sendWhat what it would do, for a dry
// run's plan and a declined or interrupted step.
func (r *run) sendStep(u Upload) Step {
	if r.replaces(u) {
		return StepReplace
	}
	return StepUpload
}

func (r *run) sendWhat(u Upload) string {
	if r.replaces(u) {
		return "replace Flickr photo " + u.Earlier.ID + ", its earlier version, in place"
	}
	return "upload"
}

// replaceOne replaces the photo of u's earlier version with u's bytes, then swaps the
// photo's signature tag. A replace may be sent again without harm (the photo gets the
// same bytes): a lost answer is tried once more at once, and whatever does not end
// with the tag swapped leaves the journal settled as failed, so that the next run plans
// the replace again (never an upload of the same picture beside it, nor a wait).
func (r *run) replaceOne(ctx context.Context, u Upload) (Event, change) {
	l, x := u.Local, u.Earlier
	ev := Event{Step: StepReplace, Subject: l.Path}
	c := change{sent: map[string]string{l.Signature: l.Path}}
	bg := context.WithoutCancel(ctx)
	fail := func(format string, args ...any) (Event, change) {
		ev.Outcome, ev.Detail = Failed, fmt.Sprintf(format, args...)
		if err := r.Store.EndUpload(bg, l.Signature, ""); err != nil {
			ev.Detail += fmt.Sprintf(" (and the journal write failed: %v)", err)
		}
		return ev, c
	}
	if err := r.Store.BeginUpload(ctx, l.Signature, l.Path); err != nil {
		ev.Outcome, ev.Detail = Failed, fmt.Sprintf("write upload journal: %v", err)
		return ev, c
	}
	src := &source{full: filepath.Join(r.Root, filepath.FromSlash(l.Path)), l: l}
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		err = r.Flickr.(Replacer).Replace(ctx, x.ID, src.full, src.open, r.transferProgress(StepUpload, l.Path))
		if !errors.Is(err, ErrUploadAmbiguous) || ctx.Err() != nil {
			break
		}
	}
	r.transferEnd(StepUpload, l.Path)
	switch {
	case err == nil && src.changed.Load():
		return fail("changed while replacing Flickr photo %s, which may hold other pixels now; the next run replaces it with the new content", x.ID)
	case err == nil:
	case errors.Is(err, ErrReplaceRefused):
		// For the rest of the run too: the account is not Pro, or the photo a video.
		if !r.noReplace.Swap(true) {
			r.rep.Note("Flickr replaces no photo of this account (%v): edits go up as new photos, their earlier versions superseded", err)
		}
		if jerr := r.Store.EndUpload(bg, l.Signature, ""); jerr != nil {
			return fail("%v (and the journal write failed: %v)", err, jerr)
		}
		return r.uploadOne(ctx, l, u.Still)
	case errors.Is(err, ErrChanged):
		return fail("%v; not replaced, the next run indexes it again", err)
	case errors.Is(err, ErrUploadAmbiguous) || ctx.Err() != nil:
		return fail("Flickr photo %s may or may not be replaced (%v); the next run replaces it again", x.ID, err)
	default:
		return fail("replace Flickr photo %s: %v", x.ID, err)
	}
	swapped, err := r.swapSignature(bg, x, l.Signature)
	if err != nil {
		return fail("replaced Flickr photo %s, but its signature tag could not be changed (%v); the next run replaces and tags it again", x.ID, err)
	}
	if err := r.Store.PutRemotes(bg, []Remote{swapped}); err != nil {
		return fail("replaced Flickr photo %s, but the catalog write failed: %v", x.ID, err)
	}
	c.remotes = []Remote{swapped}
	if err := r.Store.EndUpload(bg, l.Signature, x.ID); err != nil {
		ev.Outcome, ev.Detail = Failed, fmt.Sprintf("replaced Flickr photo %s, but the journal write failed: %v", x.ID, err)
		return ev, c
	}
	ev.Outcome, ev.Detail = Done, "Flickr photo "+x.ID+", its earlier version, replaced in place (same id, albums, comments and favourites)"
	return ev, c
}

// swapSignature gives photo x the signature tag of sig instead of its own, its other
// tags kept as typed (RawTagger) or as Flickr lists them, and returns the photo as it
// is then.
func (r *run) swapSignature(ctx context.Context, x *Remote, sig string) (Remote, error) {
	tags := strings.Fields(x.Tags)
	if raw, ok := r.Flickr.(RawTagger); ok {
		t, err := raw.RawTags(ctx, x.ID)
		if err != nil {
			return Remote{}, fmt.Errorf("read tags: %w", err)
		}
		tags = t
	}
	keep := func(list []string) []string {
		var out []string
		for _, t := range list {
			if !names.IsSignatureTag(t) {
				out = append(out, t)
			}
		}
		return out
	}
	if err := r.Flickr.SetTags(ctx, x.ID, JoinTags(append(keep(tags), names.SignatureTag(sig)))); err != nil {
		return Remote{}, err
	}
	y := *x
	clean := names.CleanSignatureTag(sig)
	y.Tags = strings.Join(append(keep(strings.Fields(x.Tags)), clean), " ")
	y.MachineTags = strings.Join(append(keep(strings.Fields(x.MachineTags)), clean), " ")
	return y, nil
}
