package webp

// Intra prediction and inverse transforms of VP8 (libwebp 1.2.4's dsp/dec.c, C versions,
// which its SSE2 versions match bit for bit), working in the 32-byte-wide scratch block
// of lossy.reconstructRow.

const bps = 32 // stride of the scratch block

// Prediction modes (libwebp's numbering).
const (
	bDCPred = iota
	bTMPred
	bVEPred
	bHEPred
	bRDPred
	bVRPred
	bLDPred
	bVLPred
	bHDPred
	bHUPred
	numBModes

	dcPred = bDCPred
	tmPred = bTMPred
	vPred  = bVEPred
	hPred  = bHEPred

	// DC prediction at the picture's edges.
	dcPredNoTop     = 4
	dcPredNoLeft    = 5
	dcPredNoTopLeft = 6
)

func clip8(v int) uint8 {
	if v&^0xff == 0 {
		return uint8(v)
	}
	if v < 0 {
		return 0
	}
	return 255
}

func avg3(a, b, c uint8) uint8 { return uint8((int(a) + 2*int(b) + int(c) + 2) >> 2) }
func avg2(a, b uint8) uint8    { return uint8((int(a) + int(b) + 1) >> 1) }

func fill(b []uint8, o, size int, v uint8) {
	for j := 0; j < size; j++ {
		row := b[o+j*bps : o+j*bps+size]
		for i := range row {
			row[i] = v
		}
	}
}

func trueMotion(b []uint8, o, size int) {
	tl := int(b[o-bps-1])
	for y := 0; y < size; y++ {
		l := int(b[o+y*bps-1])
		for x := 0; x < size; x++ {
			b[o+y*bps+x] = clip8(l + int(b[o-bps+x]) - tl)
		}
	}
}

func verticalPred(b []uint8, o, size int) {
	for j := 0; j < size; j++ {
		copy(b[o+j*bps:o+j*bps+size], b[o-bps:o-bps+size])
	}
}

func horizontalPred(b []uint8, o, size int) {
	for j := 0; j < size; j++ {
		v := b[o+j*bps-1]
		row := b[o+j*bps : o+j*bps+size]
		for i := range row {
			row[i] = v
		}
	}
}

// predBlock predicts a 16x16 luma or 8x8 chroma block (size) with mode (after the
// adjustment of DC prediction at the picture's edges).
func predBlock(b []uint8, o, size, mode int) {
	log := 4
	if size == 8 {
		log = 3
	}
	sumTop := func() (s int) {
		for i := 0; i < size; i++ {
			s += int(b[o+i-bps])
		}
		return s
	}
	sumLeft := func() (s int) {
		for j := 0; j < size; j++ {
			s += int(b[o-1+j*bps])
		}
		return s
	}
	switch mode {
	case dcPred:
		fill(b, o, size, uint8((sumTop()+sumLeft()+size)>>(log+1)))
	case tmPred:
		trueMotion(b, o, size)
	case vPred:
		verticalPred(b, o, size)
	case hPred:
		horizontalPred(b, o, size)
	case dcPredNoTop:
		fill(b, o, size, uint8((sumLeft()+size/2)>>log))
	case dcPredNoLeft:
		fill(b, o, size, uint8((sumTop()+size/2)>>log))
	default:
		fill(b, o, size, 0x80)
	}
}

// predLuma4 predicts a 4x4 luma block.
func predLuma4(b []uint8, o, mode int) {
	set := func(x, y int, v uint8) { b[o+x+y*bps] = v }
	top := func(i int) uint8 { return b[o-bps+i] } // top(-1) is the top-left
	left := func(j int) uint8 { return b[o-1+j*bps] }
	switch mode {
	case bDCPred:
		dc := 4
		for i := 0; i < 4; i++ {
			dc += int(top(i)) + int(left(i))
		}
		fill(b, o, 4, uint8(dc>>3))
	case bTMPred:
		trueMotion(b, o, 4)
	case bVEPred:
		var vals [4]uint8
		for i := range vals {
			vals[i] = avg3(top(i-1), top(i), top(i+1))
		}
		for j := 0; j < 4; j++ {
			copy(b[o+j*bps:o+j*bps+4], vals[:])
		}
	case bHEPred:
		a, bb, c, d, e := top(-1), left(0), left(1), left(2), left(3)
		vals := [4]uint8{avg3(a, bb, c), avg3(bb, c, d), avg3(c, d, e), avg3(d, e, e)}
		for j := 0; j < 4; j++ {
			for i := 0; i < 4; i++ {
				set(i, j, vals[j])
			}
		}
	case bRDPred:
		i, j, k, l := left(0), left(1), left(2), left(3)
		x, a, bb, c, d := top(-1), top(0), top(1), top(2), top(3)
		set(0, 3, avg3(j, k, l))
		v := avg3(i, j, k)
		set(1, 3, v)
		set(0, 2, v)
		v = avg3(x, i, j)
		set(2, 3, v)
		set(1, 2, v)
		set(0, 1, v)
		v = avg3(a, x, i)
		set(3, 3, v)
		set(2, 2, v)
		set(1, 1, v)
		set(0, 0, v)
		v = avg3(bb, a, x)
		set(3, 2, v)
		set(2, 1, v)
		set(1, 0, v)
		v = avg3(c, bb, a)
		set(3, 1, v)
		set(2, 0, v)
		set(3, 0, avg3(d, c, bb))
	case bLDPred:
		a, bb, c, d, e, f, g, h := top(0), top(1), top(2), top(3), top(4), top(5), top(6), top(7)
		set(0, 0, avg3(a, bb, c))
		v := avg3(bb, c, d)
		set(1, 0, v)
		set(0, 1, v)
		v = avg3(c, d, e)
		set(2, 0, v)
		set(1, 1, v)
		set(0, 2, v)
		v = avg3(d, e, f)
		set(3, 0, v)
		set(2, 1, v)
		set(1, 2, v)
		set(0, 3, v)
		v = avg3(e, f, g)
		set(3, 1, v)
		set(2, 2, v)
		set(1, 3, v)
		v = avg3(f, g, h)
		set(3, 2, v)
		set(2, 3, v)
		set(3, 3, avg3(g, h, h))
	case bVRPred:
		i, j, k := left(0), left(1), left(2)
		x, a, bb, c, d := top(-1), top(0), top(1), top(2), top(3)
		v := avg2(x, a)
		set(0, 0, v)
		set(1, 2, v)
		v = avg2(a, bb)
		set(1, 0, v)
		set(2, 2, v)
		v = avg2(bb, c)
		set(2, 0, v)
		set(3, 2, v)
		set(3, 0, avg2(c, d))
		set(0, 3, avg3(k, j, i))
		set(0, 2, avg3(j, i, x))
		v = avg3(i, x, a)
		set(0, 1, v)
		set(1, 3, v)
		v = avg3(x, a, bb)
		set(1, 1, v)
		set(2, 3, v)
		v = avg3(a, bb, c)
		set(2, 1, v)
		set(3, 3, v)
		set(3, 1, avg3(bb, c, d))
	case bVLPred:
		a, bb, c, d, e, f, g, h := top(0), top(1), top(2), top(3), top(4), top(5), top(6), top(7)
		set(0, 0, avg2(a, bb))
		v := avg2(bb, c)
		set(1, 0, v)
		set(0, 2, v)
		v = avg2(c, d)
		set(2, 0, v)
		set(1, 2, v)
		v = avg2(d, e)
		set(3, 0, v)
		set(2, 2, v)
		set(0, 1, avg3(a, bb, c))
		v = avg3(bb, c, d)
		set(1, 1, v)
		set(0, 3, v)
		v = avg3(c, d, e)
		set(2, 1, v)
		set(1, 3, v)
		v = avg3(d, e, f)
		set(3, 1, v)
		set(2, 3, v)
		set(3, 2, avg3(e, f, g))
		set(3, 3, avg3(f, g, h))
	case bHDPred:
		i, j, k, l := left(0), left(1), left(2), left(3)
		x, a, bb, c := top(-1), top(0), top(1), top(2)
		v := avg2(i, x)
		set(0, 0, v)
		set(2, 1, v)
		v = avg2(j, i)
		set(0, 1, v)
		set(2, 2, v)
		v = avg2(k, j)
		set(0, 2, v)
		set(2, 3, v)
		set(0, 3, avg2(l, k))
		set(3, 0, avg3(a, bb, c))
		set(2, 0, avg3(x, a, bb))
		v = avg3(i, x, a)
		set(1, 0, v)
		set(3, 1, v)
		v = avg3(j, i, x)
		set(1, 1, v)
		set(3, 2, v)
		v = avg3(k, j, i)
		set(1, 2, v)
		set(3, 3, v)
		set(1, 3, avg3(l, k, j))
	case bHUPred:
		i, j, k, l := left(0), left(1), left(2), left(3)
		set(0, 0, avg2(i, j))
		v := avg2(j, k)
		set(2, 0, v)
		set(0, 1, v)
		v = avg2(k, l)
		set(2, 1, v)
		set(0, 2, v)
		set(1, 0, avg3(i, j, k))
		v = avg3(j, k, l)
		set(3, 0, v)
		set(1, 1, v)
		v = avg3(k, l, l)
		set(3, 1, v)
		set(1, 2, v)
		set(3, 2, l)
		set(2, 2, l)
		set(0, 3, l)
		set(1, 3, l)
		set(2, 3, l)
		set(3, 3, l)
	}
}

// Inverse transforms. The coefficients were dequantized into int16 (wrapping as libwebp's
// stores do).

func mul1(a int) int { return ((a * 20091) >> 16) + a }
func mul2(a int) int { return (a * 35468) >> 16 }

func store(b []uint8, o, x, y, v int) {
	p := o + x + y*bps
	b[p] = clip8(int(b[p]) + v>>3)
}

// transformOne adds the inverse DCT of in to the 4x4 block at o.
func transformOne(in []int16, b []uint8, o int) {
	var c [16]int
	for i := 0; i < 4; i++ {
		a := int(in[i]) + int(in[8+i])
		bb := int(in[i]) - int(in[8+i])
		cc := mul2(int(in[4+i])) - mul1(int(in[12+i]))
		d := mul1(int(in[4+i])) + mul2(int(in[12+i]))
		c[4*i+0] = a + d
		c[4*i+1] = bb + cc
		c[4*i+2] = bb - cc
		c[4*i+3] = a - d
	}
	for i := 0; i < 4; i++ {
		dc := c[i] + 4
		a := dc + c[8+i]
		bb := dc - c[8+i]
		cc := mul2(c[4+i]) - mul1(c[12+i])
		d := mul1(c[4+i]) + mul2(c[12+i])
		store(b, o, 0, i, a+d)
		store(b, o, 1, i, bb+cc)
		store(b, o, 2, i, bb-cc)
		store(b, o, 3, i, a-d)
	}
}

// transformAC3 is transformOne when only in[0], in[1] and in[4] may be non-zero.
func transformAC3(in []int16, b []uint8, o int) {
	a := int(in[0]) + 4
	c4, d4 := mul2(int(in[4])), mul1(int(in[4]))
	c1, d1 := mul2(int(in[1])), mul1(int(in[1]))
	rows := [4]int{a + d4, a + c4, a - c4, a - d4}
	for y, dc := range rows {
		store(b, o, 0, y, dc+d1)
		store(b, o, 1, y, dc+c1)
		store(b, o, 2, y, dc-c1)
		store(b, o, 3, y, dc-d1)
	}
}

// transformDC is transformOne when only in[0] may be non-zero.
func transformDC(in []int16, b []uint8, o int) {
	dc := int(in[0]) + 4
	for y := 0; y < 4; y++ {
		for x := 0; x < 4; x++ {
			store(b, o, x, y, dc)
		}
	}
}

// transformWHT spreads the inverse Walsh-Hadamard transform of the 16 DC coefficients
// over the DC of the 16 luma blocks in out.
func transformWHT(in []int16, out []int16) {
	var tmp [16]int
	for i := 0; i < 4; i++ {
		a0 := int(in[0+i]) + int(in[12+i])
		a1 := int(in[4+i]) + int(in[8+i])
		a2 := int(in[4+i]) - int(in[8+i])
		a3 := int(in[0+i]) - int(in[12+i])
		tmp[0+i] = a0 + a1
		tmp[8+i] = a0 - a1
		tmp[4+i] = a3 + a2
		tmp[12+i] = a3 - a2
	}
	for i := 0; i < 4; i++ {
		dc := tmp[0+i*4] + 3
		a0 := dc + tmp[3+i*4]
		a1 := tmp[1+i*4] + tmp[2+i*4]
		a2 := tmp[1+i*4] - tmp[2+i*4]
		a3 := dc - tmp[3+i*4]
		o := 64 * i
		out[o+0] = int16((a0 + a1) >> 3)
		out[o+16] = int16((a3 + a2) >> 3)
		out[o+32] = int16((a0 - a1) >> 3)
		out[o+48] = int16((a3 - a2) >> 3)
	}
}
