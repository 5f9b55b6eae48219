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

// lockFile is the advisory lock <db>.lock: created exclusively, holding the owner's pid.
// A lock whose process is gone (killed) is taken over. It works the same on Linux, macOS
// and Windows, since it relies only on exclusive creation.
type lockFile struct {
	path string
}

// acquireLock takes the lock, waiting up to wait (polling) while another live process holds
// it; onWait is called once when waiting starts.
func acquireLock(ctx context.Context, dbPath string, wait time.Duration, onWait func(*LockedError)) (*lockFile, error) {
	lp := dbPath + ".lock"
	deadline := time.Now().Add(wait)
	notified := false
	for {
		err := tryLock(lp)
		if err == nil {
			return &lockFile{path: lp}, nil
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

// tryLock creates the lock file, or takes over a stale one once.
func tryLock(lp string) error {
	for attempt := 0; attempt < 2; attempt++ {
		f, err := os.OpenFile(lp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, werr := f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
			cerr := f.Close()
			if werr != nil || cerr != nil {
				os.Remove(lp)
				return fmt.Errorf("write lock %s: %w", lp, errors.Join(werr, cerr))
			}
			return nil
		}
		if !errors.Is(err, os.ErrExist) {
			return fmt.Errorf("create lock %s: %w", lp, err)
		}
		b, err := os.ReadFile(lp)
		if errors.Is(err, os.ErrNotExist) {
			continue // released meanwhile
		}
		if err != nil {
			return fmt.Errorf("read lock %s: %w", lp, err)
		}
		pid, perr := strconv.Atoi(strings.TrimSpace(string(b)))
		if perr != nil || pid <= 0 {
			// Being written right now, or garbage: treat a fresh one as held.
			if st, err := os.Stat(lp); err == nil && time.Since(st.ModTime()) < 5*time.Second {
				return &LockedError{}
			}
		} else if pid != os.Getpid() && processAlive(pid) {
			return &LockedError{PID: pid}
		} else if pid == os.Getpid() {
			// This process already holds it through another Catalog.
			return &LockedError{PID: pid}
		}
		// Stale: its process is gone. Remove it and retry creating it exclusively, so of
		// two processes taking over at once only one wins.
		if err := os.Remove(lp); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove stale lock %s: %w", lp, err)
		}
	}
	return &LockedError{}
}

func (l *lockFile) release() error {
	if l == nil {
		return nil
	}
	if err := os.Remove(l.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove lock %s: %w", l.path, err)
	}
	return nil
}
