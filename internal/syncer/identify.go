package syncer

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/flickrsync/flickrsync/internal/names"
	"github.com/flickrsync/flickrsync/internal/safeopen"
	"github.com/flickrsync/flickrsync/internal/words"
)

// Identifying the photos without a signature tag.
//
// A photo without the tag that no picture matches by name and date may still be one of
// the library's pictures (renamed, or uploaded by another tool): its original is
// downloaded and signed, and the photo is tagged with the signature it gives. The
// download lands beside the library's root as a temporary file (names.PartName: the index
// never reads it, the first download step of the next run removes it after a kill) and
// is kept only when the library lacks the picture and the command brings pictures home
// (sync2): then it goes into the download folder under its download name, where the next
// runs match it by that name, decodable or not. Otherwise it is removed: a picture the
// library has is never copied into it again, and a one-way sync brings nothing home.
//
// An original flickrsync cannot sign (a format or a JPEG its decoder refuses) is
// remembered (meta sync.unidentified) with its content hash and never fetched again
// while the photo keeps its original: a library file of the same bytes is its copy. An
// original that cannot be downloaded is remembered with the reason and the number of runs
// that failed: while fewer than MaxIdentifyFailures, the uploads wait (the photo may be
// any picture under another name) and it is tried again at every run; from then on the
// pictures go up, and it is tried again after a day, then two, four... at most a month.
// status and verify list them.

// MaxIdentifyFailures is how many runs an untagged photo whose original cannot be
// downloaded holds the uploads back.
const MaxIdentifyFailures = 3

// maxIdentifyBackoff bounds the time between two tries of an original that cannot be
// downloaded, once it no longer holds the uploads back.
const maxIdentifyBackoff = 32 * 24 * time.Hour

// metaUnidentified is the catalog's memory of the photos that could not be identified:
// JSON, photo id -> Unidentified.
const metaUnidentified = "sync.unidentified"

// Unidentified is a photo without a signature tag whose original could not be signed.
type Unidentified struct {
	Title string `json:"title"`
	// Secret is the original's secret when it was tried: a photo whose original was
	// replaced since is tried afresh.
	Secret string `json:"secret"`
	Reason string `json:"reason"`
	// Hash is the content hash (SHA-256) of an original that was downloaded and could not
	// be decoded; "" when it could not be downloaded.
	Hash string `json:"hash,omitempty"`
	// Failures counts the runs whose download of it failed; Next is when (unix seconds)
	// it is tried again.
	Failures int   `json:"failures,omitempty"`
	Next     int64 `json:"next,omitempty"`
}

// holds reports whether the photo holds the uploads back.
func (u Unidentified) holds() bool { return u.Hash == "" && u.Failures < MaxIdentifyFailures }

// unidentified says whether an untagged photo no picture matches is missing from the
// library and whether it is downloaded to be identified, given what earlier runs learnt.
func (k Known) unidentified(r *Remote) (missing, identify bool) {
	u, ok := k.Unidentified[r.ID]
	switch {
	case !ok:
		return true, true
	case u.Hash != "":
		// Known by its bytes only: missing unless a library file holds them.
		return !k.Hashes[u.Hash], false
	case u.Next > k.Now:
		return false, false // not tried again yet
	}
	return true, true
}

// failedAgain is u after one more run whose download failed at now.
func (u Unidentified) failedAgain(now time.Time, reason string) Unidentified {
	u.Failures++
	u.Reason = reason
	u.Next = now.Unix()
	if n := u.Failures - MaxIdentifyFailures; n >= 0 {
		wait := min(24*time.Hour<<min(n, 8), maxIdentifyBackoff)
		u.Next = now.Add(wait).Unix()
	}
	return u
}

// loadKnown reads what earlier runs left the plan (the photos that could not be
// identified, pruned of those tagged, replaced or gone since) into the state.
func (r *run) loadKnown(ctx context.Context, st *state) error {
	st.known.Now = r.opt.Now().Unix()
	memo, err := r.unidentifiedMemo(ctx)
	if err != nil {
		return err
	}
	pruned := false
	for id, u := range memo {
		x, ok := st.remotes[id]
		if !ok || x.Signature() != "" || x.OriginalSecret != u.Secret {
			delete(memo, id)
			pruned = true
		}
	}
	if pruned && !r.opt.DryRun {
		if err := r.saveUnidentified(ctx, memo); err != nil {
			return err
		}
	}
	st.known.Unidentified = memo
	st.m, st.p = nil, nil
	return nil
}

// loadExcluded reads the signatures the library holds only in excluded files into the
// state, once the library is indexed (the index decides what is excluded).
func (r *run) loadExcluded(ctx context.Context, st *state) error {
	ex, err := r.Store.ExcludedSignatures(ctx)
	if err != nil {
		return fmt.Errorf("read catalog: %w", err)
	}
	st.known.Excluded = map[string]bool{}
	for _, sig := range ex {
		st.known.Excluded[sig] = true
	}
	st.m, st.p = nil, nil
	return nil
}

// unidentifiedMemo reads the catalog's memory of the photos that could not be
// identified; a damaged one is forgotten (it costs downloads, not correctness).
func (r *run) unidentifiedMemo(ctx context.Context) (map[string]Unidentified, error) {
	return readUnidentified(ctx, r.Store)
}

func readUnidentified(ctx context.Context, s interface {
	Meta(context.Context, string) (string, error)
}) (map[string]Unidentified, error) {
	memo := map[string]Unidentified{}
	v, err := s.Meta(ctx, metaUnidentified)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	if v != "" && json.Unmarshal([]byte(v), &memo) != nil {
		memo = map[string]Unidentified{}
	}
	return memo, nil
}

func (r *run) saveUnidentified(ctx context.Context, memo map[string]Unidentified) error {
	b, err := json.Marshal(memo)
	if err != nil {
		return err
	}
	if err := r.Store.SetMeta(context.WithoutCancel(ctx), metaUnidentified, string(b)); err != nil {
		return fmt.Errorf("write catalog: %w", err)
	}
	return nil
}

// UnidentifiedPhoto is a photo without a signature tag flickrsync could not identify, as
// status and verify list it.
type UnidentifiedPhoto struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Reason string `json:"reason"`
	// Failures counts the runs whose download of it failed (0: downloaded, not decodable).
	Failures int `json:"failures"`
	// HoldsUploads is true while it keeps new pictures from being uploaded.
	HoldsUploads bool `json:"holds_uploads"`
}

// UnidentifiedPhotos lists what the catalog remembers of the photos that could not be
// identified, by id.
func UnidentifiedPhotos(ctx context.Context, s interface {
	Meta(context.Context, string) (string, error)
}) ([]UnidentifiedPhoto, error) {
	memo, err := readUnidentified(ctx, s)
	if err != nil {
		return nil, err
	}
	out := make([]UnidentifiedPhoto, 0, len(memo))
	for id, u := range memo {
		out = append(out, UnidentifiedPhoto{ID: id, Title: u.Title, Reason: u.Reason, Failures: u.Failures, HoldsUploads: u.holds()})
	}
	sort.Slice(out, func(i, j int) bool { return lessID(out[i].ID, out[j].ID) })
	return out, nil
}

// libraryHas says whether the library holds a picture of signature sig (sig "": of
// content hash), and its path ("" for an excluded file or a file known by hash only).
type libraryHas func(sig, hash string) (path string, ok bool)

// has is the state's libraryHas; the maps it reads do not change while a step runs.
func (s *state) has(sig, hash string) (string, bool) {
	if sig != "" {
		if g := s.copies(sig); g.Keep != nil {
			return g.Keep.Path, true
		}
		return "", s.known.Excluded[sig]
	}
	for _, l := range s.locals {
		if l.Hash == hash && hash != "" {
			return l.Path, true
		}
	}
	return "", false
}

// identify downloads the originals of the photos without a signature tag that nothing
// matches, signs them, and keeps those the library lacks where the command brings
// pictures home (see above). It returns what it changed: the signatures read (the plan
// tags the photos with them), the photos remembered as unidentified, the files kept
// (indexed), the photos found gone (forgotten); every photo is tried once in a run.
func (r *run) identify(ctx context.Context, photos []*Remote, has libraryHas, memo map[string]Unidentified) (change, error) {
	var c change
	for _, p := range photos {
		c.tried = append(c.tried, p.ID)
	}
	ok, err := r.ask(ctx, fmt.Sprintf("Download %s without a signature tag to identify %s?", words.Count(len(photos), "Flickr photo"), words.Noun(len(photos), "it", "them")))
	if err != nil || !ok {
		if err == nil {
			for _, p := range photos {
				r.skipAll(StepIdentify, []string{p.ID}, fmt.Sprintf("download %q to identify it", p.Title))
			}
		}
		return c, err
	}
	r.sweepParts(nil)
	keep := r.opt.TwoWay
	var refuse error
	if keep {
		if refuse = r.checkDownloadDir(ctx, DownloadDir); errors.Is(refuse, errExcludedTarget) {
			refuse = nil // kept in the root instead (keepDownload)
		}
	}
	var mu sync.Mutex
	c.identified = map[string]string{}
	c.unidentified = map[string]Unidentified{}
	wrote := false
	r.out.StepStart(StepIdentify, len(photos))
	err = parallel(ctx, r.opt.Transfers, photos, func(ctx context.Context, p *Remote) {
		defer r.out.StepAdd(StepIdentify, 1)
		url, skip, err := r.originalOf(ctx, p)
		if skip != "" {
			r.record(Event{Step: StepIdentify, Subject: p.ID, Outcome: Skipped, Detail: skip})
			return
		}
		var id fetched
		if err == nil {
			id, err = r.fetchToIdentify(ctx, p, url)
		}
		r.transferEnd(StepIdentify, p.ID)
		if err != nil {
			ev, forgot := r.failure(ctx, StepIdentify, p.ID, err)
			mu.Lock()
			if forgot {
				c.forgot = append(c.forgot, p.ID)
			} else if ctx.Err() == nil {
				u := memo[p.ID]
				if u.Secret != p.OriginalSecret {
					u = Unidentified{}
				}
				u.Title, u.Secret = p.Title, p.OriginalSecret
				u = u.failedAgain(r.opt.Now(), err.Error())
				c.unidentified[p.ID] = u
				ev.Detail = fmt.Sprintf("%s (%s)", ev.Detail, failedRuns(u))
			}
			mu.Unlock()
			r.record(ev)
			return
		}
		defer os.Remove(id.file) // unless kept (renamed) below
		ev := Event{Step: StepIdentify, Subject: p.ID, Outcome: Done}
		libPath, inLibrary := has(id.sig, id.hash)
		switch {
		case inLibrary && libPath != "":
			ev.Detail = "the library has it as " + libPath + ": download not kept"
		case inLibrary:
			ev.Detail = "the library has it, in a file its ignore rules exclude: download not kept"
		case !keep:
			ev.Detail = "not in the library: download not kept (sync2 brings it home)"
		case refuse != nil:
			ev.Outcome, ev.Detail = Failed, "not kept: "+refuse.Error()
		default:
			rel, err := r.keepDownload(ctx, id, p)
			if err != nil {
				ev.Outcome, ev.Detail = Failed, "not kept: "+err.Error()
				break
			}
			ev.Detail = "not in the library: kept as " + rel
			inLibrary = true
			mu.Lock()
			wrote = true
			mu.Unlock()
		}
		mu.Lock()
		switch {
		case id.sig != "":
			c.identified[p.ID] = id.sig
		case ev.Outcome == Done && inLibrary && libPath == "":
			// Kept: matched by its download name from now on.
			ev.Outcome, ev.Detail = Skipped, "its original cannot be signed ("+id.reason+"), so it cannot be tagged; "+ev.Detail
		default:
			// Known by its bytes from now on (a library file of the same bytes is its
			// copy), never fetched again while the photo keeps its original.
			c.unidentified[p.ID] = Unidentified{Title: p.Title, Secret: p.OriginalSecret, Reason: id.reason, Hash: id.hash}
			if ev.Outcome == Done {
				ev.Outcome, ev.Detail = Skipped, "its original cannot be signed ("+id.reason+"), so it cannot be tagged; "+ev.Detail
			}
		}
		mu.Unlock()
		r.record(ev)
	}, func(p *Remote) {
		r.record(Event{Step: StepIdentify, Subject: p.ID, Outcome: Skipped, Detail: "interrupted"})
	})
	r.out.StepEnd(StepIdentify)
	for id, u := range c.unidentified {
		memo[id] = u
	}
	for id := range c.identified {
		delete(memo, id)
	}
	if serr := r.saveUnidentified(ctx, memo); serr != nil && err == nil {
		err = serr
	}
	if err != nil || !wrote {
		return c, err
	}
	// The files kept are indexed now: the plan's next steps match them by their names.
	ic, err := r.indexLocal(ctx, nil)
	c.add(ic)
	return c, err
}

// failedRuns says how often a download failed, and what comes of it.
func failedRuns(u Unidentified) string {
	if u.holds() {
		return fmt.Sprintf("failed in %s of %d: the uploads wait for it", words.Count(u.Failures, "run"), MaxIdentifyFailures)
	}
	return fmt.Sprintf("failed in %s: the uploads no longer wait for it; tried again after %s", words.Count(u.Failures, "run"),
		time.Unix(u.Next, 0).Format("2006-01-02 15:04"))
}

// fetched is an original downloaded to be identified: its temporary file, signature
// ("" with the reason when it cannot be signed), content hash, and for a video the
// extension its original came with ("" otherwise: downloadFormat).
type fetched struct {
	file, sig, reason, hash, format string
}

// fetchToIdentify downloads p's original from url (originalOf) into a temporary file
// beside the library's root and signs it. The caller removes the file (or keeps it). A
// video's temporary file takes its original's extension (fetch).
func (r *run) fetchToIdentify(ctx context.Context, p *Remote, url string) (fetched, error) {
	var rnd [8]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return fetched{}, err
	}
	part := filepath.Join(r.Root, names.PartName(rnd))
	file, err := r.fetch(ctx, StepIdentify, p, url, part)
	if file == "" {
		file = part
	}
	if err != nil {
		os.Remove(file)
		return fetched{}, renamed{err, file, "of its original"}
	}
	f := fetched{file: file}
	if file != part {
		// A video's file is named after its original's extension (fetch): it takes the
		// temporary name again, so that a run killed while signing it leaves a file the
		// next run sweeps (names.IsPartName), and the extension is kept for its name.
		if err := os.Rename(file, part); err != nil {
			os.Remove(file)
			return fetched{}, fmt.Errorf("rename the download: %w", err)
		}
		f.file, f.format = part, strings.TrimPrefix(filepath.Ext(file), ".")
	}
	h, err := hashFile(f.file)
	if err != nil {
		os.Remove(f.file)
		return fetched{}, fmt.Errorf("read the download: %w", err)
	}
	f.hash = h
	if r.Signer == nil {
		f.reason = "no signer"
		return f, nil
	}
	if f.sig, err = r.Signer.Sign(ctx, f.file); err != nil {
		if ctx.Err() != nil {
			os.Remove(f.file)
			return fetched{}, ctx.Err()
		}
		f.sig, f.reason = "", err.Error()
	}
	return f, nil
}

// renamed is err with the temporary file's name replaced in its text (its chain kept):
// the reader of a failure is told of the photo's original, not of a file that is gone.
type renamed struct {
	err      error
	from, to string
}

func (e renamed) Error() string { return strings.ReplaceAll(e.err.Error(), e.from, e.to) }
func (e renamed) Unwrap() error { return e.err }

// hashFile is the SHA-256 of a file's bytes, lower-case hex: the catalog's content hash.
func hashFile(name string) (string, error) {
	f, err := safeopen.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// keepDownload moves an identified original into the download folder under its download
// name (or the first "name (n).ext" free: nothing is overwritten) and returns its
// library-relative path. When the ignore rules exclude the download folder, it goes into
// the root, where sync2 brings the other photos home.
func (r *run) keepDownload(ctx context.Context, f fetched, p *Remote) (string, error) {
	format := f.format
	if format == "" {
		format = downloadFormat(p)
	}
	tmp := f.file
	name, err := names.DownloadName(p.ID, p.OriginalSecret, p.Title, format)
	if err != nil {
		return "", err
	}
	for _, dir := range []string{DownloadDir, ""} {
		rel, err := r.placeDownload(ctx, tmp, dir, name)
		if errors.Is(err, errExcludedTarget) && dir != "" {
			continue
		}
		return rel, err
	}
	return "", nil // not reached: the root's error is returned
}

// placeDownload moves tmp into dir (library-relative) as name, or the first "name
// (n).ext" free.
func (r *run) placeDownload(ctx context.Context, tmp, dir, name string) (string, error) {
	for n := 1; n < 1000; n++ {
		file := name
		if n > 1 {
			file = names.ClashName(name, n)
		}
		rel := path.Join(dir, file)
		if err := r.landsInLibrary(ctx, rel, false); err != nil {
			return "", err
		}
		full := filepath.Join(r.Root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return "", fmt.Errorf("create folder: %w", err)
		}
		err := placeNew(tmp, full)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("place %s: %w", rel, err)
		}
		return rel, nil
	}
	return "", fmt.Errorf("place %s: too many files of that name", path.Join(dir, name))
}

// placeNew renames tmp to dest only if dest does not exist (fs.ErrExist otherwise): a
// hard link then the removal of tmp; where links are not supported, a check then a rename.
func placeNew(tmp, dest string) error {
	err := os.Link(tmp, dest)
	switch {
	case err == nil:
		return os.Remove(tmp)
	case errors.Is(err, fs.ErrExist):
		return err
	}
	if _, serr := os.Lstat(dest); serr == nil {
		return fs.ErrExist
	} else if !errors.Is(serr, fs.ErrNotExist) {
		return serr
	}
	return os.Rename(tmp, dest)
}
