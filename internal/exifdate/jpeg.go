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

// cursor reads a file sequentially, as libjpeg's data source does.
type cursor struct {
	s   *source
	off int64
}

func (c *cursor) byte() (byte, error) {
	b, err := c.s.byteAt(c.off)
	if err == nil {
		c.off++
	}
	return b, err
}

func (c *cursor) u16() (int, error) {
	b, err := c.s.bytesAt(c.off, 2)
	if err != nil {
		return 0, err
	}
	c.off += 2
	return int(b[0])<<8 | int(b[1]), nil
}

func (c *cursor) bytes(n int) ([]byte, error) {
	b, err := c.s.bytesAt(c.off, n)
	if err == nil {
		c.off += int64(n)
	}
	return b, err
}

// skip consumes n bytes (none when n <= 0).
func (c *cursor) skip(n int) error {
	if n <= 0 {
		return nil
	}
	if c.off+int64(n) > c.s.size {
		return errShort
	}
	c.off += int64(n)
	return nil
}

// readJPEGMarkers follows libjpeg-turbo 2.1's read_markers (jdmarker.c) with ImageMagick's
// marker processors (coders/jpeg.c) to know which APP1 segments ImageMagick reads before
// libjpeg stops: every marker is consumed exactly as they consume it (ImageMagick's APP13
// reader leaves some short segments half read, for instance), and every check that makes
// libjpeg stop with an error is repeated.
func readJPEGMarkers(s *source, full bool) ([]byte, error) {
	var profile []byte
	c := &cursor{s: s, off: 2} // after SOI, checked by the caller
	sawSOF := false
	var compIDs []byte
	for {
		marker, err := c.nextMarker()
		if err != nil {
			return profile, err
		}
		switch {
		case marker == 0xD8: // SOI again
			return profile, errRefused
		case marker == 0xC0 || marker == 0xC1 || marker == 0xC2 || marker == 0xC9 || marker == 0xCA:
			hdr, err := c.bytes(8)
			if err != nil {
				return profile, err
			}
			length := int(hdr[0])<<8 | int(hdr[1])
			height := int(hdr[3])<<8 | int(hdr[4])
			width := int(hdr[5])<<8 | int(hdr[6])
			n := int(hdr[7])
			if sawSOF || height <= 0 || width <= 0 || n <= 0 || length-8 != n*3 {
				return profile, errRefused
			}
			comps, err := c.bytes(3 * n)
			if err != nil {
				return profile, err
			}
			compIDs = compIDs[:0]
			for i := 0; i < n; i++ {
				compIDs = append(compIDs, comps[3*i])
			}
			sawSOF = true
		case marker == 0xC3 || (marker >= 0xC5 && marker <= 0xC8) || marker == 0xCB || marker >= 0xCD && marker <= 0xCF:
			return profile, errRefused // unsupported SOFn
		case marker == 0xDA: // SOS: the header is complete
			if !sawSOF || !full {
				return profile, nil
			}
			if err := c.sos(compIDs); err != nil {
				return profile, err
			}
			if c.off, err = skipEntropyData(s, c.off); err != nil {
				return profile, err
			}
		case marker == 0xD9: // EOI
			return profile, nil
		case marker >= 0xD0 && marker <= 0xD7, marker == 0x01: // RSTn, TEM: no length
		case marker == 0xC4:
			if err := c.dht(); err != nil {
				return profile, err
			}
		case marker == 0xDB:
			if err := c.dqt(); err != nil {
				return profile, err
			}
		case marker == 0xDD: // DRI
			length, err := c.u16()
			if err != nil {
				return profile, err
			}
			if length != 4 {
				return profile, errRefused
			}
			if err := c.skip(2); err != nil {
				return profile, err
			}
		case marker == 0xCC:
			if err := c.dac(); err != nil {
				return profile, err
			}
		case marker == 0xED: // APP13: ImageMagick's IPTC reader
			if err := c.app13(); err != nil {
				return profile, err
			}
		case marker == 0xE1:
			length, err := c.u16()
			if err != nil {
				return profile, err
			}
			if length <= 2 {
				continue
			}
			payload, err := c.bytes(length - 2)
			if err != nil {
				return profile, err // a truncated profile is dropped
			}
			if len(payload) > 4 && bytes.EqualFold(payload[:4], []byte("exif")) {
				switch {
				case profile == nil:
					profile = append([]byte(nil), payload...)
				case !bytes.Equal(profile, payload):
					profile = append(profile, payload...)
				}
			}
		case marker >= 0xE0 && marker <= 0xEF, marker == 0xFE, marker == 0xDC:
			// Other APPn (libjpeg's JFIF/Adobe readers, ImageMagick's ICC and generic
			// profile readers), COM and DNL all consume their length.
			length, err := c.u16()
			if err != nil {
				return profile, err
			}
			if err := c.skip(length - 2); err != nil {
				return profile, err
			}
		default:
			return profile, errRefused // unknown marker
		}
	}
}

// nextMarker is libjpeg's next_marker: skip garbage up to 0xFF, then fill bytes; FF00 is
// not a marker.
func (c *cursor) nextMarker() (byte, error) {
	for {
		b, err := c.byte()
		if err != nil {
			return 0, err
		}
		if b != 0xFF {
			continue
		}
		for b == 0xFF {
			if b, err = c.byte(); err != nil {
				return 0, err
			}
		}
		if b != 0 {
			return b, nil
		}
	}
}

// dht is libjpeg's get_dht, for its errors.
func (c *cursor) dht() error {
	length, err := c.u16()
	if err != nil {
		return err
	}
	length -= 2
	for length > 16 {
		hdr, err := c.bytes(17)
		if err != nil {
			return err
		}
		index, count := int(hdr[0]), 0
		for _, b := range hdr[1:] {
			count += int(b)
		}
		length -= 17
		if count > 256 || count > length {
			return errRefused
		}
		if err := c.skip(count); err != nil {
			return err
		}
		length -= count
		if index&0x10 != 0 {
			index -= 0x10
		}
		if index < 0 || index >= 4 {
			return errRefused
		}
	}
	if length != 0 {
		return errRefused
	}
	return nil
}

// dqt is libjpeg's get_dqt, for its errors.
func (c *cursor) dqt() error {
	length, err := c.u16()
	if err != nil {
		return err
	}
	length -= 2
	for length > 0 {
		n, err := c.byte()
		if err != nil {
			return err
		}
		prec := n >> 4
		if n&0x0F >= 4 {
			return errRefused
		}
		size := 64
		if prec != 0 {
			size = 128
		}
		if err := c.skip(size); err != nil {
			return err
		}
		length -= 1 + size
	}
	if length != 0 {
		return errRefused
	}
	return nil
}

// dac is libjpeg's get_dac (arithmetic coding is built in), for its errors.
func (c *cursor) dac() error {
	length, err := c.u16()
	if err != nil {
		return err
	}
	length -= 2
	for length > 0 {
		b, err := c.bytes(2)
		if err != nil {
			return err
		}
		index, val := int(b[0]), int(b[1])
		length -= 2
		if index >= 32 {
			return errRefused
		}
		if index < 16 && val&0x0F > val>>4 {
			return errRefused
		}
	}
	if length != 0 {
		return errRefused
	}
	return nil
}

// app13 consumes an APP13 segment as ImageMagick's ReadIPTCProfile does: a short segment
// is left partly unread, its rest then skipped as garbage by the next marker search.
func (c *cursor) app13() error {
	length, err := c.u16()
	if err != nil || length <= 2 {
		return err
	}
	length -= 2
	if length <= 14 {
		return c.skip(length)
	}
	magic, err := c.bytes(10)
	if err != nil {
		return err
	}
	isPhotoshop := bytes.IndexByte(magic, 0) < 0 && bytes.EqualFold(magic, []byte("Photoshop "))
	length -= 10
	if length <= 10 {
		return nil
	}
	if !isPhotoshop {
		return c.skip(length)
	}
	if err := c.skip(4); err != nil { // version
		return err
	}
	if length <= 11 {
		return nil
	}
	return c.skip(length - 4)
}

// sos is libjpeg's get_sos, for its errors (full reads only: a header read stops at SOS).
func (c *cursor) sos(compIDs []byte) error {
	length, err := c.u16()
	if err != nil {
		return err
	}
	n, err := c.byte()
	if err != nil {
		return err
	}
	if length != int(n)*2+6 || n < 1 || n > 4 {
		return errRefused
	}
	// As libjpeg: a component matches when its id is cc and the scan slot of the same
	// index is free; then no earlier slot may hold the same component.
	cur := [4]int{-1, -1, -1, -1}
	for i := 0; i < int(n); i++ {
		b, err := c.bytes(2)
		if err != nil {
			return err
		}
		found := -1
		for ci := 0; ci < len(compIDs) && ci < 4; ci++ {
			if compIDs[ci] == b[0] && cur[ci] < 0 {
				found = ci
				break
			}
		}
		if found < 0 {
			return errRefused
		}
		cur[i] = found
		for pi := 0; pi < i; pi++ {
			if cur[pi] == found {
				return errRefused
			}
		}
	}
	return c.skip(3)
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
