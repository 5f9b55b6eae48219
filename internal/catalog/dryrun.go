package catalog

import (
	"context"
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
// cleanup removes the copy. When path is the Python flickrsync's database, both it (for
// the signatures the index imports) and the catalog beside it (OwnPath) are copied, so
// that opening copyPath finds the same pair.
func CopyForDryRun(path string) (copyPath string, cleanup func() error, err error) {
	tmp, err := os.MkdirTemp("", "flickrsync-dryrun-")
	if err != nil {
		return "", nil, fmt.Errorf("dry run: %w", err)
	}
	cleanup = func() error { return os.RemoveAll(tmp) }
	copyPath = filepath.Join(tmp, filepath.Base(path))
	files := []string{path, path + "-wal"}
	if IsPythonDatabase(context.Background(), path) {
		own := OwnPath(path)
		files = []string{path, path + "-wal", own, own + "-wal"}
	}
	for _, f := range files {
		if err := copyIfExists(f, filepath.Join(tmp, filepath.Base(f))); err != nil {
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
