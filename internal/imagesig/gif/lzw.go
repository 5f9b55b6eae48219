package gif

import "fmt"

// maxLZWBits and maxLZWCode are ImageMagick's LZW limits (MaximumLZWBits/Code).
const (
	maxLZWBits = 12
	maxLZWCode = 1 << maxLZWBits
)

// lzw is ImageMagick 6's GIF LZW decoder (gif.c: LZWInfo, GetNextLZWCode,
// ReadBlobLZWByte), reproduced with its exact behaviour on damaged data: the first code
// after a clear is returned as a pixel whatever it is, a code at or beyond the next free
// slot is decoded as the KwKwK case, the table survives clear codes, and the data
// sub-blocks are read only when a code needs their bits.
type lzw struct {
	d                   *decoder
	maxData, clear, end uint
	bits, maxCode, slot uint
	firstCode, lastCode uint
	genesis             bool
	prefix, suffix      [maxLZWCode + 1]uint
	stack               [2 * maxLZWCode]uint
	sp                  int
	buf                 [2 + 256 + 4]byte
	count, bit          int
	eof                 bool
}

func (z *lzw) init(d *decoder, dataSize uint) {
	z.d = d
	z.maxData = 1<<dataSize - 1
	z.clear = z.maxData + 1
	z.end = z.maxData + 2
	z.prefix = [maxLZWCode + 1]uint{}
	z.suffix = [maxLZWCode + 1]uint{}
	for i := uint(0); i <= z.maxData; i++ {
		z.suffix[i] = i
	}
	z.bits = dataSize + 1
	z.reset()
	z.buf[0], z.buf[1] = 0, 0
	z.count = 2
	z.bit = 16
	z.eof = false
	z.sp = 0
	z.firstCode, z.lastCode = 0, 0
}

// reset is ResetLZWInfo: back to the initial code size after a clear code.
func (z *lzw) reset() {
	z.bits = uint(bitsFor(z.maxData)) + 1
	z.maxCode = 1 << z.bits
	z.slot = z.maxData + 3
	z.genesis = true
}

// bitsFor returns the data size n with maxData = 2^n-1.
func bitsFor(maxData uint) int {
	n := 0
	for maxData>>n != 0 {
		n++
	}
	return n
}

// next reads a code of the given width from the sub-blocks, -1 when they are exhausted.
func (z *lzw) next(bits uint) int {
	for z.bit+int(bits) > 8*z.count && !z.eof {
		z.buf[0] = z.buf[z.count-2]
		z.buf[1] = z.buf[z.count-1]
		z.bit -= 8 * (z.count - 2)
		z.count = 2
		if n := z.d.readBlock(z.buf[2:]); n > 0 {
			z.count += n
		} else {
			z.eof = true
		}
	}
	if z.bit+int(bits) > 8*z.count {
		return -1
	}
	// The code's bits (at most 12, starting anywhere in a byte) lie in three bytes; the
	// buffer has slack after the data so that reading them never goes out of bounds.
	i := z.bit / 8
	v := uint32(z.buf[i]) | uint32(z.buf[i+1])<<8 | uint32(z.buf[i+2])<<16
	z.bit += int(bits)
	return int(v>>(uint(z.bit-int(bits))%8)) & (1<<bits - 1)
}

func (z *lzw) push(v uint) {
	if z.sp < len(z.stack) {
		z.stack[z.sp] = v
		z.sp++
	}
}

func (z *lzw) pop() int {
	if z.sp == 0 {
		return -1
	}
	z.sp--
	return int(z.stack[z.sp])
}

// readByte returns the next pixel's colormap index, or -1 at the end of the data, at an
// end code or on a broken code chain.
func (z *lzw) readByte() int {
	if z.sp > 0 {
		return z.pop()
	}
	if z.genesis {
		z.genesis = false
		for {
			z.firstCode = uint(z.next(z.bits))
			z.lastCode = z.firstCode
			if z.firstCode != z.clear {
				break
			}
		}
		return int(z.firstCode)
	}
	c := z.next(z.bits)
	if c < 0 {
		return c
	}
	code := uint(c)
	if code == z.clear {
		z.reset()
		return z.readByte()
	}
	if code == z.end {
		return -1
	}
	value := code
	if code >= z.slot {
		z.push(z.firstCode)
		value = z.lastCode
	}
	for count := 0; value > z.maxData; count++ {
		if count > maxLZWCode || value > maxLZWCode {
			return -1
		}
		z.push(z.suffix[value])
		value = z.prefix[value]
	}
	z.firstCode = z.suffix[value]
	z.push(z.firstCode)
	if z.slot < maxLZWCode {
		z.prefix[z.slot] = z.lastCode
		z.suffix[z.slot] = z.firstCode
		z.slot++
		if z.slot >= z.maxCode && z.bits < maxLZWBits {
			z.bits++
			z.maxCode = 1 << z.bits
		}
	}
	z.lastCode = code
	return z.pop()
}

// decodePixels is ImageMagick's DecodeImage: it reads the LZW minimum code size and the
// frame's pixels, in interlaced row order when the frame is interlaced.
func (d *decoder) decodePixels(f *frame) error {
	dataSize := d.readFlag()
	if dataSize > maxLZWBits {
		return FormatError(fmt.Sprintf("corrupt image (LZW code size %d)", dataSize))
	}
	z := d.lzw
	if z == nil {
		z = new(lzw)
		d.lzw = z
	}
	z.init(d, uint(dataSize))
	if cap(f.rows) < f.height {
		f.rows = make([][]byte, f.height)
	}
	f.rows = f.rows[:f.height]
	pass, offset := 0, 0
	for y := 0; y < f.height; y++ {
		if err := d.ctx.Err(); err != nil {
			return err
		}
		row := f.rows[offset]
		if cap(row) < f.width {
			row = make([]byte, f.width)
			f.rows[offset] = row
		}
		row = row[:f.width]
		for x := 0; x < f.width; x++ {
			var c int
			if z.sp > 0 { // the common case, inlined: a pixel of the current string
				z.sp--
				c = int(z.stack[z.sp])
			} else {
				c = z.readByte()
			}
			if c < 0 {
				return FormatError(fmt.Sprintf("corrupt image: LZW data ends at row %d of %d", y, f.height))
			}
			if c >= f.colors {
				// ImageMagick's ConstrainColormapIndex: warn, read entry 0.
				if !d.warnedIndex {
					d.warn("invalid colormap index %d (%d colors): read as entry 0", c, f.colors)
					d.warnedIndex = true
				}
				c = 0
			}
			row[x] = byte(c)
		}
		if !f.interlaced {
			offset++
			continue
		}
		switch pass {
		case 0, 1:
			offset += 8
		case 2:
			offset += 4
		default:
			offset += 2
		}
		if pass == 0 && offset >= f.height {
			pass, offset = 1, 4
		}
		if pass == 1 && offset >= f.height {
			pass, offset = 2, 2
		}
		if pass == 2 && offset >= f.height {
			pass, offset = 3, 1
		}
		if offset >= f.height && y+1 < f.height {
			return FormatError("corrupt image: interlaced rows overflow")
		}
	}
	return nil
}
