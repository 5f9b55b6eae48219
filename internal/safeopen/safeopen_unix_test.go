//go:build unix

package safeopen

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// openWithin runs Open in a goroutine and fails the test if it has not returned in time
// (before the fix, opening a FIFO blocked forever); a FIFO left blocked is released by
// opening its other end.
func openWithin(t *testing.T, name string) (*os.File, error) {
	t.Helper()
	type res struct {
		f   *os.File
		err error
	}
	done := make(chan res, 1)
	go func() {
		f, err := Open(name)
		done <- res{f, err}
	}()
	select {
	case r := <-done:
		return r.f, r.err
	case <-time.After(5 * time.Second):
		if w, err := os.OpenFile(name, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
		}
		t.Fatalf("Open(%s) blocked", name)
		return nil, nil
	}
}

func TestOpenRefusesWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "swapped.jpg")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.jpg")
	if err := os.Symlink(fifo, link); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "folder.jpg")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{fifo, link, sub, "/dev/null"} {
		t.Run(filepath.Base(name), func(t *testing.T) {
			f, err := openWithin(t, name)
			if err == nil {
				f.Close()
				t.Fatalf("Open(%s) = nil error, want ErrNotRegular", name)
			}
			if !errors.Is(err, ErrNotRegular) {
				t.Fatalf("Open(%s) = %v, want ErrNotRegular", name, err)
			}
		})
	}
}

func TestOpenReadsARegularFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "a.jpg")
	if err := os.WriteFile(name, []byte("bytes of a picture"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "b.jpg")
	if err := os.Symlink(name, link); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{name, link} {
		f, err := openWithin(t, n)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(f)
		f.Close()
		if err != nil || string(b) != "bytes of a picture" {
			t.Fatalf("read %s = %q, %v", n, b, err)
		}
		// The descriptor is blocking again, as os.Open's.
		f, _ = openWithin(t, n)
		flags, err := fcntlFlags(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if flags&syscall.O_NONBLOCK != 0 {
			t.Errorf("%s: O_NONBLOCK left set", n)
		}
	}
	if _, err := Open(filepath.Join(dir, "missing.jpg")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v, want ErrNotExist", err)
	}
}
