package isobmff

import (
	"errors"
	"fmt"
)

// FormatError says what is wrong with a file's boxes and where ("box 'moov' at offset
// 0x1c: size 6000 runs past the end of the file (5000 bytes)").
type FormatError struct {
	Box    string // the box type concerned, "" when none
	Offset int64  // where in the file, -1 when not about one place
	Msg    string
}

func (e *FormatError) Error() string {
	switch {
	case e.Box != "" && e.Offset >= 0:
		return fmt.Sprintf("box '%s' at offset %#x: %s", e.Box, e.Offset, e.Msg)
	case e.Offset >= 0:
		return fmt.Sprintf("at offset %#x: %s", e.Offset, e.Msg)
	}
	return e.Msg
}

// ErrEmpty is returned for a file of zero bytes.
var ErrEmpty = errors.New("empty file")

// ErrTooManyItems is returned when a meta box declares more distinct item IDs than
// maxItems: the one place Sign refuses a file ExifTool would read, to keep memory bounded.
var ErrTooManyItems = errors.New("too many HEIF items")

// printable renders a box type for messages: control and non-ASCII bytes as \xNN.
func printable(t [4]byte) string {
	var b []byte
	for _, c := range t {
		if c >= 0x20 && c < 0x7f && c != '\\' && c != '\'' {
			b = append(b, c)
		} else {
			b = append(b, fmt.Sprintf(`\x%02x`, c)...)
		}
	}
	return string(b)
}
