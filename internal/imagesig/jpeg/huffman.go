package jpeg

// huffTable is a DHT table as transmitted.
type huffTable struct {
	bits [17]uint8
	vals [256]uint8
}

// lookBits is the lookahead of the decoding table; codes up to this long decode in one step.
const lookBits = 9

// huffDecoder is libjpeg's d_derived_tbl with a 9-bit lookahead instead of 8 (same results).
type huffDecoder struct {
	lookup [1 << lookBits]uint16 // code length << 8 | symbol; 0 = longer code
	// acFast, for AC tables: when a code and its value bits fit in the lookahead, the
	// decoded value << 16 | run << 8 | total bits; 0 otherwise.
	acFast    [1 << lookBits]int32
	maxcode   [18]int32
	valoffset [18]int32
	vals      [256]uint8
}

func stdTable(bits [17]uint8, vals []uint8) *huffTable {
	t := &huffTable{bits: bits}
	copy(t.vals[:], vals)
	return t
}

// setStdHuffTables fills undefined tables 0 and 1 with the standard ones (std_huff_tables).
func (d *decoder) setStdHuffTables() {
	if d.dcTables[0] == nil {
		d.dcTables[0] = stdTable(stdDcLuminanceBits, stdDcLuminanceVals)
	}
	if d.acTables[0] == nil {
		d.acTables[0] = stdTable(stdAcLuminanceBits, stdAcLuminanceVals)
	}
	if d.dcTables[1] == nil {
		d.dcTables[1] = stdTable(stdDcChrominanceBits, stdDcChrominanceVals)
	}
	if d.acTables[1] == nil {
		d.acTables[1] = stdTable(stdAcChrominanceBits, stdAcChrominanceVals)
	}
}

// makeHuffDecoder is jpeg_make_d_derived_tbl, with its validation.
func (d *decoder) makeHuffDecoder(isDC bool, tblno int, dst *huffDecoder) {
	if tblno < 0 || tblno >= 4 {
		d.fail("Huffman table 0x%02x was not defined", tblno)
	}
	var t *huffTable
	if isDC {
		t = d.dcTables[tblno]
	} else {
		t = d.acTables[tblno]
	}
	if t == nil {
		d.fail("Huffman table 0x%02x was not defined", tblno)
	}
	var huffsize [257]uint8
	var huffcode [257]uint32
	p := 0
	for l := 1; l <= 16; l++ {
		n := int(t.bits[l])
		if p+n > 256 {
			d.fail("Bogus Huffman table definition")
		}
		for ; n > 0; n-- {
			huffsize[p] = uint8(l)
			p++
		}
	}
	huffsize[p] = 0
	numsymbols := p
	code := uint32(0)
	si := int(huffsize[0])
	p = 0
	for huffsize[p] != 0 {
		for int(huffsize[p]) == si {
			huffcode[p] = code
			p++
			code++
		}
		if int64(code) >= int64(1)<<si {
			d.fail("Bogus Huffman table definition")
		}
		code <<= 1
		si++
	}
	p = 0
	for l := 1; l <= 16; l++ {
		if t.bits[l] != 0 {
			dst.valoffset[l] = int32(p) - int32(huffcode[p])
			p += int(t.bits[l])
			dst.maxcode[l] = int32(huffcode[p-1])
		} else {
			dst.maxcode[l] = -1
		}
	}
	dst.valoffset[17] = 0
	dst.maxcode[17] = 0xFFFFF
	dst.vals = t.vals
	for i := range dst.lookup {
		dst.lookup[i] = 0
	}
	p = 0
	for l := 1; l <= lookBits; l++ {
		for i := 1; i <= int(t.bits[l]); i, p = i+1, p+1 {
			look := int(huffcode[p]) << (lookBits - l)
			for ctr := 1 << (lookBits - l); ctr > 0; ctr-- {
				dst.lookup[look] = uint16(l)<<8 | uint16(t.vals[p])
				look++
			}
		}
	}
	for look := range dst.acFast {
		dst.acFast[look] = 0
		e := dst.lookup[look]
		if isDC || e == 0 {
			continue
		}
		l := int(e >> 8)
		rs := int(e & 0xFF)
		r, sz := rs>>4, rs&15
		if sz == 0 || l+sz > lookBits {
			continue
		}
		bits := (look >> uint(lookBits-l-sz)) & (1<<uint(sz) - 1)
		v := extend(bits, sz)
		dst.acFast[look] = int32(v)<<16 | int32(r)<<8 | int32(l+sz)
	}
	if isDC {
		for i := 0; i < numsymbols; i++ {
			if t.vals[i] > 15 {
				d.fail("Bogus Huffman table definition")
			}
		}
	}
}

// bitReader state lives in the decoder (fields br*): a 64-bit buffer holding brN valid bits at
// its bottom. When the entropy-coded segment ends at a marker, zero bits are appended (brPad
// counts them), exactly as libjpeg's jpeg_fill_bit_buffer does; consuming any of them sets
// insufficient_data at the end of the MCU.

// fillBits loads bytes until at least 57 bits are buffered or a marker ends the segment.
func (d *decoder) fillBits() {
	s := d.src
	for d.brN <= 56 {
		if d.unreadMarker != 0 {
			d.padBits()
			return
		}
		if s.pos+1 < s.end {
			c := s.buf[s.pos]
			if c != 0xFF {
				s.pos++
				d.brAcc = d.brAcc<<8 | uint64(c)
				d.brN += 8
				continue
			}
			if s.buf[s.pos+1] == 0 {
				s.pos += 2
				d.brAcc = d.brAcc<<8 | 0xFF
				d.brN += 8
				continue
			}
		}
		c := s.readByte()
		if c == 0xFF {
			for c == 0xFF {
				c = s.readByte()
			}
			if c == 0 {
				c = 0xFF
			} else {
				d.unreadMarker = int(c)
				d.padBits()
				return
			}
		}
		d.brAcc = d.brAcc<<8 | uint64(c)
		d.brN += 8
	}
}

// padBits appends zero bits up to a full buffer after the segment's last real bit.
func (d *decoder) padBits() {
	real := d.brN - d.brPad
	if real < 0 {
		d.brFake = true
		real = 0
	}
	k := 64 - d.brN
	if k <= 0 {
		return
	}
	d.brAcc <<= uint(k)
	d.brN = 64
	d.brPad = 64 - real
}

// resetBits discards the bit buffer (start of scan, restart marker).
func (d *decoder) resetBits() {
	d.discardedBytes += d.brN / 8
	d.brAcc, d.brN, d.brPad, d.brFake = 0, 0, 0, false
}

// checkInsufficient is called after each MCU: if fake bits were consumed, the data segment
// ended early; warn once and leave the remaining MCUs of the segment zero.
func (d *decoder) checkInsufficient() {
	if d.brFake || d.brN < d.brPad {
		if !d.insufficient {
			d.warn("Corrupt JPEG data: premature end of data segment")
			d.insufficient = true
		}
	}
}

func (d *decoder) getBits(n int) int {
	if d.brN < n {
		d.fillBits()
	}
	d.brN -= n
	return int(d.brAcc>>uint(d.brN)) & (1<<uint(n) - 1)
}

func (d *decoder) getBit() int {
	if d.brN < 1 {
		d.fillBits()
	}
	d.brN--
	return int(d.brAcc>>uint(d.brN)) & 1
}

// decodeHuff decodes one Huffman symbol. The caller guarantees nothing: we fill as needed.
func (d *decoder) decodeHuff(h *huffDecoder) int {
	if d.brN < 17 {
		d.fillBits()
	}
	look := (d.brAcc >> uint(d.brN-lookBits)) & (1<<lookBits - 1)
	if e := h.lookup[look]; e != 0 {
		d.brN -= int(e >> 8)
		return int(e & 0xFF)
	}
	return d.decodeHuffSlow(h)
}

// decodeHuffSlow is jpeg_huff_decode for codes longer than the lookahead; needs brN >= 17.
func (d *decoder) decodeHuffSlow(h *huffDecoder) int {
	l := lookBits + 1
	code := int32((d.brAcc >> uint(d.brN-l)) & (1<<uint(l) - 1))
	for code > h.maxcode[l] {
		l++
		code = int32((d.brAcc >> uint(d.brN-l)) & (1<<uint(l) - 1))
	}
	d.brN -= l
	if l > 16 {
		d.warn("Corrupt JPEG data: bad Huffman code")
		return 0
	}
	return int(h.vals[(code+h.valoffset[l])&0xFF])
}

// extend is HUFF_EXTEND: sign-extend an s-bit magnitude category value.
func extend(r, s int) int {
	if s == 0 {
		return 0
	}
	if r < 1<<uint(s-1) {
		return r + (-1 << uint(s)) + 1
	}
	return r
}

// decodeBlockSeq decodes one block of a sequential Huffman scan (decode_mcu_slow per block).
// The bit buffer lives in locals for speed; acFast decodes short (run, value) pairs at once.
func (d *decoder) decodeBlockSeq(blk *[64]int16, dc, ac *huffDecoder, lastDC *int32) {
	s := d.decodeHuff(dc)
	if s != 0 {
		s = extend(d.getBits(s), s)
	}
	v := *lastDC + int32(s)
	*lastDC = v
	blk[0] = int16(v)
	acc, n := d.brAcc, d.brN
	for k := 1; k < 64; k++ {
		if n < 32 {
			d.brAcc, d.brN = acc, n
			d.fillBits()
			acc, n = d.brAcc, d.brN
		}
		look := (acc >> uint(n-lookBits)) & (1<<lookBits - 1)
		if f := ac.acFast[look]; f != 0 {
			k += int(f>>8) & 0xFF
			n -= int(f & 0xFF)
			blk[naturalOrder[k]&63] = int16(f >> 16)
			continue
		}
		var rs int
		if e := ac.lookup[look]; e != 0 {
			n -= int(e >> 8)
			rs = int(e & 0xFF)
		} else {
			d.brAcc, d.brN = acc, n
			rs = d.decodeHuffSlow(ac)
			acc, n = d.brAcc, d.brN
		}
		r := rs >> 4
		s := rs & 15
		if s != 0 {
			k += r
			n -= s
			v := int32(acc>>uint(n)) & (1<<uint(s) - 1)
			v += ((v - 1<<uint(s-1)) >> 31) & ((-1 << uint(s)) + 1)
			blk[naturalOrder[k]&63] = int16(v)
		} else {
			if r != 15 {
				break
			}
			k += 15
		}
	}
	d.brAcc, d.brN = acc, n
}

// startPassHuff is jdhuff.c start_pass_huff_decoder.
func (d *decoder) startPassHuff() {
	sc := &d.scan
	if sc.ss != 0 || sc.se != 63 || sc.ah != 0 || sc.al != 0 {
		d.warn("Invalid SOS parameters for sequential JPEG")
	}
	for ci, c := range sc.comps {
		d.makeHuffDecoder(true, c.td, &d.dcDec[ci])
		d.makeHuffDecoder(false, c.ta, &d.acDec[ci])
		d.compDC[ci] = &d.dcDec[ci]
		d.compAC[ci] = &d.acDec[ci]
		d.lastDC[ci] = 0
	}
	d.resetBits()
	d.discardedBytes = 0
	d.insufficient = false
	d.restartsToGo = d.restartInterval
}

// decodeMCUSeq decodes one MCU of a sequential Huffman scan into d.mcuBuf (decode_mcu).
func (d *decoder) decodeMCUSeq() {
	if d.restartInterval != 0 && d.restartsToGo == 0 {
		d.processRestart()
	}
	for b := 0; b < d.blocksInMCU; b++ {
		d.mcuBuf[b] = [64]int16{}
	}
	if !d.insufficient {
		for b := 0; b < d.blocksInMCU; b++ {
			ci := d.mcuMembership[b]
			d.decodeBlockSeq(&d.mcuBuf[b], d.compDC[ci], d.compAC[ci], &d.lastDC[ci])
		}
		d.checkInsufficient()
	}
	if d.restartInterval != 0 {
		d.restartsToGo--
	}
}
