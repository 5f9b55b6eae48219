package webp

import (
	"encoding/binary"
	"math/bits"
)

// boolDecoder is VP8's boolean entropy decoder as libwebp 1.2.4 runs it on 64-bit x86
// (VP8BitReader with 56 bits loaded at a time). Its handling of the end of the data is
// libwebp's to the bit, because where it meets the end decides whether libwebp refuses a
// truncated partition: one byte of zeros past the end is allowed and sets eof.
type boolDecoder struct {
	value uint64
	rng   uint32 // range minus 1
	bits  int    // number of valid bits left
	buf   []byte // unread bytes
	eof   bool
}

func (br *boolDecoder) init(data []byte) {
	*br = boolDecoder{rng: 255 - 1, bits: -8, buf: data}
	br.loadNewBytes()
}

func (br *boolDecoder) loadNewBytes() {
	if len(br.buf) >= 8 {
		in := binary.BigEndian.Uint64(br.buf) >> 8
		br.buf = br.buf[7:]
		br.value = in | br.value<<56
		br.bits += 56
		return
	}
	if len(br.buf) > 0 {
		br.bits += 8
		br.value = uint64(br.buf[0]) | br.value<<8
		br.buf = br.buf[1:]
	} else if !br.eof {
		br.value <<= 8
		br.bits += 8
		br.eof = true
	} else {
		br.bits = 0
	}
}

// getBit decodes one bit whose probability of being 0 is prob/256.
func (br *boolDecoder) getBit(prob uint8) int {
	if br.bits < 0 {
		br.loadNewBytes()
	}
	var bit bool
	br.value, br.rng, br.bits, bit = decodeBit(br.value, br.rng, br.bits, prob)
	if bit {
		return 1
	}
	return 0
}

// decodeBit is getBit on a decoder state held in the caller's locals, which must have
// loaded bits (nbits >= 0).
func decodeBit(value uint64, rng uint32, nbits int, prob uint8) (uint64, uint32, int, bool) {
	pos := uint(nbits) & 63
	split := (rng * uint32(prob)) >> 8
	bit := uint32(value>>pos) > split
	if bit {
		rng -= split
		value -= uint64(split+1) << pos
	} else {
		rng = split + 1
	}
	shift := bits.LeadingZeros32(rng) - 24 // normalises rng to [128, 255]
	return value, rng<<shift - 1, nbits - shift, bit
}

// reload loads bytes into the state a caller holds in locals.
func (br *boolDecoder) reload(value uint64, rng uint32, nbits int) (uint64, uint32, int) {
	br.value, br.rng, br.bits = value, rng, nbits
	br.loadNewBytes()
	return br.value, br.rng, br.bits
}

// getSigned returns v or -v, by an even-odds bit read libwebp's own way (VP8GetSigned).
func (br *boolDecoder) getSigned(v int) int {
	if br.bits < 0 {
		br.loadNewBytes()
	}
	br.value, br.rng, br.bits, v = decodeSigned(br.value, br.rng, br.bits, v)
	return v
}

// decodeSigned is getSigned on a decoder state held in the caller's locals (nbits >= 0).
func decodeSigned(value uint64, rng uint32, nbits int, v int) (uint64, uint32, int, int) {
	pos := uint(nbits) & 63
	split := rng >> 1
	mask := int32(split-uint32(value>>pos)) >> 31 // -1 when the bit is 1
	rng = (rng + uint32(mask)) | 1
	value -= uint64((split+1)&uint32(mask)) << pos
	return value, rng, nbits - 1, (v ^ int(mask)) - int(mask)
}

// getValue reads n bits of even odds, most significant first.
func (br *boolDecoder) getValue(n int) int {
	v := 0
	for n > 0 {
		n--
		v |= br.getBit(0x80) << n
	}
	return v
}

// optionalSigned reads a flag, then, if it is set, a signed value of n bits; 0 without.
func (br *boolDecoder) optionalSigned(n int) int {
	if br.getBit(0x80) != 0 {
		return br.getSignedValue(n)
	}
	return 0
}

// getSignedValue reads n bits of magnitude, then the sign.
func (br *boolDecoder) getSignedValue(n int) int {
	v := br.getValue(n)
	if br.getBit(0x80) != 0 {
		return -v
	}
	return v
}

// losslessBits is the VP8L bit reader of libwebp 1.2.4 (VP8LBitReader): 64 bits
// prefetched, least significant first. End of stream is when more bits were consumed than
// the data holds, checked where libwebp checks it; a stream shorter than 8 bytes reads
// as zeros up to 64 bits, as there.
type losslessBits struct {
	val    uint64
	buf    []byte
	pos    int
	bitPos int
	eos    bool
}

func (br *losslessBits) init(data []byte) {
	*br = losslessBits{buf: data}
	n := min(len(data), 8)
	for i := 0; i < n; i++ {
		br.val |= uint64(data[i]) << (8 * i)
	}
	br.pos = n
}

func (br *losslessBits) prefetch() uint32 { return uint32(br.val >> (uint(br.bitPos) & 63)) }

func (br *losslessBits) isEndOfStream() bool {
	return br.eos || (br.pos == len(br.buf) && br.bitPos > 64)
}

func (br *losslessBits) setEndOfStream() {
	br.eos = true
	br.bitPos = 0
}

func (br *losslessBits) shiftBytes() {
	for br.bitPos >= 8 && br.pos < len(br.buf) {
		br.val >>= 8
		br.val |= uint64(br.buf[br.pos]) << 56
		br.pos++
		br.bitPos -= 8
	}
	if br.isEndOfStream() {
		br.setEndOfStream()
	}
}

func (br *losslessBits) fill() {
	if br.bitPos < 32 {
		return
	}
	if br.pos+8 < len(br.buf) {
		br.val >>= 32
		br.bitPos -= 32
		br.val |= uint64(binary.LittleEndian.Uint32(br.buf[br.pos:])) << 32
		br.pos += 4
		return
	}
	br.shiftBytes()
}

func (br *losslessBits) readBits(n int) uint32 {
	if !br.eos && n <= 24 {
		v := br.prefetch() & (1<<n - 1)
		br.bitPos += n
		br.shiftBytes()
		return v
	}
	br.setEndOfStream()
	return 0
}
