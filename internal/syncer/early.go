package syncer

import (
	"context"
	"fmt"
	"sync"

	"github.com/flickrsync/flickrsync/internal/names"
)

// Uploading while indexing.
//
// A first sync spends its time in two long steps: the local index decodes every picture
// (the CPU), the uploads send them (the uplink). Run one after the other, the index is
// added to the upload time; run together, it mostly disappears. So when nothing can make
// the plan for a picture depend on the pictures not read yet, the sync uploads each new
// picture as soon as the index has read it. That holds when:
//   - the run asks no question and is no dry run (asking needs the whole plan's count);
//   - the indexer streams what it reads (StreamIndexer);
//   - every Flickr photo the catalog knows carries a signature tag, so that a picture
//     matches a photo by its signature only: an untagged photo may match a picture by
//     name and date, or be downloaded to be identified, which needs the whole library
//     indexed first;
//
// and, for one picture, when:
//   - it decodes, and its name is not that of a file flickrsync downloaded (those match
//     their photo by the id in the name);
//   - no Flickr photo carries its signature, no picture the catalog held before this index
//     has it (the plan decides for those), and no earlier upload of it is unsettled;
//   - it is the first copy of its signature read: the index reads files in the order in
//     which Duplicates picks the copy it keeps, so it is the copy the plan would upload.
//
// What this leaves goes through the plan after the index, as without it. Each upload
// follows the same journal protocol (uploadOne), so a kill during the index leaves the
// same traces as a kill during the upload step.

// earlyUploads is what was uploaded while indexing.
type earlyUploads struct {
	// tried maps each signature uploaded (or tried) during the index to the path sent.
	tried map[string]string
	// unsettled are the signatures of earlier unconfirmed uploads that must not be sent
	// again in this run, with the reason (from resolvePending).
	unsettled map[string]string
}

// canUploadWhileIndexing reports whether this run may upload while it indexes (see
// above; the catalog's photos are checked later).
func (r *run) canUploadWhileIndexing() bool {
	_, streams := r.Indexer.(StreamIndexer)
	return streams && !r.opt.DryRun && r.opt.Confirm == nil
}

// indexUploading indexes Flickr, then the library while uploading the new pictures it
// reads. It returns nil (and has indexed both, one after the other) when a Flickr photo
// without a signature tag rules uploading early out.
func (r *run) indexUploading(ctx context.Context) (*earlyUploads, error) {
	if err := r.indexFlickr(ctx, false); err != nil {
		return nil, err
	}
	remotes, err := r.Store.Remotes(ctx)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	for _, x := range remotes {
		if x.Signature() == "" {
			return nil, r.indexLocal(ctx, nil)
		}
	}
	settled, unsettled, err := r.resolvePending(ctx)
	if err != nil {
		return nil, err
	}
	// Signatures the plan decides for: on Flickr (settled uploads included), known
	// locally before this index, or unsettled.
	planned := map[string]bool{}
	if settled {
		if remotes, err = r.Store.Remotes(ctx); err != nil {
			return nil, fmt.Errorf("read catalog: %w", err)
		}
	}
	for _, x := range remotes {
		planned[x.Signature()] = true
	}
	locals, err := r.Store.Locals(ctx)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	for _, l := range locals {
		planned[l.Signature] = true
	}
	for sig := range unsettled {
		planned[sig] = true
	}

	e := &earlyUploads{tried: map[string]string{}, unsettled: unsettled}
	q := &localQueue{}
	q.cond = sync.NewCond(&q.mu)
	var created bool
	var mu sync.Mutex
	var wg sync.WaitGroup
	started := false // the upload step shows from its first picture on
	for range r.opt.Transfers {
		wg.Go(func() {
			for {
				l, ok := q.pop()
				if !ok {
					return
				}
				ev := Event{Step: StepUpload, Subject: l.Path, Outcome: Skipped, Detail: "interrupted"}
				if ctx.Err() == nil {
					ev = r.uploadOne(ctx, &l)
				}
				if ev.Outcome == Done {
					mu.Lock()
					created = true
					mu.Unlock()
				}
				r.record(ev)
				r.out.StepAdd(StepUpload, 1)
			}
		})
	}
	// Called by the indexer from one goroutine, in the order Duplicates keeps copies.
	read := func(l Local) {
		if l.Signature == "" || planned[l.Signature] || e.tried[l.Signature] != "" {
			return
		}
		if _, ok := names.ParseDownload(l.Name()); ok {
			return
		}
		e.tried[l.Signature] = l.Path
		if !started {
			started = true
			r.out.StepStart(StepUpload, 0)
		}
		q.push(l)
	}
	ierr := r.indexLocal(ctx, read)
	q.close()
	wg.Wait()
	if started {
		r.out.StepEnd(StepUpload)
	}
	if ierr == nil {
		ierr = ctx.Err() // uploads interrupted after the index ended
	}
	if ierr != nil {
		return e, ierr
	}
	if created {
		// As after the upload step: the listing brings the new photos' details.
		if err := r.indexFlickr(ctx, false); err != nil {
			return e, err
		}
	}
	return e, nil
}

// recordCopies ends the duplicate copies (among the matching's pictures) of the pictures
// uploaded while indexing, as the upload step ends those of the pictures it uploads.
func (r *run) recordCopies(locals []*Local, tried map[string]string) {
	for _, g := range Duplicates(locals) {
		sent, ok := tried[g.Signature]
		if !ok {
			continue
		}
		for _, l := range append([]*Local{g.Keep}, g.Copies...) {
			if l.Path != sent {
				r.record(Event{Step: StepUpload, Subject: l.Path, Outcome: Skipped, Detail: "duplicate of " + sent})
			}
		}
	}
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
