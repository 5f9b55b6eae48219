package jpeg

import "fmt"

// decodeError carries a fatal error up the decoder by panic; decode recovers it. libjpeg's
// error_exit longjmps in the same way.
type decodeError struct{ err error }

// maxWarnings bounds the warnings kept in Info (ImageMagick reports at most 1000).
const maxWarnings = 100

func (d *decoder) fail(format string, args ...any) {
	panic(decodeError{FormatError(fmt.Sprintf(format, args...))})
}

func (d *decoder) unsupported(format string, args ...any) {
	panic(decodeError{UnsupportedError(fmt.Sprintf(format, args...))})
}

func (d *decoder) warn(format string, args ...any) {
	if d.quiet {
		return
	}
	d.nwarnings++
	if len(d.info.Warnings) < maxWarnings {
		d.info.Warnings = append(d.info.Warnings, fmt.Sprintf(format, args...))
	}
}

// recoverError turns a decodeError panic, the decoder's own way of failing, into an error.
// Any other panic is a bug and goes on up: imagesig.Sign reports it as an internal error,
// never as a verdict on the file.
func recoverError(errp *error) {
	r := recover()
	if r == nil {
		return
	}
	if de, ok := r.(decodeError); ok {
		*errp = de.err
		return
	}
	panic(r)
}
