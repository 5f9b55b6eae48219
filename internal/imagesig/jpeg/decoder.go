package jpeg

import (
	"context"
	"fmt"
	"io"
)

// component is one colour component: its SOF parameters, geometry and buffers.
type component struct {
	index, id int
	h, v      int // sampling factors
	tq        int // quantization table number
	td, ta    int // Huffman/arithmetic table numbers of the current scan

	widthInBlocks, heightInBlocks int
	dsWidth, dsHeight             int // downsampled_width/height: real samples
	mcuWidth, mcuHeight           int // blocks per MCU in the current scan
	mcuBlocks                     int
	lastColWidth, lastRowHeight   int

	qt      *[64]uint16 // latched quantization table (nil until its first scan)
	qtLatch [64]uint16
	qidct   [64]int32 // the same, as libjpeg's 16-bit ISLOW multipliers

	// whole-image coefficients (multi-scan images): bw x bh blocks, allocated one iMCU row
	// (v block rows) at a time when a scan first writes to it, so that a hostile header
	// cannot make us allocate more than the data fills.
	coefRows [][]int16
	spare    [][]int16  // banded decodes: rows that left the band, for reuse
	acBits   [][]uint64 // progressive arithmetic: the blocks of each row given a nonzero AC coefficient (arithskip.go)
	bw, bh   int

	coefBits, prevCoefBits [64]int // progressive status (cinfo->coef_bits)

	// sample ring: ringRows rows of stride bytes, row r at (r % ringRows).
	samples  []byte
	stride   int
	ringRows int

	up upsampler
}

type scanInfo struct {
	n              int
	comps          []*component
	compsBuf       [4]*component
	ss, se, ah, al int
}

type decoder struct {
	ctx  context.Context // the caller's, for this one decode
	src  *source
	info Info

	reserve  func(ctx context.Context, bytes int64) (release func(), err error)
	release  func() // gives back what reserve granted
	maxBand  int64  // Options.MaxBandBytes, defaulted
	bandRows int    // iMCU rows of a band (totalIMCURows: one band, no banding)
	quiet    bool   // warnings off (replaying a scan's setup in a later band)

	maxPixels int64

	sawSOI, sawSOF    bool
	sawJFIF, sawAdobe bool
	adobeTransform    int
	progressive       bool
	arith             bool
	precision         int
	width, height     int
	ncomp             int
	comps             []component
	restartInterval   int
	unreadMarker      int
	discardedBytes    int
	nextRestartNum    int
	scanNumber        int
	nwarnings         int
	eofHits           int

	qtables            [4]*[64]uint16
	dcTables, acTables [4]*huffTable
	arithDCL, arithDCU [16]uint8
	arithACK           [16]uint8

	scan scanInfo

	maxH, maxV     int
	mcusPerRow     int
	mcuRows        int // MCU rows in scan
	totalIMCURows  int
	blocksInMCU    int
	mcuMembership  [10]int
	multiScan      bool
	colorSpace     int // jpeg colour space
	lastGoodIMCU   int
	inputIMCURow   int
	outputIMCURows int

	// entropy decoding state
	brAcc          uint64
	brN, brPad     int
	brFake         bool
	insufficient   bool
	restartsToGo   int
	lastDC         [4]int32
	eobrun         int
	dcDec, acDec   [4]huffDecoder
	compDC, compAC [4]*huffDecoder
	arithState     arithDecoder
	arithACWritten bool  // the MCU being decoded got a nonzero AC coefficient
	arithWork      int64 // blocks the arithmetic scans decoded rather than skipped (the tests read it)

	mcuBuf  [10][64]int16
	scratch [64]int16

	smoothLatches []smoothLatch

	out outputStage

	// rawOut, when set, receives each iMCU row's component samples instead of the output
	// stage (libjpeg's raw-data mode, see tiffstrip.go).
	rawOut func(k int)
}

// JPEG colour spaces (J_COLOR_SPACE).
const (
	csUnknown = iota
	csGray
	csRGB
	csYCbCr
	csCMYK
	csYCCK
)

func decode(ctx context.Context, r io.Reader, w io.Writer, opts Options, configOnly bool) (info Info, err error) {
	return newDecoder(ctx, r, opts, !configOnly).run(r, w, configOnly)
}

// run decodes the image (only its header when configOnly) and writes its pixels to w.
func (d *decoder) run(r io.Reader, w io.Writer, configOnly bool) (info Info, err error) {
	defer func() {
		if info.Width == 0 {
			info = d.info
		}
	}()
	defer d.releaseMemory() // also when a bug panics through recoverError
	defer recoverError(&err)
	// ImageMagick refuses blobs shorter than 107 bytes before libjpeg sees them.
	n, rerr := io.ReadAtLeast(r, d.src.buf, 107)
	d.src.end = n
	d.src.read = int64(n)
	if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
		d.src.eof = true
	} else if rerr != nil {
		return Info{}, fmt.Errorf("read: %w", rerr)
	}
	if n < 107 {
		d.fail("insufficient image data in file")
	}
	d.readHeader()
	if configOnly {
		return d.info, nil
	}
	d.startDecompress()
	if d.multiScan {
		d.decodeMultiScan(w)
	} else {
		d.decodeSingleScan(w)
	}
	return d.info, nil
}

// newDecoder sets up a decoder of r with opts' limits; seek lets a banded decode seek back
// in r when it can.
func newDecoder(ctx context.Context, r io.Reader, opts Options, seek bool) *decoder {
	d := &decoder{ctx: ctx, reserve: opts.Reserve, maxBand: opts.MaxBandBytes}
	d.src = &source{r: r, buf: make([]byte, sourceBufSize), d: d}
	if rs, ok := r.(io.ReadSeeker); ok && seek {
		if off, err := rs.Seek(0, io.SeekCurrent); err == nil {
			d.src.seeker, d.src.base = rs, off
		}
	}
	d.maxPixels = opts.MaxPixels
	if d.maxPixels <= 0 {
		d.maxPixels = DefaultMaxPixels
	}
	if d.maxBand <= 0 {
		d.maxBand = DefaultMaxBandBytes
	}
	d.resetArithConditioning()
	return d
}

// checkCtx ends the decode with ctx's error once ctx is done; called between rows.
func (d *decoder) checkCtx() {
	if err := d.ctx.Err(); err != nil {
		panic(decodeError{err})
	}
}

// reserveMemory takes n bytes from Options.Reserve, once, before they are allocated.
func (d *decoder) reserveMemory(n int64) {
	if d.reserve == nil {
		return
	}
	release, err := d.reserve(d.ctx, n)
	if err != nil {
		if d.ctx.Err() != nil {
			err = d.ctx.Err()
		} else {
			err = fmt.Errorf("jpeg: image of %dx%d: %w", d.width, d.height, err)
		}
		panic(decodeError{err})
	}
	d.release = release
}

func (d *decoder) releaseMemory() {
	if d.release != nil {
		d.release()
		d.release = nil
	}
}

// readHeader is jpeg_read_header: markers up to the first SOS, then initial setup.
func (d *decoder) readHeader() {
	if d.readMarkers() == reachedEOI {
		if d.sawSOF {
			d.fail("Invalid JPEG file structure: missing SOS marker")
		}
		d.fail("JPEG datastream contains no image")
	}
	d.initialSetup()
	d.defaultColorSpace()
	d.info.Width, d.info.Height = d.width, d.height
	d.info.Components = d.ncomp
	d.info.Progressive = d.progressive
	d.info.Arithmetic = d.arith
	switch d.ncomp {
	case 1:
		d.info.ColorModel = "gray"
	case 3:
		d.info.ColorModel = "rgb"
	case 4:
		d.info.ColorModel = "cmyk"
	}
}

// initialSetup is jdinput.c initial_setup plus the first scan's per_scan_setup decision.
func (d *decoder) initialSetup() {
	if d.height > 65500 || d.width > 65500 {
		d.fail("Maximum supported image dimension is 65500 pixels")
	}
	if d.precision != 8 {
		d.unsupported("Unsupported JPEG data precision %d", d.precision)
	}
	if d.ncomp > 10 {
		d.fail("Too many color components: %d, max 10", d.ncomp)
	}
	d.maxH, d.maxV = 1, 1
	for i := range d.comps {
		c := &d.comps[i]
		if c.h <= 0 || c.h > 4 || c.v <= 0 || c.v > 4 {
			d.fail("Bogus sampling factors")
		}
		if c.h > d.maxH {
			d.maxH = c.h
		}
		if c.v > d.maxV {
			d.maxV = c.v
		}
	}
	for i := range d.comps {
		c := &d.comps[i]
		c.widthInBlocks = ceilDiv(d.width*c.h, d.maxH*8)
		c.heightInBlocks = ceilDiv(d.height*c.v, d.maxV*8)
		c.dsWidth = ceilDiv(d.width*c.h, d.maxH)
		c.dsHeight = ceilDiv(d.height*c.v, d.maxV)
	}
	d.totalIMCURows = ceilDiv(d.height, d.maxV*8)
	d.multiScan = d.scan.n < d.ncomp || d.progressive
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// defaultColorSpace is jdapimin.c default_decompress_parms.
func (d *decoder) defaultColorSpace() {
	switch d.ncomp {
	case 1:
		d.colorSpace = csGray
	case 3:
		switch {
		case d.sawJFIF:
			d.colorSpace = csYCbCr
		case d.sawAdobe:
			switch d.adobeTransform {
			case 0:
				d.colorSpace = csRGB
			case 1:
				d.colorSpace = csYCbCr
			default:
				d.warn("Unknown Adobe color transform code %d", d.adobeTransform)
				d.colorSpace = csYCbCr
			}
		default:
			c0, c1, c2 := d.comps[0].id, d.comps[1].id, d.comps[2].id
			if c0 == 82 && c1 == 71 && c2 == 66 {
				d.colorSpace = csRGB
			} else {
				d.colorSpace = csYCbCr
			}
		}
	case 4:
		if d.sawAdobe {
			switch d.adobeTransform {
			case 0:
				d.colorSpace = csCMYK
			case 2:
				d.colorSpace = csYCCK
			default:
				d.warn("Unknown Adobe color transform code %d", d.adobeTransform)
				d.colorSpace = csYCCK
			}
		} else {
			d.colorSpace = csCMYK
		}
	default:
		d.colorSpace = csUnknown
	}
}

// startDecompress is jpeg_start_decompress's setup: limits, output stage, first scan.
func (d *decoder) startDecompress() {
	if int64(d.width)*int64(d.height) > d.maxPixels {
		panic(decodeError{fmt.Errorf("%w: %dx%d pixels, limit %d", ErrTooLarge, d.width, d.height, d.maxPixels)})
	}
	if d.colorSpace == csUnknown {
		// libjpeg passes the components through; ImageMagick then refuses the image.
		d.unsupported("image type not supported: %d components", d.ncomp)
	}
	if !d.arith && !d.progressive {
		d.setStdHuffTables()
	}
	need := d.out.init(d)
	d.bandRows = d.totalIMCURows
	if d.multiScan {
		for i := range d.comps {
			c := &d.comps[i]
			c.bw = roundUp(c.widthInBlocks, c.h)
			c.bh = roundUp(c.heightInBlocks, c.v)
			need += int64(c.bh/c.v) * 48 // the row indexes
			for k := range c.coefBits {
				c.coefBits[k] = -1
			}
		}
		need += d.planBands()
	}
	d.reserveMemory(need)
	d.out.allocate()
	if d.multiScan {
		for i := range d.comps {
			c := &d.comps[i]
			c.coefRows = make([][]int16, c.bh/c.v)
			if d.arith && d.progressive {
				c.acBits = make([][]uint64, c.bh/c.v)
			}
		}
	}
	d.startScan()
}

func roundUp(a, b int) int { return ceilDiv(a, b) * b }

// startScan is per_scan_setup + latch_quant_tables + the entropy decoder's start_pass.
func (d *decoder) startScan() {
	sc := &d.scan
	if sc.n == 1 {
		c := sc.comps[0]
		d.mcusPerRow = c.widthInBlocks
		d.mcuRows = c.heightInBlocks
		c.mcuWidth, c.mcuHeight, c.mcuBlocks = 1, 1, 1
		c.lastColWidth = 1
		c.lastRowHeight = c.heightInBlocks % c.v
		if c.lastRowHeight == 0 {
			c.lastRowHeight = c.v
		}
		d.blocksInMCU = 1
		d.mcuMembership[0] = 0
	} else {
		d.mcusPerRow = ceilDiv(d.width, d.maxH*8)
		d.mcuRows = ceilDiv(d.height, d.maxV*8)
		d.blocksInMCU = 0
		for ci, c := range sc.comps {
			c.mcuWidth, c.mcuHeight = c.h, c.v
			c.mcuBlocks = c.h * c.v
			c.lastColWidth = c.widthInBlocks % c.h
			if c.lastColWidth == 0 {
				c.lastColWidth = c.h
			}
			c.lastRowHeight = c.heightInBlocks % c.v
			if c.lastRowHeight == 0 {
				c.lastRowHeight = c.v
			}
			if d.blocksInMCU+c.mcuBlocks > 10 {
				d.fail("Sampling factors too large for interleaved scan")
			}
			for k := 0; k < c.mcuBlocks; k++ {
				d.mcuMembership[d.blocksInMCU] = ci
				d.blocksInMCU++
			}
		}
	}
	for _, c := range sc.comps {
		if c.qt != nil {
			continue
		}
		if c.tq < 0 || c.tq >= 4 || d.qtables[c.tq] == nil {
			d.fail("Quantization table 0x%02x was not defined", c.tq)
		}
		c.qtLatch = *d.qtables[c.tq]
		c.qt = &c.qtLatch
		for k := 0; k < 64; k++ {
			c.qidct[k] = int32(int16(c.qt[k]))
		}
	}
	if d.arith {
		d.startPassArith()
	} else if d.progressive {
		d.startPassProgressive()
	} else {
		d.startPassHuff()
	}
	d.inputIMCURow = 0
}
