package webp

// The inverse VP8L transforms (libwebp 1.2.4's dsp/lossless.c), applied to batches of
// at most 16 rows in the same buffer layout as libwebp: the predictor's top row kept just
// before the batch, the colour-indexing transform unpacking in place.

// processRows transforms the rows decoded since the last call and hands them out
// (ProcessRows). It returns false to stop the decode.
func (dec *lossless) processRows(row int) bool {
	for dec.emit != nil && dec.lastRow < row {
		n := min(row-dec.lastRow, numArgbCacheRows)
		out := dec.applyInverseTransforms(dec.lastRow, n, dec.pixels[dec.width*dec.lastRow:])
		for i := 0; i < n; i++ {
			if err := dec.emit(dec.lastRow+i, out[i*dec.ioWidth:(i+1)*dec.ioWidth]); err != nil {
				dec.emitErr = err
				return false
			}
		}
		dec.lastRow += n
	}
	dec.lastRow = row
	if err := dec.d.canceled(); err != nil {
		dec.emitErr = err
		return false
	}
	return true
}

// applyInverseTransforms runs the transforms, last read first, over numRows rows of in
// and returns the rows, ioWidth wide.
func (dec *lossless) applyInverseTransforms(start, numRows int, in []uint32) []uint32 {
	base := dec.ioWidth // the batch starts after the predictor's top row
	out := dec.cache[base:]
	inPlace := false
	for n := dec.nTransforms - 1; n >= 0; n-- {
		t := &dec.transforms[n]
		switch t.kind {
		case subtractGreenTransform:
			addGreenToBlueAndRed(in[:numRows*t.xsize], out)
		case predictorTransform:
			t.predictorInverse(start, start+numRows, in, dec.cache, base)
			if start+numRows != t.ysize {
				// The last row is the next batch's top row.
				copy(dec.cache[base-t.xsize:base], dec.cache[base+(numRows-1)*t.xsize:base+numRows*t.xsize])
			}
		case crossColorTransform:
			t.colorSpaceInverse(start, start+numRows, in, out)
		case colorIndexingTransform:
			if inPlace && t.bits > 0 {
				// Move the packed pixels to the end of the rows they unpack to.
				outStride := numRows * t.xsize
				inStride := numRows * subSampleSize(t.xsize, t.bits)
				copy(out[outStride-inStride:outStride], out[:inStride])
				t.colorIndexInverse(start, start+numRows, out[outStride-inStride:], out)
			} else {
				t.colorIndexInverse(start, start+numRows, in, out)
			}
		}
		in = out
		inPlace = true
	}
	if !inPlace {
		copy(out[:dec.width*numRows], in)
	}
	return out
}

func addGreenToBlueAndRed(in, out []uint32) {
	for i, argb := range in {
		g := (argb >> 8) & 0xff
		rb := (argb&0x00ff00ff + (g<<16 | g)) & 0x00ff00ff
		out[i] = argb&0xff00ff00 | rb
	}
}

// predictorInverse undoes the predictor transform for rows [yStart, yEnd) of in, writing
// to buf from index base, whose previous xsize words hold the row above.
func (t *llTransform) predictorInverse(yStart, yEnd int, in []uint32, buf []uint32, base int) {
	width := t.xsize
	o := base
	if yStart == 0 {
		// The first row: black, then left.
		buf[o] = addPixels(in[0], argbBlack)
		for x := 1; x < width; x++ {
			buf[o+x] = addPixels(in[x], buf[o+x-1])
		}
		in = in[width:]
		o += width
		yStart++
	}
	tileWidth := 1 << t.bits
	mask := tileWidth - 1
	tilesPerRow := subSampleSize(width, t.bits)
	modes := (yStart >> t.bits) * tilesPerRow
	for y := yStart; y < yEnd; {
		m := modes
		// The first pixel: top.
		buf[o] = addPixels(in[0], buf[o-width])
		for x := 1; x < width; {
			mode := (t.data[m] >> 8) & 0xf
			m++
			xEnd := min(x&^mask+tileWidth, width)
			predictorAdd(mode, in[x:xEnd], buf, o+x, width)
			x = xEnd
		}
		in = in[width:]
		o += width
		y++
		if y&mask == 0 {
			modes += tilesPerRow
		}
	}
}

// predictorAdd adds the prediction of mode to each pixel of in, written from buf[o],
// whose row above is width words earlier.
func predictorAdd(mode uint32, in []uint32, buf []uint32, o, width int) {
	for i, v := range in {
		p := o + i
		left, top := buf[p-1], buf[p-width]
		var pred uint32
		switch mode {
		case 1:
			pred = left
		case 2:
			pred = top
		case 3:
			pred = buf[p-width+1]
		case 4:
			pred = buf[p-width-1]
		case 5:
			pred = average2(average2(left, buf[p-width+1]), top)
		case 6:
			pred = average2(left, buf[p-width-1])
		case 7:
			pred = average2(left, top)
		case 8:
			pred = average2(buf[p-width-1], top)
		case 9:
			pred = average2(top, buf[p-width+1])
		case 10:
			pred = average2(average2(left, buf[p-width-1]), average2(top, buf[p-width+1]))
		case 11:
			pred = selectPredictor(top, left, buf[p-width-1])
		case 12:
			pred = clampedAddSubtractFull(left, top, buf[p-width-1])
		case 13:
			pred = clampedAddSubtractHalf(left, top, buf[p-width-1])
		default: // 0, and 14 and 15 which libwebp maps to 0
			pred = argbBlack
		}
		buf[p] = addPixels(v, pred)
	}
}

func average2(a, b uint32) uint32 { return ((a^b)&0xfefefefe)>>1 + a&b }

func clip255(a int) uint32 {
	if a < 0 {
		return 0
	}
	if a > 255 {
		return 255
	}
	return uint32(a)
}

func clampedAddSubtractFull(c0, c1, c2 uint32) uint32 {
	var out uint32
	for s := 0; s < 32; s += 8 {
		a := int(c0>>s&0xff) + int(c1>>s&0xff) - int(c2>>s&0xff)
		out |= clip255(a) << s
	}
	return out
}

func clampedAddSubtractHalf(c0, c1, c2 uint32) uint32 {
	ave := average2(c0, c1)
	var out uint32
	for s := 0; s < 32; s += 8 {
		a, b := int(ave>>s&0xff), int(c2>>s&0xff)
		out |= clip255(a+(a-b)/2) << s
	}
	return out
}

func absInt(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// selectPredictor returns a or b, whichever is closer to the gradient estimate.
func selectPredictor(a, b, c uint32) uint32 {
	sum := 0
	for s := 0; s < 32; s += 8 {
		ai, bi, ci := int(a>>s&0xff), int(b>>s&0xff), int(c>>s&0xff)
		sum += absInt(bi-ci) - absInt(ai-ci)
	}
	if sum <= 0 {
		return a
	}
	return b
}

// colorSpaceInverse undoes the cross-colour transform.
func (t *llTransform) colorSpaceInverse(yStart, yEnd int, in, out []uint32) {
	width := t.xsize
	tilesPerRow := subSampleSize(width, t.bits)
	for y := yStart; y < yEnd; y++ {
		row := t.data[(y>>t.bits)*tilesPerRow:]
		src := in[(y-yStart)*width : (y-yStart+1)*width]
		dst := out[(y-yStart)*width:]
		for x, argb := range src {
			code := row[x>>t.bits]
			g2r, g2b, r2b := int8(code), int8(code>>8), int8(code>>16)
			green := int8(argb >> 8)
			newRed := int(argb>>16&0xff) + int(g2r)*int(green)>>5
			newRed &= 0xff
			newBlue := int(argb&0xff) + int(g2b)*int(green)>>5
			newBlue += int(r2b) * int(int8(newRed)) >> 5
			newBlue &= 0xff
			dst[x] = argb&0xff00ff00 | uint32(newRed)<<16 | uint32(newBlue)
		}
	}
}

// colorIndexInverse maps palette indexes (packed several to a word when the palette is
// small) to colours.
func (t *llTransform) colorIndexInverse(yStart, yEnd int, in, out []uint32) {
	width := t.xsize
	bitsPerPixel := 8 >> t.bits
	s, d := 0, 0
	if bitsPerPixel == 8 {
		for y := yStart; y < yEnd; y++ {
			for x := 0; x < width; x++ {
				out[d] = t.data[(in[s]>>8)&0xff]
				s++
				d++
			}
		}
		return
	}
	countMask := 1<<t.bits - 1
	bitMask := uint32(1)<<bitsPerPixel - 1
	for y := yStart; y < yEnd; y++ {
		var packed uint32
		for x := 0; x < width; x++ {
			if x&countMask == 0 {
				packed = (in[s] >> 8) & 0xff
				s++
			}
			out[d] = t.data[packed&bitMask]
			d++
			packed >>= bitsPerPixel
		}
	}
}
