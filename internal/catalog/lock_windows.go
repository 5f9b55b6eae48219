//go:build windows

package catalog

import (
	"fmt"
	"os"
	"syscall"
)

const errorSharingViolation = syscall.Errno(32)

// lockOS opens the lock file for writing without write sharing (others may only read
// it, for the pid), or returns a *LockedError.
func lockOS(lp string) (*os.File, error) {
	name, err := syscall.UTF16PtrFromString(lp)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", lp, err)
	}
	h, err := syscall.CreateFile(name, syscall.GENERIC_READ|syscall.GENERIC_WRITE,
		syscall.FILE_SHARE_READ, nil, syscall.OPEN_ALWAYS, syscall.FILE_ATTRIBUTE_NORMAL, 0)
	if err == errorSharingViolation {
		return nil, &LockedError{PID: readPID(lp)}
	}
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", lp, err)
	}
	return os.NewFile(uintptr(h), lp), nil
}

// unlockOS closes the lock file, then removes it if nobody opened it meanwhile.
func unlockOS(lp string, f *os.File) error {
	if err := f.Close(); err != nil {
		return fmt.Errorf("release lock %s: %w", lp, err)
	}
	os.Remove(lp)
	return nil
}
