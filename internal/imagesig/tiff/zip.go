package tiff

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"

	"github.com/ulikunitz/xz/lzma"
)

// inflateStrip is ZIPDecode as Debian's libtiff runs it, through libdeflate on a whole
// strip or tile: the zlib stream must be valid up to its checksum, and must fill the
// strip; a stream longer than the strip is accepted (libdeflate's "insufficient space").
func inflateStrip(raw, out []byte) error {
	zr, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		return FormatError(fmt.Sprintf("decoding error: %v", err))
	}
	n, err := io.ReadFull(zr, out)
	if err == nil {
		// Full. A stream that ends here is checked to its end (its Adler-32); one with
		// more data is cut there, libdeflate's accepted "insufficient space".
		var extra [1]byte
		for {
			m, err := zr.Read(extra[:])
			if m > 0 || err == io.EOF {
				return nil
			}
			if err != nil {
				return FormatError(fmt.Sprintf("decoding error: %v", err))
			}
		}
	}
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		return FormatError(fmt.Sprintf("decoding error (short output: %d of %d bytes)", n, len(out)))
	}
	return FormatError(fmt.Sprintf("decoding error: %v", err))
}

// lzmaStrip is LZMADecode: an .xz stream (liblzma's stream decoder) that must fill the
// strip. The block filters libtiff's writers use are read here: LZMA2, optionally after a
// delta filter (which the xz package's stream reader refuses).
func lzmaStrip(raw, out []byte) error {
	bad := func(what string) error { return FormatError("LZMA decoding error: " + what) }
	if len(raw) < 12 || string(raw[:6]) != "\xfd7zXZ\x00" || raw[6] != 0 {
		return bad("not an xz stream")
	}
	check := raw[7] & 0x0f
	checkSize := map[byte]int{0: 0, 1: 4, 4: 8, 10: 32}[check]
	pos := 12
	n := 0
	for n < len(out) {
		if pos >= len(raw) || raw[pos] == 0 {
			return FormatError(fmt.Sprintf("not enough data (short %d bytes)", len(out)-n))
		}
		hsize := (int(raw[pos]) + 1) * 4
		if pos+hsize > len(raw) {
			return bad("truncated block header")
		}
		h := raw[pos : pos+hsize]
		flags := h[1]
		nf := int(flags&3) + 1
		p := 2
		if flags&0x40 != 0 {
			if _, k := uvarint(h[p:]); k > 0 {
				p += k
			} else {
				return bad("block header")
			}
		}
		if flags&0x80 != 0 {
			if _, k := uvarint(h[p:]); k > 0 {
				p += k
			} else {
				return bad("block header")
			}
		}
		delta := 0
		dictCap := 0
		for i := 0; i < nf; i++ {
			id, k := uvarint(h[p:])
			if k <= 0 {
				return bad("filter flags")
			}
			p += k
			psize, k := uvarint(h[p:])
			if k <= 0 || p+k+int(psize) > len(h) {
				return bad("filter flags")
			}
			p += k
			props := h[p : p+int(psize)]
			p += int(psize)
			switch {
			case id == 0x03 && psize == 1 && i < nf-1:
				delta = int(props[0]) + 1
			case id == 0x21 && psize == 1 && i == nf-1:
				b := props[0]
				if b > 40 {
					return bad("dictionary size")
				}
				if b == 40 {
					dictCap = 0xffffffff
				} else {
					dictCap = (2 | int(b&1)) << (b/2 + 11)
				}
			default:
				return UnsupportedError(fmt.Sprintf("xz filter 0x%x", id))
			}
		}
		if dictCap == 0 {
			return bad("no LZMA2 filter")
		}
		pos += hsize
		if dictCap > 1<<26 {
			dictCap = 1 << 26
		}
		cr := &countReader{r: bytes.NewReader(raw[pos:])}
		zr, err := lzma.Reader2Config{DictCap: max(dictCap, lzma.MinDictCap)}.NewReader2(cr)
		if err != nil {
			return bad(err.Error())
		}
		start := n
		m, err := io.ReadFull(zr, out[n:])
		n += m
		if delta > 0 {
			for i := start; i < n; i++ {
				if i-delta >= 0 && i-delta >= start {
					out[i] += out[i-delta]
				}
			}
		}
		if err == nil {
			return nil
		}
		if err != io.ErrUnexpectedEOF && err != io.EOF {
			return bad(err.Error())
		}
		pos += cr.n
		pos = (pos + 3) &^ 3
		pos += checkSize
	}
	return nil
}

func uvarint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < len(b) && i < 9; i++ {
		v |= uint64(b[i]&0x7f) << (7 * uint(i))
		if b[i]&0x80 == 0 {
			return v, i + 1
		}
	}
	return 0, -1
}

type countReader struct {
	r io.Reader
	n int
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}
