//go:build linux || darwin || freebsd

package flickr

import "golang.org/x/sys/unix"

// diskSpace returns the bytes an unprivileged process may still write on dir's file
// system, and its size.
func diskSpace(dir string) (free, total int64, err error) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return 0, 0, err
	}
	return int64(st.Bavail) * int64(st.Bsize), int64(st.Blocks) * int64(st.Bsize), nil
}
