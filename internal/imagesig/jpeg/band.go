package jpeg

import (
	"bytes"
	"fmt"
	"io"
	"math/bits"
	"runtime"
	"unsafe"
)

// Banded decoding bounds the memory of huge multi-scan (progressive) images. libjpeg keeps
// every DCT coefficient of such an image (4.4 GB for the 22500x33300 panorama of the
// corpus); when ours would exceed coefBudget we instead replay the whole input once per band
// of iMCU rows, keeping the coefficients of that band (and the neighbours its upsampling
// and block smoothing read) and, for every other block, only which AC coefficients are
// nonzero: the one thing later refinement scans need to parse their bits. Each pass writes
// its band's rows, so the output is identical, for the price of re-decoding the entropy-coded
// data once per band.

// coefBudget is the coefficient memory above which a multi-scan image is decoded in bands.
var coefBudget int64 = 512 << 20

// maxBandedInput bounds the compressed input a banded decode keeps in memory to replay.
const maxBandedInput = 1 << 30

type bandPass struct {
	lo, hi           int // iMCU rows this pass writes
	storeLo, storeHi int // iMCU rows whose coefficients it keeps
	quiet            bool
}

func (b *bandPass) stores(row int) bool { return row >= b.storeLo && row < b.storeHi }

// coefBytes is the memory the whole-image coefficient buffers take.
func (d *decoder) coefBytes() int64 {
	var n int64
	for i := range d.comps {
		c := &d.comps[i]
		n += int64(roundUp(c.widthInBlocks, c.h)) * int64(roundUp(c.heightInBlocks, c.v)) * 128
	}
	return n
}

// decodeBanded replays the input (recorded so far plus the rest of the reader) once per band.
func (d *decoder) decodeBanded(w io.Writer, opts Options) (Info, error) {
	src := d.src
	src.recording = false
	rest, err := io.ReadAll(io.LimitReader(src.r, int64(maxBandedInput-len(src.hist)+1)))
	if err != nil {
		return d.info, fmt.Errorf("read: %w", err)
	}
	if len(src.hist)+len(rest) > maxBandedInput {
		return d.info, fmt.Errorf("%w: progressive JPEG of more than %d bytes", ErrTooLarge, maxBandedInput)
	}
	full := append(src.hist, rest...)
	src.hist = nil
	total := d.totalIMCURows
	passes := int((d.coefBytes() + coefBudget - 1) / coefBudget)
	rows := ceilDiv(total, passes)
	var first Info
	for lo := 0; lo < total; lo += rows {
		hi := min(lo+rows, total)
		b := &bandPass{lo: lo, hi: hi, storeLo: max(lo-3, 0), storeHi: min(hi+3, total), quiet: lo > 0}
		runtime.GC() // the previous band's buffers are garbage: keep the peak to one band
		info, err := decodePass(bytes.NewReader(full), w, opts, false, b)
		if lo == 0 {
			first = info
		}
		if err != nil {
			return first, err
		}
	}
	return first, nil
}

// loadMask fills blk with a stand-in for block (bx, by): 1 where the real block's AC
// coefficients are nonzero.
func (c *component) loadMask(bx, by int, blk *[64]int16) {
	*blk = [64]int16{}
	r := by / c.v
	row := c.maskRows[r]
	if row == nil {
		return
	}
	m := row[(by-r*c.v)*c.bw+bx]
	for m != 0 {
		z := bits.TrailingZeros64(m)
		blk[z] = 1
		m &= m - 1
	}
}

// nonzeroMask returns bit z set for every nonzero blk[z], four coefficients at a time.
func nonzeroMask(blk *[64]int16) uint64 {
	w := (*[16]uint64)(unsafe.Pointer(blk))
	var m uint64
	for i, x := range w {
		if x == 0 {
			continue
		}
		// high bit of each 16-bit lane: set when the lane is nonzero
		hi := ((x & 0x7FFF7FFF7FFF7FFF) + 0x7FFF7FFF7FFF7FFF | x) & 0x8000800080008000
		for j := 0; j < 4; j++ {
			if hi&(0x8000<<uint(16*j)) != 0 {
				m |= 1 << uint(laneIndex(i, j))
			}
		}
	}
	return m
}

// laneIndex is the coefficient index of 16-bit lane j of word i (byte order aware).
func laneIndex(i, j int) int {
	if littleEndian {
		return 4*i + j
	}
	return 4*i + 3 - j
}

var littleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// storeMask records which AC coefficients of the stand-in block are nonzero.
func (c *component) storeMask(bx, by int, blk *[64]int16) {
	m := nonzeroMask(blk) &^ 1
	r := by / c.v
	row := c.maskRows[r]
	if row == nil {
		if m == 0 {
			return
		}
		row = make([]uint64, c.v*c.bw)
		c.maskRows[r] = row
	}
	row[(by-r*c.v)*c.bw+bx] = m
}

// skipMaskedBlock decodes, for a block outside the band, an MCU of a progressive Huffman AC
// scan that cannot change which of its coefficients are nonzero: when the segment has run
// out of data nothing is decoded; in an EOB run, a first scan does nothing and a refinement
// scan reads one correction bit per nonzero coefficient of the band, whose values we do not
// keep. (decodeMCUProgressive without the block.)
func (d *decoder) skipMaskedBlock(c *component, bx, by int) {
	sc := &d.scan
	if !d.insufficient {
		if sc.ah != 0 {
			var m uint64
			if r := c.maskRows[by/c.v]; r != nil {
				m = r[(by-(by/c.v)*c.v)*c.bw+bx]
			}
			for n := bits.OnesCount64(m & d.bandMask()); n > 0; n -= 16 {
				d.getBits(min(n, 16))
			}
		}
		d.eobrun--
		d.checkInsufficient()
	}
	if d.restartInterval != 0 {
		d.restartsToGo--
	}
}

// bandMask has bit naturalOrder[k] set for each k of the scan's spectral band.
func (d *decoder) bandMask() uint64 {
	sc := &d.scan
	if d.scanMaskFor != d.scanNumber {
		var m uint64
		for k := sc.ss; k <= sc.se; k++ {
			m |= 1 << uint(naturalOrder[k])
		}
		d.scanMask, d.scanMaskFor = m, d.scanNumber
	}
	return d.scanMask
}
