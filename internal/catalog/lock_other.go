//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package catalog

import (
	"errors"
	"fmt"
	"os"
)

// lockOS creates the lock file exclusively (no kernel lock on this system: a lock left by
// a crashed process must be deleted by hand, as the error message says).
func lockOS(lp string) (*os.File, error) {
	f, err := os.OpenFile(lp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil, &LockedError{PID: readPID(lp)}
	}
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", lp, err)
	}
	return f, nil
}

func unlockOS(lp string, f *os.File) error {
	f.Close()
	if err := os.Remove(lp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("release lock %s: %w", lp, err)
	}
	return nil
}
