package tiff

import "fmt"

// libtiff 4.5's LZW decoder (tif_lzw.c): LZWDecode for today's codes (most significant bit
// first, the code width grows one code early), LZWDecodeCompat for the old bit-reversed
// codes, with the same errors: a strip must start with a clear code, codes not yet in the
// table are refused, data running out before the strip is full is an error (a warning for
// old-style codes, which stop as if at an end code).

const (
	lzwClear = 256
	lzwEOI   = 257
	lzwFirst = 258
	lzwCSize = 4095 + 1024
)

type lzwEntry struct {
	next      int32 // previous entry of the string, -1 for none
	length    uint16
	value     byte
	firstchar byte
}

func (sd *strileDecoder) lzw(raw, out []byte) error {
	if len(raw) >= 2 && raw[0] == 0 && raw[1]&1 != 0 {
		sd.p.d.warn("old-style LZW codes, convert file")
		return lzwCompat(raw, out)
	}
	return lzwDecode(raw, out)
}

func newLZWTable() []lzwEntry {
	t := make([]lzwEntry, lzwCSize)
	for i := 0; i < 256; i++ {
		t[i] = lzwEntry{next: -1, length: 1, value: byte(i), firstchar: byte(i)}
	}
	return t
}

// lzwString writes the string of code c (length n) to dst.
func lzwString(t []lzwEntry, c int32, dst []byte) {
	for i := len(dst) - 1; i >= 0 && c >= 0; i-- {
		dst[i] = t[c].value
		c = t[c].next
	}
}

func lzwDecode(raw, out []byte) error {
	t := newLZWTable()
	occ := len(out)
	o := 0
	nbits := 9
	mask := 511
	maxcode := mask - 1
	free := -1 // free_entp = dec_codetab - 1 until the first clear code
	old := int32(0)
	var nextdata uint64
	nextbits := 0
	bp := 0
	bitsLeft := uint64(len(raw)) * 8
	get := func() (int, bool) {
		if bitsLeft < uint64(nbits) {
			return 0, false
		}
		for nextbits < nbits {
			nextdata = nextdata<<8 | uint64(raw[bp])
			bp++
			nextbits += 8
		}
		bitsLeft -= uint64(nbits)
		nextbits -= nbits
		return int(nextdata>>uint(nextbits)) & mask, true
	}
	grow := func() {
		free++
		if free > maxcode {
			nbits++
			if nbits > 12 {
				nbits = 12
			}
			mask = 1<<nbits - 1
			maxcode = mask - 1
			if free >= lzwCSize {
				free = -1
			}
		}
	}
	noEOI := FormatError("LZWDecode: strip not terminated with EOI code")
	badCode := FormatError("using code not yet in table")
	for occ > 0 {
		code, ok := get()
		if !ok {
			return noEOI
		}
		switch {
		case code == lzwEOI:
			return lzwShort(occ)
		case code == lzwClear:
			free = lzwFirst
			nbits, mask = 9, 511
			maxcode = mask - 1
			for code == lzwClear {
				if code, ok = get(); !ok {
					return noEOI
				}
			}
			if code == lzwEOI {
				return lzwShort(occ)
			}
			if code > lzwEOI {
				return badCode
			}
			out[o] = byte(code)
			o++
			occ--
			old = int32(code)
		case code < 256:
			if free < 0 || code > free {
				return badCode
			}
			e := &t[free]
			e.next = old
			e.firstchar = t[old].firstchar
			e.length = t[old].length + 1
			e.value = byte(code)
			grow()
			old = int32(code)
			out[o] = byte(code)
			o++
			occ--
		default:
			if free < 0 || code > free {
				return badCode
			}
			e := &t[free]
			if code == free {
				e.value = t[old].firstchar
			} else {
				e.value = t[code].firstchar
			}
			e.next = old
			e.firstchar = t[old].firstchar
			e.length = t[old].length + 1
			grow()
			old = int32(code)
			n := int(t[code].length)
			if n > occ {
				// Only the beginning of the string fits.
				c := int32(code)
				for int(t[c].length) > occ {
					c = t[c].next
				}
				lzwString(t, c, out[o:o+occ])
				return nil
			}
			lzwString(t, int32(code), out[o:o+n])
			o += n
			occ -= n
		}
	}
	return nil
}

func lzwShort(occ int) error {
	if occ > 0 {
		return FormatError(fmt.Sprintf("not enough data at scanline (short %d bytes)", occ))
	}
	return nil
}

func lzwCompat(raw, out []byte) error {
	t := newLZWTable()
	occ := len(out)
	o := 0
	nbits := 9
	mask := 511
	maxcode := mask
	free := -1
	old := int32(0)
	var nextdata uint64
	nextbits := 0
	bp := 0
	bitsLeft := uint64(len(raw)) * 8
	next := func() int {
		if bitsLeft < uint64(nbits) {
			return lzwEOI
		}
		nextdata |= uint64(raw[bp]) << uint(nextbits)
		bp++
		nextbits += 8
		if nextbits < nbits {
			nextdata |= uint64(raw[bp]) << uint(nextbits)
			bp++
			nextbits += 8
		}
		code := int(nextdata) & mask
		nextdata >>= uint(nbits)
		nextbits -= nbits
		bitsLeft -= uint64(nbits)
		return code
	}
	corrupt := FormatError("LZWDecode: corrupted LZW table")
	for occ > 0 {
		code := next()
		if code == lzwEOI {
			break
		}
		if code == lzwClear {
			for code == lzwClear {
				free = lzwFirst
				for i := lzwFirst; i < lzwCSize; i++ {
					t[i] = lzwEntry{}
				}
				nbits, mask = 9, 511
				maxcode = mask
				code = next()
			}
			if code == lzwEOI {
				break
			}
			if code > lzwClear {
				return corrupt
			}
			out[o] = byte(code)
			o++
			occ--
			old = int32(code)
			continue
		}
		if free < 0 || free >= lzwCSize {
			return corrupt
		}
		e := &t[free]
		e.next = old
		e.firstchar = t[old].firstchar
		e.length = t[old].length + 1
		if code < free {
			e.value = t[code].firstchar
		} else {
			e.value = e.firstchar
		}
		free++
		if free > maxcode {
			nbits++
			if nbits > 12 {
				nbits = 12
			}
			mask = 1<<nbits - 1
			maxcode = mask
		}
		old = int32(code)
		if code >= 256 {
			n := int(t[code].length)
			if n == 0 {
				return FormatError("wrong length of decoded string: data probably corrupted")
			}
			if n > occ {
				c := int32(code)
				for int(t[c].length) > occ {
					c = t[c].next
				}
				lzwString(t, c, out[o:o+occ])
				occ = 0
				break
			}
			lzwString(t, int32(code), out[o:o+n])
			o += n
			occ -= n
		} else {
			out[o] = byte(code)
			o++
			occ--
		}
	}
	return lzwShort(occ)
}
