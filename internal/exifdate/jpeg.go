package exifdate

import (
	"bytes"
	"errors"
)

// jpegProfile returns the "exif" profile ImageMagick 6 attaches to a JPEG: the payloads
// of the APP1 segments starting with "exif" (any case) that libjpeg's header reader hands
// to ImageMagick's marker processor, each one different from the profile so far appended
// to it. Reading stops at the first SOS, or where libjpeg stops with an error: ImageMagick
// still returns the image then (its error handler tests the caller's exception, not the
// image's), so the segments read before the error count. Files under 107 bytes are refused
// before any parsing.
//
// With full, reading goes on past the scans to EOI, as a full decode does: libjpeg then
// also hands over the APPn segments that follow the entropy-coded data.
func jpegProfile(s *source, full bool) ([]byte, error) {
	if s.size < 107 {
		return nil, nil
	}
	profile, err := readJPEGMarkers(s, full)
	if errors.Is(err, errShort) || errors.Is(err, errRefused) {
		return profile, nil
	}
	return profile, err
}

// errRefused is a header libjpeg stops on with a fatal error.
var errRefused = errors.New("jpeg header refused")

// readJPEGMarkers follows libjpeg-turbo 2.1's read_markers (jdmarker.c) far enough to know
// which APPn segments ImageMagick's marker processor sees before libjpeg stops.
func readJPEGMarkers(s *source, full bool) ([]byte, error) {
	var profile []byte
	off := int64(2) // after SOI, checked by the caller
	sawSOF := false
	var precision byte
	var width, height, ncomp int
	for {
		// next_marker: skip garbage up to 0xFF, then fill bytes; FF00 is not a marker.
		var marker byte
		for {
			c, err := s.byteAt(off)
			if err != nil {
				return profile, err
			}
			off++
			if c != 0xFF {
				continue
			}
			for c == 0xFF {
				if c, err = s.byteAt(off); err != nil {
					return profile, err
				}
				off++
			}
			if c != 0 {
				marker = c
				break
			}
		}
		switch {
		case marker == 0xD8: // SOI again
			return profile, errRefused
		case marker == 0xC0 || marker == 0xC1 || marker == 0xC2 || marker == 0xC9 || marker == 0xCA:
			if sawSOF {
				return profile, errRefused
			}
			hdr, err := s.bytesAt(off, 8)
			if err != nil {
				return profile, err
			}
			length := int(hdr[0])<<8 | int(hdr[1])
			precision = hdr[2]
			height = int(hdr[3])<<8 | int(hdr[4])
			width = int(hdr[5])<<8 | int(hdr[6])
			ncomp = int(hdr[7])
			if height <= 0 || width <= 0 || ncomp <= 0 || length-8 != ncomp*3 {
				return profile, errRefused
			}
			if _, err := s.bytesAt(off+8, ncomp*3); err != nil {
				return profile, err
			}
			sawSOF = true
			off += int64(length)
		case marker == 0xC3 || (marker >= 0xC5 && marker <= 0xC8) || marker == 0xCB || marker >= 0xCD && marker <= 0xCF:
			return profile, errRefused // unsupported SOFn
		case marker == 0xDA: // SOS: the header is complete
			if !sawSOF || precision != 8 || width > 65500 || height > 65500 || ncomp > 10 {
				return profile, errRefused
			}
			if !full {
				return profile, nil
			}
			hdr, err := s.bytesAt(off, 2)
			if err != nil {
				return profile, err
			}
			off += int64(hdr[0])<<8 | int64(hdr[1])
			if off, err = skipEntropyData(s, off); err != nil {
				return profile, err
			}
		case marker == 0xD9: // EOI before any image
			return profile, errRefused
		case marker >= 0xD0 && marker <= 0xD7, marker == 0x01: // RSTn, TEM: no length
		case marker == 0xE1:
			hdr, err := s.bytesAt(off, 2)
			if err != nil {
				return profile, err
			}
			length := int(hdr[0])<<8 | int(hdr[1])
			off += 2
			if length <= 2 {
				continue
			}
			payload, err := s.bytesAt(off, length-2)
			if err != nil {
				return profile, err
			}
			off += int64(length - 2)
			if len(payload) > 4 && bytes.EqualFold(payload[:4], []byte("exif")) {
				switch {
				case profile == nil:
					profile = append([]byte(nil), payload...)
				case !bytes.Equal(profile, payload):
					profile = append(profile, payload...)
				}
			}
		case marker == 0xC4 || marker == 0xDB || marker == 0xDD || marker == 0xCC ||
			marker >= 0xE0 && marker <= 0xEF || marker == 0xFE || marker == 0xDC:
			hdr, err := s.bytesAt(off, 2)
			if err != nil {
				return profile, err
			}
			length := int64(hdr[0])<<8 | int64(hdr[1])
			if length < 2 {
				length = 2
			}
			if off+length > s.size {
				return profile, errShort
			}
			off += length
		default:
			return profile, errRefused // unknown marker
		}
	}
}

// skipEntropyData returns the offset of the 0xFF starting the first marker at or after off
// that ends entropy-coded data (not FF00 stuffing, not RSTn, not fill bytes).
func skipEntropyData(s *source, off int64) (int64, error) {
	const chunk = 64 << 10
	for off < s.size {
		n := int64(chunk)
		if n > s.size-off {
			n = s.size - off
		}
		b, err := s.bytesAt(off, int(n))
		if err != nil {
			return off, err
		}
		for i := 0; i < len(b); {
			j := bytes.IndexByte(b[i:], 0xFF)
			if j < 0 {
				break
			}
			i += j
			k := i + 1
			for k < len(b) && b[k] == 0xFF {
				k++
			}
			if k == len(b) {
				// The marker byte is in the next chunk: restart there from the 0xFF.
				if i == 0 {
					i = len(b) - 1 // a run of fill bytes: keep only its last 0xFF
				}
				if i == 0 {
					return s.size, errShort
				}
				n = int64(i)
				break
			}
			if c := b[k]; c != 0 && (c < 0xD0 || c > 0xD7) {
				return off + int64(i), nil
			}
			i = k + 1
		}
		off += n
	}
	return off, errShort
}
