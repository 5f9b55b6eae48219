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
		var col [8]int32
		for c := 0; c < 8; c++ {
			for r := 0; r < 8; r++ {
				col[r] = int32(int16(int32(in[r*8+c]) * q[r*8+c]))
			}
			o := idct1D(&col, 11)
			for r := 0; r < 8; r++ {
				ws[r*8+c] = o[r]
			}
		}
	}
	for r := 0; r < 8; r++ {
		o := idct1D((*[8]int32)(ws[r*8:r*8+8]), 18)
		d := out[r*stride : r*stride+8 : r*stride+8]
		for i := 0; i < 8; i++ {
			d[i] = sampleOf(o[i])
		}
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

func sat16(v int32) int32 {
	if v < -32768 {
		return -32768
	}
	if v > 32767 {
		return 32767
	}
	return v
}

// idct1D is the dodct macro: one 8-point pass on 16-bit inputs, 32-bit products and sums
// (wrapping), descaled by n bits and saturated to 16 bits.
func idct1D(in *[8]int32, n uint) (out [8]int32) {
	i0, i1, i2, i3, i4, i5, i6, i7 := in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7]
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
	out[0] = sat16((t10 + o3 + r) >> n)
	out[7] = sat16((t10 - o3 + r) >> n)
	out[1] = sat16((t11 + o2 + r) >> n)
	out[6] = sat16((t11 - o2 + r) >> n)
	out[2] = sat16((t12 + o1 + r) >> n)
	out[5] = sat16((t12 - o1 + r) >> n)
	out[3] = sat16((t13 + o0 + r) >> n)
	out[4] = sat16((t13 - o0 + r) >> n)
	return
}
