package scan

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/ignore"
	"github.com/flickrsync/flickrsync/internal/imagesig"
)

// Config is one scan's setup.
type Config struct {
	FS      FS               // the library tree (DirFS(root) outside tests)
	Catalog *catalog.Catalog // where results go, through its one writer
	// Signer decodes new content; nil means ImageSigner under Budget.
	Signer Signer
	// Budget bounds the memory of the decodes of the workers (and of any other decode
	// sharing it); nil means the process's (imagesig.DefaultMemoryBudget).
	Budget *imagesig.Budget
	// Workers reading and decoding files at once; 0 means one per CPU. The directory
	// walk uses more (it waits on stat calls, not on the CPU).
	Workers int
	// BatchSize is how many file results one transaction holds; 0 means 500. A killed
	// process loses at most one batch (plus the files in flight); the next scan redoes it.
	BatchSize int
	// Progress, when set, is called from one goroutine about ten times a second and
	// once at the end.
	Progress func(Progress)
	// RetryFailed decodes again the files whose decode failed before, even unchanged (after
	// an upgrade of the decoder, say).
	RetryFailed bool
	// Root is recorded in the catalog's meta as the library root (catalog.MetaLibraryRoot),
	// unless it is inside the root recorded, or holds it (nestedRoots): the catalog keeps
	// its library's, and the scan says so (Summary.CatalogRoot).
	Root string
	// Now gives the time recorded as first/last seen; nil means time.Now.
	Now func() time.Time
	// Deliver, when set, receives every file this scan reads and records (new, changed,
	// moved, copied, come back; with its error when it failed; not the unchanged files,
	// which are not read, nor a known file that cannot be read now, whose row stays as it
	// was), from one goroutine, in the order of Order, each as soon as every file before
	// it in that order is done: the catalog's live rows before the scan, with these put
	// and the paths of Summary.Gone removed, are its live rows after. The files are then
	// read in that order, so the walk ends before the first is read. A slow Deliver slows
	// the scan.
	Deliver func(catalog.Picture)
	// Order compares two library-relative paths for Deliver (nil: strings.Compare).
	Order func(a, b string) int
	// Exclude are gitignore patterns from the config and the command line (exclude,
	// --exclude, --exclude-from), relative to the library root; they win over the
	// .flickrsyncignore files (see package ignore).
	Exclude []string
	// NoDefaultExcludes switches off ignore.DefaultPatterns (config default_excludes = no).
	NoDefaultExcludes bool
	// NoFollowSymlinks skips every symbolic link (config follow_symlinks = no), listed in
	// Summary.Skipped; by default links to files and to folders are followed.
	NoFollowSymlinks bool
	// Excluded, when set, is told each path the ignore rules exclude (a folder once:
	// nothing under it is looked at) with the rule, one at a time, as the walk meets them
	// (--debug shows them).
	Excluded func(Exclusion)
	// MinAge, when set, leaves the files modified less than MinAge ago (by their mtime,
	// against Now) for a later scan, as if not seen yet: a file still being copied is not
	// read half-way (sync --watch). A new one is not recorded; a known one keeps its row
	// as it was (not flagged deleted). Summary.Recent counts them.
	MinAge time.Duration
	// AllowEmptyLibrary lets a tree with no media file flag every picture of the catalog
	// deleted (on purpose: --allow-empty-library); otherwise Run, once its walk found none,
	// and CheckNotEmpty refuse it while the catalog knows pictures (EmptyLibraryError).
	AllowEmptyLibrary bool
}

// Exclusion is a path the ignore rules excluded.
type Exclusion struct {
	Path string `json:"path"` // library-relative, '/' separated
	Dir  bool   `json:"dir"`  // a folder: nothing under it was looked at
	Rule string `json:"rule"` // "source:line:pattern", e.g. "a/.flickrsyncignore:3:*.tmp"
}

// Progress is the state of a running scan.
type Progress struct {
	Seen    int64  // media files found so far (grows while the walk runs)
	Done    int64  // of them, processed (unchanged ones included)
	Bytes   int64  // bytes read to hash or decode
	Current string // a file being processed
	Walking bool   // the walk is still finding files
}

// Failure is one file or directory that could not be indexed, and why.
type Failure struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Summary is the outcome of a scan. Every media file found (Seen) ends in exactly one of
// New, Changed, Moved, Copies, Unchanged, CameBack, Recent or Failed; Failed also lists
// unreadable directories. KnownFailures is the part of Unchanged that failed to decode
// before; RAW counts the camera RAW files found, read or not.
type Summary struct {
	Seen      int `json:"seen"`      // media files found (pictures, videos, RAW files)
	New       int `json:"new"`       // new paths with content never seen before (decoded)
	Changed   int `json:"changed"`   // known paths whose size or mtime changed (re-hashed)
	Moved     int `json:"moved"`     // new paths whose content was at a path gone in this scan
	Copies    int `json:"copies"`    // new paths whose content is known elsewhere (not decoded)
	Unchanged int `json:"unchanged"` // same size and mtime: not read at all
	CameBack  int `json:"came_back"` // paths flagged deleted earlier, present again
	Deleted   int `json:"deleted"`   // paths gone (moved ones not counted)
	Decoded   int `json:"decoded"`   // pictures actually decoded
	// Gone lists the paths flagged deleted by this scan, moved ones included (the sync
	// forgets them without reading the catalog again).
	Gone []string `json:"-"`
	// KnownFailures are unchanged files whose decode failed in an earlier scan (not retried).
	KnownFailures int       `json:"known_failures"`
	Failed        []Failure `json:"failed"`
	// Skipped lists the symbolic links not followed: links to a folder that contains
	// them (loops), every link with Config.NoFollowSymlinks.
	Skipped []Failure `json:"skipped,omitempty"`
	// RAW counts the camera RAW files found (not uploadable to Flickr; not failures).
	RAW int `json:"not_uploadable_raw"`
	// Ignored counts files without a media extension (names.IsMediaName); IgnoredByExt
	// splits it by extension (names.IgnoredExt: ".txt", "(none)").
	Ignored      int            `json:"ignored"`
	IgnoredByExt map[string]int `json:"ignored_by_ext,omitempty"`
	// Excluded counts the files and folders the ignore rules excluded (a folder once:
	// nothing under it is looked at); ExcludedBy splits it by rule ("source:line:pattern").
	Excluded   int            `json:"excluded"`
	ExcludedBy map[string]int `json:"excluded_by,omitempty"`
	// Import is what this first index took from the Python flickrsync's database, when
	// the catalog was opened in its place (nil otherwise).
	Import *Import `json:"import,omitempty"`
	// NowExcluded counts the catalog's pictures that the ignore rules exclude since this
	// scan: indexed before, now out of the library (their Flickr photos are left alone).
	NowExcluded int `json:"now_excluded,omitempty"`
	// Recent counts the files left for a later scan, modified less than Config.MinAge ago.
	Recent int `json:"recent,omitempty"`
	// CatalogRoot is the catalog's library root when this scan's root is inside it (a
	// subfolder: -l LIB/2019) or holds it: the catalog keeps its own, and the folders'
	// names seen from this root are not the library's (the sync leaves the photosets).
	CatalogRoot string `json:"catalog_root,omitempty"`
	// Complete is false when the scan was interrupted: nothing was flagged deleted.
	Complete bool  `json:"complete"`
	Bytes    int64 `json:"bytes"` // bytes read
}

// known is a catalog row as the scan tracks it.
type known struct {
	catalog.KnownFile
	content          contentKey // valid when hasContent
	hasContent, seen bool
}

var errNotRegular = errors.New("not a regular file")

// Run scans the library into the catalog: new and changed files are hashed, content seen
// before (moved, copied, restored files) reuses its signature without decoding, new
// content is decoded once however many copies it has, and files gone are flagged deleted
// once the whole tree was read. It returns the summary, and an error only when the scan
// could not run or was interrupted (ctx); failures of single files are in the summary.
func Run(ctx context.Context, cfg Config) (Summary, error) {
	if cfg.Signer == nil {
		cfg.Signer = BudgetSigner(cfg.Budget)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 500
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	st, err := cfg.FS.Stat(".")
	if err != nil {
		return Summary{}, fmt.Errorf("library directory: %w", err)
	}
	if !st.IsDir() {
		return Summary{}, fmt.Errorf("library directory %s: not a directory", cfg.Root)
	}
	if _, err := cfg.FS.ReadDir("."); err != nil {
		return Summary{}, fmt.Errorf("library directory: %w", err)
	}

	s := &scanner{cfg: cfg, known: map[string]*known{}, flights: map[contentKey]*flight{}}
	s.matcher = cfg.matcher()
	imp, err := s.loadHints(ctx)
	if err != nil {
		return Summary{}, fmt.Errorf("import the python database: %w", err)
	}
	sum, err := s.run(ctx)
	if imp != nil {
		imp.Imported = s.importedN
		sum.Import = imp
	}
	return sum, err
}

// loadKnown reads the catalog's rows into the map the coordinator compares files with.
func (s *scanner) loadKnown(ctx context.Context) error {
	return s.cfg.Catalog.KnownFiles(ctx, func(k catalog.KnownFile) error {
		p := catalog.Picture{Dir: k.Dir, Name: k.Name}
		s.known[p.Path()] = &known{KnownFile: k}
		return nil
	})
}

type scanner struct {
	cfg     Config
	matcher *ignore.Matcher
	// hints are the Python tool's signatures by path (read-only once the scan runs);
	// importedN counts the pictures that took theirs (the writer's).
	hints     map[string]*hint
	importedN int
	known     map[string]*known // by library-relative path; touched by the coordinator only
	// knownContent holds the contents the catalog had when the scan started (read-only).
	knownContent map[contentKey]bool
	mu           sync.Mutex
	flights      map[contentKey]*flight

	seen, done, bytes atomic.Int64
	current           atomic.Value // string
	walking           atomic.Bool
}

// work is a file to read.
type work struct {
	e     entry
	known *known // nil for a new path
	seq   int    // its place in the order of Deliver
}

func (s *scanner) run(ctx context.Context) (Summary, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var sum Summary
	wres := &walkResult{matcher: s.matcher, onExcluded: s.cfg.Excluded, noFollow: s.cfg.NoFollowSymlinks}
	// A deep queue lets the walk (stat calls) run while the catalog's rows load.
	entries := make(chan []entry, 4096)
	jobs := make(chan work, 2*s.cfg.Workers)
	results := make(chan result, 2*s.cfg.Workers)

	s.walking.Store(true)
	go walk(ctx, s.cfg.FS, max(8, 4*s.cfg.Workers), entries, wres)
	if err := s.loadKnown(ctx); err != nil {
		cancel()
		for range entries {
		}
		return Summary{}, err
	}

	var workers sync.WaitGroup
	for i := 0; i < s.cfg.Workers; i++ {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for w := range jobs {
				// The writer drains results until they are closed, so a computed result
				// is always handed over, even after an interruption.
				r := s.process(ctx, w)
				r.seq = w.seq
				results <- r
			}
		}()
	}
	go func() { workers.Wait(); close(results) }()

	// The writer: the catalog's one writer, in batches.
	w := &writer{s: s, now: s.cfg.Now().Unix()}
	writerDone := make(chan error, 1)
	go func() {
		err := w.loop(ctx, results)
		if err != nil {
			cancel() // stop the walk: nothing more can be recorded
		}
		writerDone <- err
	}()

	stopProgress := s.startProgress()

	// The coordinator: compares each file with the catalog. With Deliver, the files to
	// read wait until the walk ends, to be read in its order.
	var coordFailed []Failure
	var ordered []work
	settled := int64(math.MaxInt64) // files modified after this (ns) are left for later
	if s.cfg.MinAge > 0 {
		settled = s.cfg.Now().Add(-s.cfg.MinAge).UnixNano()
	}
coord:
	for batch := range entries {
		for _, e := range batch {
			s.seen.Add(1)
			k := s.known[e.rel]
			if k != nil {
				k.seen = true
			}
			switch {
			case e.err != nil:
				coordFailed = append(coordFailed, Failure{Path: e.rel, Reason: reason(e.err)})
				s.done.Add(1)
			case k != nil && !k.Deleted && k.Size == e.size && k.MtimeNS == e.mtimeNS && !catalog.RetriedEveryScan(k.ErrorKind) &&
				!(s.cfg.RetryFailed && k.ErrorKind == catalog.ErrorDecode):
				sum.Unchanged++
				switch k.ErrorKind {
				case catalog.ErrorDecode:
					sum.KnownFailures++
				case catalog.ErrorRAW:
					sum.RAW++
				}
				s.done.Add(1)
			case e.mtimeNS > settled:
				sum.Recent++
				s.done.Add(1)
			case s.cfg.Deliver != nil:
				ordered = append(ordered, work{e: e, known: k})
			default:
				select {
				case jobs <- work{e: e, known: k}:
				case <-ctx.Done():
					break coord
				}
			}
		}
	}
	if s.cfg.Deliver != nil {
		order := s.cfg.Order
		if order == nil {
			order = strings.Compare
		}
		sort.Slice(ordered, func(i, j int) bool { return order(ordered[i].e.rel, ordered[j].e.rel) < 0 })
	dispatch:
		for i, w := range ordered {
			w.seq = i
			select {
			case jobs <- w:
			case <-ctx.Done():
				break dispatch
			}
		}
	}
	close(jobs)
	for range entries { // drain after an interruption so the walk ends
	}
	s.walking.Store(false)
	werr := <-writerDone
	workers.Wait()

	sum.Seen = int(s.seen.Load())
	sum.Failed = append(sum.Failed, wres.failed...)
	sum.Failed = append(sum.Failed, coordFailed...)
	sum.Failed = append(sum.Failed, w.failed...)
	sum.Skipped = wres.skipped
	sum.IgnoredByExt = wres.ignored
	for _, n := range wres.ignored {
		sum.Ignored += n
	}
	sum.RAW += w.raw
	sum.Excluded, sum.ExcludedBy = wres.excluded, wres.excludedBy
	sum.New, sum.Changed, sum.CameBack, sum.Copies, sum.Decoded = w.newN, w.changed, w.cameBack, w.copies, w.decoded

	interrupted := ctx.Err() != nil || wres.interrupted || werr != nil
	if !interrupted && sum.Seen == 0 && !s.cfg.AllowEmptyLibrary {
		// Checked again here: the disk may have gone since CheckNotEmpty.
		werr = refuseEmpty(ctx, s.cfg, wres)
		interrupted = werr != nil
	}
	if !interrupted {
		// The whole tree was read: flag what is gone, settle moves against it.
		deleted, err := s.finish(ctx, wres, &sum)
		if err == nil {
			err = s.resolveMoves(ctx, w, deleted, &sum)
		}
		if err != nil {
			werr = err
		} else {
			sum.Complete = true
		}
	} else {
		// Without the list of deletions, a content seen elsewhere is a copy.
		sum.Copies += len(w.moveCandidates)
	}
	sum.Bytes = s.bytes.Load()
	stopProgress()
	sort.Slice(sum.Failed, func(i, j int) bool { return sum.Failed[i].Path < sum.Failed[j].Path })
	sort.Slice(sum.Skipped, func(i, j int) bool { return sum.Skipped[i].Path < sum.Skipped[j].Path })
	if werr != nil {
		return sum, werr
	}
	if err := context.Cause(ctx); err != nil && !sum.Complete {
		return sum, fmt.Errorf("scan interrupted: %w", err)
	}
	return sum, nil
}

// finish flags the rows not seen as deleted, or as excluded when the ignore rules exclude
// their path now (except under unreadable directories), and records the completed scan
// in the catalog's meta. It returns the rows of files gone.
func (s *scanner) finish(ctx context.Context, wres *walkResult, sum *Summary) (map[int64]bool, error) {
	var gone, excluded []int64
	deleted := map[int64]bool{}
	unreadable := wres.unreadable
	for rel, k := range s.known {
		if k.seen || isUnder(rel, unreadable) {
			continue
		}
		ex, _ := s.matcher.Decide(&wres.folders, rel, false)
		switch {
		case ex && !k.Excluded:
			excluded = append(excluded, k.ID)
			if !k.Deleted {
				sum.NowExcluded++
				sum.Gone = append(sum.Gone, rel) // no longer live: the engine drops it
			}
		case ex, k.Deleted && !k.Excluded:
			// Already so.
		default:
			// Gone, or excluded before and not any more (and not there).
			gone = append(gone, k.ID)
			if !k.Deleted {
				deleted[k.ID] = true
				sum.Gone = append(sum.Gone, rel)
			}
		}
	}
	sort.Slice(gone, func(i, j int) bool { return gone[i] < gone[j] })
	sort.Slice(excluded, func(i, j int) bool { return excluded[i] < excluded[j] })
	sort.Strings(sum.Gone)
	now := s.cfg.Now().Unix()
	for len(gone)+len(excluded) > s.cfg.BatchSize {
		var ch catalog.PictureChanges
		if len(gone) > 0 {
			n := min(len(gone), s.cfg.BatchSize)
			ch.Delete, gone = gone[:n], gone[n:]
		} else {
			n := min(len(excluded), s.cfg.BatchSize)
			ch.Exclude, excluded = excluded[:n], excluded[n:]
		}
		if err := s.cfg.Catalog.Apply(ctx, ch, now); err != nil {
			return nil, err
		}
	}
	meta := map[string]string{catalog.MetaLastIndex: strconv.FormatInt(now, 10),
		catalog.MetaExcluded: strconv.Itoa(sum.Excluded)}
	if s.cfg.Root != "" {
		old, err := s.cfg.Catalog.Meta(ctx, catalog.MetaLibraryRoot)
		if err != nil {
			return nil, err
		}
		if nestedRoots(old, s.cfg.Root) {
			sum.CatalogRoot = old
		} else {
			meta[catalog.MetaLibraryRoot] = s.cfg.Root
		}
	}
	if err := s.cfg.Catalog.Apply(ctx, catalog.PictureChanges{Delete: gone, Exclude: excluded, Meta: meta}, now); err != nil {
		return nil, err
	}
	sum.Deleted = len(deleted)
	return deleted, nil
}

// resolveMoves counts each new path whose content was known as moved when a row holding
// that content was flagged deleted by this scan (each such row pairs with one new path),
// else as a copy.
func (s *scanner) resolveMoves(ctx context.Context, w *writer, deleted map[int64]bool, sum *Summary) error {
	gone := map[contentKey]int{}
	if len(w.moveCandidates) > 0 && len(deleted) > 0 {
		ids := make([]int64, 0, len(deleted))
		for id := range deleted {
			ids = append(ids, id)
		}
		contents, err := s.cfg.Catalog.ContentsOf(ctx, ids)
		if err != nil {
			return err
		}
		for _, ct := range contents {
			if k, ok := keyOf(ct.Size, ct.Hash); ok {
				gone[k]++
			}
		}
	}
	claimed := 0
	for _, mc := range w.moveCandidates {
		if gone[mc.key] > 0 {
			gone[mc.key]--
			claimed++
			sum.Moved++
		} else {
			sum.Copies++
		}
	}
	sum.Deleted -= claimed
	return nil
}

func isUnder(rel string, dirs []string) bool {
	for _, d := range dirs {
		if under(rel, d) {
			return true
		}
	}
	return false
}

// startProgress calls cfg.Progress ten times a second until the returned stop is called.
func (s *scanner) startProgress() (stop func()) {
	if s.cfg.Progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				s.cfg.Progress(s.progress())
			case <-done:
				s.cfg.Progress(s.progress())
				return
			}
		}
	}()
	return func() { close(done); <-finished }
}

func (s *scanner) progress() Progress {
	cur, _ := s.current.Load().(string)
	return Progress{Seen: s.seen.Load(), Done: s.done.Load(), Bytes: s.bytes.Load(),
		Current: cur, Walking: s.walking.Load()}
}
