//go:build unix

package safeopen

import (
	"os"
	"syscall"
)

func fcntlFlags(f *os.File) (int, error) {
	var flags int
	var errno syscall.Errno
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, err
	}
	if err := rc.Control(func(fd uintptr) {
		r, _, e := syscall.Syscall(syscall.SYS_FCNTL, fd, syscall.F_GETFL, 0)
		flags, errno = int(r), e
	}); err != nil {
		return 0, err
	}
	if errno != 0 {
		return 0, errno
	}
	return flags, nil
}
