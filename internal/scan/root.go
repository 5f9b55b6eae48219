package scan

import (
	"path/filepath"
	"strings"
)

// nestedRoots reports whether two library roots differ with one inside the other: a run
// on a subfolder of the catalog's library (or on a folder above it) sees the same
// pictures under other folder names. Unrelated roots (a library moved, another
// computer's) are not nested.
func nestedRoots(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	a, b = filepath.Clean(a), filepath.Clean(b)
	if a == b {
		return false
	}
	return within(a, b) || within(b, a)
}

// within reports whether path p is inside dir.
func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
