package syncer

import (
	"context"
	"path"
	"sync"

	"github.com/flickrsync/flickrsync/internal/names"
)

// Uploading while indexing.
//
// A first sync spends its time in two long steps: the local index decodes every picture
// (the CPU), the uploads send them (the uplink). Run one after the other, the index is
// added to the upload time; run together, it mostly disappears. So the sync uploads a
// new picture as soon as the index has read it, when the plan's own rule (Known.verdict,
// over the photos a copy matches by Match's rules) says it needs an upload and nothing
// read later can change that:
//   - the run asks no question and is no dry run (asking needs the whole plan's count);
//   - every Flickr photo the catalog knows carries a signature tag: an untagged photo may
//     match any picture by name and date, or be downloaded to be identified, which needs
//     the whole library indexed first;
//   - with Options.Replace, the picture is no file changed into other pixels (an edit,
//     which may replace its earlier version's photo: edits.go);
//   - the picture is not named as a download (its photo may be unknown yet) and is the
//     copy its picture keeps among every copy known: the catalog's and those read so far.
//     The index hands the files over in ReadOrder, download names first, then
//     names.KeepOrder, so a copy read later is never kept before it, and no later copy
//     can match a photo by its name. A copy the catalog held that is gone by the end of
//     the index only makes it wait for the plan (conservative, never a second upload).
//
// The pictures read go into the run's state as they come (each decision depends on those
// before); what the rule leaves goes through the plan after the index, as without it.
// Each upload follows the same journal protocol (uploadOne), so a kill during the index
// leaves the same traces as a kill during the upload step.

// ReadOrder is the order in which the Indexer hands over the pictures it reads: the
// files named as downloads (names.ParseDownload) first, then the others in
// names.KeepOrder (shortest path first, then bytewise).
func ReadOrder(a, b string) int {
	_, da := names.ParseDownload(path.Base(a))
	_, db := names.ParseDownload(path.Base(b))
	switch {
	case da && !db:
		return -1
	case db && !da:
		return 1
	}
	return names.KeepOrder(a, b)
}

// indexUploading indexes the library, uploading the new pictures it reads that the plan
// would upload (see above), and returns what it changed: the pictures read, the paths
// gone, the photos created (listed again when there are any) and the signatures sent.
func (r *run) indexUploading(ctx context.Context, st *state) (change, error) {
	remotes := make([]*Remote, 0, len(st.remotes))
	for _, x := range st.remotes {
		remotes = append(remotes, &x)
	}
	x := indexRemotes(remotes, st.opt)
	matched := func(l *Local) bool { return len(x.links(l)) > 0 }

	var mu sync.Mutex
	var sent change // what the uploads changed
	q := &localQueue{}
	q.cond = sync.NewCond(&q.mu)
	var wg sync.WaitGroup
	for range r.opt.Transfers {
		wg.Go(func() {
			for {
				l, ok := q.pop()
				if !ok {
					return
				}
				ev := Event{Step: StepUpload, Subject: l.Path, Outcome: Skipped, Detail: "interrupted"}
				var c change
				if ctx.Err() == nil {
					ev, c = r.uploadOne(ctx, &l, nil)
				}
				mu.Lock()
				sent.add(c)
				mu.Unlock()
				r.record(ev)
				r.out.StepAdd(StepUpload, 1)
			}
		})
	}
	started := false // the upload step shows from its first picture on
	// Called by the indexer from one goroutine, in ReadOrder.
	read := func(l Local) {
		before, had := st.locals[l.Path]
		st.putLocal(l)
		if l.Signature == "" {
			return
		}
		if r.opt.Replace && had && before.Signature != "" && before.Signature != l.Signature {
			return // an edit, which may replace its earlier version's photo: the plan decides
		}
		if _, ok := names.ParseDownload(l.Name()); ok {
			return
		}
		if l.Media == MediaVideo {
			return // a Live Photo's motion is told by a still read later: the plan decides
		}
		// Verdict's first two rules, for this copy alone: a picture sent already or matched
		// by a photo needs no look at its copies (gathering them at every copy read made a
		// first sync quadratic in the copies of one picture: 25,000 files of 2 pictures
		// took 56 s).
		if _, ok := st.known.Sent[l.Signature]; ok || matched(&l) {
			return
		}
		g := st.copies(l.Signature)
		if g.Keep == nil || g.Keep.Path != l.Path {
			return
		}
		if v, _ := st.known.mediaVerdict(g, matched, nil); v != sendNow {
			return
		}
		if r.withLimits(ctx, st) {
			if v, _ := st.known.mediaVerdict(g, matched, nil); v != sendNow {
				return
			}
		}
		st.apply(change{sent: map[string]string{l.Signature: l.Path}})
		if !started {
			started = true
			r.out.StepStart(StepUpload, 0)
		}
		q.push(l)
	}
	c, ierr := r.indexLocal(ctx, read)
	q.close()
	wg.Wait()
	if started {
		r.out.StepEnd(StepUpload)
	}
	c.add(sent)
	if ierr == nil {
		ierr = ctx.Err() // uploads interrupted after the index ended
	}
	if ierr != nil || len(sent.remotes) == 0 {
		return c, ierr
	}
	// As after the upload step: the listing brings the new photos' details.
	listed, err := r.indexFlickr(ctx, false)
	c.add(listed)
	return c, err
}

// localQueue hands the pictures read to the uploaders without ever making the indexer
// wait (it holds one small record per picture at most).
type localQueue struct {
	mu     sync.Mutex
	cond   *sync.Cond
	items  []Local
	closed bool
}

func (q *localQueue) push(l Local) {
	q.mu.Lock()
	q.items = append(q.items, l)
	q.mu.Unlock()
	q.cond.Signal()
}

func (q *localQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.cond.Broadcast()
}

// pop waits for a picture; false once the queue is closed and empty.
func (q *localQueue) pop() (Local, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.closed {
		q.cond.Wait()
	}
	if len(q.items) == 0 {
		return Local{}, false
	}
	l := q.items[0]
	q.items = q.items[1:]
	return l, true
}
