package scan

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/flickrsync/flickrsync/internal/safeopen"
)

// ArgsFS is the tree of the files and folders named on a command line (flickrsync
// upload FILE|DIR...), for a scan of them alone: its root holds one folder per
// argument, "1", "2"..., which is the folder named, or a folder holding only the file
// named. The scan reads them as it reads a library (ignore rules, links, refusals);
// Path maps a path of the tree back to the one to open and to show: the argument as
// given, joined with the rest ('/' separated).
type ArgsFS struct {
	args []arg
}

type arg struct {
	path string // as given
	file bool   // a file, not a folder
}

var _ FS = (*ArgsFS)(nil)

// NewArgsFS checks that each argument names a file or a folder.
func NewArgsFS(paths []string) (*ArgsFS, error) {
	a := &ArgsFS{}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		a.args = append(a.args, arg{path: p, file: !st.IsDir()})
	}
	return a, nil
}

// Path is the path to open and show for rel, a path of the tree.
func (a *ArgsFS) Path(rel string) string {
	g, rest, err := a.resolve(rel)
	if err != nil || g == nil {
		return rel
	}
	if g.file || rest == "" {
		return filepath.ToSlash(g.path)
	}
	return filepath.ToSlash(filepath.Join(g.path, filepath.FromSlash(rest)))
}

// resolve splits rel into its argument (nil for the root) and the rest under it.
func (a *ArgsFS) resolve(rel string) (*arg, string, error) {
	if rel == "." || rel == "" {
		return nil, "", nil
	}
	first, rest, _ := strings.Cut(rel, "/")
	n, err := strconv.Atoi(first)
	if err != nil || n < 1 || n > len(a.args) || first != strconv.Itoa(n) {
		return nil, "", &fs.PathError{Op: "open", Path: rel, Err: fs.ErrNotExist}
	}
	g := &a.args[n-1]
	if g.file && rest != "" && rest != filepath.Base(g.path) {
		return nil, "", &fs.PathError{Op: "open", Path: rel, Err: fs.ErrNotExist}
	}
	return g, rest, nil
}

// real is the path on the disk of rel, "" for a folder that is the tree's own.
func (a *ArgsFS) real(rel string) (string, error) {
	g, rest, err := a.resolve(rel)
	switch {
	case err != nil:
		return "", err
	case g == nil, g.file && rest == "":
		return "", nil
	case g.file:
		return g.path, nil
	}
	return filepath.Join(g.path, filepath.FromSlash(rest)), nil
}

func (a *ArgsFS) ReadDir(name string) ([]fs.DirEntry, error) {
	g, rest, err := a.resolve(name)
	switch {
	case err != nil:
		return nil, err
	case g == nil:
		out := make([]fs.DirEntry, len(a.args))
		for i := range a.args {
			out[i] = fs.FileInfoToDirEntry(treeDir(strconv.Itoa(i + 1)))
		}
		return out, nil
	case g.file && rest == "":
		st, err := os.Lstat(g.path)
		if err != nil {
			return nil, err
		}
		return []fs.DirEntry{fs.FileInfoToDirEntry(st)}, nil
	case g.file:
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	return os.ReadDir(filepath.Join(g.path, filepath.FromSlash(rest)))
}

func (a *ArgsFS) Stat(name string) (fs.FileInfo, error) {
	p, err := a.real(name)
	if err != nil {
		return nil, err
	}
	if p == "" {
		return treeDir(name), nil
	}
	return os.Stat(p)
}

func (a *ArgsFS) Open(name string) (File, error) {
	p, err := a.real(name)
	if err != nil {
		return nil, err
	}
	if p == "" {
		return nil, fmt.Errorf("open %s: is a directory", name)
	}
	// Never blocks: a FIFO named on the command line is refused, not waited on.
	f, err := safeopen.Open(p)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// treeDir describes a folder of the tree's own (its root, the folder of a file named).
type treeDir string

func (d treeDir) Name() string       { return string(d) }
func (d treeDir) Size() int64        { return 0 }
func (d treeDir) Mode() fs.FileMode  { return fs.ModeDir | 0o555 }
func (d treeDir) ModTime() time.Time { return time.Time{} }
func (d treeDir) IsDir() bool        { return true }
func (d treeDir) Sys() any           { return nil }
