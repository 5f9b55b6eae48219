package jpeg

import "unsafe"

// The ISLOW inverse DCT of jidctint.c (jpeg_idct_islow), integer-exact.

const (
	constBits = 13
	pass1Bits = 2

	fix0_298631336 = 2446
	fix0_390180644 = 3196
	fix0_541196100 = 4433
	fix0_765366865 = 6270
	fix0_899976223 = 7373
	fix1_175875602 = 9633
	fix1_501321110 = 12299
	fix1_847759065 = 15137
	fix1_961570560 = 16069
	fix2_053119869 = 16819
	fix2_562915447 = 20995
	fix3_072711026 = 25172
)

// rangeLimit is libjpeg's IDCT_range_limit indexed by (x & RANGE_MASK): the sample value for
// an IDCT output x (before the +128 level shift), with the wrap-around of corrupt values.
var rangeLimit = func() (t [1024]uint8) {
	for v := 0; v < 1024; v++ {
		switch {
		case v < 128:
			t[v] = uint8(v + 128)
		case v < 512:
			t[v] = 255
		case v < 896:
			t[v] = 0
		default:
			t[v] = uint8(v - 896)
		}
	}
	return
}()

// dcMask selects coefficient 0 in the first 8 bytes of a block, whatever the byte order.
var dcMask = func() uint64 {
	var b [64]int16
	b[0] = -1
	return (*[16]uint64)(unsafe.Pointer(&b))[0]
}()

// idctIslow transforms one block of coefficients (natural order) dequantized by q (libjpeg's
// ISLOW_MULT_TYPE is a 16-bit short, hence int16 values) into 8x8 samples at out[0:],
// rows stride bytes apart.
func idctIslow(in *[64]int16, q *[64]int32, out []byte, stride int) {
	var ws [64]int32
	for c := 0; c < 8; c++ {
		if in[8+c] == 0 && in[16+c] == 0 && in[24+c] == 0 && in[32+c] == 0 &&
			in[40+c] == 0 && in[48+c] == 0 && in[56+c] == 0 {
			dc := (int32(in[c]) * q[c]) << pass1Bits
			ws[c] = dc
			ws[8+c] = dc
			ws[16+c] = dc
			ws[24+c] = dc
			ws[32+c] = dc
			ws[40+c] = dc
			ws[48+c] = dc
			ws[56+c] = dc
			continue
		}
		z2 := int64(int32(in[16+c]) * q[16+c])
		z3 := int64(int32(in[48+c]) * q[48+c])
		z1 := (z2 + z3) * fix0_541196100
		tmp2 := z1 + z3*(-fix1_847759065)
		tmp3 := z1 + z2*fix0_765366865
		z2 = int64(int32(in[c]) * q[c])
		z3 = int64(int32(in[32+c]) * q[32+c])
		tmp0 := (z2 + z3) << constBits
		tmp1 := (z2 - z3) << constBits
		tmp10 := tmp0 + tmp3
		tmp13 := tmp0 - tmp3
		tmp11 := tmp1 + tmp2
		tmp12 := tmp1 - tmp2

		tmp0 = int64(int32(in[56+c]) * q[56+c])
		tmp1 = int64(int32(in[40+c]) * q[40+c])
		tmp2 = int64(int32(in[24+c]) * q[24+c])
		tmp3 = int64(int32(in[8+c]) * q[8+c])
		z1 = tmp0 + tmp3
		z2 = tmp1 + tmp2
		z3 = tmp0 + tmp2
		z4 := tmp1 + tmp3
		z5 := (z3 + z4) * fix1_175875602
		tmp0 *= fix0_298631336
		tmp1 *= fix2_053119869
		tmp2 *= fix3_072711026
		tmp3 *= fix1_501321110
		z1 *= -fix0_899976223
		z2 *= -fix2_562915447
		z3 *= -fix1_961570560
		z4 *= -fix0_390180644
		z3 += z5
		z4 += z5
		tmp0 += z1 + z3
		tmp1 += z2 + z4
		tmp2 += z2 + z3
		tmp3 += z1 + z4
		const sh = constBits - pass1Bits
		const rnd = 1 << (sh - 1)
		ws[c] = int32((tmp10 + tmp3 + rnd) >> sh)
		ws[56+c] = int32((tmp10 - tmp3 + rnd) >> sh)
		ws[8+c] = int32((tmp11 + tmp2 + rnd) >> sh)
		ws[48+c] = int32((tmp11 - tmp2 + rnd) >> sh)
		ws[16+c] = int32((tmp12 + tmp1 + rnd) >> sh)
		ws[40+c] = int32((tmp12 - tmp1 + rnd) >> sh)
		ws[24+c] = int32((tmp13 + tmp0 + rnd) >> sh)
		ws[32+c] = int32((tmp13 - tmp0 + rnd) >> sh)
	}
	for r := 0; r < 8; r++ {
		w := ws[r*8 : r*8+8 : r*8+8]
		o := out[r*stride : r*stride+8 : r*stride+8]
		if w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0 && w[6] == 0 && w[7] == 0 {
			const sh = pass1Bits + 3
			v := rangeLimit[int((int64(w[0])+1<<(sh-1))>>sh)&1023]
			o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7] = v, v, v, v, v, v, v, v
			continue
		}
		z2 := int64(w[2])
		z3 := int64(w[6])
		z1 := (z2 + z3) * fix0_541196100
		tmp2 := z1 + z3*(-fix1_847759065)
		tmp3 := z1 + z2*fix0_765366865
		tmp0 := (int64(w[0]) + int64(w[4])) << constBits
		tmp1 := (int64(w[0]) - int64(w[4])) << constBits
		tmp10 := tmp0 + tmp3
		tmp13 := tmp0 - tmp3
		tmp11 := tmp1 + tmp2
		tmp12 := tmp1 - tmp2

		tmp0 = int64(w[7])
		tmp1 = int64(w[5])
		tmp2 = int64(w[3])
		tmp3 = int64(w[1])
		z1 = tmp0 + tmp3
		z2 = tmp1 + tmp2
		z3 = tmp0 + tmp2
		z4 := tmp1 + tmp3
		z5 := (z3 + z4) * fix1_175875602
		tmp0 *= fix0_298631336
		tmp1 *= fix2_053119869
		tmp2 *= fix3_072711026
		tmp3 *= fix1_501321110
		z1 *= -fix0_899976223
		z2 *= -fix2_562915447
		z3 *= -fix1_961570560
		z4 *= -fix0_390180644
		z3 += z5
		z4 += z5
		tmp0 += z1 + z3
		tmp1 += z2 + z4
		tmp2 += z2 + z3
		tmp3 += z1 + z4
		const sh = constBits + pass1Bits + 3
		const rnd = 1 << (sh - 1)
		o[0] = rangeLimit[int((tmp10+tmp3+rnd)>>sh)&1023]
		o[7] = rangeLimit[int((tmp10-tmp3+rnd)>>sh)&1023]
		o[1] = rangeLimit[int((tmp11+tmp2+rnd)>>sh)&1023]
		o[6] = rangeLimit[int((tmp11-tmp2+rnd)>>sh)&1023]
		o[2] = rangeLimit[int((tmp12+tmp1+rnd)>>sh)&1023]
		o[5] = rangeLimit[int((tmp12-tmp1+rnd)>>sh)&1023]
		o[3] = rangeLimit[int((tmp13+tmp0+rnd)>>sh)&1023]
		o[4] = rangeLimit[int((tmp13-tmp0+rnd)>>sh)&1023]
	}
}
