package png

import (
	"errors"
	"hash"
	"hash/adler32"
)

// inflater decodes the zlib stream of the IDAT chunks the way zlib 1.2's inflate() does as
// libpng drives it, because where an error is met decides whether libpng calls it fatal or
// only warns:
//   - it works in the same atomic steps as zlib's state machine (a block header, one
//     symbol with its extra bits, the checksum), consuming input byte by byte as zlib does;
//   - after the last row it goes on, as zlib's last inflate call does, with the input
//     piece libpng had handed it, through the zero-output steps and one more symbol
//     (settle); the rest is read in libpng's "checking" mode (drain), where damage is a
//     warning;
//   - like zlib started with windowBits 0 (as libpng 1.6 does), it takes the window size
//     from the stream header, and a distance reaching before the output of the current
//     inflate call plus the window is "invalid distance too far back".
type inflater struct {
	r *idatReader

	hold  uint64
	nbits uint

	mode infMode
	last bool // the current block is the final one

	// dynamic block header
	nlen, ndist, ncode, have int
	lens                     [320]uint8
	codeTab, dynLit, dynDist huffTable
	litTab, distTab          *huffTable // the fixed or the dynamic tables

	storedLeft int // bytes left in a stored block
	length     int // pending literal value (modeLit) or match length
	dist       int
	extra      uint

	// output: a 64 KiB ring holding the last output, for matches and for handing bytes out
	ring    [1 << 16]byte
	wpos    int // total bytes written (position in the ring, modulo its size)
	wsize   int // window size from the zlib header
	callOut int // bytes output in the current inflate call
	whave   int // zlib's window fill at the start of the current call
	pieces  int // idatReader pieces seen, to notice a new inflate call
	adler   hash.Hash32
	adlerAt int // bytes already added to adler
}

type infMode int

const (
	modeHead infMode = iota
	modeType
	modeStored
	modeCopy
	modeTable
	modeLenLens
	modeCodeLens
	modeLen
	modeLit
	modeLenExt
	modeDist
	modeDistExt
	modeMatch
	modeCheck
	modeDone
)

// errNeedInput means the step could not complete with the input allowed.
var errNeedInput = errors.New("need input")

// zlibError is damage in the zlib stream, with zlib's own message.
type zlibError string

func (e zlibError) Error() string { return string(e) }

func newInflater(r *idatReader) *inflater {
	return &inflater{r: r, adler: adler32.New(), pieces: r.pieces}
}

// pull adds a byte of input to the bit buffer. With allowLoad false it only takes bytes
// from the piece libpng would already have handed zlib.
func (z *inflater) pull(allowLoad bool) error {
	if z.r.pos >= len(z.r.buf) {
		if !allowLoad {
			return errNeedInput
		}
		if err := z.r.fill(); err != nil {
			return err
		}
	}
	if z.r.pieces != z.pieces {
		// A new piece of input means libpng called inflate again.
		z.pieces = z.r.pieces
		z.newCall()
	}
	z.hold |= uint64(z.r.buf[z.r.pos]) << z.nbits
	z.r.pos++
	z.nbits += 8
	return nil
}

// newCall starts a new inflate call for the window check.
func (z *inflater) newCall() {
	z.whave = min(z.wpos, z.wsize)
	z.callOut = 0
}

func (z *inflater) need(n uint, allowLoad bool) error {
	for z.nbits < n {
		if err := z.pull(allowLoad); err != nil {
			return err
		}
	}
	return nil
}

func (z *inflater) bits(n uint) int { return int(z.hold & (1<<n - 1)) }

func (z *inflater) drop(n uint) {
	z.hold >>= n
	z.nbits -= n
}

// decode reads one Huffman symbol, pulling bytes only until the code is complete.
func (z *inflater) decode(t *huffTable, allowLoad bool) (huffEntry, error) {
	for {
		e := t.table[z.hold&uint64(len(t.table)-1)]
		if uint(e.len) <= z.nbits {
			return e, nil
		}
		if err := z.pull(allowLoad); err != nil {
			return e, err
		}
	}
}

// out appends one byte of output.
func (z *inflater) out(b byte) {
	z.ring[z.wpos&(len(z.ring)-1)] = b
	z.wpos++
	z.callOut++
}

// step runs one atomic step of zlib's state machine. space is how many output bytes the
// caller can take (at most 32 KiB); a step that needs output space and has none returns
// progress false and no error, one that needs input it may not load returns errNeedInput.
func (z *inflater) step(space int, allowLoad bool) (progress bool, err error) {
	switch z.mode {
	case modeHead:
		if err := z.need(16, allowLoad); err != nil {
			return false, err
		}
		cmf, flg := z.bits(8), (z.hold>>8)&0xff
		if cmf>>4 > 7 {
			return false, zlibError("invalid window size (libpng)")
		}
		if (cmf<<8+int(flg))%31 != 0 {
			return false, zlibError("incorrect header check")
		}
		if cmf&0x0f != 8 {
			return false, zlibError("unknown compression method")
		}
		if flg&0x20 != 0 {
			return false, zlibError("missing LZ dictionary")
		}
		z.wsize = 1 << (cmf>>4 + 8)
		z.drop(16)
		z.newCall()
		z.mode = modeType
	case modeType:
		if z.last { // the final block is over: the checksum follows
			z.mode = modeCheck
			break
		}
		if err := z.need(3, allowLoad); err != nil {
			return false, err
		}
		z.last = z.bits(1) == 1
		typ := z.bits(3) >> 1
		z.drop(3)
		switch typ {
		case 0:
			z.mode = modeStored
		case 1:
			z.litTab, z.distTab = &fixedLit, &fixedDist
			z.mode = modeLen
		case 2:
			z.mode = modeTable
		default:
			return false, zlibError("invalid block type")
		}
	case modeStored:
		z.drop(z.nbits % 8)
		if err := z.need(32, allowLoad); err != nil {
			return false, err
		}
		n, nc := z.bits(16), (z.hold>>16)&0xffff
		if n != int(^nc&0xffff) {
			return false, zlibError("invalid stored block lengths")
		}
		z.drop(32)
		z.storedLeft = n
		z.mode = modeCopy
	case modeCopy:
		if z.storedLeft == 0 {
			z.mode = modeType
			break
		}
		if space == 0 {
			return false, nil
		}
		// zlib copies what input and output allow; bytes already in the bit buffer
		// (whole bytes, after the header) come first.
		for z.nbits >= 8 && z.storedLeft > 0 && space > 0 {
			z.out(byte(z.hold))
			z.drop(8)
			z.storedLeft--
			space--
		}
		for z.storedLeft > 0 && space > 0 {
			if err := z.pull(allowLoad); err != nil {
				return false, err
			}
			z.out(byte(z.hold))
			z.drop(8)
			z.storedLeft--
			space--
		}
	case modeTable:
		if err := z.need(14, allowLoad); err != nil {
			return false, err
		}
		z.nlen = z.bits(5) + 257
		z.ndist = (z.bits(10) >> 5) + 1
		z.ncode = (z.bits(14) >> 10) + 4
		z.drop(14)
		if z.nlen > 286 || z.ndist > 30 {
			return false, zlibError("too many length or distance symbols")
		}
		z.have = 0
		z.mode = modeLenLens
	case modeLenLens:
		for z.have < z.ncode {
			if err := z.need(3, allowLoad); err != nil {
				return z.have > 0, err
			}
			z.lens[codeOrder[z.have]] = uint8(z.bits(3))
			z.drop(3)
			z.have++
		}
		for ; z.have < 19; z.have++ {
			z.lens[codeOrder[z.have]] = 0
		}
		if !z.codeTab.build(z.lens[:19], tableCodes) {
			return false, zlibError("invalid code lengths set")
		}
		z.have = 0
		z.mode = modeCodeLens
	case modeCodeLens:
		for z.have < z.nlen+z.ndist {
			e, err := z.decode(&z.codeTab, allowLoad)
			if err != nil {
				return true, err
			}
			if e.sym < 16 {
				z.drop(uint(e.len))
				z.lens[z.have] = uint8(e.sym)
				z.have++
				continue
			}
			var rep int
			var val uint8
			switch e.sym {
			case 16:
				if err := z.need(uint(e.len)+2, allowLoad); err != nil {
					return true, err
				}
				z.drop(uint(e.len))
				if z.have == 0 {
					return false, zlibError("invalid bit length repeat")
				}
				val = z.lens[z.have-1]
				rep = 3 + z.bits(2)
				z.drop(2)
			case 17:
				if err := z.need(uint(e.len)+3, allowLoad); err != nil {
					return true, err
				}
				z.drop(uint(e.len))
				rep = 3 + z.bits(3)
				z.drop(3)
			default:
				if err := z.need(uint(e.len)+7, allowLoad); err != nil {
					return true, err
				}
				z.drop(uint(e.len))
				rep = 11 + z.bits(7)
				z.drop(7)
			}
			if z.have+rep > z.nlen+z.ndist {
				return false, zlibError("invalid bit length repeat")
			}
			for ; rep > 0; rep-- {
				z.lens[z.have] = val
				z.have++
			}
		}
		if z.lens[256] == 0 {
			return false, zlibError("invalid code -- missing end-of-block")
		}
		if !z.dynLit.build(z.lens[:z.nlen], tableLens) {
			return false, zlibError("invalid literal/lengths set")
		}
		if !z.dynDist.build(z.lens[z.nlen:z.nlen+z.ndist], tableDists) {
			return false, zlibError("invalid distances set")
		}
		z.litTab, z.distTab = &z.dynLit, &z.dynDist
		z.mode = modeLen
	case modeLen:
		if space >= 258 && len(z.r.buf)-z.r.pos >= 16 {
			return true, z.fast(space)
		}
		e, err := z.decode(z.litTab, allowLoad)
		if err != nil {
			return false, err
		}
		z.drop(uint(e.len))
		switch {
		case e.sym < 256:
			z.length = int(e.sym)
			z.mode = modeLit
		case e.sym == 256:
			z.mode = modeType
		case e.sym < 286:
			z.length = int(lengthBase[e.sym-257])
			z.extra = uint(lengthExtra[e.sym-257])
			z.mode = modeLenExt
		default:
			return false, zlibError("invalid literal/length code")
		}
	case modeLit:
		if space == 0 {
			return false, nil
		}
		z.out(byte(z.length))
		z.mode = modeLen
	case modeLenExt:
		if err := z.need(z.extra, allowLoad); err != nil {
			return false, err
		}
		z.length += z.bits(z.extra)
		z.drop(z.extra)
		z.mode = modeDist
	case modeDist:
		e, err := z.decode(z.distTab, allowLoad)
		if err != nil {
			return false, err
		}
		z.drop(uint(e.len))
		if e.sym >= 30 {
			return false, zlibError("invalid distance code")
		}
		z.dist = int(distBase[e.sym])
		z.extra = uint(distExtra[e.sym])
		z.mode = modeDistExt
	case modeDistExt:
		if err := z.need(z.extra, allowLoad); err != nil {
			return false, err
		}
		z.dist += z.bits(z.extra)
		z.drop(z.extra)
		z.mode = modeMatch
	case modeMatch:
		if space == 0 {
			return false, nil
		}
		if z.dist > z.callOut+z.whave {
			return false, zlibError("invalid distance too far back")
		}
		n := min(z.length, space)
		z.copyMatch(z.dist, n)
		z.callOut += n
		z.length -= n
		if z.length == 0 {
			z.mode = modeLen
		}
	case modeCheck:
		if err := z.need(z.nbits%8+32, allowLoad); err != nil {
			return false, err
		}
		z.drop(z.nbits % 8)
		want := uint32(z.hold&0xff)<<24 | uint32(z.hold>>8&0xff)<<16 | uint32(z.hold>>16&0xff)<<8 | uint32(z.hold>>24&0xff)
		z.drop(32)
		z.mode = modeDone
		if z.sum() != want {
			return false, zlibError("incorrect data check")
		}
	case modeDone:
		return false, nil
	}
	return true, nil
}
