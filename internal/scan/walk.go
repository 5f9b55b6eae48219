package scan

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"sync"

	"github.com/flickrsync/flickrsync/internal/names"
)

// entry is one picture file found by the walk.
type entry struct {
	rel     string
	size    int64
	mtimeNS int64
	err     error // the file could not be described (broken link, loop, not a regular file)
}

// walkResult is what the walk reports besides entries.
type walkResult struct {
	mu          sync.Mutex
	failed      []Failure // unreadable directories
	skipped     []Failure // symbolic links to directories
	ignored     int       // files without a picture extension
	unreadable  []string  // directories whose content is unknown: nothing under them is deleted
	interrupted bool
}

// failDir records a directory whose listing failed.
func (w *walkResult) failDir(dir string, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.failed = append(w.failed, Failure{Path: dirName(dir), Reason: reason(err)})
	w.unreadable = append(w.unreadable, dir)
}

// reason is an error's text for a Failure, without the absolute path an *fs.PathError
// repeats (the Failure has the library-relative one).
func reason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}

// walk lists the tree with several directory readers at once (stat calls dominate a
// re-index) and sends the picture files of each directory to out as one batch; it closes
// out at the end.
func walk(ctx context.Context, fsys FS, workers int, out chan<- []entry, res *walkResult) {
	defer close(out)
	var (
		mu      sync.Mutex
		cond    = sync.NewCond(&mu)
		queue   = []string{"."}
		pending = 1 // directories queued or being read
	)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				for len(queue) == 0 && pending > 0 {
					cond.Wait()
				}
				if pending == 0 {
					mu.Unlock()
					return
				}
				dir := queue[len(queue)-1]
				queue = queue[:len(queue)-1]
				mu.Unlock()

				subdirs := readDir(ctx, fsys, dir, out, res)

				mu.Lock()
				queue = append(queue, subdirs...)
				pending += len(subdirs) - 1
				cond.Broadcast()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

func join(dir, name string) string {
	if dir == "." {
		return name
	}
	return dir + "/" + name
}

// readDir reads one directory, sends its pictures and returns its subdirectories.
func readDir(ctx context.Context, fsys FS, dir string, out chan<- []entry, res *walkResult) []string {
	if ctx.Err() != nil {
		res.mu.Lock()
		res.interrupted = true
		res.unreadable = append(res.unreadable, dir)
		res.mu.Unlock()
		return nil
	}
	ents, err := fsys.ReadDir(dir)
	if err != nil {
		res.failDir(dir, err)
		// ReadDir may return the entries read before the error: use them too.
	}
	var subdirs []string
	var batch []entry
	send := func(e entry) { batch = append(batch, e) }
	ignored := 0
	for _, de := range ents {
		rel := join(dir, de.Name())
		typ := de.Type()
		switch {
		case typ.IsDir():
			subdirs = append(subdirs, rel)
			continue
		case typ&fs.ModeSymlink != 0:
			st, err := fsys.Stat(rel)
			if err == nil && st.IsDir() {
				res.mu.Lock()
				res.skipped = append(res.skipped, Failure{Path: rel, Reason: "symbolic link to a directory, not followed"})
				res.mu.Unlock()
				continue
			}
			if !names.IsPictureName(de.Name()) {
				ignored++
				continue
			}
			if err != nil {
				send(entry{rel: rel, err: err})
				continue
			}
			send(fileEntry(rel, st))
			continue
		}
		if !names.IsPictureName(de.Name()) {
			ignored++
			continue
		}
		if !typ.IsRegular() {
			send(entry{rel: rel, err: errNotRegular})
			continue
		}
		st, err := de.Info()
		if err != nil {
			send(entry{rel: rel, err: err})
			continue
		}
		send(fileEntry(rel, st))
	}
	if len(batch) > 0 {
		select {
		case out <- batch:
		case <-ctx.Done():
		}
	}
	if ignored > 0 {
		res.mu.Lock()
		res.ignored += ignored
		res.mu.Unlock()
	}
	return subdirs
}

func fileEntry(rel string, st fs.FileInfo) entry {
	if !st.Mode().IsRegular() {
		return entry{rel: rel, err: errNotRegular}
	}
	return entry{rel: rel, size: st.Size(), mtimeNS: st.ModTime().UnixNano()}
}

func dirName(dir string) string {
	if dir == "." {
		return "."
	}
	return dir + "/"
}

// under reports whether rel is inside directory dir ("." is the root).
func under(rel, dir string) bool {
	return dir == "." || strings.HasPrefix(rel, dir+"/")
}
