package jpeg

// Block smoothing of progressive images (jdcoefct.c smoothing_ok / decompress_smooth_data):
// libjpeg-turbo estimates the first AC coefficients of blocks whose coefficients are not yet
// known to full precision (an incomplete progressive image) from the DC values of the 5x5
// neighbouring blocks.

type smoothLatch struct {
	cur, prev [10]int
}

// smoothingOK latches coef_bits and tells whether smoothing applies to this output pass.
func (d *decoder) smoothingOK() bool {
	if !d.progressive {
		return false
	}
	useful := false
	d.smoothLatches = make([]smoothLatch, len(d.comps))
	for ci := range d.comps {
		c := &d.comps[ci]
		if c.qt == nil {
			return false
		}
		q := c.qt
		if q[0] == 0 || q[1] == 0 || q[8] == 0 || q[16] == 0 || q[9] == 0 ||
			q[2] == 0 || q[3] == 0 || q[10] == 0 || q[17] == 0 || q[24] == 0 {
			return false
		}
		if c.coefBits[0] < 0 {
			return false
		}
		l := &d.smoothLatches[ci]
		l.cur[0] = c.coefBits[0]
		for k := 1; k < 10; k++ {
			if d.scanNumber > 1 {
				l.prev[k] = c.prevCoefBits[k]
			} else {
				l.prev[k] = -1
			}
			l.cur[k] = c.coefBits[k]
			if c.coefBits[k] != 0 {
				useful = true
			}
		}
	}
	return useful
}

// smoothPred is the shared estimate: round num/(Q<<8) half away from zero, bounded by Al.
func smoothPred(num, q int64, al int) int16 {
	var pred int64
	if num >= 0 {
		pred = ((q << 7) + num) / (q << 8)
		if al > 0 && pred >= 1<<uint(al) {
			pred = 1<<uint(al) - 1
		}
	} else {
		pred = ((q << 7) - num) / (q << 8)
		if al > 0 && pred >= 1<<uint(al) {
			pred = 1<<uint(al) - 1
		}
		pred = -pred
	}
	return int16(int32(pred))
}

func (d *decoder) smoothIMCURow(c *component, k, blockRows int) {
	last := d.totalIMCURows - 1
	l := &d.smoothLatches[c.index]
	var bits *[10]int
	if k > d.lastGoodIMCU {
		bits = &l.prev
	} else {
		bits = &l.cur
	}
	changeDC := true
	for i := 1; i <= 9; i++ {
		if bits[i] != -1 {
			changeDC = false
		}
	}
	q := c.qt
	Q00, Q01, Q10, Q20, Q11, Q02 := int64(q[0]), int64(q[1]), int64(q[8]), int64(q[16]), int64(q[9]), int64(q[2])
	var Q03, Q12, Q21, Q30 int64
	if changeDC {
		Q03, Q12, Q21, Q30 = int64(q[3]), int64(q[10]), int64(q[17]), int64(q[24])
	}
	var ws [64]int16
	lastCol := c.widthInBlocks - 1
	for br := 0; br < blockRows; br++ {
		by := k*c.v + br
		prevY := by
		if br > 0 || k > 0 {
			prevY = by - 1
		}
		prevPrevY := prevY
		if br > 1 || k > 1 {
			prevPrevY = by - 2
		}
		nextY := by
		if br < blockRows-1 || k < last {
			nextY = by + 1
		}
		nextNextY := nextY
		if br < blockRows-2 || k+1 < last {
			nextNextY = by + 2
		}
		dcAt := func(y, x int) int { return c.dcAt(x, y) }
		var DC [26]int
		for i := 1; i <= 5; i++ {
			DC[i] = dcAt(prevPrevY, 0)
			DC[5+i] = dcAt(prevY, 0)
			DC[10+i] = dcAt(by, 0)
			DC[15+i] = dcAt(nextY, 0)
			DC[20+i] = dcAt(nextNextY, 0)
		}
		off := c.rowOffset(by * 8)
		for bx := 0; bx <= lastCol; bx++ {
			ws = *c.blockRO(bx, by)
			if bx == 0 && bx < lastCol {
				DC[4] = dcAt(prevPrevY, bx+1)
				DC[9] = dcAt(prevY, bx+1)
				DC[14] = dcAt(by, bx+1)
				DC[19] = dcAt(nextY, bx+1)
				DC[24] = dcAt(nextNextY, bx+1)
			}
			if bx+1 < lastCol {
				DC[5] = dcAt(prevPrevY, bx+2)
				DC[10] = dcAt(prevY, bx+2)
				DC[15] = dcAt(by, bx+2)
				DC[20] = dcAt(nextY, bx+2)
				DC[25] = dcAt(nextNextY, bx+2)
			}
			smoothBlock(&ws, &DC, bits, changeDC, Q00, Q01, Q10, Q20, Q11, Q02, Q03, Q12, Q21, Q30)
			idctBlock(&ws, &c.qidct, c.samples[off+bx*8:], c.stride)
			copy(DC[1:5], DC[2:6])
			copy(DC[6:10], DC[7:11])
			copy(DC[11:15], DC[12:16])
			copy(DC[16:20], DC[17:21])
			copy(DC[21:25], DC[22:26])
		}
	}
}

func smoothBlock(ws *[64]int16, DC *[26]int, bits *[10]int, changeDC bool,
	Q00, Q01, Q10, Q20, Q11, Q02, Q03, Q12, Q21, Q30 int64) {
	d := func(i int) int64 { return int64(DC[i]) }
	var num int64
	if al := bits[1]; al != 0 && ws[1] == 0 {
		if changeDC {
			num = Q00 * (-d(1) - d(2) + d(4) + d(5) - 3*d(6) + 13*d(7) -
				13*d(9) + 3*d(10) - 3*d(11) + 38*d(12) - 38*d(14) +
				3*d(15) - 3*d(16) + 13*d(17) - 13*d(19) + 3*d(20) -
				d(21) - d(22) + d(24) + d(25))
		} else {
			num = Q00 * (-7*d(11) + 50*d(12) - 50*d(14) + 7*d(15))
		}
		ws[1] = smoothPred(num, Q01, al)
	}
	if al := bits[2]; al != 0 && ws[8] == 0 {
		if changeDC {
			num = Q00 * (-d(1) - 3*d(2) - 3*d(3) - 3*d(4) - d(5) - d(6) +
				13*d(7) + 38*d(8) + 13*d(9) - d(10) + d(16) -
				13*d(17) - 38*d(18) - 13*d(19) + d(20) + d(21) +
				3*d(22) + 3*d(23) + 3*d(24) + d(25))
		} else {
			num = Q00 * (-7*d(3) + 50*d(8) - 50*d(18) + 7*d(23))
		}
		ws[8] = smoothPred(num, Q10, al)
	}
	if al := bits[3]; al != 0 && ws[16] == 0 {
		if changeDC {
			num = Q00 * (d(3) + 2*d(7) + 7*d(8) + 2*d(9) - 5*d(12) - 14*d(13) -
				5*d(14) + 2*d(17) + 7*d(18) + 2*d(19) + d(23))
		} else {
			num = Q00 * (-d(3) + 13*d(8) - 24*d(13) + 13*d(18) - d(23))
		}
		ws[16] = smoothPred(num, Q20, al)
	}
	if al := bits[4]; al != 0 && ws[9] == 0 {
		if changeDC {
			num = Q00 * (-d(1) + d(5) + 9*d(7) - 9*d(9) - 9*d(17) +
				9*d(19) + d(21) - d(25))
		} else {
			num = Q00 * (d(10) + d(16) - 10*d(17) + 10*d(19) - d(2) - d(20) + d(22) -
				d(24) + d(4) - d(6) + 10*d(7) - 10*d(9))
		}
		ws[9] = smoothPred(num, Q11, al)
	}
	if al := bits[5]; al != 0 && ws[2] == 0 {
		if changeDC {
			num = Q00 * (2*d(7) - 5*d(8) + 2*d(9) + d(11) + 7*d(12) - 14*d(13) +
				7*d(14) + d(15) + 2*d(17) - 5*d(18) + 2*d(19))
		} else {
			num = Q00 * (-d(11) + 13*d(12) - 24*d(13) + 13*d(14) - d(15))
		}
		ws[2] = smoothPred(num, Q02, al)
	}
	if !changeDC {
		return
	}
	if al := bits[6]; al != 0 && ws[3] == 0 {
		num = Q00 * (d(7) - d(9) + 2*d(12) - 2*d(14) + d(17) - d(19))
		ws[3] = smoothPred(num, Q03, al)
	}
	if al := bits[7]; al != 0 && ws[10] == 0 {
		num = Q00 * (d(7) - 3*d(8) + d(9) - d(17) + 3*d(18) - d(19))
		ws[10] = smoothPred(num, Q12, al)
	}
	if al := bits[8]; al != 0 && ws[17] == 0 {
		num = Q00 * (d(7) - d(9) - 3*d(12) + 3*d(14) + d(17) - d(19))
		ws[17] = smoothPred(num, Q21, al)
	}
	if al := bits[9]; al != 0 && ws[24] == 0 {
		num = Q00 * (d(7) + 2*d(8) + d(9) - d(17) - 2*d(18) - d(19))
		ws[24] = smoothPred(num, Q30, al)
	}
	num = Q00 * (-2*d(1) - 6*d(2) - 8*d(3) - 6*d(4) - 2*d(5) -
		6*d(6) + 6*d(7) + 42*d(8) + 6*d(9) - 6*d(10) -
		8*d(11) + 42*d(12) + 152*d(13) + 42*d(14) - 8*d(15) -
		6*d(16) + 6*d(17) + 42*d(18) + 6*d(19) - 6*d(20) -
		2*d(21) - 6*d(22) - 8*d(23) - 6*d(24) - 2*d(25))
	ws[0] = smoothPred(num, Q00, 0)
}
