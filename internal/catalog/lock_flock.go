//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package catalog

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockOS takes an exclusive flock on the lock file, or returns a *LockedError.
func lockOS(lp string) (*os.File, error) {
	for attempt := 0; attempt < 3; attempt++ {
		f, err := os.OpenFile(lp, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("open lock %s: %w", lp, err)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, &LockedError{PID: readPID(lp)}
			}
			return nil, fmt.Errorf("lock %s: %w", lp, err)
		}
		// The previous holder removes the file before unlocking it: make sure the file
		// locked is the one at the path now, else try again.
		held, err1 := f.Stat()
		now, err2 := os.Stat(lp)
		if err1 == nil && err2 == nil && os.SameFile(held, now) {
			return f, nil
		}
		f.Close()
	}
	return nil, &LockedError{PID: readPID(lp)}
}

// unlockOS removes the lock file, then releases the lock (in that order, see lockOS).
func unlockOS(lp string, f *os.File) error {
	err := os.Remove(lp)
	if errors.Is(err, os.ErrNotExist) {
		err = nil
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("release lock %s: %w", lp, err)
	}
	return nil
}
