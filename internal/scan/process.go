package scan

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/flickrsync/flickrsync/internal/catalog"
)

// contentKey identifies bytes: size and SHA-256.
type contentKey struct {
	size int64
	hash [sha256.Size]byte
}

func (k contentKey) hex() string { return hex.EncodeToString(k.hash[:]) }

// keyOf parses a catalog row's content; ok is false when it has none.
func keyOf(size int64, hash string) (contentKey, bool) {
	k := contentKey{size: size}
	if len(hash) != 2*sha256.Size {
		return k, false
	}
	if _, err := hex.Decode(k.hash[:], []byte(hash)); err != nil {
		return k, false
	}
	return k, true
}

// flight is the content of some bytes, learnt once per scan (from the catalog or by
// decoding) while the other files with the same bytes wait for it.
type flight struct {
	done    chan struct{}
	content content
	ok      bool // false when the decode was interrupted
	catalog bool // the content came from the catalog
}

// content is what a file's bytes determine (kept per distinct content during a scan,
// so small).
type content struct {
	signature, kind, format, media, dateTaken, liveID, err, errKind string
	width, height                                                   int
	duration                                                        float64
}

func contentOf(p catalog.Picture) content {
	return content{p.Signature, p.Kind, p.Format, p.Media, p.DateTaken, p.LiveID, p.Error, p.ErrorKind,
		p.Width, p.Height, p.Duration}
}

func (c content) apply(p *catalog.Picture) {
	p.Signature, p.Kind, p.Format, p.Media, p.DateTaken, p.LiveID = c.signature, c.kind, c.format, c.media, c.dateTaken, c.liveID
	p.Error, p.ErrorKind, p.Width, p.Height, p.Duration = c.err, c.errKind, c.width, c.height, c.duration
}

// how a result's content was obtained.
type origin int

const (
	fromDecode  origin = iota // decoded here
	fromCatalog               // same bytes as rows already in the catalog
	fromFlight                // same bytes as another file of this scan
	fromFailure               // could not be read
	fromImport                // signed by the Python tool (see import.go)
)

// result is one processed file, for the writer.
type result struct {
	pic     catalog.Picture
	known   *known
	origin  origin
	key     contentKey
	failure *Failure
	skip    bool // interrupted: write nothing
	seq     int  // the file's place in the order of Config.Deliver
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 256<<10); return &b }}

// errChanged is a file modified while it was being read.
var errChanged = errors.New("changed while reading")

// process reads one file: hash, then content lookup, then (only for new content) decode.
func (s *scanner) process(ctx context.Context, w work) result {
	s.current.Store(w.e.rel)
	defer s.done.Add(1)
	dir, name := catalog.SplitPath(w.e.rel)
	r := result{known: w.known, pic: catalog.Picture{Dir: dir, Name: name, Size: w.e.size, MtimeNS: w.e.mtimeNS}}
	fail := func(err error) result {
		r.origin = fromFailure
		r.pic.Error, r.pic.ErrorKind = reason(err), catalog.ErrorRead
		r.failure = &Failure{Path: w.e.rel, Reason: reason(err)}
		return r
	}
	f, key, err := s.openAndHash(ctx, &r.pic, w.e.rel)
	if err != nil {
		if ctx.Err() != nil {
			return result{skip: true}
		}
		return fail(err)
	}
	defer f.Close()
	r.pic.Hash = key.hex()
	r.key = key

	// Each distinct content is learnt once per scan; the other files wait for it.
	s.mu.Lock()
	fl, waiting := s.flights[key]
	if !waiting {
		fl = &flight{done: make(chan struct{})}
		s.flights[key] = fl
	}
	s.mu.Unlock()
	if waiting {
		select {
		case <-fl.done:
		case <-ctx.Done():
			return result{skip: true}
		}
		if !fl.ok {
			return result{skip: true}
		}
		fl.content.apply(&r.pic)
		r.origin = fromFlight
		if fl.catalog {
			r.origin = fromCatalog
		}
		return s.withFailure(r)
	}

	// Bytes already in the catalog: reuse what was learnt from them.
	row, ok, err := s.cfg.Catalog.ContentOf(ctx, key.size, r.pic.Hash)
	if err != nil {
		close(fl.done)
		if ctx.Err() != nil {
			return result{skip: true}
		}
		return fail(err)
	}
	if ok && !(s.cfg.RetryFailed && row.ErrorKind == catalog.ErrorDecode) {
		fl.content, fl.ok, fl.catalog = contentOf(row), true, true
		fl.content.apply(&r.pic)
		close(fl.done)
		r.origin = fromCatalog
		return s.withFailure(r)
	}

	// Bytes the Python tool signed, not modified since: its signature instead of a decode.
	if c, o, ok, err := s.imported(ctx, w.e.rel, r.pic.MtimeNS, f, key.size); err != nil || ok {
		if err != nil {
			close(fl.done)
			return fail(err)
		}
		fl.content, fl.ok = c, true
		close(fl.done)
		c.apply(&r.pic)
		r.origin = o
		return s.withFailure(r)
	}

	// New bytes: decode them.
	signed, err := s.cfg.Signer(ctx, f, key.size, name)
	if ctx.Err() != nil {
		close(fl.done) // ok stays false: the waiters give up too
		return result{skip: true}
	}
	r.pic.Format, r.pic.Media = signed.Format, signed.Media
	if err != nil {
		r.pic.Error, r.pic.ErrorKind = err.Error(), errorKind(err)
	} else {
		r.pic.Signature, r.pic.Kind = signed.Signature, signed.Kind
		r.pic.Width, r.pic.Height, r.pic.Duration = signed.Width, signed.Height, signed.Duration
		r.pic.DateTaken, r.pic.LiveID = signed.DateTaken, signed.LiveID
	}
	fl.content, fl.ok = contentOf(r.pic), true
	close(fl.done)
	r.origin = fromDecode
	return s.withFailure(r)
}

func (s *scanner) withFailure(r result) result {
	if r.pic.Error != "" && r.pic.ErrorKind != catalog.ErrorRAW {
		r.failure = &Failure{Path: r.pic.Path(), Reason: r.pic.Error}
	}
	return r
}

// openAndHash opens the file and hashes all its bytes, checking that its size and mtime
// did not change meanwhile; a file that changed is read once more, then reported. The
// file is returned open (its bytes are now in the page cache for the decoder).
func (s *scanner) openAndHash(ctx context.Context, p *catalog.Picture, rel string) (File, contentKey, error) {
	for attempt := 0; ; attempt++ {
		f, err := s.cfg.FS.Open(rel)
		if err != nil {
			return nil, contentKey{}, err
		}
		key, err := s.hash(ctx, f, p)
		if err == nil {
			return f, key, nil
		}
		f.Close()
		if !errors.Is(err, errChanged) || attempt == 1 {
			return nil, contentKey{}, err
		}
		// Take the file's new size and mtime, and read it again.
		st, serr := s.cfg.FS.Stat(rel)
		if serr != nil {
			return nil, contentKey{}, serr
		}
		p.Size, p.MtimeNS = st.Size(), st.ModTime().UnixNano()
	}
}

func (s *scanner) hash(ctx context.Context, f File, p *catalog.Picture) (contentKey, error) {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	h := sha256.New()
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return contentKey{}, err
		}
		m, err := f.Read(*bp)
		h.Write((*bp)[:m])
		n += int64(m)
		if err == io.EOF {
			break
		}
		if err != nil {
			return contentKey{}, fmt.Errorf("read: %w", err)
		}
	}
	s.bytes.Add(n)
	st, err := f.Stat()
	if err != nil {
		return contentKey{}, err
	}
	if n != p.Size || st.Size() != p.Size || st.ModTime().UnixNano() != p.MtimeNS {
		return contentKey{}, errChanged
	}
	k := contentKey{size: n}
	h.Sum(k.hash[:0])
	return k, nil
}

// writer is the catalog's one writer during a scan.
type writer struct {
	s        *scanner
	now      int64
	batch    []catalog.Picture
	failed   []Failure
	newN     int
	changed  int
	copies   int
	cameBack int
	decoded  int
	raw      int // camera RAW files read
	// moveCandidates are new paths whose content the catalog already held.
	moveCandidates []moveCandidate
	// waiting holds the results not yet delivered, by seq; next is the seq due.
	waiting map[int]result
	next    int
}

type moveCandidate struct {
	rel string
	key contentKey
}

func (w *writer) loop(ctx context.Context, results <-chan result) error {
	var err error
	for r := range results {
		w.deliver(r)
		if r.skip || err != nil {
			continue
		}
		w.count(r)
		if r.failure != nil {
			w.failed = append(w.failed, *r.failure)
		}
		if r.origin == fromFailure && r.known != nil {
			// Keep what was known of a file that cannot be read now.
			continue
		}
		w.batch = append(w.batch, r.pic)
		if len(w.batch) >= w.s.cfg.BatchSize {
			err = w.flush(ctx)
		}
	}
	if err != nil {
		return err
	}
	return w.flush(ctx)
}

// deliver hands results to Config.Deliver in their order: a result waits for those
// before it (a few at most: the workers take files in that order). A skipped result (an
// interruption) holds back the ones after it, which are then never delivered. A known
// file that cannot be read now keeps its row as it was: it is not handed over, so that
// what Deliver hears is what the catalog records.
func (w *writer) deliver(r result) {
	if w.s.cfg.Deliver == nil {
		return
	}
	if w.waiting == nil {
		w.waiting = map[int]result{}
	}
	w.waiting[r.seq] = r
	for {
		next, ok := w.waiting[w.next]
		if !ok || next.skip {
			return
		}
		delete(w.waiting, w.next)
		w.next++
		if next.origin == fromFailure && next.known != nil {
			continue
		}
		w.s.cfg.Deliver(next.pic)
	}
}

func (w *writer) count(r result) {
	if r.origin == fromDecode {
		w.decoded++
	}
	if r.pic.ErrorKind == catalog.ErrorRAW {
		w.raw++
	}
	switch {
	case r.failure != nil: // counted in Failed only
	case r.known != nil && r.known.Deleted:
		w.cameBack++
	case r.known != nil:
		w.changed++
	case r.origin == fromCatalog:
		w.moveCandidates = append(w.moveCandidates, moveCandidate{rel: r.pic.Path(), key: r.key})
	case r.origin == fromFlight:
		w.copies++
	case r.origin == fromDecode:
		w.newN++
	case r.origin == fromImport:
		w.newN++
		w.s.importedN++
	}
}

func (w *writer) flush(ctx context.Context) error {
	if len(w.batch) == 0 {
		return nil
	}
	// Results already computed are kept even when the scan is being interrupted: a batch
	// is a short transaction.
	err := w.s.cfg.Catalog.Apply(context.WithoutCancel(ctx), catalog.PictureChanges{Put: w.batch}, w.now)
	w.batch = w.batch[:0]
	return err
}
