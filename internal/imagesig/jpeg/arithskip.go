package jpeg

import "math/bits"

// Arithmetic-coded scans whose MCUs change nothing, skipped instead of decoded.
//
// Where a Huffman segment that runs out of data leaves its remaining MCUs untouched,
// libjpeg's arithmetic decoder feeds zeros once it meets a marker and decodes on. An
// arithmetic code costs its data a fraction of a bit per likely decision (1/32768 of a bit
// in the most confident state), so a few bytes, or none, carry a gigapixel of end-of-block
// decisions: 100 scans of nothing over 900 megapixels took 97 s. Decoding such an MCU
// changes only the coder's interval (register A) and, every 32768 decisions or so, the
// state of its one statistics bin, so the run is computed instead of decoded:
//   - an AC scan's MCU is one block; when the block has no nonzero coefficient (always, for
//     a first AC scan), its first decision is end-of-block, and if that decision comes out
//     1 the block is left as it was. While the decisions stay on the more probable side
//     without renormalization, k of them take k*Qe off A and nothing else: the longest such
//     run is one division (arithRun). The decision that renormalizes (or the one that does
//     not come out 1) is made as libjpeg makes it, so the state stays exactly libjpeg's.
//   - a DC refinement scan codes one bit per block with the fixed bin (Qe = 0x5a1d): with
//     real data each bit costs a bit, but once the data has run out and the C register is
//     zero, A sits at its fixed point (0x5a1d, renormalized 0xb43a), where every decision
//     is 0 and changes nothing: the rest of the restart interval is skipped.
//   - after a bad code (CT = -1) libjpeg decodes nothing until the next restart.
// Scans that write every block (DC first scans, sequential scans), and restart intervals
// that each decode afresh from the zeros after a marker, are decoded, as libjpeg decodes
// them (and ImageMagick signs them): what they cost is the scans times the blocks, and
// Decode stops between rows of blocks when its context ends.

// skipQuietMCUs returns how many of the next n MCUs of the current arithmetic scan change
// nothing, moving the decoder past them; n stays within the restart interval, and, in an AC
// refinement scan, within blocks that have no nonzero coefficient (acClear).
func (d *decoder) skipQuietMCUs(n int) int {
	e := &d.arithState
	sc := &d.scan
	dcRefine := d.progressive && sc.ss == 0 && sc.ah != 0
	switch {
	case n <= 0:
		return 0
	case e.ct == -1 && !dcRefine:
		return n // a bad code: nothing is decoded until the next restart
	case dcRefine:
		if d.unreadMarker != 0 && e.c == 0 && (e.a == 0x5a1d || e.a == 0xb43a) {
			return n
		}
		return 0
	case d.progressive && sc.ss > 0:
		return d.arithRun(&e.acStats[sc.comps[0].ta][3*(sc.ss-1)], n)
	}
	return 0
}

// arithRun makes up to n decisions on the statistics bin st while they come out 1 as its
// more probable symbol, and returns how many it made: runs without renormalization are
// computed, the others decided.
func (d *decoder) arithRun(st *uint8, n int) int {
	e := &d.arithState
	k := 0
	for k < n {
		if *st>>7 != 1 {
			return k // 1 is the less probable: not worth a look
		}
		if e.a < 0x8000 {
			d.arithRenorm() // as the next decision would, before deciding
		}
		sv := *st
		// Decision j of the run is the more probable symbol, 1, with no state change while
		// A - j*Qe stays at least 0x8000 and above C >> CT.
		qe := arithTab[sv&0x7F] >> 16
		lower := max(0x8000, e.c>>uint(e.ct)+1)
		if m := (e.a - lower) / qe; m > 0 {
			m = min(m, int64(n-k))
			e.a -= m * qe
			k += int(m)
			continue
		}
		if d.arithPeek(st) != 1 {
			return k
		}
		d.arithDecodeBit(st)
		k++
	}
	return k
}

// arithPeek returns the decision arithDecodeBit would make on st, without making it; A
// is renormalized.
func (d *decoder) arithPeek(st *uint8) int {
	e := &d.arithState
	sv := int(*st)
	qe := arithTab[sv&0x7F] >> 16
	mps := sv >> 7
	temp := e.a - qe
	if e.c >= temp<<uint(e.ct) {
		if temp < qe {
			return mps // conditional exchange: the less probable interval was the larger
		}
		return mps ^ 1
	}
	if temp < 0x8000 && temp < qe {
		return mps ^ 1
	}
	return mps
}

// AC scans of a progressive arithmetic image mark the blocks they give a nonzero
// coefficient, one bit per block beside each row of coefficients, so that a refinement
// scan finds the blocks it can skip without reading them.

// markAC records that block (bx, by) of c has a nonzero AC coefficient.
func (c *component) markAC(bx, by int) {
	r := by / c.v
	bitsRow := c.acBits[r]
	if bitsRow == nil {
		bitsRow = make([]uint64, (c.v*c.bw+63)/64)
		c.acBits[r] = bitsRow
	}
	i := (by-r*c.v)*c.bw + bx
	bitsRow[i/64] |= 1 << (i % 64)
}

// acClear returns how many blocks from (bx, by) rightwards, up to bx+n, have no nonzero AC
// coefficient.
func (c *component) acClear(bx, by, n int) int {
	r := by / c.v
	bitsRow := c.acBits[r]
	if bitsRow == nil {
		return n
	}
	start := (by-r*c.v)*c.bw + bx
	for i := start; i < start+n; {
		w := bitsRow[i/64] >> (i % 64)
		if w != 0 {
			return min(i+bits.TrailingZeros64(w), start+n) - start
		}
		i += 64 - i%64
	}
	return n
}
