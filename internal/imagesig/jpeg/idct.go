package jpeg

import "unsafe"

// Constants of the ISLOW inverse DCT (jidctint.c; the SIMD version in idct_simd.go uses
// the same fixed-point factors).

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

// dcMask selects coefficient 0 in the first 8 bytes of a block, whatever the byte order.
var dcMask = func() uint64 {
	var b [64]int16
	b[0] = -1
	return (*[16]uint64)(unsafe.Pointer(&b))[0]
}()
