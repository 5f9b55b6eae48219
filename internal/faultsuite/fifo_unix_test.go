//go:build unix

package faultsuite

import "syscall"

// mkfifo makes a named pipe: a directory entry no read of which ever completes.
func mkfifo(path string) error { return syscall.Mkfifo(path, 0o644) }
