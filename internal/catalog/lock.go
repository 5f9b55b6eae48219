package catalog

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// LockedError says another flickrsync process holds the database.
type LockedError struct {
	Path string // the database
	PID  int    // the holder, 0 when unknown
}

func (e *LockedError) Error() string {
	if e.PID == 0 {
		return fmt.Sprintf("database %s is in use by another flickrsync", e.Path)
	}
	return fmt.Sprintf("database %s is in use by another flickrsync (pid %d)", e.Path, e.PID)
}

// ErrLocked is matched by errors.Is for every *LockedError.
var ErrLocked = errors.New("database in use")

func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// lockFile is the process lock <db>.lock. On Linux, macOS and the BSDs it is an flock on
// that file, on Windows the file opened without write sharing: the operating system
// releases it when the process ends, however it ends (kill -9 included), so a lock is
// never stale. The file holds the owner's pid, for the message others get.
type lockFile struct {
	path string
	f    *os.File
}

// acquireLock takes the lock, waiting up to wait (polling) while another process holds it;
// onWait is called once when waiting starts.
func acquireLock(ctx context.Context, dbPath string, wait time.Duration, onWait func(*LockedError)) (*lockFile, error) {
	lp := dbPath + ".lock"
	deadline := time.Now().Add(wait)
	notified := false
	for {
		f, err := lockOS(lp)
		if err == nil {
			if err := writePID(f); err != nil {
				unlockOS(lp, f)
				return nil, fmt.Errorf("write lock %s: %w", lp, err)
			}
			return &lockFile{path: lp, f: f}, nil
		}
		var le *LockedError
		if !errors.As(err, &le) {
			return nil, err
		}
		le.Path = dbPath
		if time.Now().After(deadline) {
			return nil, le
		}
		if !notified && onWait != nil {
			onWait(le)
			notified = true
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for %w: %w", le, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func writePID(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return err
}

// readPID reads the holder's pid from the lock file, 0 when unknown.
func readPID(lp string) int {
	b, err := os.ReadFile(lp)
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return 0
	}
	return pid
}

func (l *lockFile) release() error {
	if l == nil {
		return nil
	}
	return unlockOS(l.path, l.f)
}
