package tiff

import "io"

// ImageMagick 6's SignatureImage export (magick/signature.c, quantum-export.c): each row
// as RGB, RGBA, CMYK or CMYKA at the image's depth (the TIFF's BitsPerSample), 16- and
// 32-bit samples in the image's byte order (the TIFF's), other depths packed most
// significant bit first; a row's length is GetQuantumExtent's.

type exporter struct {
	depth  int
	little bool
	alpha  bool
	cmyk   bool
	buf    []byte
	rng    uint64
}

func newExporter(depth int, little, alpha, cmyk bool) *exporter {
	if depth > 64 {
		depth = 64
	}
	return &exporter{depth: depth, little: little, alpha: alpha, cmyk: cmyk, rng: quantumRangeOf(depth)}
}

// channels is the packet size of the export quantum type.
func (e *exporter) channels() int {
	n := 3
	if e.cmyk {
		n = 4
	}
	if e.alpha {
		n++
	}
	return n
}

// rowBytes is GetQuantumExtent for a row of width pixels.
func (e *exporter) rowBytes(width int) int {
	return (e.channels()*width*e.depth + 7) / 8
}

// scaleQuantumToAny is ScaleQuantumToAny (not HDRI), with x86-64's conversion of a double
// at or over 2^64 (as for 64-bit export of white), which gives 0.
func scaleQuantumToAny(q uint16, r uint64) uint64 {
	v := float64(r) * float64(q) / quantumRange
	if v >= 18446744073709551616.0 {
		return 0
	}
	if v >= 9223372036854775808.0 {
		return uint64(v-9223372036854775808.0) ^ (1 << 63)
	}
	return uint64(v)
}

func (e *exporter) writeRow(w io.Writer, row []pixel) error {
	n := e.rowBytes(len(row))
	if cap(e.buf) < n+8 {
		e.buf = make([]byte, n+8)
	}
	b := e.buf[:n+8]
	if e.depth == 8 || e.depth == 16 {
		e.fastRow(b, row)
		_, err := w.Write(b[:n])
		return err
	}
	if e.depth < 32 {
		e.packedRow(b, row)
		_, err := w.Write(b[:n])
		return err
	}
	pos := 0
	var bits uint // bits left in the current byte (PopQuantumPixel's state)
	put := func(q uint16) {
		switch e.depth {
		case 8:
			b[pos] = byte(((uint32(q) + 128) - ((uint32(q) + 128) >> 8)) >> 8)
			pos++
		case 16:
			if e.little {
				b[pos], b[pos+1] = byte(q), byte(q>>8)
			} else {
				b[pos], b[pos+1] = byte(q>>8), byte(q)
			}
			pos += 2
		case 32:
			v := 65537 * uint32(q)
			if e.little {
				b[pos], b[pos+1], b[pos+2], b[pos+3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
			} else {
				b[pos], b[pos+1], b[pos+2], b[pos+3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
			}
			pos += 4
		default:
			v := scaleQuantumToAny(q, e.rng)
			if bits == 0 {
				bits = 8
			}
			for i := e.depth; i > 0; {
				qb := uint(i)
				if qb > bits {
					qb = bits
				}
				i -= int(qb)
				if bits == 8 {
					b[pos] = 0
				}
				bits -= qb
				b[pos] |= byte(((v >> uint(i)) &^ (^uint64(0) << qb)) << bits)
				if bits == 0 {
					pos++
					bits = 8
				}
			}
		}
	}
	for i := range row {
		p := &row[i]
		put(p.r)
		put(p.g)
		put(p.b)
		if e.cmyk {
			put(p.k)
		}
		if e.alpha {
			put(quantumRange - p.o)
		}
	}
	_, err := w.Write(b[:n])
	return err
}

// fastRow is writeRow's loop for 8- and 16-bit depths.
func (e *exporter) fastRow(b []byte, row []pixel) {
	pos := 0
	if e.depth == 8 {
		c8 := func(q uint16) byte { return byte(((uint32(q) + 128) - ((uint32(q) + 128) >> 8)) >> 8) }
		for i := range row {
			p := &row[i]
			b[pos], b[pos+1], b[pos+2] = c8(p.r), c8(p.g), c8(p.b)
			pos += 3
			if e.cmyk {
				b[pos] = c8(p.k)
				pos++
			}
			if e.alpha {
				b[pos] = c8(quantumRange - p.o)
				pos++
			}
		}
		return
	}
	put := func(q uint16) {
		if e.little {
			b[pos], b[pos+1] = byte(q), byte(q>>8)
		} else {
			b[pos], b[pos+1] = byte(q>>8), byte(q)
		}
		pos += 2
	}
	for i := range row {
		p := &row[i]
		put(p.r)
		put(p.g)
		put(p.b)
		if e.cmyk {
			put(p.k)
		}
		if e.alpha {
			put(quantumRange - p.o)
		}
	}
}

// packedRow is writeRow for depths under 32 other than 8 and 16: ScaleQuantumToAny (exact
// in integers below 2^53) packed most significant bit first, the last byte zero-padded.
func (e *exporter) packedRow(b []byte, row []pixel) {
	d := uint(e.depth)
	r := e.rng
	var acc uint64
	var nacc uint
	pos := 0
	put := func(q uint16) {
		acc = acc<<d | r*uint64(q)/quantumRange
		nacc += d
		for nacc >= 8 {
			nacc -= 8
			b[pos] = byte(acc >> nacc)
			pos++
		}
	}
	for i := range row {
		p := &row[i]
		put(p.r)
		put(p.g)
		put(p.b)
		if e.cmyk {
			put(p.k)
		}
		if e.alpha {
			put(quantumRange - p.o)
		}
	}
	if nacc > 0 {
		b[pos] = byte(acc << (8 - nacc))
	}
}
