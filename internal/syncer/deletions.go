package syncer

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// Photos deleted on Flickr.
//
// The incremental listing (photos uploaded since the watermark, photos.recentlyUpdated
// since the last index) never tells of a deletion: a catalog that only listed so would
// believe in a deleted photo for ever, and the picture it backed up would silently stay
// off Flickr. So every sync compares the account's count, which the first page of its
// listing gives anyway (people.getPhotos' total, videos included), with the photos the
// catalog holds; when they differ, the account is listed in full, and a photo the full
// listing does not list is gone: the catalog forgets it (nothing local is touched) and
// the plan backs its picture up again, which the summary reports as restored. A full
// listing also runs when the last one is older than Options.FullListingAfter (a week by
// default: a deletion and an upload elsewhere between two syncs keep the count), and with
// Options.FullListing.
//
// A full listing forgets only when it listed at least as many photos as its first page
// counted: a listing Flickr cut short (or a server that pages wrongly) forgets nothing.

// DefaultFullListingAfter is how old the last full listing of the account may be before a
// sync lists it in full again.
const DefaultFullListingAfter = 7 * 24 * time.Hour

// metaFullListing is this machine's time (unix seconds) of the last complete full listing.
const metaFullListing = "sync.flickr_full_listing"

// fullListingDue reports whether this sync lists the account in full from the start: asked
// for, or the last full listing is older than the option says (or unknown).
func (r *run) fullListingDue(ctx context.Context) (bool, error) {
	if r.opt.FullListing {
		return true, nil
	}
	v, err := r.Store.Meta(ctx, metaFullListing)
	if err != nil {
		return false, fmt.Errorf("read catalog: %w", err)
	}
	last, _ := strconv.ParseInt(v, 10, 64)
	after := r.opt.FullListingAfter
	if after <= 0 {
		after = DefaultFullListingAfter
	}
	now := r.opt.Now()
	// A time in the future (a clock set back) is not trusted to delay the next one.
	return last <= 0 || last > now.Unix()+86400 || now.Sub(time.Unix(last, 0)) >= after, nil
}

// syncFlickr brings the state up to date with the account: the listing (full when due),
// then the catalog's photos; when the account's count and the catalog's differ after an
// incremental listing, a full listing finds what went missing, which is forgotten.
func (r *run) syncFlickr(ctx context.Context, st *state) error {
	full, err := r.fullListingDue(ctx)
	if err != nil {
		return err
	}
	_, l, err := r.listFlickr(ctx, full)
	if err != nil {
		return err
	}
	remotes, err := r.Store.Remotes(ctx)
	if err != nil {
		return fmt.Errorf("read catalog: %w", err)
	}
	st.apply(change{remotes: remotes})
	if !l.full && l.Total >= 0 && l.Total != len(st.remotes) {
		var c change
		if c, l, err = r.listFlickr(ctx, true); err != nil {
			return err
		}
		st.apply(c)
	}
	if l.full {
		return r.forgetUnlisted(ctx, st, l)
	}
	return nil
}

// forgetUnlisted forgets the photos the state holds that a full listing did not list:
// deleted on Flickr. Their signatures are remembered for the summary (restored pictures).
func (r *run) forgetUnlisted(ctx context.Context, st *state, l listed) error {
	if len(l.ids) < l.Total {
		r.rep.Note("the full listing of Flickr gave %d of the %d photos it counted: no photo is taken as deleted there", len(l.ids), l.Total)
		return nil
	}
	var gone []string
	for id, x := range st.remotes {
		if !l.ids[id] {
			gone = append(gone, id)
			if sig := x.Signature(); sig != "" {
				r.deleted.add(sig)
			}
		}
	}
	if len(gone) > 0 {
		if err := r.Store.ForgetRemotes(ctx, gone); err != nil {
			return fmt.Errorf("write catalog: %w", err)
		}
		st.apply(change{forgot: gone})
		r.rep.SetFigures(func(f *Figures) { f.DeletedOnFlickr = len(gone) })
	}
	if err := r.Store.SetMeta(ctx, metaFullListing, strconv.FormatInt(r.opt.Now().Unix(), 10)); err != nil {
		return fmt.Errorf("write catalog: %w", err)
	}
	return nil
}

// deletedSigs are the signatures of the photos found deleted on Flickr in this run: a
// picture of one of them uploaded is restored, not new. Safe for concurrent use.
type deletedSigs struct {
	mu   sync.Mutex
	sigs map[string]bool
}

func (d *deletedSigs) add(sig string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.sigs == nil {
		d.sigs = map[string]bool{}
	}
	d.sigs[sig] = true
}

func (d *deletedSigs) has(sig string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.sigs[sig]
}

// restored records, once uploaded, a picture whose photo had been deleted on Flickr.
func (r *run) restored(l *Local) {
	if r.deleted.has(l.Signature) {
		r.rep.SetFigures(func(f *Figures) { f.Restored = append(f.Restored, l.Path) })
	}
}
