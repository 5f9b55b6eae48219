package webp

// Reconstruction of a row of macroblocks, its deblocking and its emission (libwebp
// 1.2.4's frame_dec.c, single-threaded). The scratch block yuvB holds one macroblock with
// its top and left neighbours; the caches hold the row with the rows above that the
// filter may still change.

// scan is the offset of each 4x4 luma block in the scratch block.
var scan = func() (s [16]int) {
	for n := range s {
		s[n] = (n&3)*4 + (n>>2)*4*bps
	}
	return s
}()

func checkMode(mbX, mbY int, mode uint8) int {
	if mode == bDCPred {
		switch {
		case mbX == 0 && mbY == 0:
			return dcPredNoTopLeft
		case mbX == 0:
			return dcPredNoLeft
		case mbY == 0:
			return dcPredNoTop
		}
	}
	return int(mode)
}

func doTransform(bits uint32, in []int16, b []uint8, o int) {
	switch bits >> 30 {
	case 3:
		transformOne(in, b, o)
	case 2:
		transformAC3(in, b, o)
	case 1:
		transformDC(in, b, o)
	}
}

func doUVTransform(bits uint32, in []int16, b []uint8, o int) {
	if bits&0xff == 0 {
		return
	}
	offsets := [4]int{0, 4, 4 * bps, 4*bps + 4}
	if bits&0xaa != 0 {
		for k, off := range offsets {
			transformOne(in[16*k:], b, o+off)
		}
		return
	}
	for k, off := range offsets {
		if in[16*k] != 0 {
			transformDC(in[16*k:], b, o+off)
		}
	}
}

func setBytes(b []uint8, v uint8) {
	for i := range b {
		b[i] = v
	}
}

// reconstructRow predicts and adds the residuals of every macroblock of row mbY, into
// the caches.
func (dec *lossy) reconstructRow(mbY int) {
	b := dec.yuvB[:]
	for j := 0; j < 16; j++ {
		b[yOff+j*bps-1] = 129
	}
	for j := 0; j < 8; j++ {
		b[uOff+j*bps-1] = 129
		b[vOff+j*bps-1] = 129
	}
	if mbY > 0 {
		b[yOff-1-bps], b[uOff-1-bps], b[vOff-1-bps] = 129, 129, 129
	} else {
		setBytes(b[yOff-bps-1:yOff-bps-1+16+4+1], 127)
		setBytes(b[uOff-bps-1:uOff-bps-1+8+1], 127)
		setBytes(b[vOff-bps-1:vOff-bps-1+8+1], 127)
	}
	for mbX := 0; mbX < dec.mbW; mbX++ {
		block := &dec.mbs[mbX]
		if mbX > 0 {
			// The left samples: the previous macroblock's right columns.
			for j := -1; j < 16; j++ {
				copy(b[yOff+j*bps-4:yOff+j*bps], b[yOff+j*bps+12:yOff+j*bps+16])
			}
			for j := -1; j < 8; j++ {
				copy(b[uOff+j*bps-4:uOff+j*bps], b[uOff+j*bps+4:uOff+j*bps+8])
				copy(b[vOff+j*bps-4:vOff+j*bps], b[vOff+j*bps+4:vOff+j*bps+8])
			}
		}
		top := &dec.yuvT[mbX]
		coeffs := block.coeffs[:]
		bits := block.nonZeroY
		if mbY > 0 {
			copy(b[yOff-bps:yOff-bps+16], top.y[:])
			copy(b[uOff-bps:uOff-bps+8], top.u[:])
			copy(b[vOff-bps:vOff-bps+8], top.v[:])
		}
		if block.isI4x4 {
			tr := yOff - bps + 16
			if mbY > 0 {
				if mbX >= dec.mbW-1 {
					setBytes(b[tr:tr+4], top.y[15])
				} else {
					copy(b[tr:tr+4], dec.yuvT[mbX+1].y[:4])
				}
			}
			// The blocks of the right column use the same top-right samples.
			for k := 1; k <= 3; k++ {
				copy(b[tr+4*k*bps:tr+4*k*bps+4], b[tr:tr+4])
			}
			for n := 0; n < 16; n++ {
				dst := yOff + scan[n]
				predLuma4(b, dst, int(block.imodes[n]))
				doTransform(bits, coeffs[n*16:], b, dst)
				bits <<= 2
			}
		} else {
			predBlock(b, yOff, 16, checkMode(mbX, mbY, block.imodes[0]))
			if bits != 0 {
				for n := 0; n < 16; n++ {
					doTransform(bits, coeffs[n*16:], b, yOff+scan[n])
					bits <<= 2
				}
			}
		}
		uvMode := checkMode(mbX, mbY, block.uvmode)
		predBlock(b, uOff, 8, uvMode)
		predBlock(b, vOff, 8, uvMode)
		doUVTransform(block.nonZeroUV, coeffs[16*16:], b, uOff)
		doUVTransform(block.nonZeroUV>>8, coeffs[20*16:], b, vOff)
		if mbY < dec.mbH-1 {
			copy(top.y[:], b[yOff+15*bps:yOff+15*bps+16])
			copy(top.u[:], b[uOff+7*bps:uOff+7*bps+8])
			copy(top.v[:], b[vOff+7*bps:vOff+7*bps+8])
		}
		yo := dec.extra*dec.yStride + mbX*16
		for j := 0; j < 16; j++ {
			copy(dec.cacheY[yo+j*dec.yStride:yo+j*dec.yStride+16], b[yOff+j*bps:yOff+j*bps+16])
		}
		uvo := dec.extra/2*dec.uvStride + mbX*8
		for j := 0; j < 8; j++ {
			copy(dec.cacheU[uvo+j*dec.uvStride:uvo+j*dec.uvStride+8], b[uOff+j*bps:uOff+j*bps+8])
			copy(dec.cacheV[uvo+j*dec.uvStride:uvo+j*dec.uvStride+8], b[vOff+j*bps:vOff+j*bps+8])
		}
	}
}

// filterMB deblocks macroblock (mbX, mbY) in the caches.
func (dec *lossy) filterMB(mbX, mbY int) {
	fi := &dec.fInfo[mbX]
	limit := fi.limit
	if limit == 0 {
		return
	}
	ys := dec.yStride
	y := dec.extra*ys + mbX*16
	if dec.filterType == 1 { // simple: luma only
		if mbX > 0 {
			simpleFilter16(dec.cacheY, y, 1, ys, limit+4)
		}
		if fi.inner {
			for k := 1; k <= 3; k++ {
				simpleFilter16(dec.cacheY, y+4*k, 1, ys, limit)
			}
		}
		if mbY > 0 {
			simpleFilter16(dec.cacheY, y, ys, 1, limit+4)
		}
		if fi.inner {
			for k := 1; k <= 3; k++ {
				simpleFilter16(dec.cacheY, y+4*k*ys, ys, 1, limit)
			}
		}
		return
	}
	uvs := dec.uvStride
	uv := dec.extra/2*uvs + mbX*8
	il, hev := fi.ilevel, fi.hevThresh
	if mbX > 0 {
		filterLoop(dec.cacheY, y, 1, ys, 16, limit+4, il, hev, false)
		filterLoop(dec.cacheU, uv, 1, uvs, 8, limit+4, il, hev, false)
		filterLoop(dec.cacheV, uv, 1, uvs, 8, limit+4, il, hev, false)
	}
	if fi.inner {
		for k := 1; k <= 3; k++ {
			filterLoop(dec.cacheY, y+4*k, 1, ys, 16, limit, il, hev, true)
		}
		filterLoop(dec.cacheU, uv+4, 1, uvs, 8, limit, il, hev, true)
		filterLoop(dec.cacheV, uv+4, 1, uvs, 8, limit, il, hev, true)
	}
	if mbY > 0 {
		filterLoop(dec.cacheY, y, ys, 1, 16, limit+4, il, hev, false)
		filterLoop(dec.cacheU, uv, uvs, 1, 8, limit+4, il, hev, false)
		filterLoop(dec.cacheV, uv, uvs, 1, 8, limit+4, il, hev, false)
	}
	if fi.inner {
		for k := 1; k <= 3; k++ {
			filterLoop(dec.cacheY, y+4*k*ys, ys, 1, 16, limit, il, hev, true)
		}
		filterLoop(dec.cacheU, uv+4*uvs, uvs, 1, 8, limit, il, hev, true)
		filterLoop(dec.cacheV, uv+4*uvs, uvs, 1, 8, limit, il, hev, true)
	}
}

// processRow reconstructs, deblocks and emits row mbY (VP8ProcessRow and FinishRow): the
// rows the filter may still change wait in the cache for the next row.
func (dec *lossy) processRow(mbY int) error {
	dec.reconstructRow(mbY)
	if dec.filterType > 0 {
		for mbX := 0; mbX < dec.mbW; mbX++ {
			dec.filterMB(mbX, mbY)
		}
	}
	extra := dec.extra
	ysize, uvsize := extra*dec.yStride, extra/2*dec.uvStride
	isLast := mbY >= dec.mbH-1
	yStart, yEnd := mbY*16, (mbY+1)*16
	yo, uvo := 0, 0
	if mbY > 0 {
		yStart -= extra
	} else {
		yo, uvo = ysize, uvsize
	}
	if !isLast {
		yEnd -= extra
	}
	yEnd = min(yEnd, dec.height)
	if yStart < yEnd {
		var alpha []byte
		if dec.alpha != nil {
			var err error
			if alpha, err = dec.alpha.rows(yEnd); err != nil {
				return err
			}
		}
		if err := dec.out.put(yStart, yEnd, dec.cacheY[yo:], dec.yStride, dec.cacheU[uvo:], dec.cacheV[uvo:], dec.uvStride, alpha); err != nil {
			return err
		}
	}
	if !isLast {
		copy(dec.cacheY[:ysize], dec.cacheY[16*dec.yStride:])
		copy(dec.cacheU[:uvsize], dec.cacheU[8*dec.uvStride:])
		copy(dec.cacheV[:uvsize], dec.cacheV[8*dec.uvStride:])
	}
	return nil
}
