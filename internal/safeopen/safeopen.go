package safeopen

import (
	"errors"
	"io/fs"
	"os"
)

// ErrNotRegular is wrapped (in an *fs.PathError) when the name is not a regular file.
var ErrNotRegular = errors.New("not a regular file")

// Open opens name for reading if it is a regular file (following symbolic links), and
// refuses anything else with ErrNotRegular without blocking.
func Open(name string) (*os.File, error) {
	return open(name)
}

func notRegular(name string) error {
	return &fs.PathError{Op: "open", Path: name, Err: ErrNotRegular}
}

// keepRegular returns f when it is a regular file, else closes it and refuses it.
func keepRegular(f *os.File, name string) (*os.File, error) {
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, notRegular(name)
	}
	return f, nil
}
