package webp

// YUV 4:2:0 to RGB the way libwebp 1.2.4 outputs it by default (what ImageMagick asks
// for: MODE_RGBA, fancy upsampling on): chroma upsampled with the (9,3,3,1)/16 filter of
// "fancy upsampling" (dsp/upsampling.c), then converted with libwebp's limited-range
// fixed-point formulas (dsp/yuv.h, 14-bit precision). Image/color/ycbcr.go's full-range
// JFIF conversion, which golang.org/x/image/webp uses, gives other values.

func multHi(v, coeff int) int { return (v * coeff) >> 8 }

// clip8YUV clamps a value of 6 fractional bits to [0, 255].
func clip8YUV(v int) uint8 {
	if v&^(256<<6-1) == 0 {
		return uint8(v >> 6)
	}
	if v < 0 {
		return 0
	}
	return 255
}

// yuvToRGBA writes one pixel, opaque.
func yuvToRGBA(y, u, v int, dst []uint8) {
	yy := multHi(y, 19077)
	dst[0] = clip8YUV(yy + multHi(v, 26149) - 14234)
	dst[1] = clip8YUV(yy - multHi(u, 6419) - multHi(v, 13320) + 8708)
	dst[2] = clip8YUV(yy + multHi(u, 33050) - 17685)
	dst[3] = 0xff
}

// upsampleLinePair converts one or two rows (bottomY nil for one) from their chroma rows,
// topU/V above and curU/V below the pair (UpsampleRgbaLinePair). U and V travel together
// in one word as libwebp computes them, u in the low half.
func upsampleLinePair(topY, bottomY, topU, topV, curU, curV []uint8, topDst, bottomDst []uint8, width int) {
	load := func(u, v uint8) uint32 { return uint32(u) | uint32(v)<<16 }
	lastPair := (width - 1) >> 1
	tl := load(topU[0], topV[0])
	l := load(curU[0], curV[0])
	uv0 := (3*tl + l + 0x00020002) >> 2
	yuvToRGBA(int(topY[0]), int(uv0&0xff), int(uv0>>16), topDst)
	if bottomY != nil {
		uv0 = (3*l + tl + 0x00020002) >> 2
		yuvToRGBA(int(bottomY[0]), int(uv0&0xff), int(uv0>>16), bottomDst)
	}
	for x := 1; x <= lastPair; x++ {
		t := load(topU[x], topV[x])
		uv := load(curU[x], curV[x])
		avg := tl + t + l + uv + 0x00080008
		diag12 := (avg + 2*(t+l)) >> 3
		diag03 := (avg + 2*(tl+uv)) >> 3
		uv0 := (diag12 + tl) >> 1
		uv1 := (diag03 + t) >> 1
		yuvToRGBA(int(topY[2*x-1]), int(uv0&0xff), int(uv0>>16), topDst[4*(2*x-1):])
		yuvToRGBA(int(topY[2*x]), int(uv1&0xff), int(uv1>>16), topDst[4*(2*x):])
		if bottomY != nil {
			uv0 = (diag03 + l) >> 1
			uv1 = (diag12 + uv) >> 1
			yuvToRGBA(int(bottomY[2*x-1]), int(uv0&0xff), int(uv0>>16), bottomDst[4*(2*x-1):])
			yuvToRGBA(int(bottomY[2*x]), int(uv1&0xff), int(uv1>>16), bottomDst[4*(2*x):])
		}
		tl, l = t, uv
	}
	if width&1 == 0 {
		uv0 := (3*tl + l + 0x00020002) >> 2
		yuvToRGBA(int(topY[width-1]), int(uv0&0xff), int(uv0>>16), topDst[4*(width-1):])
		if bottomY != nil {
			uv0 = (3*l + tl + 0x00020002) >> 2
			yuvToRGBA(int(bottomY[width-1]), int(uv0&0xff), int(uv0>>16), bottomDst[4*(width-1):])
		}
	}
}

// fancyUpsampler turns the rows a lossy decode emits into RGBA rows, in order. It holds
// back the last row of each batch until the next one brings the chroma row below it
// (EmitFancyRGB), and puts each row's alpha in as it leaves (EmitAlphaRGB).
type fancyUpsampler struct {
	width, height    int
	tmpY, tmpU, tmpV []uint8
	top, bottom      []uint8
	sink             func(y int, rgba []uint8) error
}

func newFancyUpsampler(width, height int, sink func(y int, rgba []uint8) error) *fancyUpsampler {
	uvw := (width + 1) / 2
	return &fancyUpsampler{
		width: width, height: height, sink: sink,
		tmpY: make([]uint8, width), tmpU: make([]uint8, uvw), tmpV: make([]uint8, uvw),
		top: make([]uint8, 4*width), bottom: make([]uint8, 4*width),
	}
}

// put takes rows [yStart, yEnd) of luma (and the chroma rows from yStart/2) with the alpha
// plane (nil without alpha).
func (e *fancyUpsampler) put(yStart, yEnd int, ys []uint8, yStride int, us, vs []uint8, uvStride int, alpha []uint8) error {
	w := e.width
	uvw := (w + 1) / 2
	deliver := func(y int, rgba []uint8) error {
		if alpha != nil {
			a := alpha[y*w : (y+1)*w]
			for i, v := range a {
				rgba[4*i+3] = v
			}
		}
		return e.sink(y, rgba)
	}
	cy, cu := 0, 0
	topU, topV := e.tmpU, e.tmpV
	y := yStart
	if y == 0 {
		upsampleLinePair(ys, nil, us, vs, us, vs, e.top, nil, w)
		if err := deliver(0, e.top); err != nil {
			return err
		}
	} else {
		upsampleLinePair(e.tmpY, ys, topU, topV, us, vs, e.top, e.bottom, w)
		if err := deliver(y-1, e.top); err != nil {
			return err
		}
		if err := deliver(y, e.bottom); err != nil {
			return err
		}
	}
	for ; y+2 < yEnd; y += 2 {
		topU, topV = us[cu:], vs[cu:]
		cu += uvStride
		cy += 2 * yStride
		upsampleLinePair(ys[cy-yStride:], ys[cy:], topU, topV, us[cu:], vs[cu:], e.top, e.bottom, w)
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
		upsampleLinePair(ys[cy:], nil, us[cu:], vs[cu:], us[cu:], vs[cu:], e.top, nil, w)
		return deliver(yEnd-1, e.top)
	}
	return nil
}
