package jpeg

import "unsafe"

// idctBlock is the inverse DCT libjpeg-turbo 2.1 actually runs on x86-64, where ImageMagick's
// signatures were made: jsimd_idct_islow_avx2 (jidctint-avx2.asm; the SSE2 version computes
// the same), not the C jpeg_idct_islow. On valid data both give the same samples; on corrupt
// data with huge coefficients they differ, because the SIMD code works on 16-bit words:
// dequantization keeps the low 16 bits of coef*quant, (in0±in4), (in7+in3) and (in5+in1)
// wrap at 16 bits, each pass saturates its results to 16 bits, and the final samples are
// saturated to -128..127 (where the C code wraps through its range-limit table).
func idctBlock(in *[64]int16, q *[64]int32, out []byte, stride int) {
	w := (*[16]uint64)(unsafe.Pointer(in))
	var ws [64]int32
	if w[2]|w[3]|w[4]|w[5]|w[6]|w[7]|w[8]|w[9]|w[10]|w[11]|w[12]|w[13]|w[14]|w[15] == 0 {
		// rows 1..7 of coefficients are zero: every column is its dequantized row-0 value << 2
		if w[0]&^dcMask|w[1] == 0 {
			// only DC: a constant block
			v := int32(int16(int16(int32(in[0])*q[0]) << pass1Bits))
			s := ((v << constBits) + 1<<17) >> 18 // pass 2 of a row [v, 0, ..., 0]
			b := sampleOf(s)
			for r := 0; r < 8; r++ {
				o := out[r*stride : r*stride+8 : r*stride+8]
				o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7] = b, b, b, b, b, b, b, b
			}
			return
		}
		for c := 0; c < 8; c++ {
			v := int32(int16(int16(int32(in[c])*q[c]) << pass1Bits))
			for r := 0; r < 8; r++ {
				ws[r*8+c] = v
			}
		}
	} else {
		for c := 0; c < 8; c++ {
			if in[8+c]|in[16+c]|in[24+c]|in[32+c]|in[40+c]|in[48+c]|in[56+c] == 0 {
				// a column of zero AC terms: dodct gives 4*in0, saturated
				v := sat16(int32(int16(int32(in[c])*q[c])) << pass1Bits)
				ws[c], ws[8+c], ws[16+c], ws[24+c] = v, v, v, v
				ws[32+c], ws[40+c], ws[48+c], ws[56+c] = v, v, v, v
				continue
			}
			i0 := int32(int16(int32(in[c]) * q[c]))
			i1 := int32(int16(int32(in[8+c]) * q[8+c]))
			i2 := int32(int16(int32(in[16+c]) * q[16+c]))
			i3 := int32(int16(int32(in[24+c]) * q[24+c]))
			i4 := int32(int16(int32(in[32+c]) * q[32+c]))
			i5 := int32(int16(int32(in[40+c]) * q[40+c]))
			i6 := int32(int16(int32(in[48+c]) * q[48+c]))
			i7 := int32(int16(int32(in[56+c]) * q[56+c]))
			o0, o1, o2, o3, o4, o5, o6, o7 := dodct(i0, i1, i2, i3, i4, i5, i6, i7, 11)
			ws[c], ws[8+c], ws[16+c], ws[24+c] = o0, o1, o2, o3
			ws[32+c], ws[40+c], ws[48+c], ws[56+c] = o4, o5, o6, o7
		}
	}
	for r := 0; r < 8; r++ {
		w := ws[r*8 : r*8+8 : r*8+8]
		d := out[r*stride : r*stride+8 : r*stride+8]
		if w[1]|w[2]|w[3]|w[4]|w[5]|w[6]|w[7] == 0 {
			b := sampleOf((w[0]<<constBits + 1<<17) >> 18)
			d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7] = b, b, b, b, b, b, b, b
			continue
		}
		// dodct(w, 18) written out; a saturation to 16 bits before the one to 8 bits is a no-op
		i0, i1, i2, i3, i4, i5, i6, i7 := w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]
		t0 := int32(int16(i0+i4)) << constBits
		t1 := int32(int16(i0-i4)) << constBits
		t3 := i2*(fix0_541196100+fix0_765366865) + i6*fix0_541196100
		t2 := i2*fix0_541196100 + i6*(fix0_541196100-fix1_847759065)
		t10, t13 := t0+t3, t0-t3
		t11, t12 := t1+t2, t1-t2
		z3 := int32(int16(i7 + i3))
		z4 := int32(int16(i5 + i1))
		z3p := z3*(fix1_175875602-fix1_961570560) + z4*fix1_175875602
		z4p := z3*fix1_175875602 + z4*(fix1_175875602-fix0_390180644)
		o0 := i7*(fix0_298631336-fix0_899976223) + i1*(-fix0_899976223) + z3p
		o1 := i5*(fix2_053119869-fix2_562915447) + i3*(-fix2_562915447) + z4p
		o3 := i7*(-fix0_899976223) + i1*(fix1_501321110-fix0_899976223) + z4p
		o2 := i5*(-fix2_562915447) + i3*(fix3_072711026-fix2_562915447) + z3p
		const rnd = 1 << 17
		// an int32 >> 18 lies in -8192..8191: sampleTab covers it
		d[0] = sampleTab[((t10+o3+rnd)>>18+8192)&16383]
		d[7] = sampleTab[((t10-o3+rnd)>>18+8192)&16383]
		d[1] = sampleTab[((t11+o2+rnd)>>18+8192)&16383]
		d[6] = sampleTab[((t11-o2+rnd)>>18+8192)&16383]
		d[2] = sampleTab[((t12+o1+rnd)>>18+8192)&16383]
		d[5] = sampleTab[((t12-o1+rnd)>>18+8192)&16383]
		d[3] = sampleTab[((t13+o0+rnd)>>18+8192)&16383]
		d[4] = sampleTab[((t13-o0+rnd)>>18+8192)&16383]
	}
}

// sampleOf is packsswb + CENTERJSAMPLE: saturate to -128..127, then shift to 0..255.
func sampleOf(v int32) byte {
	if v < -128 {
		v = -128
	} else if v > 127 {
		v = 127
	}
	return byte(v + 128)
}

// sampleTab[v+8192] is sampleOf(v) for every v a pass-2 result can take.
var sampleTab = func() (t [16384]byte) {
	for i := range t {
		t[i] = sampleOf(int32(i - 8192))
	}
	return
}()

func sat16(v int32) int32 {
	if v < -32768 {
		return -32768
	}
	if v > 32767 {
		return 32767
	}
	return v
}

// idct1D applies dodct to an array (for tests).
func idct1D(in *[8]int32, n uint) (out [8]int32) {
	out[0], out[1], out[2], out[3], out[4], out[5], out[6], out[7] =
		dodct(in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7], n)
	return
}

// dodct is the macro of jidctint-avx2.asm: one 8-point pass on 16-bit inputs, 32-bit
// products and sums (wrapping), descaled by n bits and saturated to 16 bits.
func dodct(i0, i1, i2, i3, i4, i5, i6, i7 int32, n uint) (int32, int32, int32, int32, int32, int32, int32, int32) {
	t0 := int32(int16(i0+i4)) << constBits
	t1 := int32(int16(i0-i4)) << constBits
	t3 := i2*(fix0_541196100+fix0_765366865) + i6*fix0_541196100
	t2 := i2*fix0_541196100 + i6*(fix0_541196100-fix1_847759065)
	t10, t13 := t0+t3, t0-t3
	t11, t12 := t1+t2, t1-t2

	z3 := int32(int16(i7 + i3))
	z4 := int32(int16(i5 + i1))
	z3p := z3*(fix1_175875602-fix1_961570560) + z4*fix1_175875602
	z4p := z3*fix1_175875602 + z4*(fix1_175875602-fix0_390180644)
	o0 := i7*(fix0_298631336-fix0_899976223) + i1*(-fix0_899976223) + z3p
	o1 := i5*(fix2_053119869-fix2_562915447) + i3*(-fix2_562915447) + z4p
	o3 := i7*(-fix0_899976223) + i1*(fix1_501321110-fix0_899976223) + z4p
	o2 := i5*(-fix2_562915447) + i3*(fix3_072711026-fix2_562915447) + z3p

	r := int32(1) << (n - 1)
	return sat16((t10 + o3 + r) >> n), sat16((t11 + o2 + r) >> n),
		sat16((t12 + o1 + r) >> n), sat16((t13 + o0 + r) >> n),
		sat16((t13 - o0 + r) >> n), sat16((t12 - o1 + r) >> n),
		sat16((t11 - o2 + r) >> n), sat16((t10 - o3 + r) >> n)
}
