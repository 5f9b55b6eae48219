package jpeg

import (
	"bytes"
	"io"
)

// Banded decoding bounds the memory of huge multi-scan (progressive) images. libjpeg keeps
// every DCT coefficient of such an image until its last scan (4.4 GB for the 22500x33300
// panorama of the corpus). When ours would take more than Options.MaxBandBytes, the image
// is decoded band by band, top to bottom, keeping the coefficients of one band of iMCU rows
// and the context rows its upsampling and block smoothing read around it.
//
// The entropy-coded data of a scan is a sequence of MCUs in raster order, so the rows of a
// band are a stretch of each scan's data. The first band reads the file in order: for each
// scan it decodes the band's rows, keeps a checkpoint (the input offset and the whole
// entropy decoder state: bit buffer, DC predictions, EOB run, restart counters, arithmetic
// statistics...), and skips to the scan's end by looking for its closing marker. Each later
// band goes back to every scan's checkpoint, decodes its own rows and moves the checkpoint
// on. Every row is decoded once, as in a decode without bands; the input is read again once
// per band and scan, from where the checkpoint is.
//
// Skipping to a scan's end without decoding it finds the marker libjpeg would stop at: in
// a scan without restart intervals, the first marker; with restart intervals, the first
// that is not RSTn. A marker code below SOF0 in a scan with restart intervals is where the
// two can differ (libjpeg's resync skips it at a restart boundary, not inside a segment);
// such a damaged file is refused when it needs bands.

// bandContext is how many iMCU rows around a band its output reads: upsampling reads the
// next and previous rows, block smoothing two block rows each way.
const bandContext = 3

// scanSetup is what a scan's header and the markers before it set, to set the scan up again
// in a later band, with the checkpoint of its entropy-coded data.
type scanSetup struct {
	scan               scanInfo
	td, ta             [4]int
	dcTables, acTables [4]*huffTable
	restartInterval    int
	arithDCL, arithDCU [16]uint8
	arithACK           [16]uint8
	scanNumber         int
	cp                 checkpoint
}

// checkpoint is the state of the entropy decoder between two iMCU rows of a scan.
type checkpoint struct {
	src                  sourceState
	brAcc                uint64
	brN, brPad           int
	brFake, insufficient bool
	restartsToGo         int
	nextRestartNum       int
	lastDC               [4]int32
	eobrun               int
	unreadMarker         int
	lastGood             int
	arith                arithDecoder // its statistics are copies, not the decoder's
	ended                bool         // the scan's data ran out for good (dataEnded)
}

// planBands decides the band height from the coefficient memory of an iMCU row and returns
// the coefficient memory to reserve.
func (d *decoder) planBands() int64 {
	var row int64 // coefficient bytes of one iMCU row, all components
	for i := range d.comps {
		c := &d.comps[i]
		row += int64(c.v) * int64(c.bw) * 128
		if d.arith {
			row += int64(c.v*c.bw+63) / 64 * 8 // acBits
		}
	}
	total := d.totalIMCURows
	if int64(total)*row <= d.maxBand {
		return int64(total) * row
	}
	d.bandRows = max(1, int(d.maxBand/row)-2*bandContext)
	return int64(min(total, d.bandRows+2*bandContext)) * row
}

// decodeMultiScan reads every scan and writes the image, in bands when planBands said so.
func (d *decoder) decodeMultiScan(w io.Writer) {
	total := d.totalIMCURows
	if d.bandRows >= total {
		d.consumeAllScans()
		d.outputMultiScan(w, 0, total)
		return
	}
	if d.src.seeker == nil {
		d.unsupported("multi-scan image of %dx%d: its coefficients exceed the memory allowed, and decoding it in bands needs input that can seek", d.width, d.height)
	}
	var scans []*scanSetup
	for lo := 0; lo < total; lo += d.bandRows {
		hi := min(lo+d.bandRows, total)
		storeHi := min(hi+bandContext, total)
		d.dropRowsBefore(lo - bandContext)
		if lo == 0 {
			scans = d.consumeFirstBand(storeHi)
		} else {
			from := min(lo+bandContext, total) // the previous band's storeHi
			d.resetProgression()
			for _, s := range scans {
				d.resumeScan(s, from, storeHi)
			}
		}
		d.setLastGood(scans[len(scans)-1], hi, storeHi)
		d.outputMultiScan(w, lo, hi)
	}
}

// consumeFirstBand reads every scan of the file, decoding iMCU rows [0, to) of each, and
// returns their setups with checkpoints at row to.
func (d *decoder) consumeFirstBand(to int) []*scanSetup {
	var scans []*scanSetup
	for {
		s := d.saveSetup()
		d.consumeScan(0, to)
		s.cp = d.checkpoint()
		scans = append(scans, s)
		if to < d.totalIMCURows {
			d.skipScanData()
		}
		if d.readMarkers() == reachedEOI {
			return scans
		}
		if d.scanNumber >= maxScans {
			d.fail("too many scans")
		}
		d.startScan()
	}
}

// resumeScan decodes iMCU rows [from, to) of a scan from its checkpoint, and moves the
// checkpoint to row to.
func (d *decoder) resumeScan(s *scanSetup, from, to int) {
	d.scan = s.scan
	d.scan.comps = d.scan.compsBuf[:s.scan.n]
	for i, c := range d.scan.comps {
		c.td, c.ta = s.td[i], s.ta[i]
	}
	d.dcTables, d.acTables = s.dcTables, s.acTables
	d.restartInterval = s.restartInterval
	d.arithDCL, d.arithDCU, d.arithACK = s.arithDCL, s.arithDCU, s.arithACK
	d.scanNumber = s.scanNumber
	d.quiet = true // its warnings were given in the first band
	defer func() { d.quiet = false }()
	if s.cp.ended {
		// Its data ran out for good: nothing to decode, only the progression to follow.
		if d.progressive {
			d.validateProgression()
		}
		return
	}
	d.startScan()
	d.quiet = false
	d.restoreCheckpoint(&s.cp)
	d.consumeScan(from, to)
	s.cp = d.checkpoint()
}

func (d *decoder) saveSetup() *scanSetup {
	s := &scanSetup{scan: d.scan, dcTables: d.dcTables, acTables: d.acTables,
		restartInterval: d.restartInterval, arithDCL: d.arithDCL, arithDCU: d.arithDCU,
		arithACK: d.arithACK, scanNumber: d.scanNumber}
	for i, c := range d.scan.comps {
		s.td[i], s.ta[i] = c.td, c.ta
	}
	return s
}

func (d *decoder) checkpoint() checkpoint {
	cp := checkpoint{src: d.src.state(), brAcc: d.brAcc, brN: d.brN, brPad: d.brPad,
		brFake: d.brFake, insufficient: d.insufficient, restartsToGo: d.restartsToGo,
		nextRestartNum: d.nextRestartNum, lastDC: d.lastDC, eobrun: d.eobrun,
		unreadMarker: d.unreadMarker, lastGood: d.lastGoodIMCU, arith: d.arithState, ended: d.dataEnded()}
	for i, st := range cp.arith.dcStats {
		if st != nil {
			c := *st
			cp.arith.dcStats[i] = &c
		}
	}
	for i, st := range cp.arith.acStats {
		if st != nil {
			c := *st
			cp.arith.acStats[i] = &c
		}
	}
	return cp
}

func (d *decoder) restoreCheckpoint(cp *checkpoint) {
	d.src.restore(cp.src)
	d.brAcc, d.brN, d.brPad, d.brFake = cp.brAcc, cp.brN, cp.brPad, cp.brFake
	d.insufficient, d.restartsToGo, d.nextRestartNum = cp.insufficient, cp.restartsToGo, cp.nextRestartNum
	d.lastDC, d.eobrun, d.unreadMarker, d.lastGoodIMCU = cp.lastDC, cp.eobrun, cp.unreadMarker, cp.lastGood
	stats := d.arithState
	d.arithState = cp.arith
	// The decoder keeps its own statistics tables; the checkpoint's values go into them.
	for i, st := range cp.arith.dcStats {
		if st != nil {
			if stats.dcStats[i] == nil {
				stats.dcStats[i] = new([dcStatBins]uint8)
			}
			*stats.dcStats[i] = *st
		}
	}
	for i, st := range cp.arith.acStats {
		if st != nil {
			if stats.acStats[i] == nil {
				stats.acStats[i] = new([acStatBins]uint8)
			}
			*stats.acStats[i] = *st
		}
	}
	d.arithState.dcStats, d.arithState.acStats = stats.dcStats, stats.acStats
}

// resetProgression puts the progression state back as before the first scan, for the
// scans' setups to run again in order (the same coef_bits, the same smoothing).
func (d *decoder) resetProgression() {
	for i := range d.comps {
		c := &d.comps[i]
		for k := range c.coefBits {
			c.coefBits[k] = -1
		}
		c.prevCoefBits = [64]int{}
	}
}

// skipScanData moves the input to the marker that ends the current scan without decoding
// the rest of it (see the comment at the top of this file).
func (d *decoder) skipScanData() {
	if m := d.unreadMarker; m != 0 {
		// The rows of the band ended at a marker: the scan's end, unless restarts step over
		// it (the same rule as below).
		switch {
		case d.restartInterval == 0 || (m >= mSOF0 && (m < mRST0 || m > mRST7)):
			return
		case m < mSOF0:
			d.unsupported("damaged multi-scan image of %dx%d (marker 0x%02x in a scan with restart intervals): too large to decode within the memory allowed", d.width, d.height, m)
		}
		d.unreadMarker = 0
	}
	s := d.src
	for {
		if s.pos >= s.end {
			s.fill()
		}
		i := bytes.IndexByte(s.buf[s.pos:s.end], 0xFF)
		if i < 0 {
			s.pos = s.end
			continue
		}
		s.pos += i + 1
		c := s.readByte()
		for c == 0xFF {
			c = s.readByte()
		}
		switch {
		case c == 0:
			continue
		case d.restartInterval != 0 && c >= mRST0 && c <= mRST7:
			continue
		case d.restartInterval != 0 && c < mSOF0:
			d.unsupported("damaged multi-scan image of %dx%d (marker 0x%02x in a scan with restart intervals): too large to decode within the memory allowed", d.width, d.height, c)
		}
		d.unreadMarker = int(c)
		return
	}
}

// dropRowsBefore gives the coefficient rows above iMCU row k back for reuse.
func (d *decoder) dropRowsBefore(k int) {
	for i := range d.comps {
		c := &d.comps[i]
		for r := 0; r < k && r < len(c.coefRows); r++ {
			if c.coefRows[r] != nil {
				c.spare = append(c.spare, c.coefRows[r])
				c.coefRows[r] = nil
			}
			if c.acBits != nil {
				c.acBits[r] = nil
			}
		}
	}
}

// setLastGood sets lastGoodIMCU, which block smoothing reads, as the whole last scan would
// leave it, for the output rows below hi; the last scan is decoded up to row storeHi. Once
// its data ran out, it stays out unless a restart marker follows: only then can rows
// further down still change it, and a band whose smoothing depends on it is refused.
func (d *decoder) setLastGood(last *scanSetup, hi, storeHi int) {
	cp := &last.cp
	d.lastGoodIMCU = cp.lastGood
	if storeHi == d.totalIMCURows || !cp.insufficient || hi-1 <= cp.lastGood {
		return
	}
	m := cp.unreadMarker
	if last.restartInterval == 0 || (m != 0 && (m < mRST0 || m > mRST7)) {
		return
	}
	if d.smoothingOK() {
		d.unsupported("damaged progressive image of %dx%d with restart markers: too large to decode within the memory allowed", d.width, d.height)
	}
}
