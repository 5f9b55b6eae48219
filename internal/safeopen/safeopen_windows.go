//go:build windows

package safeopen

import (
	"io/fs"
	"os"
	"syscall"
)

// open opens the file and keeps it only if its handle is a disk file: a device name
// (CON, COM1, a named pipe) is refused before it is read. CreateFile itself does not
// wait on a pipe or a device.
func open(name string) (*os.File, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	t, err := syscall.GetFileType(syscall.Handle(f.Fd()))
	if err != nil {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	if t != syscall.FILE_TYPE_DISK {
		f.Close()
		return nil, notRegular(name)
	}
	return keepRegular(f, name)
}
