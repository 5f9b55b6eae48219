package jpeg

import "io"

func decode(r io.Reader, w io.Writer, opts Options, configOnly bool) (Info, error) {
	return Info{}, UnsupportedError("decoder not implemented yet")
}
