package webp

// Coefficient parsing (RFC 6386 section 13, libwebp 1.2.4's ParseResiduals and
// GetCoeffsFast).

var zigzag = [16]uint8{0, 1, 4, 8, 5, 2, 3, 6, 9, 12, 13, 10, 7, 11, 14, 15}

var (
	cat3    = []uint8{173, 148, 140}
	cat4    = []uint8{176, 155, 140, 135}
	cat5    = []uint8{180, 157, 141, 134, 130}
	cat6    = []uint8{254, 254, 243, 230, 196, 177, 153, 140, 133, 130, 129}
	cat3456 = [4][]uint8{cat3, cat4, cat5, cat6}
)

// largeValue reads a coefficient magnitude of 2 or more.
func largeValue(br *boolDecoder, p *[numProbas]uint8) int {
	if br.getBit(p[3]) == 0 {
		if br.getBit(p[4]) == 0 {
			return 2
		}
		return 3 + br.getBit(p[5])
	}
	if br.getBit(p[6]) == 0 {
		if br.getBit(p[7]) == 0 {
			return 5 + br.getBit(159)
		}
		v := 7 + 2*br.getBit(165)
		return v + br.getBit(145)
	}
	bit1 := br.getBit(p[8])
	bit0 := br.getBit(p[9+bit1])
	cat := 2*bit1 + bit0
	v := 0
	for _, prob := range cat3456[cat] {
		v += v + br.getBit(prob)
	}
	return v + 3 + 8<<cat
}

// getCoeffs reads the coefficients of one 4x4 block from position n, dequantized into out
// in raster order, and returns the position after the last non-zero one. It is the hot
// loop of lossy decoding: the boolean decoder's state lives in locals for the three most
// frequent bits.
func getCoeffs(br *boolDecoder, prob *[17]*bandProbas, ctx int, dq [2]int, n int, out []int16) int {
	value, rng, nbits := br.value, br.rng, br.bits
	var bit bool
	p := &prob[n][ctx]
	for ; n < 16; n++ {
		if nbits < 0 {
			value, rng, nbits = br.reload(value, rng, nbits)
		}
		if value, rng, nbits, bit = decodeBit(value, rng, nbits, p[0]); !bit {
			break // the previous coefficient was the last non-zero one
		}
		for {
			if nbits < 0 {
				value, rng, nbits = br.reload(value, rng, nbits)
			}
			if value, rng, nbits, bit = decodeBit(value, rng, nbits, p[1]); bit {
				break
			}
			// A zero.
			n++
			p = &prob[n][0]
			if n == 16 {
				br.value, br.rng, br.bits = value, rng, nbits
				return 16
			}
		}
		pctx := prob[n+1]
		if nbits < 0 {
			value, rng, nbits = br.reload(value, rng, nbits)
		}
		v := 1
		if value, rng, nbits, bit = decodeBit(value, rng, nbits, p[2]); !bit {
			p = &pctx[1]
		} else {
			br.value, br.rng, br.bits = value, rng, nbits
			v = largeValue(br, p)
			value, rng, nbits = br.value, br.rng, br.bits
			p = &pctx[2]
		}
		q := dq[0]
		if n > 0 {
			q = dq[1]
		}
		if nbits < 0 {
			value, rng, nbits = br.reload(value, rng, nbits)
		}
		value, rng, nbits, v = decodeSigned(value, rng, nbits, v)
		out[zigzag[n]] = int16(v * q)
	}
	br.value, br.rng, br.bits = value, rng, nbits
	return n
}

func nzCodeBits(nzCoeffs uint32, nz int, dcNZ bool) uint32 {
	nzCoeffs <<= 2
	switch {
	case nz > 3:
		nzCoeffs |= 3
	case nz > 1:
		nzCoeffs |= 2
	case dcNZ:
		nzCoeffs |= 1
	}
	return nzCoeffs
}

// parseResiduals reads a macroblock's coefficients and reports whether all are zero.
func (dec *lossy) parseResiduals(mb, left *mbContext, block *mbData, br *boolDecoder) bool {
	bands := &dec.bandsPtr
	q := &dec.dqm[block.segment]
	dst := block.coeffs[:]
	clear(dst)
	var acProba *[17]*bandProbas
	first := 0
	if !block.isI4x4 {
		var dc [16]int16
		ctx := int(mb.nzDC + left.nzDC)
		nz := getCoeffs(br, &bands[1], ctx, q.y2, 0, dc[:])
		mb.nzDC = uint8(b2i(nz > 0))
		left.nzDC = mb.nzDC
		if nz > 1 {
			transformWHT(dc[:], dst)
		} else {
			dc0 := int16((int(dc[0]) + 3) >> 3)
			for i := 0; i < 16*16; i += 16 {
				dst[i] = dc0
			}
		}
		first = 1
		acProba = &bands[0]
	} else {
		acProba = &bands[3]
	}
	var nonZeroY, nonZeroUV uint32
	tnz := mb.nz & 0x0f
	lnz := left.nz & 0x0f
	o := 0
	for y := 0; y < 4; y++ {
		l := lnz & 1
		var nzCoeffs uint32
		for x := 0; x < 4; x++ {
			ctx := int(l + tnz&1)
			nz := getCoeffs(br, acProba, ctx, q.y1, first, dst[o:o+16])
			l = uint8(b2i(nz > first))
			tnz = tnz>>1 | l<<7
			nzCoeffs = nzCodeBits(nzCoeffs, nz, dst[o] != 0)
			o += 16
		}
		tnz >>= 4
		lnz = lnz>>1 | l<<7
		nonZeroY = nonZeroY<<8 | nzCoeffs
	}
	outTNZ := uint32(tnz)
	outLNZ := uint32(lnz >> 4)
	for ch := 0; ch < 4; ch += 2 {
		var nzCoeffs uint32
		tnz = mb.nz >> (4 + ch)
		lnz = left.nz >> (4 + ch)
		for y := 0; y < 2; y++ {
			l := lnz & 1
			for x := 0; x < 2; x++ {
				ctx := int(l + tnz&1)
				nz := getCoeffs(br, &bands[2], ctx, q.uv, 0, dst[o:o+16])
				l = uint8(b2i(nz > 0))
				tnz = tnz>>1 | l<<3
				nzCoeffs = nzCodeBits(nzCoeffs, nz, dst[o] != 0)
				o += 16
			}
			tnz >>= 2
			lnz = lnz>>1 | l<<5
		}
		nonZeroUV |= nzCoeffs << (4 * ch)
		outTNZ |= uint32(tnz) << 4 << ch
		outLNZ |= uint32(lnz&0xf0) << ch
	}
	mb.nz = uint8(outTNZ)
	left.nz = uint8(outLNZ)
	block.nonZeroY = nonZeroY
	block.nonZeroUV = nonZeroUV
	return nonZeroY|nonZeroUV == 0
}
