package scan

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/flickrsync/flickrsync/internal/safeopen"
)

// FS is the tree a scan walks. Names are slash-separated and relative to the library
// root ("." is the root), as in io/fs.
type FS interface {
	// ReadDir lists a directory without following symbolic links in its entries.
	ReadDir(name string) ([]fs.DirEntry, error)
	// Stat describes a file, following symbolic links.
	Stat(name string) (fs.FileInfo, error)
	// Open opens a file for reading.
	Open(name string) (File, error)
}

// File is an open picture: read sequentially to hash it, at offsets to sign it and to read
// its EXIF.
type File interface {
	io.Reader
	io.ReaderAt
	io.Closer
	Stat() (fs.FileInfo, error)
}

// DirFS is the operating system's tree under root.
func DirFS(root string) FS { return osFS{root: root} }

type osFS struct{ root string }

func (o osFS) path(name string) string {
	if name == "." {
		return o.root
	}
	return filepath.Join(o.root, filepath.FromSlash(name))
}

func (o osFS) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(o.path(name)) }
func (o osFS) Stat(name string) (fs.FileInfo, error)      { return os.Stat(o.path(name)) }
func (o osFS) Open(name string) (File, error) {
	// Never blocks: a picture swapped for a FIFO since the walk is refused, not waited on.
	f, err := safeopen.Open(o.path(name))
	if err != nil {
		return nil, err
	}
	return f, nil
}

// FromFS adapts an io/fs tree (fstest.MapFS in tests): it has no symbolic links.
func FromFS(fsys fs.FS) FS { return ioFS{fsys} }

type ioFS struct{ fsys fs.FS }

func (i ioFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(i.fsys, name) }
func (i ioFS) Stat(name string) (fs.FileInfo, error)      { return fs.Stat(i.fsys, name) }
func (i ioFS) Open(name string) (File, error) {
	f, err := i.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	if ff, ok := f.(File); ok {
		return ff, nil
	}
	// No ReaderAt: read it whole (test trees are small).
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, errors.New("is a directory")
	}
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	return &memFile{Reader: bytes.NewReader(b), info: st}, nil
}

type memFile struct {
	*bytes.Reader
	info fs.FileInfo
}

func (m *memFile) Close() error               { return nil }
func (m *memFile) Stat() (fs.FileInfo, error) { return m.info, nil }

// ancestry describes the library's root folder and every folder above it on the disk
// (the root last), so that a link to any of them is known to loop; nil for trees
// without links.
func ancestry(fsys FS) []fs.FileInfo {
	o, ok := fsys.(osFS)
	if !ok {
		return nil
	}
	real, err := filepath.EvalSymlinks(o.root)
	if err != nil {
		return nil
	}
	var chain []fs.FileInfo
	for p := real; ; p = filepath.Dir(p) {
		if st, err := os.Stat(p); err == nil {
			chain = append([]fs.FileInfo{st}, chain...)
		}
		if filepath.Dir(p) == p {
			return chain
		}
	}
}
