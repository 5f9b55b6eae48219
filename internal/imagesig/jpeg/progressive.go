package jpeg

import "math"

// Progressive Huffman decoding (jdphuff.c).

// startPassProgressive is start_pass_phuff_decoder: validate the scan, track coef_bits.
func (d *decoder) startPassProgressive() {
	d.validateProgression()
	sc := &d.scan
	isDC := sc.ss == 0
	for ci, c := range sc.comps {
		if isDC {
			if sc.ah == 0 {
				d.makeHuffDecoder(true, c.td, &d.dcDec[ci])
				d.compDC[ci] = &d.dcDec[ci]
			}
		} else {
			d.makeHuffDecoder(false, c.ta, &d.acDec[ci])
			d.compAC[ci] = &d.acDec[ci]
		}
		d.lastDC[ci] = 0
	}
	d.resetBits()
	d.discardedBytes = 0
	d.insufficient = false
	d.eobrun = 0
	d.restartsToGo = d.restartInterval
}

// validateProgression checks the scan parameters and updates coef_bits (shared by the
// Huffman and arithmetic progressive decoders).
func (d *decoder) validateProgression() {
	sc := &d.scan
	isDC := sc.ss == 0
	bad := false
	if isDC {
		if sc.se != 0 {
			bad = true
		}
	} else {
		if sc.ss > sc.se || sc.se >= 64 {
			bad = true
		}
		if sc.n != 1 {
			bad = true
		}
	}
	if sc.ah != 0 && sc.al != sc.ah-1 {
		bad = true
	}
	if sc.al > 13 {
		bad = true
	}
	if bad {
		d.fail("Invalid progressive parameters Ss=%d Se=%d Ah=%d Al=%d", sc.ss, sc.se, sc.ah, sc.al)
	}
	for _, c := range sc.comps {
		if !isDC && c.coefBits[0] < 0 {
			d.warn("Inconsistent progression sequence for component %d coefficient %d", c.index, 0)
		}
		lo, hi := sc.ss, sc.se
		if lo > 1 {
			lo = 1
		}
		if hi < 9 {
			hi = 9
		}
		for k := lo; k <= hi; k++ {
			if d.scanNumber > 1 {
				c.prevCoefBits[k] = c.coefBits[k]
			} else {
				c.prevCoefBits[k] = 0
			}
		}
		for k := sc.ss; k <= sc.se; k++ {
			expected := c.coefBits[k]
			if expected < 0 {
				expected = 0
			}
			if sc.ah != expected {
				d.warn("Inconsistent progression sequence for component %d coefficient %d", c.index, k)
			}
			c.coefBits[k] = sc.al
		}
	}
}

// decodeMCUProgressive dispatches on the scan type.
func (d *decoder) decodeMCUProgressive(blocks []*[64]int16) {
	if d.restartInterval != 0 && d.restartsToGo == 0 {
		d.processRestart()
	}
	sc := &d.scan
	switch {
	case sc.ss == 0 && sc.ah == 0:
		if !d.insufficient {
			d.decodeDCFirst(blocks)
			d.checkInsufficient()
		}
	case sc.ss == 0:
		// DC refinement ignores insufficient_data, as jdphuff.c does.
		p1 := int16(1) << uint(sc.al)
		for _, blk := range blocks {
			if d.getBit() != 0 {
				blk[0] |= p1
			}
		}
		d.checkInsufficient()
	case sc.ah == 0:
		if !d.insufficient {
			d.decodeACFirst(blocks[0])
			d.checkInsufficient()
		}
	default:
		if !d.insufficient {
			d.decodeACRefine(blocks[0])
			d.checkInsufficient()
		}
	}
	if d.restartInterval != 0 {
		d.restartsToGo--
	}
}

func (d *decoder) decodeDCFirst(blocks []*[64]int16) {
	al := uint(d.scan.al)
	for b, blk := range blocks {
		ci := d.mcuMembership[b]
		s := d.decodeHuff(d.compDC[ci])
		if s != 0 {
			s = extend(d.getBits(s), s)
		}
		last := d.lastDC[ci]
		if (last >= 0 && int64(s) > math.MaxInt32-int64(last)) || (last < 0 && int64(s) < math.MinInt32-int64(last)) {
			d.fail("DCT coefficient out of range")
		}
		v := last + int32(s)
		d.lastDC[ci] = v
		blk[0] = int16(uint32(v) << al)
	}
}

func (d *decoder) decodeACFirst(blk *[64]int16) {
	if d.eobrun > 0 {
		d.eobrun--
		return
	}
	sc := &d.scan
	al := uint(sc.al)
	ac := d.compAC[0]
	for k := sc.ss; k <= sc.se; k++ {
		rs := d.decodeHuff(ac)
		r := rs >> 4
		s := rs & 15
		if s != 0 {
			k += r
			v := extend(d.getBits(s), s)
			blk[naturalOrder[k]] = int16(uint32(v) << al)
		} else {
			if r == 15 {
				k += 15
			} else {
				eob := 1 << uint(r)
				if r != 0 {
					eob += d.getBits(r)
				}
				d.eobrun = eob - 1
				break
			}
		}
	}
}

func (d *decoder) decodeACRefine(blk *[64]int16) {
	sc := &d.scan
	se := sc.se
	p1 := int16(1) << uint(sc.al)
	m1 := int16(-1) << uint(sc.al)
	ac := d.compAC[0]
	k := sc.ss
	eobrun := d.eobrun
	// The bit buffer lives in locals, refilled through fillBits when empty.
	acc, n := d.brAcc, d.brN
	if eobrun == 0 {
		for ; k <= se; k++ {
			if n < 17 {
				d.brAcc, d.brN = acc, n
				d.fillBits()
				acc, n = d.brAcc, d.brN
			}
			var rs int
			look := (acc >> uint(n-lookBits)) & (1<<lookBits - 1)
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
			var sv int16
			if s != 0 {
				if s != 1 {
					d.warn("Corrupt JPEG data: bad Huffman code")
				}
				if n < 1 {
					d.brAcc, d.brN = acc, n
					d.fillBits()
					acc, n = d.brAcc, d.brN
				}
				n--
				if acc>>uint(n)&1 != 0 {
					sv = p1
				} else {
					sv = m1
				}
			} else if r != 15 {
				eobrun = 1 << uint(r)
				if r != 0 {
					d.brAcc, d.brN = acc, n
					eobrun += d.getBits(r)
					acc, n = d.brAcc, d.brN
				}
				break
			}
			for {
				z := naturalOrder[k] & 63
				if blk[z] != 0 {
					if n < 1 {
						d.brAcc, d.brN = acc, n
						d.fillBits()
						acc, n = d.brAcc, d.brN
					}
					n--
					if acc>>uint(n)&1 != 0 {
						if blk[z]&p1 == 0 {
							if blk[z] >= 0 {
								blk[z] += p1
							} else {
								blk[z] += m1
							}
						}
					}
				} else {
					r--
					if r < 0 {
						break
					}
				}
				k++
				if k > se {
					break
				}
			}
			if sv != 0 {
				blk[naturalOrder[k]&63] = sv
			}
		}
	}
	if eobrun > 0 {
		for ; k <= se; k++ {
			z := naturalOrder[k] & 63
			if blk[z] != 0 {
				if n < 1 {
					d.brAcc, d.brN = acc, n
					d.fillBits()
					acc, n = d.brAcc, d.brN
				}
				n--
				if acc>>uint(n)&1 != 0 {
					if blk[z]&p1 == 0 {
						if blk[z] >= 0 {
							blk[z] += p1
						} else {
							blk[z] += m1
						}
					}
				}
			}
		}
		eobrun--
	}
	d.brAcc, d.brN = acc, n
	d.eobrun = eobrun
}
