package jpeg

// Arithmetic decoding (jdarith.c), sequential and progressive.

// arithTab is jaricom.c's jpeg_aritab: Qe << 16 | Next_Index_MPS << 8 | Switch_MPS << 7 |
// Next_Index_LPS.
var arithTab = [114]int64{
	0x5a1d0181, 0x2586020e, 0x11140310, 0x80b0412, 0x3d80514, 0x1da0617,
	0xe50719, 0x6f081c, 0x36091e, 0x1a0a21, 0x0d0b23, 0x060c09,
	0x030d0a, 0x010d0c, 0x5a7f0f8f, 0x3f251024, 0x2cf21126, 0x207c1227,
	0x17b91328, 0x1182142a, 0xcef152b, 0x9a1162d, 0x72f172e, 0x55c1830,
	0x4061931, 0x3031a33, 0x2401b34, 0x1b11c36, 0x1441d38, 0xf51e39,
	0xb71f3b, 0x8a203c, 0x68213e, 0x4e223f, 0x3b2320, 0x2c0921,
	0x5ae125a5, 0x484c2640, 0x3a0d2741, 0x2ef12843, 0x261f2944, 0x1f332a45,
	0x19a82b46, 0x15182c48, 0x11772d49, 0xe742e4a, 0xbfb2f4b, 0x9f8304d,
	0x861314e, 0x706324f, 0x5cd3330, 0x4de3432, 0x40f3532, 0x3633633,
	0x2d43734, 0x25c3835, 0x1f83936, 0x1a43a37, 0x1603b38, 0x1253c39,
	0xf63d3a, 0xcb3e3b, 0xab3f3d, 0x8f203d, 0x5b1241c1, 0x4d044250,
	0x412c4351, 0x37d84452, 0x2fe84553, 0x293c4654, 0x23794756, 0x1edf4857,
	0x1aa94957, 0x174e4a48, 0x14244b48, 0x119c4c4a, 0xf6b4d4a, 0xd514e4b,
	0xbb64f4d, 0xa40304d, 0x583251d0, 0x4d1c5258, 0x438e5359, 0x3bdd545a,
	0x34ee555b, 0x2eae565c, 0x299a575d, 0x25164756, 0x557059d8, 0x4ca95a5f,
	0x44d95b60, 0x3e225c61, 0x38245d63, 0x32b45e63, 0x2e17565d, 0x56a860df,
	0x4f466165, 0x47e56266, 0x41cf6367, 0x3c3d6468, 0x375e5d63, 0x52316669,
	0x4c0f676a, 0x4639686b, 0x415e6367, 0x56276ae9, 0x50e76b6c, 0x4b85676d,
	0x55976d6e, 0x504f6b6f, 0x5a106fee, 0x55226d70, 0x59eb6ff0, 0x5a1d7171,
}

const (
	dcStatBins = 64
	acStatBins = 256
)

type arithDecoder struct {
	c, a      int64
	ct        int
	dcContext [4]int
	dcStats   [16]*[dcStatBins]uint8
	acStats   [16]*[acStatBins]uint8
	fixedBin  [4]uint8
	lastDC    [4]int
}

// arithDecodeBit is arith_decode.
func (d *decoder) arithDecodeBit(st *uint8) int {
	e := &d.arithState
	for e.a < 0x8000 { // arithRenorm, inline: a call here costs arithmetic decoding 12%
		e.ct--
		if e.ct < 0 {
			d.arithFetch()
		}
		e.a <<= 1
	}
	sv := int(*st)
	qe := arithTab[sv&0x7F]
	nl := uint8(qe & 0xFF)
	qe >>= 8
	nm := uint8(qe & 0xFF)
	qe >>= 8
	temp := e.a - qe
	e.a = temp
	temp <<= uint(e.ct)
	if e.c >= temp {
		e.c -= temp
		if e.a < qe {
			e.a = qe
			*st = uint8(sv&0x80) ^ nm
		} else {
			e.a = qe
			*st = uint8(sv&0x80) ^ nl
			sv ^= 0x80
		}
	} else if e.a < 0x8000 {
		if e.a < qe {
			*st = uint8(sv&0x80) ^ nl
			sv ^= 0x80
		} else {
			*st = uint8(sv&0x80) ^ nm
		}
	}
	return sv >> 7
}

// arithRenorm is arith_decode's renormalization (section D.2.6), which starts every
// decision made while A is below 0x8000.
func (d *decoder) arithRenorm() {
	e := &d.arithState
	for e.a < 0x8000 {
		e.ct--
		if e.ct < 0 {
			d.arithFetch()
		}
		e.a <<= 1
	}
}

// arithFetch is arith_decode's data input: the next byte into C; once a marker has been
// met, the data is zeros.
func (d *decoder) arithFetch() {
	e := &d.arithState
	var data int64
	if d.unreadMarker == 0 {
		c := d.src.readByte()
		if c == 0xFF {
			for c == 0xFF {
				c = d.src.readByte()
			}
			if c == 0 {
				data = 0xFF
			} else {
				d.unreadMarker = int(c)
				data = 0
			}
		} else {
			data = int64(c)
		}
	}
	e.c = e.c<<8 | data
	e.ct += 8
	if e.ct < 0 {
		e.ct++
		if e.ct == 0 {
			e.a = 0x8000
		}
	}
}

// startPassArith is jdarith.c start_pass.
func (d *decoder) startPassArith() {
	e := &d.arithState
	sc := &d.scan
	e.fixedBin[0] = 113
	if d.progressive {
		d.validateProgression()
	} else if sc.ss != 0 || sc.se != 63 || sc.ah != 0 || sc.al != 0 {
		d.warn("Invalid SOS parameters for sequential JPEG")
	}
	for ci, c := range sc.comps {
		if !d.progressive || (sc.ss == 0 && sc.ah == 0) {
			tbl := c.td
			if tbl < 0 || tbl >= 16 {
				d.fail("Arithmetic table 0x%02x was not defined", tbl)
			}
			if e.dcStats[tbl] == nil {
				e.dcStats[tbl] = new([dcStatBins]uint8)
			}
			*e.dcStats[tbl] = [dcStatBins]uint8{}
			e.lastDC[ci] = 0
			e.dcContext[ci] = 0
		}
		if !d.progressive || sc.ss != 0 {
			tbl := c.ta
			if tbl < 0 || tbl >= 16 {
				d.fail("Arithmetic table 0x%02x was not defined", tbl)
			}
			if e.acStats[tbl] == nil {
				e.acStats[tbl] = new([acStatBins]uint8)
			}
			*e.acStats[tbl] = [acStatBins]uint8{}
		}
	}
	e.c, e.a, e.ct = 0, 0, -16
	d.insufficient = false
	d.restartsToGo = d.restartInterval
}

// arithRestart is jdarith.c process_restart (after the marker has been read).
func (d *decoder) arithRestartMarker() {
	d.readRestartMarker()
	e := &d.arithState
	sc := &d.scan
	for ci, c := range sc.comps {
		if !d.progressive || (sc.ss == 0 && sc.ah == 0) {
			*e.dcStats[c.td] = [dcStatBins]uint8{}
			e.lastDC[ci] = 0
			e.dcContext[ci] = 0
		}
		if !d.progressive || sc.ss != 0 {
			*e.acStats[c.ta] = [acStatBins]uint8{}
		}
	}
	e.c, e.a, e.ct = 0, 0, -16
	d.restartsToGo = d.restartInterval
}

func (d *decoder) arithCheckRestart() {
	if d.restartInterval != 0 {
		if d.restartsToGo == 0 {
			d.arithRestartMarker()
		}
		d.restartsToGo--
	}
}

func (d *decoder) arithBadCode() {
	d.warn("Corrupt JPEG data: bad arithmetic code")
	d.arithState.ct = -1
}

// arithDecodeDC decodes one DC difference into e.lastDC[ci]; false on a bad code.
func (d *decoder) arithDecodeDC(ci, tbl int) bool {
	e := &d.arithState
	stats := e.dcStats[tbl]
	st := e.dcContext[ci]
	if d.arithDecodeBit(&stats[st]) == 0 {
		e.dcContext[ci] = 0
		return true
	}
	sign := d.arithDecodeBit(&stats[st+1])
	st += 2 + sign
	m := d.arithDecodeBit(&stats[st])
	if m != 0 {
		st = 20
		for d.arithDecodeBit(&stats[st]) != 0 {
			m <<= 1
			if m == 0x8000 {
				d.arithBadCode()
				return false
			}
			st++
		}
	}
	if m < (1<<d.arithDCL[tbl])>>1 {
		e.dcContext[ci] = 0
	} else if m > (1<<d.arithDCU[tbl])>>1 {
		e.dcContext[ci] = 12 + sign*4
	} else {
		e.dcContext[ci] = 4 + sign*4
	}
	v := m
	st += 14
	for m >>= 1; m != 0; m >>= 1 {
		if d.arithDecodeBit(&stats[st]) != 0 {
			v |= m
		}
	}
	v++
	if sign != 0 {
		v = -v
	}
	e.lastDC[ci] = (e.lastDC[ci] + v) & 0xffff
	return true
}

// arithDecodeACMagnitude decodes sign and magnitude of a nonzero AC coefficient at k whose
// statistics start at st; false on a bad code.
func (d *decoder) arithDecodeAC(stats *[acStatBins]uint8, st, k, tbl int) (int, bool) {
	e := &d.arithState
	sign := d.arithDecodeBit(&e.fixedBin[0])
	st += 2
	m := d.arithDecodeBit(&stats[st])
	if m != 0 {
		if d.arithDecodeBit(&stats[st]) != 0 {
			m <<= 1
			if k <= int(d.arithACK[tbl]) {
				st = 189
			} else {
				st = 217
			}
			for d.arithDecodeBit(&stats[st]) != 0 {
				m <<= 1
				if m == 0x8000 {
					d.arithBadCode()
					return 0, false
				}
				st++
			}
		}
	}
	v := m
	st += 14
	for m >>= 1; m != 0; m >>= 1 {
		if d.arithDecodeBit(&stats[st]) != 0 {
			v |= m
		}
	}
	v++
	if sign != 0 {
		v = -v
	}
	return v, true
}

// decodeMCUArithSeq decodes one sequential MCU into d.mcuBuf (jdarith.c decode_mcu).
func (d *decoder) decodeMCUArithSeq() {
	for b := 0; b < d.blocksInMCU; b++ {
		d.mcuBuf[b] = [64]int16{}
	}
	var blocks [10]*[64]int16
	for b := 0; b < d.blocksInMCU; b++ {
		blocks[b] = &d.mcuBuf[b]
	}
	d.decodeArithSeq(blocks[:d.blocksInMCU])
}

func (d *decoder) decodeArithSeq(blocks []*[64]int16) {
	d.arithCheckRestart()
	e := &d.arithState
	if e.ct == -1 {
		return
	}
	sc := &d.scan
	for b, blk := range blocks {
		ci := d.mcuMembership[b]
		c := sc.comps[ci]
		if !d.arithDecodeDC(ci, c.td) {
			return
		}
		blk[0] = int16(e.lastDC[ci])
		tbl := c.ta
		stats := e.acStats[tbl]
		for k := 1; k <= 63; k++ {
			st := 3 * (k - 1)
			if d.arithDecodeBit(&stats[st]) != 0 {
				break
			}
			for d.arithDecodeBit(&stats[st+1]) == 0 {
				st += 3
				k++
				if k > 63 {
					d.arithBadCode()
					return
				}
			}
			v, ok := d.arithDecodeAC(stats, st, k, tbl)
			if !ok {
				return
			}
			blk[naturalOrder[k]] = int16(v)
		}
	}
}

// decodeMCUArith decodes one MCU of a multi-scan arithmetic image into blocks.
func (d *decoder) decodeMCUArith(blocks []*[64]int16) {
	sc := &d.scan
	if !d.progressive {
		d.decodeArithSeq(blocks)
		return
	}
	e := &d.arithState
	switch {
	case sc.ss == 0 && sc.ah == 0:
		d.arithCheckRestart()
		if e.ct == -1 {
			return
		}
		for b, blk := range blocks {
			ci := d.mcuMembership[b]
			if !d.arithDecodeDC(ci, sc.comps[ci].td) {
				return
			}
			blk[0] = int16(uint32(e.lastDC[ci]) << uint(sc.al))
		}
	case sc.ss == 0:
		d.arithCheckRestart()
		p1 := int16(1) << uint(sc.al)
		for _, blk := range blocks {
			if d.arithDecodeBit(&e.fixedBin[0]) != 0 {
				blk[0] |= p1
			}
		}
	case sc.ah == 0:
		d.arithCheckRestart()
		if e.ct == -1 {
			return
		}
		blk := blocks[0]
		tbl := sc.comps[0].ta
		stats := e.acStats[tbl]
		for k := sc.ss; k <= sc.se; k++ {
			st := 3 * (k - 1)
			if d.arithDecodeBit(&stats[st]) != 0 {
				break
			}
			for d.arithDecodeBit(&stats[st+1]) == 0 {
				st += 3
				k++
				if k > sc.se {
					d.arithBadCode()
					return
				}
			}
			v, ok := d.arithDecodeAC(stats, st, k, tbl)
			if !ok {
				return
			}
			blk[naturalOrder[k]] = int16(uint32(v) << uint(sc.al))
			d.arithACWritten = true
		}
	default:
		d.arithCheckRestart()
		if e.ct == -1 {
			return
		}
		blk := blocks[0]
		stats := e.acStats[sc.comps[0].ta]
		p1 := int16(1) << uint(sc.al)
		m1 := int16(-1) << uint(sc.al)
		kex := sc.se
		for ; kex > 0; kex-- {
			if blk[naturalOrder[kex]] != 0 {
				break
			}
		}
		for k := sc.ss; k <= sc.se; k++ {
			st := 3 * (k - 1)
			if k > kex {
				if d.arithDecodeBit(&stats[st]) != 0 {
					break
				}
			}
			for {
				z := naturalOrder[k]
				if blk[z] != 0 {
					if d.arithDecodeBit(&stats[st+2]) != 0 {
						if blk[z] < 0 {
							blk[z] += m1
						} else {
							blk[z] += p1
						}
					}
					break
				}
				if d.arithDecodeBit(&stats[st+1]) != 0 {
					if d.arithDecodeBit(&e.fixedBin[0]) != 0 {
						blk[z] = m1
					} else {
						blk[z] = p1
					}
					d.arithACWritten = true
					break
				}
				st += 3
				k++
				if k > sc.se {
					d.arithBadCode()
					return
				}
			}
		}
	}
}
