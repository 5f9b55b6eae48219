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
	if d.band != nil && d.band.quiet {
		return
	}
	d.nwarnings++
	if len(d.info.Warnings) < maxWarnings {
		d.info.Warnings = append(d.info.Warnings, fmt.Sprintf(format, args...))
	}
}

// panicOnBug makes recoverError re-panic on anything but a decodeError (set by the fuzz
// target, so that fuzzing finds decoder bugs instead of hiding them).
var panicOnBug = false

// recoverError turns a decodeError panic into an error; other panics are bugs and are
// reported as a FormatError too rather than crashing the caller on hostile input.
func recoverError(errp *error) {
	r := recover()
	if r == nil {
		return
	}
	if de, ok := r.(decodeError); ok {
		*errp = de.err
		return
	}
	if panicOnBug {
		panic(r)
	}
	*errp = FormatError(fmt.Sprintf("internal decoder failure: %v", r))
}
