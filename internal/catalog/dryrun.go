package catalog

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// CopyForDryRun copies the catalog file at path (and its write-ahead log, which holds the
// latest committed transactions) into a new temporary folder, for a dry run to work on:
// the run's answers are real, and the catalog itself is never opened, so not even a schema
// migration touches it. A missing catalog gives a path where a fresh one will be made.
// cleanup removes the copy.
func CopyForDryRun(path string) (copyPath string, cleanup func() error, err error) {
	tmp, err := os.MkdirTemp("", "flickrsync-dryrun-")
	if err != nil {
		return "", nil, fmt.Errorf("dry run: %w", err)
	}
	cleanup = func() error { return os.RemoveAll(tmp) }
	copyPath = filepath.Join(tmp, filepath.Base(path))
	for _, suffix := range []string{"", "-wal"} {
		if err := copyIfExists(path+suffix, copyPath+suffix); err != nil {
			cleanup()
			return "", nil, fmt.Errorf("dry run: copy the catalog: %w", err)
		}
	}
	return copyPath, cleanup, nil
}

// copyIfExists copies src to a new file dst (never over an existing one); a missing src
// is not an error.
func copyIfExists(src, dst string) error {
	in, err := os.Open(src)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
