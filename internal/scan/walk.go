package scan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"sync"

	"github.com/flickrsync/flickrsync/internal/ignore"
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
	matcher *ignore.Matcher
	folders ignore.Folders // the ignore files met, to decide later the paths not met
	// onExcluded is Config.Excluded (called with mu held: one at a time).
	onExcluded func(Exclusion)

	mu          sync.Mutex
	failed      []Failure      // unreadable directories
	skipped     []Failure      // symbolic links not followed
	noFollow    bool           // Config.NoFollowSymlinks
	ignored     map[string]int // files without a media extension, by extension (names.IgnoredExt)
	excluded    int            // files and folders excluded by the ignore rules
	excludedBy  map[string]int
	unreadable  []string // directories whose content is unknown: nothing under them is deleted
	interrupted bool
}

// skip records a symbolic link not followed.
func (w *walkResult) skip(rel, reason string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.skipped = append(w.skipped, Failure{Path: rel, Reason: reason})
}

// exclude records a path the ignore rules excluded.
func (w *walkResult) exclude(rel string, dir bool, rule *ignore.Rule) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.excluded++
	if w.excludedBy == nil {
		w.excludedBy = map[string]int{}
	}
	r := rule.String()
	w.excludedBy[r]++
	if w.onExcluded != nil {
		w.onExcluded(Exclusion{Path: rel, Dir: dir, Rule: r})
	}
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

// folder is a directory to read, with the ignore files that apply in it and the folders
// that contain it on the disk (its own description last), to tell a link that loops.
type folder struct {
	rel   string
	rules *ignore.Dir
	above []fs.FileInfo
}

// sub is a subfolder of f described by st.
func (f folder) sub(rel string, rules *ignore.Dir, st fs.FileInfo) folder {
	return folder{rel: rel, rules: rules, above: append(f.above[:len(f.above):len(f.above)], st)}
}

// loops reports whether st is one of the folders containing f (or f itself).
func (f folder) loops(st fs.FileInfo) bool {
	for _, a := range f.above {
		if os.SameFile(a, st) {
			return true
		}
	}
	return false
}

// walk lists the tree with several directory readers at once (stat calls dominate a
// re-index) and sends the picture files of each directory to out as one batch; it closes
// out at the end.
func walk(ctx context.Context, fsys FS, workers int, out chan<- []entry, res *walkResult) {
	defer close(out)
	root := folder{rel: ".", above: ancestry(fsys)}
	if st, err := fsys.Stat("."); err == nil {
		root.above = append(root.above, st)
	}
	var (
		mu      sync.Mutex
		cond    = sync.NewCond(&mu)
		queue   = []folder{root}
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

// maxIgnoreFile bounds what is read of a .flickrsyncignore file.
const maxIgnoreFile = 1 << 20

// readIgnoreFile reads the ignore file of folder dir (library-relative).
func readIgnoreFile(fsys FS, dir string) (*ignore.List, error) {
	rel := join(dir, ignore.FileName)
	f, err := fsys.Open(rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxIgnoreFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxIgnoreFile {
		return nil, fmt.Errorf("larger than %d bytes", maxIgnoreFile)
	}
	return ignore.Parse(strings.TrimPrefix(rel, "./"), dir, data), nil
}

// readDir reads one directory, sends its pictures and returns its subdirectories. The
// folder's ignore file is read first: what it excludes is never looked at (no stat, no
// descent); when it cannot be read, the folder counts as unreadable.
func readDir(ctx context.Context, fsys FS, dir folder, out chan<- []entry, res *walkResult) []folder {
	if ctx.Err() != nil {
		res.mu.Lock()
		res.interrupted = true
		res.unreadable = append(res.unreadable, dir.rel)
		res.mu.Unlock()
		return nil
	}
	ents, err := fsys.ReadDir(dir.rel)
	if err != nil {
		// The entries read before the error may lack the folder's ignore file: a partial
		// listing could upload what it excludes. The folder is unreadable, as a whole.
		res.failDir(dir.rel, err)
		return nil
	}
	rules := dir.rules
	for _, de := range ents {
		if de.Name() == ignore.FileName && !de.IsDir() {
			l, err := readIgnoreFile(fsys, dir.rel)
			if err != nil {
				res.failDir(dir.rel, fmt.Errorf("read %s: %w", ignore.FileName, err))
				return nil
			}
			rules = rules.With(l)
			res.folders.Set(dir.rel, rules)
			break
		}
	}
	var subdirs []folder
	var batch []entry
	send := func(e entry) { batch = append(batch, e) }
	var ignored map[string]int
	for _, de := range ents {
		name := de.Name()
		rel := join(dir.rel, name)
		typ := de.Type()
		if name == ignore.FileName && !typ.IsDir() {
			continue
		}
		if ex, rule := res.matcher.Match(rules, rel, typ.IsDir()); ex {
			res.exclude(rel, typ.IsDir(), rule)
			continue
		}
		switch {
		case typ.IsDir():
			st, err := de.Info()
			if err != nil {
				res.failDir(rel, err)
				continue
			}
			subdirs = append(subdirs, dir.sub(rel, rules, st))
			continue
		case typ&fs.ModeSymlink != 0:
			// Followed, to a file or a folder, wherever it leads (see doc.go).
			if res.noFollow {
				res.skip(rel, "symbolic link, not followed (follow_symlinks = no)")
				continue
			}
			st, err := fsys.Stat(rel)
			if err == nil && st.IsDir() {
				if ex, rule := res.matcher.Match(rules, rel, true); ex {
					res.exclude(rel, true, rule)
					continue
				}
				if dir.loops(st) {
					res.skip(rel, "symbolic link to a folder that contains it, not followed (a loop)")
					continue
				}
				subdirs = append(subdirs, dir.sub(rel, rules, st))
				continue
			}
			if !names.IsMediaName(name) {
				ignored = countIgnored(ignored, name)
				continue
			}
			if err != nil {
				send(entry{rel: rel, err: err})
				continue
			}
			send(fileEntry(rel, st))
			continue
		}
		if !names.IsMediaName(name) {
			ignored = countIgnored(ignored, name)
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
	if len(ignored) > 0 {
		res.mu.Lock()
		if res.ignored == nil {
			res.ignored = map[string]int{}
		}
		for ext, n := range ignored {
			res.ignored[ext] += n
		}
		res.mu.Unlock()
	}
	return subdirs
}

// countIgnored counts a file without a media extension by its extension.
func countIgnored(m map[string]int, name string) map[string]int {
	if m == nil {
		m = map[string]int{}
	}
	m[names.IgnoredExt(name)]++
	return m
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
