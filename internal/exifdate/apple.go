package exifdate

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"strings"

	"github.com/flickrsync/flickrsync/internal/isobmff"
)

// ContentIdentifier returns the identifier Apple gives both files of a Live Photo, "" when
// the file has none:
//   - a JPEG or HEIF still: its Apple maker note's tag 0x0011, ExifTool's
//     Apple:ContentIdentifier (ExifTool 12.57 names it MediaGroupUUID), in the EXIF data
//     (the APP1 segments before the scans; the Exif items of a HEIF, the main document's
//     last value winning as in DateTaken);
//   - a movie: the QuickTime Keys com.apple.quicktime.content.identifier.
//
// An error is returned only when r fails or ctx ends: malformed metadata gives "".
func ContentIdentifier(ctx context.Context, r io.ReaderAt, size int64) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	var head [16]byte
	n, err := r.ReadAt(head[:min(size, 16)], 0)
	if err != nil && err != io.EOF && int64(n) < min(size, 16) {
		return "", fmt.Errorf("read header: %w", err)
	}
	h := head[:n]
	if len(h) >= 2 && h[0] == 0xFF && h[1] == 0xD8 {
		profile, err := jpegProfile(&source{r: r, size: size}, false)
		if err != nil {
			return "", fmt.Errorf("read metadata: %w", err)
		}
		if i := bytes.Index(profile, []byte("Exif\x00\x00")); i >= 0 {
			return appleContentID(profile[i+6:]), nil
		}
		return "", nil
	}
	switch isobmff.Sniff(h) {
	case isobmff.FormatHEIC, isobmff.FormatHEIF, isobmff.FormatAVIF:
		items, err := isobmff.ExifItems(ctx, r, size)
		if err != nil {
			return "", err
		}
		return itemsValue(items, appleContentID), nil
	case isobmff.FormatMOV, isobmff.FormatMP4, isobmff.FormatM4V, isobmff.Format3GP, isobmff.Format3G2, isobmff.FormatISOBMFF:
		m, err := isobmff.ReadMeta(ctx, r, size)
		if err != nil {
			return "", nil // a broken container has no identifier to pair by
		}
		return printableID(m.ContentIdentifier), nil
	}
	return "", nil
}

// EXIF tags on the way to Apple's maker note.
const (
	tagMakerNote           = 0x927c
	appleTagContentID      = 0x0011
	maxMakerNote           = 1 << 20
	appleMakerNoteHeader   = "Apple iOS\x00"
	appleMakerNoteIFDStart = 14 // "Apple iOS\0", a version (2 bytes), the byte order (2)
)

// appleContentID finds the content identifier in the TIFF structure t (EXIF data from
// its TIFF header on): IFD0, its ExifIFD, the MakerNote tag, Apple's maker note (offsets
// from the maker note's start, its own byte order), tag 0x0011.
func appleContentID(t []byte) string {
	if len(t) < 8 {
		return ""
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return ""
	}
	exifIFD, ok := ifdEntry(t, bo, int64(bo.Uint32(t[4:8])), tagExifOffset)
	if !ok {
		return ""
	}
	note, ok := ifdEntry(t, bo, int64(bo.Uint32(exifIFD.value)), tagMakerNote)
	if !ok {
		return ""
	}
	mn := note.data(t, bo, 0)
	if len(mn) < appleMakerNoteIFDStart+2 || string(mn[:len(appleMakerNoteHeader)]) != appleMakerNoteHeader {
		return ""
	}
	var nbo binary.ByteOrder
	switch string(mn[12:14]) {
	case "II":
		nbo = binary.LittleEndian
	case "MM":
		nbo = binary.BigEndian
	default:
		return ""
	}
	id, ok := ifdEntry(mn, nbo, appleMakerNoteIFDStart, appleTagContentID)
	if !ok || id.typ != 2 {
		return ""
	}
	return printableID(string(id.data(mn, nbo, 0)))
}

// ifdField is one IFD entry: its type, count and the 4 bytes of its value or offset.
type ifdField struct {
	typ   uint16
	count uint32
	value []byte
}

// data is the field's bytes (base is where offsets count from within t), nil when they
// lie outside t or exceed maxMakerNote.
func (f ifdField) data(t []byte, bo binary.ByteOrder, base int64) []byte {
	size := int64(f.count) * int64(map[uint16]int{1: 1, 2: 1, 3: 2, 4: 4, 7: 1}[f.typ])
	if size <= 4 {
		return f.value[:size]
	}
	off := base + int64(bo.Uint32(f.value))
	if size > maxMakerNote || off < 0 || off+size > int64(len(t)) {
		return nil
	}
	return t[off : off+size]
}

// ifdEntry finds tag in the IFD at off of t.
func ifdEntry(t []byte, bo binary.ByteOrder, off int64, tag uint16) (ifdField, bool) {
	if off < 0 || off+2 > int64(len(t)) {
		return ifdField{}, false
	}
	n := int64(bo.Uint16(t[off:]))
	for i := int64(0); i < n; i++ {
		e := off + 2 + 12*i
		if e+12 > int64(len(t)) {
			break
		}
		if bo.Uint16(t[e:]) == tag {
			return ifdField{typ: bo.Uint16(t[e+2:]), count: bo.Uint32(t[e+4:]), value: t[e+8 : e+12]}, true
		}
	}
	return ifdField{}, false
}

// printableID keeps an identifier up to its first NUL, and only when it is short
// printable ASCII (a UUID): it goes into a Flickr tag and a catalog column.
func printableID(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	if len(s) == 0 || len(s) > 64 {
		return ""
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c > '~' {
			return ""
		}
	}
	return s
}
