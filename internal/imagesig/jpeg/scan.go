package jpeg

import "io"

// Single-scan (streaming) and multi-scan (buffered) decoding drivers, after jdcoefct.c.

// decodeSingleScan decodes an interleaved sequential image one iMCU row at a time and writes
// each iMCU row's pixels once the next one (its context) is decoded.
func (d *decoder) decodeSingleScan(w io.Writer) {
	last := d.totalIMCURows - 1
	for k := 0; k <= last; k++ {
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
				idctIslow(&d.mcuBuf[0], &c.qidct, c.samples[off+x*8:], c.stride)
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
						idctIslow(&d.mcuBuf[b+xi], &c.qidct, c.samples[off+col+xi*8:], c.stride)
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
		d.consumeScan()
		if d.readMarkers() == reachedEOI {
			return
		}
		if d.scanNumber >= maxScans {
			d.fail("too many scans")
		}
		d.startScan()
	}
}

// blockAt returns block (bx, by) of component c's coefficient buffer.
func (c *component) blockAt(bx, by int) *[64]int16 {
	i := (by*c.bw + bx) * 64
	return (*[64]int16)(c.coefs[i : i+64])
}

// consumeScan is consume_data over a whole scan.
func (d *decoder) consumeScan() {
	sc := &d.scan
	var blocks [10]*[64]int16
	for k := 0; k < d.totalIMCURows; k++ {
		if sc.n == 1 {
			c := sc.comps[0]
			rows := c.v
			if k == d.totalIMCURows-1 {
				rows = c.lastRowHeight
			}
			for yoff := 0; yoff < rows; yoff++ {
				for x := 0; x < d.mcusPerRow; x++ {
					blocks[0] = c.blockAt(x, k*c.v+yoff)
					if !d.insufficient {
						d.lastGoodIMCU = k
					}
					d.decodeMCUInto(blocks[:1])
				}
			}
		} else {
			for m := 0; m < d.mcusPerRow; m++ {
				b := 0
				for _, c := range sc.comps {
					for yi := 0; yi < c.mcuHeight; yi++ {
						for xi := 0; xi < c.mcuWidth; xi++ {
							blocks[b] = c.blockAt(m*c.mcuWidth+xi, k*c.v+yi)
							b++
						}
					}
				}
				if !d.insufficient {
					d.lastGoodIMCU = k
				}
				d.decodeMCUInto(blocks[:b])
			}
		}
		d.inputIMCURow = k + 1
	}
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
// decompress_smooth_data when block smoothing applies).
func (d *decoder) outputMultiScan(w io.Writer) {
	smooth := d.smoothingOK()
	last := d.totalIMCURows - 1
	var ws [64]int16
	for k := 0; k <= last; k++ {
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
					ws = *c.blockAt(bx, by)
					idctIslow(&ws, &c.qidct, c.samples[off+bx*8:], c.stride)
				}
			}
		}
		if k > 0 {
			d.out.emitIMCURow(w, k-1)
		}
	}
	d.out.emitIMCURow(w, last)
}
