package jpeg

import "io"

// Single-scan (streaming) and multi-scan (buffered) decoding drivers, after jdcoefct.c.

// decodeSingleScan decodes an interleaved sequential image one iMCU row at a time and writes
// each iMCU row's pixels once the next one (its context) is decoded.
func (d *decoder) decodeSingleScan(w io.Writer) {
	last := d.totalIMCURows - 1
	for k := 0; k <= last; k++ {
		d.checkCtx()
		d.decodeIMCURowOnePass(k)
		if k > 0 {
			d.out.emitIMCURow(w, k-1)
		}
	}
	d.out.emitIMCURow(w, last)
}

func (d *decoder) decodeMCU() {
	if d.arith {
		d.decodeMCUArithSeq()
	} else {
		d.decodeMCUSeq()
	}
}

// decodeIMCURowOnePass is decompress_onepass: decode the MCUs of iMCU row k and IDCT the
// useful blocks into the components' sample rings.
func (d *decoder) decodeIMCURowOnePass(k int) {
	last := d.totalIMCURows - 1
	sc := &d.scan
	if sc.n == 1 {
		c := sc.comps[0]
		rows := c.v
		if k == last {
			rows = c.lastRowHeight
		}
		for yoff := 0; yoff < rows; yoff++ {
			off := c.rowOffset((k*c.v + yoff) * 8)
			for x := 0; x < d.mcusPerRow; x++ {
				d.decodeMCU()
				idctBlock(&d.mcuBuf[0], &c.qidct, c.samples[off+x*8:], c.stride)
			}
		}
		d.inputIMCURow = k + 1
		return
	}
	lastMCU := d.mcusPerRow - 1
	for m := 0; m <= lastMCU; m++ {
		d.decodeMCU()
		b := 0
		for _, c := range sc.comps {
			useful := c.mcuWidth
			if m == lastMCU {
				useful = c.lastColWidth
			}
			for yi := 0; yi < c.mcuHeight; yi++ {
				if k < last || yi < c.lastRowHeight {
					off := c.rowOffset((k*c.v + yi) * 8)
					col := m * c.mcuWidth * 8
					for xi := 0; xi < useful; xi++ {
						idctBlock(&d.mcuBuf[b+xi], &c.qidct, c.samples[off+col+xi*8:], c.stride)
					}
				}
				b += c.mcuWidth
			}
		}
	}
	d.inputIMCURow = k + 1
}

// maxScans is ImageMagick's MaxJPEGScans: its progress monitor refuses more.
const maxScans = 1024

// consumeAllScans reads every scan of a multi-scan image into the coefficient buffers, as
// jpeg_start_decompress does before the first output row.
func (d *decoder) consumeAllScans() {
	for {
		d.consumeScan(0, d.totalIMCURows)
		if d.readMarkers() == reachedEOI {
			return
		}
		if d.scanNumber >= maxScans {
			d.fail("too many scans")
		}
		d.startScan()
	}
}

// blockAt returns block (bx, by) of component c's coefficient buffer, allocating its iMCU
// row if needed.
func (c *component) blockAt(bx, by int) *[64]int16 {
	r := by / c.v
	row := c.coefRows[r]
	if row == nil {
		if n := len(c.spare); n > 0 {
			row = c.spare[n-1]
			c.spare = c.spare[:n-1]
			clear(row)
		} else {
			row = make([]int16, c.v*c.bw*64)
		}
		c.coefRows[r] = row
	}
	i := ((by-r*c.v)*c.bw + bx) * 64
	return (*[64]int16)(row[i : i+64])
}

var zeroBlock [64]int16

// blockRO returns block (bx, by) for reading: all zero if its row was never written.
func (c *component) blockRO(bx, by int) *[64]int16 {
	r := by / c.v
	row := c.coefRows[r]
	if row == nil {
		return &zeroBlock
	}
	i := ((by-r*c.v)*c.bw + bx) * 64
	return (*[64]int16)(row[i : i+64])
}

// dcAt returns the DC coefficient of block (bx, by).
func (c *component) dcAt(bx, by int) int {
	r := by / c.v
	row := c.coefRows[r]
	if row == nil {
		return 0
	}
	return int(row[((by-r*c.v)*c.bw+bx)*64])
}

// blockForScan returns the block a scan decodes into. Once a Huffman segment has run out of
// data its MCUs are left untouched (or, for DC refinement, read zero bits, which change
// nothing), so rows never written need not be allocated for them.
func (d *decoder) blockForScan(c *component, bx, by int) *[64]int16 {
	if d.insufficient && !d.arith && c.coefRows[by/c.v] == nil {
		return &d.scratch
	}
	return c.blockAt(bx, by)
}

// maybeRestart processes a due restart marker before the MCU's blocks are chosen.
func (d *decoder) maybeRestart() {
	if d.restartInterval != 0 && d.restartsToGo == 0 {
		if d.arith {
			d.arithRestartMarker()
		} else {
			d.processRestart()
		}
	}
}

// consumeScan is consume_data over iMCU rows [from, to) of the current scan.
func (d *decoder) consumeScan(from, to int) {
	sc := &d.scan
	var blocks [10]*[64]int16
	for k := from; k < to; k++ {
		d.checkCtx()
		if d.dataEnded() {
			// Nothing further down this scan can change: a file of empty scans over a
			// gigapixel costs no time per block.
			d.inputIMCURow = to
			return
		}
		if sc.n == 1 {
			c := sc.comps[0]
			rows := c.v
			if k == d.totalIMCURows-1 {
				rows = c.lastRowHeight
			}
			for yoff := 0; yoff < rows; yoff++ {
				by := k*c.v + yoff
				for x := 0; x < d.mcusPerRow; x++ {
					d.maybeRestart()
					if !d.insufficient {
						d.lastGoodIMCU = k
					}
					if d.arith {
						if n := d.skipArithMCUs(c, x, by); n > 0 {
							x += n - 1
							continue
						}
					}
					blocks[0] = d.blockForScan(c, x, by)
					d.decodeMCUInto(blocks[:1])
					if d.arith {
						d.arithMCUDone(c, x, by)
					}
				}
			}
		} else {
			for m := 0; m < d.mcusPerRow; m++ {
				d.maybeRestart()
				if !d.insufficient {
					d.lastGoodIMCU = k
				}
				if d.arith {
					if n := d.skipArithMCUs(nil, m, k); n > 0 {
						m += n - 1
						continue
					}
				}
				b := 0
				for _, c := range sc.comps {
					for yi := 0; yi < c.mcuHeight; yi++ {
						for xi := 0; xi < c.mcuWidth; xi++ {
							blocks[b] = d.blockForScan(c, m*c.mcuWidth+xi, k*c.v+yi)
							b++
						}
					}
				}
				d.decodeMCUInto(blocks[:b])
				if d.arith {
					d.arithMCUDone(nil, m, k)
				}
			}
		}
		d.inputIMCURow = k + 1
	}
}

// skipArithMCUs skips the MCUs from MCU x of the current MCU row (block row by of c in a
// one-component scan, nil otherwise) that decode to nothing, up to the row's end or the
// next restart, and returns how many.
func (d *decoder) skipArithMCUs(c *component, x, by int) int {
	n := d.mcusPerRow - x
	if d.restartInterval != 0 {
		n = min(n, d.restartsToGo)
	}
	if d.progressive && d.scan.ss > 0 && d.scan.ah != 0 {
		n = c.acClear(x, by, n) // a refinement reads the coefficients already there
	}
	k := d.skipQuietMCUs(n)
	if d.restartInterval != 0 {
		d.restartsToGo -= k
	}
	return k
}

// arithMCUDone counts a decoded MCU and, in a progressive AC scan, marks its block if it
// got a nonzero coefficient.
func (d *decoder) arithMCUDone(c *component, x, by int) {
	d.arithWork += int64(d.blocksInMCU)
	if d.arithACWritten {
		d.arithACWritten = false
		c.markAC(x, by)
	}
}

// dataEnded reports whether the current Huffman scan has run out of data for good: its
// segment ended at a marker that no restart can step over (any marker when there are no
// restart intervals; one that is not RSTn and that resync keeps, SOF0 or above, when there
// are). Its remaining MCUs then decode nothing, as libjpeg's do, and read nothing.
func (d *decoder) dataEnded() bool {
	if !d.insufficient || d.arith {
		return false
	}
	m := d.unreadMarker
	return d.restartInterval == 0 || (m >= mSOF0 && (m < mRST0 || m > mRST7))
}

// decodeMCUInto decodes one MCU of the current scan into the given blocks.
func (d *decoder) decodeMCUInto(blocks []*[64]int16) {
	switch {
	case d.arith:
		d.decodeMCUArith(blocks)
	case d.progressive:
		d.decodeMCUProgressive(blocks)
	default:
		if d.restartInterval != 0 && d.restartsToGo == 0 {
			d.processRestart()
		}
		if !d.insufficient {
			for b, blk := range blocks {
				ci := d.mcuMembership[b]
				d.decodeBlockSeq(blk, d.compDC[ci], d.compAC[ci], &d.lastDC[ci])
			}
			d.checkInsufficient()
		}
		if d.restartInterval != 0 {
			d.restartsToGo--
		}
	}
}

// outputMultiScan is the output pass over the coefficient buffers (decompress_data, or
// decompress_smooth_data when block smoothing applies), writing iMCU rows [lo, hi).
func (d *decoder) outputMultiScan(w io.Writer, lo, hi int) {
	smooth := d.smoothingOK()
	last := d.totalIMCURows - 1
	var ws [64]int16
	first := lo - 1 // the row above is the upsampling context of row lo
	if first < 0 {
		first = 0
	}
	end := hi // the row below is the context of row hi-1
	if end > last {
		end = last
	}
	for k := first; k <= end; k++ {
		d.checkCtx()
		for ci := range d.comps {
			c := &d.comps[ci]
			rows := c.v
			if k == last {
				rows = c.heightInBlocks % c.v
				if rows == 0 {
					rows = c.v
				}
			}
			if smooth {
				d.smoothIMCURow(c, k, rows)
				continue
			}
			for br := 0; br < rows; br++ {
				off := c.rowOffset((k*c.v + br) * 8)
				by := k*c.v + br
				for bx := 0; bx < c.widthInBlocks; bx++ {
					ws = *c.blockRO(bx, by)
					idctBlock(&ws, &c.qidct, c.samples[off+bx*8:], c.stride)
				}
			}
		}
		if k > lo && k-1 < hi {
			d.out.emitIMCURow(w, k-1)
		}
	}
	if hi > last {
		d.out.emitIMCURow(w, last)
	}
}
