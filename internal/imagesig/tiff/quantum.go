package tiff

import (
	"encoding/binary"
	"math"
)

// ImageMagick 6's ImportQuantumPixels (magick/quantum-import.c, Q16, not HDRI) for the
// quantum types its TIFF reader uses, with its quirks: which depths honour min-is-white,
// 24-bit integer samples read as 32-bit ones, a planar gray plane setting R=G=B, and so on.

// pixel is ImageMagick's PixelPacket plus its index channel: red, green, blue, opacity
// (0 = opaque) and the black or colormap index.
type pixel struct{ r, g, b, o, k uint16 }

const quantumRange = 65535

type quantumType int

const (
	qGray quantumType = iota
	qGrayAlpha
	qIndex
	qIndexAlpha
	qAlpha
	qRGB
	qRGBA
	qCMYK
	qCMYKA
	qGreen
	qBlue
	qBlack
)

const (
	fmtUnsigned = iota
	fmtSigned
	fmtFloat
)

const (
	alphaUndefined = iota
	alphaAssociated
	alphaDisassociated
)

// importer is ImageMagick's QuantumInfo as the TIFF reader sets it up.
type importer struct {
	depth      int
	format     int
	minIsWhite bool
	pad        int
	alphaType  int
	colormap   []pixel
	cmyk       bool
	rangeErr   bool

	// PushQuantumPixel's bit state, reset at every row.
	bits  uint
	accum uint
}

// quantumDepth is SetQuantumDepth: floating-point samples are read at 16, 24, 32 or 64 bits.
func quantumDepth(bits int, format int) int {
	d := bits
	if d > 64 {
		d = 64
	}
	if format == fmtFloat {
		switch {
		case d > 32:
			d = 64
		case d > 24:
			d = 32
		case d > 16:
			d = 24
		default:
			d = 16
		}
	}
	return d
}

// src reads samples from one row of decoded bytes (samples in little-endian order, as
// libtiff hands them over on a little-endian machine).
type src struct {
	b   []byte
	pos int
	im  *importer
}

func (s *src) byte1() uint32 {
	if s.pos >= len(s.b) {
		s.pos++
		return 0
	}
	v := s.b[s.pos]
	s.pos++
	return uint32(v)
}

func (s *src) u16() uint32 { return s.byte1() | s.byte1()<<8 }
func (s *src) u32() uint32 {
	return s.byte1() | s.byte1()<<8 | s.byte1()<<16 | s.byte1()<<24
}
func (s *src) u64() uint64 { return uint64(s.u32()) | uint64(s.u32())<<32 }
func (s *src) skip(n int)  { s.pos += n }

// bitsN is PushQuantumPixel: depth bits, most significant first.
func (s *src) bitsN(depth int) uint32 {
	im := s.im
	var q uint32
	for i := depth; i > 0; {
		if im.bits == 0 {
			im.accum = uint(s.byte1())
			im.bits = 8
		}
		n := uint(i)
		if n > im.bits {
			n = im.bits
		}
		i -= int(n)
		im.bits -= n
		q = q<<n | uint32((im.accum>>im.bits)&^(^uint(0)<<n))
	}
	return q
}

func quantumRangeOf(depth int) uint64 {
	if depth == 0 {
		return 0
	}
	if depth > 64 {
		depth = 64
	}
	one := uint64(1)
	return (one << (depth - 1)) + ((one << (depth - 1)) - 1)
}

// scaleAnyToQuantum is ScaleAnyToQuantum (not HDRI).
func scaleAnyToQuantum(v uint64, r uint64) uint16 {
	if v > r {
		return quantumRange
	}
	recip := 1.0 / float64(r)
	if r == 0 {
		recip = 1.0 / 1.0e-12
	}
	return uint16(int64(quantumRange*(float64(v)*recip) + 0.5))
}

// clampToQuantum is ClampToQuantum (not HDRI).
func clampToQuantum(v float64) uint16 {
	if math.IsNaN(v) {
		return 0
	}
	if v <= 0 {
		return 0
	}
	if v >= quantumRange {
		return quantumRange
	}
	return uint16(v + 0.5)
}

func halfToFloat(h uint16) float32 {
	sign := uint32(h>>15) & 1
	exp := uint32(h>>10) & 0x1f
	sig := uint32(h) & 0x3ff
	var v uint32
	switch {
	case exp == 0 && sig == 0:
		v = sign << 31
	case exp == 0:
		for sig&0x400 == 0 {
			sig <<= 1
			exp--
		}
		exp++
		sig &^= 0x400
		exp += 127 - 15
		v = sign<<31 | exp<<23 | sig<<13
	case exp == 31:
		v = sign<<31 | 0x7f800000
		if sig != 0 {
			v |= sig << 13
		}
	default:
		v = sign<<31 | (exp+127-15)<<23 | sig<<13
	}
	return math.Float32frombits(v)
}

// scaleFloat is ScaleFloatPixel with the reader's scale (QuantumRange, minimum 0).
func scaleFloat(f float32) float32 {
	p := float64(f) * quantumRange
	if p < -math.MaxFloat32 {
		return -math.MaxFloat32
	}
	if p > math.MaxFloat32 {
		return math.MaxFloat32
	}
	return float32(p)
}

func (s *src) float24() float32 {
	q0, q1, q2 := byte(s.byte1()), byte(s.byte1()), byte(s.byte1())
	var q [4]byte
	if q0|q1|q2 != 0 {
		sign := q2 & 0x80
		exp := q2 & 0x7f
		if exp != 0 {
			exp = exp - 63 + 127
		}
		q[3] = sign | exp>>1
		q[2] = (exp&1)<<7 | (q1&0xfe)>>1
		q[1] = (q1&1)<<7 | (q0&0xfe)>>1
		q[0] = (q0 & 1) << 7
	}
	return scaleFloat(math.Float32frombits(binary.LittleEndian.Uint32(q[:])))
}

// generic reads one sample of an ordinary channel at the importer's depth: the cases every
// Import*Quantum function shares (8, 16, 24/32 float, 32, 64 float, then any bit width).
func (s *src) generic() uint16 {
	im := s.im
	switch im.depth {
	case 8:
		return uint16(s.byte1() * 257)
	case 16:
		v := uint16(s.u16())
		if im.format == fmtFloat {
			return clampToQuantum(quantumRange * float64(halfToFloat(v)))
		}
		return v
	case 24:
		if im.format == fmtFloat {
			return clampToQuantum(float64(s.float24()))
		}
		fallthrough
	case 32:
		v := s.u32()
		if im.format == fmtFloat {
			return clampToQuantum(float64(scaleFloat(math.Float32frombits(v))))
		}
		return uint16(v / 65537)
	case 64:
		if im.format == fmtFloat {
			return clampToQuantum(math.Float64frombits(s.u64()) * quantumRange)
		}
	}
	return scaleAnyToQuantum(uint64(s.bitsN(im.depth)), quantumRangeOf(im.depth))
}

// index reads one colormap index (PushColormapIndex), checking its range.
func (s *src) index() uint16 {
	im := s.im
	var v uint64
	switch im.depth {
	case 8:
		v = uint64(s.byte1())
	case 16:
		h := uint16(s.u16())
		if im.format == fmtFloat {
			v = uint64(clampToQuantum(quantumRange * float64(halfToFloat(h))))
		} else {
			v = uint64(h)
		}
	case 24:
		if im.format == fmtFloat {
			v = uint64(clampToQuantum(float64(s.float24())))
			break
		}
		fallthrough
	case 32:
		u := s.u32()
		if im.format == fmtFloat {
			v = uint64(clampToQuantum(float64(scaleFloat(math.Float32frombits(u)))))
		} else {
			v = uint64(u)
		}
	case 64:
		if im.format == fmtFloat {
			v = uint64(clampToQuantum(math.Float64frombits(s.u64()) * quantumRange))
			break
		}
		v = uint64(s.bitsN(im.depth))
	default:
		v = uint64(s.bitsN(im.depth))
	}
	if v < uint64(len(im.colormap)) {
		return uint16(v)
	}
	im.rangeErr = true
	return 0
}

func (im *importer) setIndex(p *pixel, i uint16) {
	c := im.colormap[i]
	p.r, p.g, p.b, p.o, p.k = c.r, c.g, c.b, c.o, i
}

// importRow is ImportQuantumPixels for one row (or one tile row) of pixels.
func (im *importer) importRow(qt quantumType, b []byte, dst []pixel) {
	im.bits, im.accum = 0, 0
	s := &src{b: b, im: im}
	n := len(dst)
	switch qt {
	case qGray:
		im.importGray(s, dst)
	case qGrayAlpha:
		im.importGrayAlpha(s, dst)
	case qIndex:
		im.importIndex(s, dst)
	case qIndexAlpha:
		im.importIndexAlpha(s, dst)
	case qRGB, qRGBA, qCMYK, qCMYKA:
		if im.depth == 8 && im.fast8(qt, b, dst) {
			break
		}
		fallthrough
	default:
		for x := 0; x < n; x++ {
			p := &dst[x]
			switch qt {
			case qAlpha:
				p.o = quantumRange - s.generic()
			case qGreen:
				p.g = s.generic()
			case qBlue:
				p.b = s.generic()
			case qBlack:
				p.k = s.generic()
			case qRGB, qRGBA, qCMYK, qCMYKA:
				p.r, p.g, p.b = s.generic(), s.generic(), s.generic()
				if qt == qCMYK || qt == qCMYKA {
					p.k = s.generic()
				}
				if qt == qRGBA || qt == qCMYKA {
					p.o = quantumRange - s.generic()
				} else if qt == qRGB && im.depth == 8 {
					p.o = 0
				}
			}
			s.skip(im.pad)
		}
	}
	if im.alphaType == alphaAssociated {
		// Disassociate alpha, with the opacity the pixel has now.
		for x := range dst {
			p := &dst[x]
			a := float64(quantumRange-p.o) / quantumRange
			a = perceptibleReciprocal(a)
			p.r = clampToQuantum(a * float64(p.r))
			p.g = clampToQuantum(a * float64(p.g))
			p.b = clampToQuantum(a * float64(p.b))
			if im.cmyk {
				p.k = clampToQuantum(a * float64(p.k))
			}
		}
	}
}

func perceptibleReciprocal(x float64) float64 {
	const epsilon = 1.0e-12
	sign := 1.0
	if x < 0 {
		sign = -1.0
	}
	if sign*x >= epsilon {
		return 1.0 / x
	}
	return sign / epsilon
}

func gray(p *pixel, v uint16) { p.r, p.g, p.b = v, v, v }

func (im *importer) importGray(s *src, dst []pixel) {
	n := len(dst)
	switch im.depth {
	case 1:
		black, white := uint16(0), uint16(quantumRange)
		if im.minIsWhite {
			black, white = white, black
		}
		for x := 0; x < n; x++ {
			bit := x % 8
			if bit == 0 && x > 0 {
				s.pos++
			}
			v := black
			if s.peek()&(1<<(7-bit)) != 0 {
				v = white
			}
			gray(&dst[x], v)
		}
	case 4:
		for x := 0; x < n; x++ {
			var v byte
			if x%2 == 0 {
				v = s.peek() >> 4
			} else {
				v = s.peek() & 0xf
				s.pos++
			}
			gray(&dst[x], scaleAnyToQuantum(uint64(v), 15))
		}
	case 8:
		for x := 0; x < n; x++ {
			v := uint16(s.byte1() * 257)
			if im.minIsWhite {
				v = quantumRange - v
			}
			gray(&dst[x], v)
			dst[x].o = 0
			s.skip(im.pad)
		}
	case 16:
		for x := 0; x < n; x++ {
			v := uint16(s.u16())
			switch {
			case im.minIsWhite:
				v = quantumRange - v
			case im.format == fmtFloat:
				v = clampToQuantum(quantumRange * float64(halfToFloat(v)))
			case im.format == fmtSigned:
				v = uint16((uint32(v) + 32768) % 65536)
			}
			gray(&dst[x], v)
			s.skip(im.pad)
		}
	default:
		for x := 0; x < n; x++ {
			gray(&dst[x], s.generic())
			s.skip(im.pad)
		}
	}
}

func (s *src) peek() byte {
	if s.pos < len(s.b) {
		return s.b[s.pos]
	}
	return 0
}

func (im *importer) importGrayAlpha(s *src, dst []pixel) {
	n := len(dst)
	switch im.depth {
	case 1:
		q := 0
		bit := 0
		for x := n - 3; x > 0; x -= 4 {
			for bit = 0; bit < 8; bit += 2 {
				c := s.peek()
				v := uint16(quantumRange)
				if c&(1<<(7-bit)) != 0 {
					v = 0
				}
				if q < n {
					gray(&dst[q], v)
					dst[q].o = 0
					if c&(1<<(6-bit)) == 0 {
						dst[q].o = quantumRange
					}
				}
				q++
			}
			s.pos++
		}
		if n%4 != 0 {
			for bit = 3; bit >= 4-(n%4); bit -= 2 {
				c := s.peek()
				pix := 1
				if c&(1<<(7-bit)) != 0 {
					pix = 0
				}
				v := uint16(0)
				if pix == 0 {
					v = quantumRange
				}
				if q < n {
					gray(&dst[q], v)
					dst[q].o = 0
					if c&(1<<uint(6-bit)) == 0 {
						dst[q].o = quantumRange
					}
				}
				q++
			}
		}
	case 4:
		for x := 0; x < n; x++ {
			c := s.peek()
			gray(&dst[x], scaleAnyToQuantum(uint64(c>>4&0xf), 15))
			dst[x].o = quantumRange - scaleAnyToQuantum(uint64(c&0xf), 15)
			s.pos++
		}
	case 10, 12:
		r := quantumRangeOf(im.depth)
		for x := 0; x < n; x++ {
			gray(&dst[x], scaleAnyToQuantum(uint64(s.bitsN(im.depth)), r))
			dst[x].o = scaleAnyToQuantum(uint64(s.bitsN(im.depth)), r)
			s.skip(im.pad)
		}
	default:
		for x := 0; x < n; x++ {
			gray(&dst[x], s.generic())
			dst[x].o = quantumRange - s.generic()
			s.skip(im.pad)
		}
	}
}

func (im *importer) importIndex(s *src, dst []pixel) {
	n := len(dst)
	switch im.depth {
	case 1:
		for x := 0; x < n; x++ {
			bit := x % 8
			if bit == 0 && x > 0 {
				s.pos++
			}
			set := s.peek()&(1<<(7-bit)) != 0
			if im.minIsWhite {
				set = !set
			}
			i := uint16(0)
			if set {
				i = 1
			}
			if int(i) >= len(im.colormap) {
				im.rangeErr = true
				i = 0
			}
			im.setIndex(&dst[x], i)
		}
	case 4:
		for x := 0; x < n; x++ {
			var v byte
			if x%2 == 0 {
				v = s.peek() >> 4
			} else {
				v = s.peek() & 0xf
				s.pos++
			}
			i := uint16(v)
			if int(i) >= len(im.colormap) {
				im.rangeErr = true
				i = 0
			}
			im.setIndex(&dst[x], i)
		}
	default:
		for x := 0; x < n; x++ {
			im.setIndex(&dst[x], s.index())
			s.skip(im.pad)
		}
	}
}

func (im *importer) importIndexAlpha(s *src, dst []pixel) {
	n := len(dst)
	switch im.depth {
	case 1:
		// ImageMagick's loop never advances through the bytes here: every pixel reads the
		// first byte of the row.
		q := 0
		emit := func(bit int) {
			c := s.peek()
			set := c&(1<<(7-bit)) != 0
			if im.minIsWhite {
				set = !set
			}
			if q < n {
				v := uint16(0)
				if set {
					v = quantumRange
				}
				dst[q].k = 0
				if set {
					dst[q].k = 1
				}
				gray(&dst[q], v)
				dst[q].o = 0
				if c&(1<<(6-bit)) == 0 {
					dst[q].o = quantumRange
				}
			}
			q++
		}
		for x := n - 3; x > 0; x -= 4 {
			for bit := 0; bit < 8; bit += 2 {
				emit(bit)
			}
		}
		if n%4 != 0 {
			for bit := 0; bit < n%4; bit += 2 {
				emit(bit)
			}
		}
	case 4:
		for x := 0; x < n; x++ {
			c := s.peek()
			i := uint16(c >> 4 & 0xf)
			if int(i) >= len(im.colormap) {
				im.rangeErr = true
				i = 0
			}
			im.setIndex(&dst[x], i)
			dst[x].o = quantumRange - scaleAnyToQuantum(uint64(c&0xf), 15)
			s.pos++
		}
	default:
		for x := 0; x < n; x++ {
			im.setIndex(&dst[x], s.index())
			dst[x].o = quantumRange - s.generic()
			s.skip(im.pad)
		}
	}
}

// fast8 is importRow's loop for 8-bit RGB, RGBA, CMYK and CMYKA samples when the row holds
// all of them.
func (im *importer) fast8(qt quantumType, b []byte, dst []pixel) bool {
	ch := 3
	switch qt {
	case qRGBA, qCMYK:
		ch = 4
	case qCMYKA:
		ch = 5
	}
	step := ch + im.pad
	if len(b) < len(dst)*step {
		return false
	}
	for x := range dst {
		s := b[x*step : x*step+ch]
		p := &dst[x]
		p.r, p.g, p.b = uint16(s[0])*257, uint16(s[1])*257, uint16(s[2])*257
		switch qt {
		case qRGB:
			p.o = 0
		case qRGBA:
			p.o = quantumRange - uint16(s[3])*257
		case qCMYK:
			p.k = uint16(s[3]) * 257
		case qCMYKA:
			p.k = uint16(s[3]) * 257
			p.o = quantumRange - uint16(s[4])*257
		}
	}
	return true
}
