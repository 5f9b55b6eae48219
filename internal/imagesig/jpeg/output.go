package jpeg

import "io"

// The output side: sample rings fed by the IDCT, upsampling (jdsample.c) and colour
// conversion (jdcolor.c), then ImageMagick's pixel layout.

type upKind int

const (
	upFull upKind = iota
	upH2V1Fancy
	upH2V1
	upH1V2Fancy
	upH2V2Fancy
	upH2V2
	upInt
)

type upsampler struct {
	kind       upKind
	hexp, vexp int
}

type outputStage struct {
	d      *decoder
	bpp    int    // bytes per output pixel
	rows   []byte // output rows of one iMCU row, written to w at once
	tmp    [][]byte
	width  int
	rowsIn int // output rows per iMCU row (maxV*8)
}

// YCbCr->RGB tables of jdcolor.c build_ycc_rgb_table.
var crRTab, cbBTab [256]int32
var crGTab, cbGTab [256]int64

func init() {
	const scaleBits = 16
	const oneHalf = 1 << (scaleBits - 1)
	fix := func(x float64) int64 { return int64(x*(1<<scaleBits) + 0.5) }
	for i := 0; i < 256; i++ {
		x := int64(i - 128)
		crRTab[i] = int32((fix(1.40200)*x + oneHalf) >> scaleBits)
		cbBTab[i] = int32((fix(1.77200)*x + oneHalf) >> scaleBits)
		crGTab[i] = -fix(0.71414) * x
		cbGTab[i] = -fix(0.34414)*x + oneHalf
	}
}

// clampTab[v+clampOff] is v limited to 0..255 for the v colour conversion produces.
const clampOff = 384

var clampTab = func() (t [1024]byte) {
	for i := range t {
		t[i] = clamp255(int32(i - clampOff))
	}
	return
}()

// ycc holds the colour tables as int32 (all values fit) for the conversion loop.
var yccCrR, yccCbB, yccG2 [256]int32
var yccCbG, yccCrG [256]int32

func init() {
	for i := 0; i < 256; i++ {
		yccCrR[i] = crRTab[i] + clampOff
		yccCbB[i] = cbBTab[i] + clampOff
		yccCbG[i] = int32(cbGTab[i])
		yccCrG[i] = int32(crGTab[i])
	}
}

// yccRow converts one row of full-width Y, Cb, Cr to RGB (jdcolor.c ycc_rgb_convert).
func yccRow(dst, yy, cb, cr []byte) {
	n := len(yy)
	cb = cb[:n]
	cr = cr[:n]
	dst = dst[:3*n]
	for x := 0; x < n; x++ {
		Y := int32(yy[x])
		b, r := cb[x], cr[x]
		d := dst[3*x : 3*x+3 : 3*x+3]
		d[0] = clampTab[(Y+yccCrR[r])&1023]
		d[1] = clampTab[(Y+clampOff+((yccCbG[b]+yccCrG[r])>>16))&1023]
		d[2] = clampTab[(Y+yccCbB[b])&1023]
	}
}

func clamp255(v int32) byte {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return byte(v)
}

// init selects the upsampling method of each component (jinit_upsampler) and sizes its
// buffers, and returns the bytes allocate will take.
func (o *outputStage) init(d *decoder) int64 {
	o.d = d
	o.width = d.width
	switch d.ncomp {
	case 4:
		o.bpp = 4
	default:
		o.bpp = 3
	}
	o.rowsIn = d.maxV * 8
	o.tmp = make([][]byte, d.ncomp)
	var n int64
	for i := range d.comps {
		c := &d.comps[i]
		hIn, vIn := c.h, c.v
		hOut, vOut := d.maxH, d.maxV
		var u upsampler
		switch {
		case hIn == hOut && vIn == vOut:
			u.kind = upFull
		case hIn*2 == hOut && vIn == vOut:
			if c.dsWidth > 2 {
				u.kind = upH2V1Fancy
			} else {
				u.kind = upH2V1
			}
		case hIn == hOut && vIn*2 == vOut:
			u.kind = upH1V2Fancy
		case hIn*2 == hOut && vIn*2 == vOut:
			if c.dsWidth > 2 {
				u.kind = upH2V2Fancy
			} else {
				u.kind = upH2V2
			}
		case hOut%hIn == 0 && vOut%vIn == 0:
			u.kind = upInt
			u.hexp = hOut / hIn
			u.vexp = vOut / vIn
		default:
			d.unsupported("Fractional sampling not implemented yet")
		}
		c.up = u
		c.stride = c.widthInBlocks * 8
		c.ringRows = 3 * c.v * 8
		n += int64(c.stride) * int64(c.ringRows)
		if u.kind != upFull {
			n += int64(o.tmpLen())
		}
	}
	return n + int64(o.rowsIn)*int64(o.width)*int64(o.bpp)
}

// tmpLen is the length of an upsampled row.
func (o *outputStage) tmpLen() int { return roundUp(o.d.width, o.d.maxH) + 16 }

// allocate makes the buffers init sized.
func (o *outputStage) allocate() {
	d := o.d
	for i := range d.comps {
		c := &d.comps[i]
		c.samples = make([]byte, c.stride*c.ringRows)
		if c.up.kind != upFull {
			o.tmp[i] = make([]byte, o.tmpLen())
		}
	}
	o.rows = make([]byte, o.rowsIn*o.width*o.bpp)
}

// blockRowSlot returns the byte offset in c.samples of sample row r (r a multiple of 8).
func (c *component) rowOffset(r int) int { return (r % c.ringRows) * c.stride }

// row returns sample row r of c, clamped to the real rows as libjpeg's context pointers do.
func (c *component) row(r int) []byte {
	if r < 0 {
		r = 0
	}
	if r >= c.dsHeight {
		r = c.dsHeight - 1
	}
	off := c.rowOffset(r)
	return c.samples[off : off+c.stride]
}

// upsampleRow returns component c's samples for output row y, upsampled to full width.
func (o *outputStage) upsampleRow(ci int, y int) []byte {
	c := &o.d.comps[ci]
	out := o.tmp[ci]
	switch c.up.kind {
	case upFull:
		return c.row(y)
	case upH2V1Fancy:
		h2v1Fancy(c.row(y), out, c.dsWidth)
	case upH2V1:
		in := c.row(y)
		for x := 0; x < c.dsWidth; x++ {
			out[2*x] = in[x]
			out[2*x+1] = in[x]
		}
	case upH1V2Fancy:
		inrow := y >> 1
		near := c.row(inrow)
		var far []byte
		bias := 1
		if y&1 == 0 {
			far = c.row(inrow - 1)
		} else {
			far = c.row(inrow + 1)
			bias = 2
		}
		for x := 0; x < c.dsWidth; x++ {
			out[x] = byte((int(near[x])*3 + int(far[x]) + bias) >> 2)
		}
	case upH2V2Fancy:
		inrow := y >> 1
		near := c.row(inrow)
		var far []byte
		if y&1 == 0 {
			far = c.row(inrow - 1)
		} else {
			far = c.row(inrow + 1)
		}
		h2v2Fancy(near, far, out, c.dsWidth)
	case upH2V2:
		in := c.row(y >> 1)
		for x := 0; x < c.dsWidth; x++ {
			out[2*x] = in[x]
			out[2*x+1] = in[x]
		}
	case upInt:
		in := c.row(y / c.up.vexp)
		h := c.up.hexp
		n := 0
		for x := 0; n < o.width; x++ {
			v := in[x]
			for k := 0; k < h; k++ {
				out[n] = v
				n++
			}
		}
	}
	return out
}

func h2v1Fancy(in, out []byte, w int) {
	in = in[:w]
	out = out[:2*w]
	v := int(in[0])
	out[0] = byte(v)
	out[1] = byte((v*3 + int(in[1]) + 2) >> 2)
	for x := 1; x < w-1; x++ {
		v := int(in[x]) * 3
		out[2*x] = byte((v + int(in[x-1]) + 1) >> 2)
		out[2*x+1] = byte((v + int(in[x+1]) + 2) >> 2)
	}
	v = int(in[w-1])
	out[2*w-2] = byte((v*3 + int(in[w-2]) + 1) >> 2)
	out[2*w-1] = byte(v)
}

func h2v2Fancy(near, far, out []byte, w int) {
	near = near[:w]
	far = far[:w]
	out = out[:2*w]
	this := int(near[0])*3 + int(far[0])
	next := int(near[1])*3 + int(far[1])
	out[0] = byte((this*4 + 8) >> 4)
	out[1] = byte((this*3 + next + 7) >> 4)
	last := this
	this = next
	for x := 1; x < w-1; x++ {
		next = int(near[x+1])*3 + int(far[x+1])
		out[2*x] = byte((this*3 + last + 8) >> 4)
		out[2*x+1] = byte((this*3 + next + 7) >> 4)
		last = this
		this = next
	}
	out[2*w-2] = byte((this*3 + last + 8) >> 4)
	out[2*w-1] = byte((this*4 + 7) >> 4)
}

// emitIMCURow converts and writes the output rows of iMCU row k.
func (o *outputStage) emitIMCURow(w io.Writer, k int) {
	d := o.d
	if d.rawOut != nil {
		d.rawOut(k)
		return
	}
	y0 := k * o.rowsIn
	y1 := y0 + o.rowsIn
	if y1 > d.height {
		y1 = d.height
	}
	rowBytes := o.width * o.bpp
	for y := y0; y < y1; y++ {
		dst := o.rows[(y-y0)*rowBytes : (y-y0+1)*rowBytes]
		o.convertRow(y, dst)
	}
	if _, err := w.Write(o.rows[:(y1-y0)*rowBytes]); err != nil {
		panic(decodeError{err})
	}
}

func (o *outputStage) convertRow(y int, dst []byte) {
	d := o.d
	n := o.width
	switch d.colorSpace {
	case csGray:
		g := o.upsampleRow(0, y)[:n]
		dst = dst[:3*n]
		for x, v := range g {
			dst[3*x] = v
			dst[3*x+1] = v
			dst[3*x+2] = v
		}
	case csYCbCr:
		yccRow(dst, o.upsampleRow(0, y)[:n], o.upsampleRow(1, y)[:n], o.upsampleRow(2, y)[:n])
	case csRGB:
		r := o.upsampleRow(0, y)[:n]
		g := o.upsampleRow(1, y)[:n]
		b := o.upsampleRow(2, y)[:n]
		dst = dst[:3*n]
		for x := 0; x < n; x++ {
			dst[3*x] = r[x]
			dst[3*x+1] = g[x]
			dst[3*x+2] = b[x]
		}
	case csCMYK:
		// ImageMagick stores QuantumRange-sample for CMYK JPEGs (Adobe's inverted CMYK).
		c := o.upsampleRow(0, y)[:n]
		m := o.upsampleRow(1, y)[:n]
		ye := o.upsampleRow(2, y)[:n]
		k := o.upsampleRow(3, y)[:n]
		dst = dst[:4*n]
		for x := 0; x < n; x++ {
			dst[4*x] = 255 - c[x]
			dst[4*x+1] = 255 - m[x]
			dst[4*x+2] = 255 - ye[x]
			dst[4*x+3] = 255 - k[x]
		}
	case csYCCK:
		yy := o.upsampleRow(0, y)[:n]
		cb := o.upsampleRow(1, y)[:n]
		cr := o.upsampleRow(2, y)[:n]
		k := o.upsampleRow(3, y)[:n]
		dst = dst[:4*n]
		for x := 0; x < n; x++ {
			Y := int32(yy[x])
			b, r := cb[x], cr[x]
			// libjpeg: C = 255 - clamp(R) etc.; ImageMagick then stores 255 - C.
			dst[4*x] = clamp255(Y + crRTab[r])
			dst[4*x+1] = clamp255(Y + int32((cbGTab[b]+crGTab[r])>>16))
			dst[4*x+2] = clamp255(Y + cbBTab[b])
			dst[4*x+3] = 255 - k[x]
		}
	}
}
