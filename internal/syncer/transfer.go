package syncer

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// parallel runs fn over items, n at a time. Items not started when ctx ends are passed to
// notStarted, so that each still ends in one event.
func parallel[T any](ctx context.Context, n int, items []T, fn func(context.Context, T), notStarted func(T)) error {
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for i, it := range items {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			for _, rest := range items[i:] {
				notStarted(rest)
			}
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			fn(ctx, it)
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// download fetches photos into dir (relative to the root, "" for the root) under their
// download names. It reports whether any file was written.
func (r *run) download(ctx context.Context, step Step, photos []*Remote, dir, question string) (bool, error) {
	ok, err := r.ask(ctx, question)
	if err != nil {
		return false, err
	}
	if !ok {
		for _, p := range photos {
			name, err := DownloadName(*p)
			if err != nil {
				name = "(no usable name: " + err.Error() + ")"
			}
			r.skipAll(step, []string{p.ID}, fmt.Sprintf("download %q as %s", p.Title, path.Join(dir, name)))
		}
		return false, nil
	}
	target := filepath.Join(r.Root, filepath.FromSlash(dir))
	var mu sync.Mutex
	wrote := false
	r.out.StepStart(step, len(photos))
	defer r.out.StepEnd(step)
	err = parallel(ctx, r.opt.Transfers, photos, func(ctx context.Context, p *Remote) {
		defer r.out.StepAdd(step, 1)
		if p.URLOriginal == "" {
			// A permanent condition of the photo, not a failure to retry.
			r.record(Event{Step: step, Subject: p.ID, Outcome: Skipped, Detail: "Flickr gives no original (url_o) for it"})
			return
		}
		file, err := r.downloadOne(ctx, p, target)
		if err != nil {
			r.record(r.failure(ctx, step, p.ID, err))
			return
		}
		mu.Lock()
		wrote = true
		mu.Unlock()
		rel, _ := filepath.Rel(r.Root, file)
		r.record(Event{Step: step, Subject: p.ID, Outcome: Done, Detail: "downloaded to " + filepath.ToSlash(rel)})
	}, func(p *Remote) {
		r.record(Event{Step: step, Subject: p.ID, Outcome: Skipped, Detail: "interrupted"})
	})
	return wrote, err
}

func (r *run) downloadOne(ctx context.Context, p *Remote, target string) (string, error) {
	name, err := DownloadName(*p)
	if err != nil {
		return "", err
	}
	dest := filepath.Join(target, name)
	if !inside(r.Root, dest) {
		return "", fmt.Errorf("name %q leaves the library", name)
	}
	if err := os.MkdirAll(target, 0o755); err != nil {
		return "", fmt.Errorf("create folder: %w", err)
	}
	tmp, err := tempName(target)
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp)
	if err := r.Flickr.Download(ctx, p.URLOriginal, tmp); err != nil {
		return "", err
	}
	return placeFile(tmp, dest)
}

// inside reports whether file is within root.
func inside(root, file string) bool {
	rel, err := filepath.Rel(root, file)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// tempName is a fresh hidden name in dir for a download in progress; the scanner does not
// index it (not a picture extension) and it is removed whatever happens.
func tempName(dir string) (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return filepath.Join(dir, ".flickrsync-"+hex.EncodeToString(b[:])+".part"), nil
}

// placeFile gives the downloaded tmp its final name without ever replacing a file: when
// dest exists, "name (2).ext", "name (3).ext"... It returns the name used.
func placeFile(tmp, dest string) (string, error) {
	dir, base := filepath.Split(dest)
	for n := 1; n < 1000; n++ {
		name := dest
		if n > 1 {
			name = filepath.Join(dir, ClashName(base, n))
		}
		err := os.Link(tmp, name)
		if err == nil {
			return name, nil
		}
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		// No hard links here (some file systems): copy into an exclusively created file.
		ok, err := copyExclusive(tmp, name)
		if err != nil {
			return "", err
		}
		if ok {
			return name, nil
		}
	}
	return "", fmt.Errorf("place %s: too many files of that name", dest)
}

func copyExclusive(src, dst string) (bool, error) {
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("create %s: %w", dst, err)
	}
	in, err := os.Open(src)
	if err != nil {
		out.Close()
		os.Remove(dst)
		return false, err
	}
	defer in.Close()
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(dst)
		return false, fmt.Errorf("write %s: %w", dst, err)
	}
	if err := out.Close(); err != nil {
		os.Remove(dst)
		return false, fmt.Errorf("write %s: %w", dst, err)
	}
	return true, nil
}

// tag adds the signature tag to photos matched without it.
func (r *run) tag(ctx context.Context, changes []TagChange) error {
	subjects := make([]string, len(changes))
	for i, c := range changes {
		subjects[i] = c.Remote.ID
	}
	ok, err := r.ask(ctx, fmt.Sprintf("Tag %d matched Flickr photos with their signature?", len(changes)))
	if err != nil {
		return err
	}
	if !ok {
		r.skipAll(StepTag, subjects, "tag")
		return nil
	}
	r.out.StepStart(StepTag, len(changes))
	defer r.out.StepEnd(StepTag)
	return parallel(ctx, r.opt.Transfers, changes, func(ctx context.Context, c TagChange) {
		defer r.out.StepAdd(StepTag, 1)
		tag := SignatureTag(c.Signature)
		if err := r.Flickr.AddTags(ctx, c.Remote.ID, tag); err != nil {
			r.record(r.failure(ctx, StepTag, c.Remote.ID, err))
			return
		}
		updated := *c.Remote
		updated.MachineTags = strings.TrimSpace(updated.MachineTags + " " + signatureNS + "=" + c.Signature)
		updated.Tags = strings.TrimSpace(updated.Tags + " " + signatureNS + "=" + c.Signature)
		if err := r.Store.PutRemotes(context.WithoutCancel(ctx), []Remote{updated}); err != nil {
			r.record(Event{Step: StepTag, Subject: c.Remote.ID, Outcome: Failed, Detail: "tagged, but the catalog write failed: " + err.Error()})
			return
		}
		r.record(Event{Step: StepTag, Subject: c.Remote.ID, Outcome: Done,
			Detail: fmt.Sprintf("matched %s by %s", c.Local.Path, c.How)})
	}, func(c TagChange) {
		r.record(Event{Step: StepTag, Subject: c.Remote.ID, Outcome: Skipped, Detail: "interrupted"})
	})
}

// failure is the event of a photo's failed step; a photo gone from Flickr is forgotten by
// the catalog and skipped rather than failed again at every run.
func (r *run) failure(ctx context.Context, step Step, id string, err error) Event {
	if errors.Is(err, ErrGone) {
		if ferr := r.Store.ForgetRemotes(context.WithoutCancel(ctx), []string{id}); ferr != nil {
			return Event{Step: step, Subject: id, Outcome: Failed, Detail: fmt.Sprintf("%v (and the catalog write failed: %v)", err, ferr)}
		}
		return Event{Step: step, Subject: id, Outcome: Skipped, Detail: "deleted on Flickr since it was listed: forgotten"}
	}
	return Event{Step: step, Subject: id, Outcome: Failed, Detail: err.Error()}
}
