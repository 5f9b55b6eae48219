package webp

// YUV 4:2:0 to RGB the way libwebp 1.2.4 outputs it by default (what ImageMagick asks
// for: MODE_RGBA, fancy upsampling on): chroma upsampled with the (9,3,3,1)/16 filter of
// "fancy upsampling" (dsp/upsampling.c), then converted with libwebp's limited-range
// fixed-point formulas (dsp/yuv.h, 14-bit precision). Image/color/ycbcr.go's full-range
// JFIF conversion, which golang.org/x/image/webp uses, gives other values.

// upsampleChroma computes one or two rows of full-resolution chroma (bottom nil for one)
// from the chroma rows above (topU/V) and below (curU/V) the pair, with libwebp's
// UpsampleRgbaLinePair arithmetic: U and V travel together in one word, u in the low half.
func upsampleChroma(topU, topV, curU, curV []uint8, width int, top, bottom []uint32) {
	load := func(u, v uint8) uint32 { return uint32(u) | uint32(v)<<16 }
	lastPair := (width - 1) >> 1
	tl := load(topU[0], topV[0])
	l := load(curU[0], curV[0])
	top[0] = (3*tl + l + 0x00020002) >> 2
	if bottom != nil {
		bottom[0] = (3*l + tl + 0x00020002) >> 2
	}
	for x := 1; x <= lastPair; x++ {
		t := load(topU[x], topV[x])
		uv := load(curU[x], curV[x])
		avg := tl + t + l + uv + 0x00080008
		diag12 := (avg + 2*(t+l)) >> 3
		diag03 := (avg + 2*(tl+uv)) >> 3
		top[2*x-1] = (diag12 + tl) >> 1
		top[2*x] = (diag03 + t) >> 1
		if bottom != nil {
			bottom[2*x-1] = (diag03 + l) >> 1
			bottom[2*x] = (diag12 + uv) >> 1
		}
		tl, l = t, uv
	}
	if width&1 == 0 {
		top[width-1] = (3*tl + l + 0x00020002) >> 2
		if bottom != nil {
			bottom[width-1] = (3*l + tl + 0x00020002) >> 2
		}
	}
}

// The terms of VP8YuvToRgb, one table per multiplication (MultHi(v, coeff) = v*coeff>>8),
// with the constant offsets folded in.
var yTerm, rvTerm, guTerm, gvTerm, buTerm = func() (y, rv, gu, gv, bu [256]int32) {
	for i := range 256 {
		y[i] = int32(i * 19077 >> 8)
		rv[i] = int32(i*26149>>8 - 14234)
		gu[i] = int32(-(i * 6419 >> 8) + 8708)
		gv[i] = int32(-(i * 13320 >> 8))
		bu[i] = int32(i*33050>>8 - 17685)
	}
	return
}()

// clipTable is VP8Clip8 as a table: index (v>>6)+clipOffset gives 0 for v < 0, v>>6 up
// to 255, then 255. The sums above stay within [-17685, 34237], indexes 43 to 854.
const clipOffset = 320

var clipTable = func() (t [1024]uint8) {
	for i := range t {
		t[i] = uint8(max(0, min(255, i-clipOffset)))
	}
	return
}()

func clip6(v int32) uint8 { return clipTable[uint32(v>>6+clipOffset)&1023] }

// toRGB converts a row of luma and upsampled chroma (the low 8 bits of each half of uv)
// with libwebp's VP8YuvToRgb, into 3 or 4 bytes per pixel (the fourth left alone).
func toRGB(ys []uint8, uv []uint32, dst []uint8, bpp int) {
	ys = ys[:len(uv)]
	dst = dst[:bpp*len(uv)]
	for x, y := range ys {
		c := yTerm[y]
		u, v := uint8(uv[x]), uint8(uv[x]>>16)
		d := dst[bpp*x : bpp*x+3 : bpp*x+3]
		d[0] = clip6(c + rvTerm[v])
		d[1] = clip6(c + guTerm[u] + gvTerm[v])
		d[2] = clip6(c + buTerm[u])
	}
}

// fancyUpsampler turns the rows a lossy decode emits into RGB or RGBA rows, in order. It
// holds back the last row of each batch until the next one brings the chroma row below
// it (EmitFancyRGB), and puts each row's alpha in as it leaves (EmitAlphaRGB).
type fancyUpsampler struct {
	width, height    int
	bpp              int // 3 (RGB) or 4 (RGBA)
	tmpY, tmpU, tmpV []uint8
	uvTop, uvBottom  []uint32
	top, bottom      []uint8
	sink             func(y int, row []uint8) error
}

func newFancyUpsampler(width, height, bpp int, sink func(y int, row []uint8) error) *fancyUpsampler {
	uvw := (width + 1) / 2
	e := &fancyUpsampler{
		width: width, height: height, bpp: bpp, sink: sink,
		tmpY: make([]uint8, width), tmpU: make([]uint8, uvw), tmpV: make([]uint8, uvw),
		uvTop: make([]uint32, width), uvBottom: make([]uint32, width),
		top: make([]uint8, bpp*width), bottom: make([]uint8, bpp*width),
	}
	if bpp == 4 {
		for i := 3; i < len(e.top); i += 4 {
			e.top[i], e.bottom[i] = 0xff, 0xff
		}
	}
	return e
}

// pair converts one row (bottomY nil) or two.
func (e *fancyUpsampler) pair(topY, bottomY, topU, topV, curU, curV []uint8) {
	w := e.width
	if bottomY == nil {
		upsampleChroma(topU, topV, curU, curV, w, e.uvTop, nil)
	} else {
		upsampleChroma(topU, topV, curU, curV, w, e.uvTop, e.uvBottom)
		toRGB(bottomY[:w], e.uvBottom, e.bottom, e.bpp)
	}
	toRGB(topY[:w], e.uvTop, e.top, e.bpp)
}

// put takes rows [yStart, yEnd) of luma (and the chroma rows from yStart/2) with the alpha
// plane (nil without alpha).
func (e *fancyUpsampler) put(yStart, yEnd int, ys []uint8, yStride int, us, vs []uint8, uvStride int, alpha []uint8) error {
	w := e.width
	uvw := (w + 1) / 2
	deliver := func(y int, row []uint8) error {
		if alpha != nil && e.bpp == 4 {
			for i, v := range alpha[y*w : (y+1)*w] {
				row[4*i+3] = v
			}
		}
		return e.sink(y, row)
	}
	cy, cu := 0, 0
	y := yStart
	if y == 0 {
		e.pair(ys, nil, us, vs, us, vs)
		if err := deliver(0, e.top); err != nil {
			return err
		}
	} else {
		e.pair(e.tmpY, ys, e.tmpU, e.tmpV, us, vs)
		if err := deliver(y-1, e.top); err != nil {
			return err
		}
		if err := deliver(y, e.bottom); err != nil {
			return err
		}
	}
	for ; y+2 < yEnd; y += 2 {
		topU, topV := us[cu:], vs[cu:]
		cu += uvStride
		cy += 2 * yStride
		e.pair(ys[cy-yStride:], ys[cy:], topU, topV, us[cu:], vs[cu:])
		if err := deliver(y+1, e.top); err != nil {
			return err
		}
		if err := deliver(y+2, e.bottom); err != nil {
			return err
		}
	}
	cy += yStride
	if yEnd < e.height {
		copy(e.tmpY, ys[cy:cy+w])
		copy(e.tmpU, us[cu:cu+uvw])
		copy(e.tmpV, vs[cu:cu+uvw])
		return nil
	}
	if yEnd&1 == 0 {
		e.pair(ys[cy:], nil, us[cu:], vs[cu:], us[cu:], vs[cu:])
		return deliver(yEnd-1, e.top)
	}
	return nil
}
