package syncer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
)

// Where downloads may land: inside the library, where the next index sees them. A
// download folder that is a symbolic link leading outside the library would write there;
// one the ignore rules exclude would never be indexed, so what it received would be
// downloaded again at every run. Both are refused, named, with the reason.

// errExcludedTarget is what landsInLibrary wraps for a place the ignore rules exclude:
// the user's choice, not a failure of the run.
var errExcludedTarget = errors.New("the ignore rules exclude")

// landsInLibrary checks a library-relative path (a file, or a folder when dir) a download
// is about to be written to.
func (r *run) landsInLibrary(ctx context.Context, rel string, dir bool) error {
	root, err := filepath.EvalSymlinks(r.Root)
	if err != nil {
		return fmt.Errorf("resolve the library folder: %w", err)
	}
	folder := rel
	if !dir {
		folder = path.Dir(rel)
	}
	real, err := resolveExisting(filepath.Join(r.Root, filepath.FromSlash(folder)))
	if err != nil {
		return fmt.Errorf("resolve %s: %w", folder, err)
	}
	if !inside(root, real) {
		return fmt.Errorf("%s/ leads outside the library (to %s, through a symbolic link): downloads go only inside the library; replace the link with a folder", folder, real)
	}
	x, ok := r.Indexer.(Excluder)
	if !ok {
		return nil
	}
	rule, excluded, err := x.Excluded(ctx, rel, dir)
	if err != nil {
		return fmt.Errorf("read the ignore rules of %s: %w", rel, err)
	}
	if excluded {
		return fmt.Errorf("%w %s (%s): a download there would never be indexed, and would be downloaded again at every run", errExcludedTarget, rel, rule)
	}
	return nil
}

// checkDownloadDir is landsInLibrary for a download folder, checked once before a step's
// downloads.
func (r *run) checkDownloadDir(ctx context.Context, dir string) error {
	if dir == "" {
		return nil
	}
	return r.landsInLibrary(ctx, dir, true)
}

// resolveExisting is p with its symbolic links resolved, as far as it exists: the part
// that does not exist yet is appended as it is (MkdirAll creates it inside what exists).
func resolveExisting(p string) (string, error) {
	var rest []string
	for {
		real, err := filepath.EvalSymlinks(p)
		if err == nil {
			return filepath.Join(append([]string{real}, rest...)...), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(p)
		if parent == p {
			return "", err
		}
		rest = append([]string{filepath.Base(p)}, rest...)
		p = parent
	}
}

// inside reports whether file is within root.
func inside(root, file string) bool {
	rel, err := filepath.Rel(root, file)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
