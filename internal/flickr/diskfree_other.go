//go:build !(linux || darwin || freebsd || windows)

package flickr

import "errors"

// diskSpace cannot tell on this system: downloads are bounded by their size cap only.
func diskSpace(dir string) (free, total int64, err error) {
	return 0, 0, errors.New("free space unknown on this system")
}
