package isobmff

import (
	"encoding/binary"
	"fmt"
)

// intactFirst are the box types an intact file may start with.
var intactFirst = map[string]bool{"ftyp": true, "moov": true, "mdat": true, "wide": true, "free": true, "skip": true}

// checkIntact applies media/README.md's rule for signing a file whose coded data ExifTool
// does not hash: its top-level boxes tile the file exactly (sizes of at least 8, or 1 with
// a 64-bit size of at least 16, or 0 for a last box running to the end), the first is
// ftyp, moov, mdat, wide, free or skip, and one is a moov, meta or mini box. The error
// says what is broken and where.
func checkIntact(w *window) error {
	size := w.size
	if size == 0 {
		return ErrEmpty
	}
	main := false
	for pos := int64(0); pos < size; {
		if size-pos < 8 {
			return &FormatError{Offset: pos, Msg: fmt.Sprintf("%d bytes after the last box, too few for a box header (truncated file?)", size-pos)}
		}
		hdr := w.at(pos, 8)
		if hdr == nil {
			return w.err
		}
		var typ [4]byte
		copy(typ[:], hdr[4:])
		name := printable(typ)
		if pos == 0 && !intactFirst[string(typ[:])] {
			return &FormatError{Box: name, Offset: 0, Msg: "the file starts with this box, not with ftyp, moov, mdat, wide, free or skip: not an ISO base media file"}
		}
		var total uint64
		switch sz := binary.BigEndian.Uint32(hdr); {
		case sz == 0:
			total = uint64(size - pos)
		case sz == 1:
			ext := w.at(pos+8, 8)
			if ext == nil {
				if w.err != nil {
					return w.err
				}
				return &FormatError{Box: name, Offset: pos, Msg: "its 64-bit size is cut off by the end of the file"}
			}
			if total = binary.BigEndian.Uint64(ext); total < 16 {
				return &FormatError{Box: name, Offset: pos, Msg: fmt.Sprintf("invalid 64-bit size %d", total)}
			}
		case sz < 8:
			return &FormatError{Box: name, Offset: pos, Msg: fmt.Sprintf("invalid size %d", sz)}
		default:
			total = uint64(sz)
		}
		if total > uint64(size-pos) {
			return &FormatError{Box: name, Offset: pos, Msg: fmt.Sprintf("size %d runs past the end of the file by %d bytes (truncated file?)", total, total-uint64(size-pos))}
		}
		switch string(typ[:]) {
		case "moov", "meta", "mini":
			main = true
		}
		pos += int64(total)
	}
	if !main {
		return &FormatError{Offset: -1, Msg: "no top-level moov, meta or mini box: no movie or image described"}
	}
	return nil
}
