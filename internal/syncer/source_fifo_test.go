//go:build unix

package syncer

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/safeopen"
)

// A picture swapped for a FIFO before its upload fails that upload at once; it used to
// block the transfer forever, deaf to Ctrl-C.
func TestSourceSwappedForFIFODoesNotBlock(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "a.jpg")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	s := &source{full: fifo, l: &Local{Path: "a.jpg", Size: 10, MtimeNS: 1, Hash: "00"}}
	done := make(chan error, 1)
	go func() {
		r, _, err := s.open()
		if err == nil {
			r.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, safeopen.ErrNotRegular) {
			t.Fatalf("open = %v, want ErrNotRegular", err)
		}
	case <-time.After(5 * time.Second):
		if w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
		}
		t.Fatal("open of a FIFO blocked")
	}
}
