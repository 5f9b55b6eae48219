package exifdate

import (
	"encoding/binary"
	"math"
	"strconv"
	"strings"
)

// Constants of ImageMagick 6.9.11's GetEXIFProperty (magick/property.c).
const (
	maxDirectoryStack = 16
	maxTextExtent     = 4096
	tagDateTimeOrig   = 0x9003
	tagExifOffset     = 0x8769
	tagGPSOffset      = 0x8825
	tagInteropOffset  = 0xa005
)

// formats gives the size of one component of each EXIF format (index = format); a format
// without a size ends the directory.
type formats []int64

// tagBytes are ImageMagick's formats; exifWalk adds TIFF's IFD type (13, 4 bytes), which
// ExifTool reads as a 32-bit offset where ImageMagick stops (libtiff writes ExifIFD with
// it). exifWalk is the walk used for the formats whose reference is ExifTool.
var (
	tagBytes = formats{0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8}
	exifWalk = formats{0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4}
)

type dirEntry struct {
	directory int64 // offset of the IFD from the TIFF header
	entry     int64
	offset    int64 // tag offset: 0x10000 inside the GPS IFD
}

// walk transcribes GetEXIFProperty's IFD walk over profile and returns the value it would
// set for the key "exif:DateTimeOriginal" (the first one set wins). all selects the
// "exif:*" pass (every tag is formatted, and a bad value pointer of any tag ends the
// directory) instead of the single-tag lookup.
func walk(profile []byte, all bool) (string, bool) {
	// Find "Exif\0\0" the way ImageMagick does: byte by byte, a mismatch consumes the byte.
	exif := profile
	for len(exif) != 0 {
		ok := true
		for _, want := range []byte("Exif\x00\x00") {
			if len(exif) == 0 {
				ok = false
				break
			}
			c := exif[0]
			exif = exif[1:]
			if c != want {
				ok = false
				break
			}
		}
		if ok {
			break
		}
	}
	return walkTIFF(tagBytes, memTIFF(exif), all)
}

// tiffData is what the IFD walk reads: the TIFF structure of an EXIF profile in memory, or
// of a TIFF file read piece by piece.
type tiffData interface {
	size() int64
	// at returns n bytes at off, which the walk has checked lie inside; nil when they
	// cannot be read (the walk then ends).
	at(off int64, n int) []byte
}

type memTIFF []byte

func (m memTIFF) size() int64                { return int64(len(m)) }
func (m memTIFF) at(off int64, n int) []byte { return m[off : off+int64(n)] }

// maxString bounds the bytes of a string value read (ImageMagick reads any length).
const maxString = 64 << 10

// walkTIFF is walk from the TIFF header on.
func walkTIFF(tagBytes formats, d tiffData, all bool) (string, bool) {
	length := d.size()
	if length < 16 {
		return "", false
	}
	hdr := d.at(0, 8)
	if hdr == nil {
		return "", false
	}
	var order binary.ByteOrder
	switch {
	case hdr[0] == 'I' && hdr[1] == 'I':
		order = binary.LittleEndian
	case hdr[0] == 'M' && hdr[1] == 'M':
		order = binary.BigEndian
	default:
		return "", false
	}
	failed := false
	u16 := func(at int64) int64 {
		b := d.at(at, 2)
		if b == nil {
			failed = true
			return 0
		}
		return int64(order.Uint16(b))
	}
	s32 := func(at int64) int64 {
		b := d.at(at, 4)
		if b == nil {
			failed = true
			return 0
		}
		return int64(int32(order.Uint32(b)))
	}
	if u16(2) != 0x002a {
		return "", false
	}
	offset := s32(4)
	if offset < 0 || offset >= length {
		return "", false
	}
	var stack [maxDirectoryStack]dirEntry
	visited := map[int64]bool{}
	directory, entry, tagOffset := offset, int64(0), int64(0)
	level := 0
	found, value := false, ""
	for !failed {
		if level > 0 {
			level--
			directory, entry, tagOffset = stack[level].directory, stack[level].entry, stack[level].offset
		}
		if directory < 0 || directory > length-2 {
			break
		}
		numberEntries := u16(directory)
	entries:
		for ; entry < numberEntries && !failed; entry++ {
			q := directory + 12*entry + 2
			if q > length-12 {
				break
			}
			if visited[q] {
				break
			}
			visited[q] = true
			tagValue := u16(q) + tagOffset
			format := u16(q + 2)
			if format >= int64(len(tagBytes)) || format == 0 {
				break
			}
			components := s32(q + 4)
			if components < 0 {
				break
			}
			numberBytes := components * tagBytes[format]
			p := q + 8
			if numberBytes > 4 {
				dirOffset := s32(q + 8)
				if dirOffset < 0 || dirOffset >= length || dirOffset+numberBytes > length {
					continue
				}
				p = dirOffset
			}
			if all || tagValue == tagDateTimeOrig {
				if p > length-tagBytes[format] {
					break
				}
				// The key is "exif:DateTimeOriginal" only for that tag outside level 2,
				// which ImageMagick renames "exif:thumbnail:...". Other tags' values
				// change nothing here, so they are not formatted.
				if tagValue == tagDateTimeOrig && !found && level != 2 {
					if v, ok := formatValue(tagBytes, d, order, format, components, numberBytes, p); ok {
						found, value = true, v
					}
				}
			}
			if tagValue == tagExifOffset || tagValue == tagInteropOffset || tagValue == tagGPSOffset {
				off := s32(p)
				if off >= 0 && off < length && level < maxDirectoryStack-2 {
					tagOffset1 := int64(0)
					if tagValue == tagGPSOffset {
						tagOffset1 = 0x10000
					}
					stack[level] = dirEntry{directory, entry + 1, tagOffset}
					level++
					for i := 0; i < level; i++ {
						if stack[i].directory == tagOffset1 {
							break entries // "duplicate tag"
						}
					}
					stack[level] = dirEntry{off, 0, tagOffset1}
					level++
					if directory+2+12*numberEntries+4 > length {
						break
					}
					next := s32(directory + 2 + 12*numberEntries)
					if next != 0 && next >= 0 && next < length && level < maxDirectoryStack-2 {
						stack[level] = dirEntry{next, 0, tagOffset1}
						level++
					}
				}
				break
			}
		}
		if level <= 0 {
			break
		}
	}
	return value, found
}

// formatValue renders one tag value as GetEXIFProperty does. ok is false when ImageMagick
// sets nothing (a string whose bytes lie outside the profile).
func formatValue(tagBytes formats, d tiffData, order binary.ByteOrder, format, components, numberBytes, p int64) (string, bool) {
	length := d.size()
	if format == 2 { // string
		if p+numberBytes > length {
			return "", false
		}
		n := min(numberBytes, maxString)
		raw := d.at(p, int(n))
		var b strings.Builder
		for _, c := range raw {
			if c == 0 {
				break // the C string ends here
			}
			if c < 0x20 || c > 0x7e {
				c = '.'
			}
			b.WriteByte(c)
		}
		return b.String(), true
	}
	size := tagBytes[format]
	// EXIFMultipleValues: "v, " per component into a 4096-byte buffer, then the last ", "
	// dropped. Components past the buffer only cost time, so stop once it is full.
	var b []byte
	for c := int64(0); c < components && len(b) < maxTextExtent; c++ {
		at := p + c*size
		if at+size > length {
			// ImageMagick reads past its buffer here; nothing sane to reproduce.
			break
		}
		v := d.at(at, int(size))
		if v == nil {
			break
		}
		b = append(b, formatOne(v, order, format)...)
		b = append(b, ", "...)
	}
	n := len(b)
	if n >= maxTextExtent-1 {
		n = maxTextExtent - 1
	}
	if n > 1 {
		n -= 2
	}
	return string(b[:n]), true
}

// formatOne prints one component with ImageMagick's printf format for its EXIF format.
func formatOne(v []byte, order binary.ByteOrder, format int64) string {
	switch format {
	case 1, 7: // byte, undefined: %.20g
		return strconv.Itoa(int(v[0]))
	case 6: // signed byte
		return strconv.Itoa(int(int8(v[0])))
	case 8: // signed short: %hd
		return strconv.Itoa(int(int16(order.Uint16(v))))
	case 3: // unsigned short: %hu
		return strconv.Itoa(int(order.Uint16(v)))
	case 4: // unsigned long
		return strconv.FormatUint(uint64(order.Uint32(v)), 10)
	case 9: // signed long
		return strconv.FormatInt(int64(int32(order.Uint32(v))), 10)
	case 5: // unsigned rational: %.20g/%.20g
		return strconv.FormatUint(uint64(order.Uint32(v)), 10) + "/" + strconv.FormatUint(uint64(order.Uint32(v[4:])), 10)
	case 10: // signed rational
		return strconv.FormatInt(int64(int32(order.Uint32(v))), 10) + "/" + strconv.FormatInt(int64(int32(order.Uint32(v[4:]))), 10)
	case 11: // float, read in the host's (little-endian) order: %f
		return cFloat(float64(math.Float32frombits(binary.LittleEndian.Uint32(v))))
	case 12: // double, host order: %f
		return cFloat(math.Float64frombits(binary.LittleEndian.Uint64(v)))
	}
	return ""
}

// cFloat is C's printf("%f").
func cFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		if math.Signbit(f) {
			return "-nan"
		}
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, 'f', 6, 64)
}
