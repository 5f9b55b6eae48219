package emulator

import (
	"bytes"
	"encoding/binary"
	"strings"
)

// exifDateTimeOriginal is the built-in reader of EXIF DateTimeOriginal (tag 0x9003 in the
// Exif IFD) from a JPEG APP1 segment or a PNG eXIf chunk; "" when absent. Config.ExifDate
// replaces it (e.g. with internal/exifdate.FromBytes).
func exifDateTimeOriginal(b []byte) (string, error) {
	if tiff := exifTIFF(b); tiff != nil {
		return tiffDateTimeOriginal(tiff), nil
	}
	return "", nil
}

func exifTIFF(b []byte) []byte {
	switch {
	case len(b) > 4 && b[0] == 0xFF && b[1] == 0xD8:
		i := 2
		for i+4 <= len(b) {
			if b[i] != 0xFF {
				return nil
			}
			m := b[i+1]
			if m == 0xFF {
				i++
				continue
			}
			if m == 0xD8 || m >= 0xD0 && m <= 0xD7 || m == 0x01 {
				i += 2
				continue
			}
			if m == 0xDA || m == 0xD9 {
				return nil
			}
			l := int(b[i+2])<<8 | int(b[i+3])
			if l < 2 || i+2+l > len(b) {
				return nil
			}
			seg := b[i+4 : i+2+l]
			if m == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
				return seg[6:]
			}
			i += 2 + l
		}
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		i := 8
		for i+12 <= len(b) {
			l := int(binary.BigEndian.Uint32(b[i:]))
			typ := string(b[i+4 : i+8])
			if l < 0 || i+12+l > len(b) {
				return nil
			}
			if typ == "eXIf" {
				return b[i+8 : i+8+l]
			}
			if typ == "IDAT" || typ == "IEND" {
				return nil
			}
			i += 12 + l
		}
	}
	return nil
}

func tiffDateTimeOriginal(t []byte) string {
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
	// entry finds a tag in the IFD at off and returns (type, count, value/offset field).
	entry := func(off uint32, tag uint16) (typ uint16, count uint32, val uint32, ok bool) {
		if int(off)+2 > len(t) {
			return 0, 0, 0, false
		}
		n := int(bo.Uint16(t[off:]))
		for k := 0; k < n; k++ {
			e := int(off) + 2 + 12*k
			if e+12 > len(t) {
				return 0, 0, 0, false
			}
			if bo.Uint16(t[e:]) == tag {
				return bo.Uint16(t[e+2:]), bo.Uint32(t[e+4:]), bo.Uint32(t[e+8:]), true
			}
		}
		return 0, 0, 0, false
	}
	_, _, exifIFD, ok := entry(bo.Uint32(t[4:]), 0x8769)
	if !ok {
		return ""
	}
	typ, count, val, ok := entry(exifIFD, 0x9003)
	if !ok || typ != 2 || count < 19 || int(val)+int(count) > len(t) {
		return ""
	}
	return strings.TrimRight(string(t[val:val+count]), "\x00 ")
}
