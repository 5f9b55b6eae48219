//go:build !unix && !windows

package safeopen

import "os"

// open checks the type before and after opening: the best a system without
// non-blocking opens allows.
func open(name string) (*os.File, error) {
	if st, err := os.Stat(name); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, notRegular(name)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	return keepRegular(f, name)
}
