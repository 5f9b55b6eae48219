package webp

// The VP8 (lossy) decoder, libwebp 1.2.4's vp8_dec.c, tree_dec.c, quant_dec.c and
// frame_dec.c: headers, intra modes and coefficients parsed with libwebp's boolean
// decoder, macroblock rows reconstructed, deblocked and emitted one at a time with the
// same delay of 2 or 8 rows for the filter, and the same errors for truncated partitions.

const (
	numMBSegments = 4
	numTypes      = 4
	numBands      = 8
	numCtx        = 3
	numProbas     = 11

	yuvSize = bps*17 + bps*9
	yOff    = bps*1 + 8
	uOff    = yOff + bps*16 + bps
	vOff    = uOff + 16
)

// filterExtraRows is how many rows above a macroblock row its filtering still changes.
var filterExtraRows = [3]int{0, 2, 8}

type bandProbas [numCtx][numProbas]uint8

type quantMatrix struct{ y1, y2, uv [2]int }

type filterInfo struct {
	limit, ilevel, hevThresh int
	inner                    bool
}

type mbContext struct{ nz, nzDC uint8 }

type mbData struct {
	coeffs              [384]int16
	isI4x4              bool
	imodes              [16]uint8
	uvmode              uint8
	segment             uint8
	skip                bool
	nonZeroY, nonZeroUV uint32
}

type topSamples struct {
	y    [16]uint8
	u, v [8]uint8
}

type lossy struct {
	d *decoder
	// Headers.
	width, height int
	mbW, mbH      int
	br            boolDecoder
	parts         [8]boolDecoder
	numPartsM1    int
	useSegment    bool
	updateMap     bool
	absoluteDelta bool
	quantizer     [numMBSegments]int
	filterStr     [numMBSegments]int
	simple        bool
	level         int
	sharpness     int
	useLFDelta    bool
	refLFDelta    [4]int
	modeLFDelta   [4]int
	filterType    int
	segmentProbas [3]uint8
	bands         [numTypes][numBands]bandProbas
	bandsPtr      [numTypes][17]*bandProbas
	useSkipProba  bool
	skipP         uint8
	dqm           [numMBSegments]quantMatrix
	fstrengths    [numMBSegments][2]filterInfo
	// Per row of macroblocks.
	intraT   []uint8
	intraL   [4]uint8
	mbCtx    []mbContext // mbW+1: [0] is the left neighbour
	mbs      []mbData
	fInfo    []filterInfo
	yuvT     []topSamples
	yuvB     [yuvSize]uint8
	cacheY   []uint8 // extra rows above, then 16 rows
	cacheU   []uint8
	cacheV   []uint8
	yStride  int
	uvStride int
	extra    int
	// Output.
	alpha *alphaPlane
	out   *fancyUpsampler // nil when the frame is only checked
}

// decodeLossyImage decodes the VP8 bitstream data (from the VP8 payload to the end of what
// libwebp was given) with the ALPH payload alphaData (nil without), handing its rows to
// sink, RGB or RGBA as bpp says, or only checking it when sink is nil.
func (d *decoder) decodeLossyImage(data, alphaData []byte, bpp int, sink func(y int, row []byte) error) error {
	dec := &lossy{d: d}
	if err := dec.getHeaders(data); err != nil {
		return err
	}
	if alphaData != nil {
		dec.alpha = newAlphaPlane(d, alphaData, dec.width, dec.height)
	}
	dec.precomputeFilterStrengths()
	if err := dec.allocate(sink != nil); err != nil {
		return err
	}
	if sink != nil {
		dec.out = newFancyUpsampler(dec.width, dec.height, bpp, sink)
	}
	for mbY := 0; mbY < dec.mbH; mbY++ {
		tokens := &dec.parts[mbY&dec.numPartsM1]
		dec.parseIntraModeRow()
		if dec.br.eof {
			return FormatError("insufficient image data in file (premature end of partition 0)")
		}
		for mbX := 0; mbX < dec.mbW; mbX++ {
			if !dec.decodeMB(mbX, tokens) {
				return FormatError("insufficient image data in file (premature end of a token partition)")
			}
		}
		dec.initScanline()
		if dec.out != nil {
			if err := dec.processRow(mbY); err != nil {
				return err
			}
		}
		if err := d.canceled(); err != nil {
			return err
		}
	}
	if dec.out == nil && dec.alpha != nil {
		// Checking only: the alpha plane must decode as it would have been emitted.
		if _, err := dec.alpha.rows(dec.height); err != nil {
			return err
		}
	}
	return nil
}

// getHeaders is VP8GetHeaders.
func (dec *lossy) getHeaders(buf []byte) error {
	if len(buf) < 4 {
		return FormatError("insufficient image data in file (truncated VP8 header)")
	}
	bits := le24(buf)
	keyFrame := bits&1 == 0
	profile := (bits >> 1) & 7
	show := (bits>>4)&1 != 0
	partitionLength := int(bits >> 5)
	if profile > 3 {
		return FormatError("corrupt image (incorrect keyframe parameters)")
	}
	if !show {
		return UnsupportedError("frame not displayable")
	}
	buf = buf[3:]
	if keyFrame {
		if len(buf) < 7 {
			return FormatError("insufficient image data in file (cannot parse picture header)")
		}
		if buf[0] != 0x9d || buf[1] != 0x01 || buf[2] != 0x2a {
			return FormatError("corrupt image (bad VP8 code word)")
		}
		dec.width = int(le16(buf[3:]) & 0x3fff)
		dec.height = int(le16(buf[5:]) & 0x3fff)
		buf = buf[7:]
		dec.mbW, dec.mbH = (dec.width+15)>>4, (dec.height+15)>>4
		dec.segmentProbas = [3]uint8{255, 255, 255}
		dec.absoluteDelta = true
	}
	if partitionLength > len(buf) {
		return FormatError("insufficient image data in file (bad partition length)")
	}
	br := &dec.br
	br.init(buf[:partitionLength])
	buf = buf[partitionLength:]
	if keyFrame {
		br.getBit(0x80) // colour space
		br.getBit(0x80) // clamping type
	}
	if !dec.parseSegmentHeader() {
		return FormatError("corrupt image (cannot parse segment header)")
	}
	if !dec.parseFilterHeader() {
		return FormatError("corrupt image (cannot parse filter header)")
	}
	if err := dec.parsePartitions(buf); err != nil {
		return err
	}
	dec.parseQuant()
	if !keyFrame {
		return UnsupportedError("not a key frame")
	}
	br.getBit(0x80) // update_proba, ignored
	dec.parseProba()
	return nil
}

func (dec *lossy) parseSegmentHeader() bool {
	br := &dec.br
	dec.useSegment = br.getBit(0x80) != 0
	if dec.useSegment {
		dec.updateMap = br.getBit(0x80) != 0
		if br.getBit(0x80) != 0 { // update data
			dec.absoluteDelta = br.getBit(0x80) != 0
			for s := range dec.quantizer {
				dec.quantizer[s] = br.optionalSigned(7)
			}
			for s := range dec.filterStr {
				dec.filterStr[s] = br.optionalSigned(6)
			}
		}
		if dec.updateMap {
			for s := range dec.segmentProbas {
				dec.segmentProbas[s] = 255
				if br.getBit(0x80) != 0 {
					dec.segmentProbas[s] = uint8(br.getValue(8))
				}
			}
		}
	} else {
		dec.updateMap = false
	}
	return !br.eof
}

func (dec *lossy) parseFilterHeader() bool {
	br := &dec.br
	dec.simple = br.getBit(0x80) != 0
	dec.level = br.getValue(6)
	dec.sharpness = br.getValue(3)
	dec.useLFDelta = br.getBit(0x80) != 0
	if dec.useLFDelta && br.getBit(0x80) != 0 {
		// A delta not sent stays 0 (libwebp keeps its previous value, 0 in a new decoder).
		for i := range dec.refLFDelta {
			dec.refLFDelta[i] = br.optionalSigned(6)
		}
		for i := range dec.modeLFDelta {
			dec.modeLFDelta[i] = br.optionalSigned(6)
		}
	}
	switch {
	case dec.level == 0:
		dec.filterType = 0
	case dec.simple:
		dec.filterType = 1
	default:
		dec.filterType = 2
	}
	return !br.eof
}

// parsePartitions sets up the token partitions; the last one takes all the bytes left.
func (dec *lossy) parsePartitions(buf []byte) error {
	dec.numPartsM1 = 1<<dec.br.getValue(2) - 1
	last := dec.numPartsM1
	if len(buf) < 3*last {
		return FormatError("insufficient image data in file (cannot parse partitions)")
	}
	start := 3 * last
	left := len(buf) - start
	for p := 0; p < last; p++ {
		size := int(le24(buf[3*p:]))
		size = min(size, left)
		dec.parts[p].init(buf[start : start+size])
		start += size
		left -= size
	}
	dec.parts[last].init(buf[start:])
	if start >= len(buf) {
		return FormatError("insufficient image data in file (decoder suspended: empty last partition)")
	}
	return nil
}

func clipQ(v, m int) int { return max(0, min(m, v)) }

// parseQuant is VP8ParseQuant.
func (dec *lossy) parseQuant() {
	br := &dec.br
	baseQ0 := br.getValue(7)
	dqy1DC, dqy2DC, dqy2AC := br.optionalSigned(4), br.optionalSigned(4), br.optionalSigned(4)
	dquvDC, dquvAC := br.optionalSigned(4), br.optionalSigned(4)
	for i := range dec.dqm {
		var q int
		if dec.useSegment {
			q = dec.quantizer[i]
			if !dec.absoluteDelta {
				q += baseQ0
			}
		} else if i > 0 {
			dec.dqm[i] = dec.dqm[0]
			continue
		} else {
			q = baseQ0
		}
		m := &dec.dqm[i]
		m.y1[0] = int(dcTable[clipQ(q+dqy1DC, 127)])
		m.y1[1] = int(acTable[clipQ(q, 127)])
		m.y2[0] = int(dcTable[clipQ(q+dqy2DC, 127)]) * 2
		m.y2[1] = int(acTable[clipQ(q+dqy2AC, 127)]) * 101581 >> 16
		if m.y2[1] < 8 {
			m.y2[1] = 8
		}
		m.uv[0] = int(dcTable[clipQ(q+dquvDC, 117)])
		m.uv[1] = int(acTable[clipQ(q+dquvAC, 127)])
	}
}

var coeffBands = [17]uint8{0, 1, 2, 3, 6, 4, 5, 6, 6, 6, 6, 6, 6, 6, 6, 7, 0}

// parseProba is VP8ParseProba.
func (dec *lossy) parseProba() {
	br := &dec.br
	for t := 0; t < numTypes; t++ {
		for b := 0; b < numBands; b++ {
			for c := 0; c < numCtx; c++ {
				for p := 0; p < numProbas; p++ {
					v := coeffsProba0[t][b][c][p]
					if br.getBit(coeffsUpdateProba[t][b][c][p]) != 0 {
						v = uint8(br.getValue(8))
					}
					dec.bands[t][b][c][p] = v
				}
			}
		}
		for b := 0; b < 17; b++ {
			dec.bandsPtr[t][b] = &dec.bands[t][coeffBands[b]]
		}
	}
	dec.useSkipProba = br.getBit(0x80) != 0
	if dec.useSkipProba {
		dec.skipP = uint8(br.getValue(8))
	}
}

// precomputeFilterStrengths is PrecomputeFilterStrengths.
func (dec *lossy) precomputeFilterStrengths() {
	if dec.filterType == 0 {
		return
	}
	for s := 0; s < numMBSegments; s++ {
		base := dec.level
		if dec.useSegment {
			base = dec.filterStr[s]
			if !dec.absoluteDelta {
				base += dec.level
			}
		}
		for i4x4 := 0; i4x4 <= 1; i4x4++ {
			info := &dec.fstrengths[s][i4x4]
			level := base
			if dec.useLFDelta {
				level += dec.refLFDelta[0]
				if i4x4 == 1 {
					level += dec.modeLFDelta[0]
				}
			}
			level = max(0, min(63, level))
			if level > 0 {
				ilevel := level
				if dec.sharpness > 0 {
					if dec.sharpness > 4 {
						ilevel >>= 2
					} else {
						ilevel >>= 1
					}
					ilevel = min(ilevel, 9-dec.sharpness)
				}
				ilevel = max(ilevel, 1)
				info.ilevel = ilevel
				info.limit = 2*level + ilevel
				switch {
				case level >= 40:
					info.hevThresh = 2
				case level >= 15:
					info.hevThresh = 1
				default:
					info.hevThresh = 0
				}
			} else {
				info.limit = 0
			}
			info.inner = i4x4 == 1
		}
	}
}

// allocate makes the per-row state, and the row caches when the frame is emitted. All of
// it grows with the width only.
func (dec *lossy) allocate(emit bool) error {
	dec.extra = filterExtraRows[dec.filterType]
	// Per column of macroblocks: coefficients and modes (about 850 bytes), and when
	// emitting the top samples, the caches and the upsampler's rows.
	perMB := int64(1 << 10)
	if emit {
		perMB += 32 + int64(dec.extra+16)*16 + int64(dec.extra/2+8)*16 + 16*(4*2+3)
	}
	if err := dec.d.reserve(perMB * int64(dec.mbW+1)); err != nil {
		return err
	}
	dec.intraT = make([]uint8, 4*dec.mbW) // B_DC_PRED is 0
	dec.mbCtx = make([]mbContext, dec.mbW+1)
	dec.mbs = make([]mbData, dec.mbW)
	dec.fInfo = make([]filterInfo, dec.mbW)
	dec.initScanline()
	if !emit {
		return nil
	}
	dec.yuvT = make([]topSamples, dec.mbW)
	dec.yStride = 16 * dec.mbW
	dec.uvStride = 8 * dec.mbW
	dec.cacheY = make([]uint8, (dec.extra+16)*dec.yStride)
	dec.cacheU = make([]uint8, (dec.extra/2+8)*dec.uvStride)
	dec.cacheV = make([]uint8, (dec.extra/2+8)*dec.uvStride)
	return nil
}

func (dec *lossy) initScanline() {
	dec.mbCtx[0] = mbContext{}
	dec.intraL = [4]uint8{}
}

// parseIntraModeRow reads the segment, skip flag and prediction modes of a row.
func (dec *lossy) parseIntraModeRow() {
	br := &dec.br
	for mbX := 0; mbX < dec.mbW; mbX++ {
		top := dec.intraT[4*mbX : 4*mbX+4]
		left := &dec.intraL
		block := &dec.mbs[mbX]
		block.segment = 0
		if dec.updateMap {
			if br.getBit(dec.segmentProbas[0]) == 0 {
				block.segment = uint8(br.getBit(dec.segmentProbas[1]))
			} else {
				block.segment = uint8(br.getBit(dec.segmentProbas[2])) + 2
			}
		}
		if dec.useSkipProba {
			block.skip = br.getBit(dec.skipP) != 0
		}
		block.isI4x4 = br.getBit(145) == 0
		if !block.isI4x4 {
			var ymode uint8
			if br.getBit(156) != 0 {
				ymode = hPred
				if br.getBit(128) != 0 {
					ymode = tmPred
				}
			} else {
				ymode = dcPred
				if br.getBit(163) != 0 {
					ymode = vPred
				}
			}
			block.imodes[0] = ymode
			for i := 0; i < 4; i++ {
				top[i] = ymode
				left[i] = ymode
			}
		} else {
			modes := block.imodes[:]
			for y := 0; y < 4; y++ {
				ymode := left[y]
				for x := 0; x < 4; x++ {
					prob := &bModesProba[top[x]][ymode]
					i := int(yModesIntra4[br.getBit(prob[0])])
					for i > 0 {
						i = int(yModesIntra4[2*i+br.getBit(prob[i])])
					}
					ymode = uint8(-i)
					top[x] = ymode
				}
				copy(modes[4*y:4*y+4], top)
				left[y] = ymode
			}
		}
		switch {
		case br.getBit(142) == 0:
			block.uvmode = dcPred
		case br.getBit(114) == 0:
			block.uvmode = vPred
		case br.getBit(183) != 0:
			block.uvmode = tmPred
		default:
			block.uvmode = hPred
		}
	}
}

// yModesIntra4 is the tree of the 4x4 prediction modes: negative leaves are -mode.
var yModesIntra4 = [18]int8{
	-bDCPred, 1,
	-bTMPred, 2,
	-bVEPred, 3,
	4, 6,
	-bHEPred, 5,
	-bRDPred, -bVRPred,
	-bLDPred, 7,
	-bVLPred, 8,
	-bHDPred, -bHUPred,
}

// decodeMB parses one macroblock's coefficients; false means the partition ran out.
func (dec *lossy) decodeMB(mbX int, tokens *boolDecoder) bool {
	left := &dec.mbCtx[0]
	mb := &dec.mbCtx[1+mbX]
	block := &dec.mbs[mbX]
	skip := dec.useSkipProba && block.skip
	if !skip {
		skip = dec.parseResiduals(mb, left, block, tokens)
	} else {
		left.nz, mb.nz = 0, 0
		if !block.isI4x4 {
			left.nzDC, mb.nzDC = 0, 0
		}
		block.nonZeroY, block.nonZeroUV = 0, 0
	}
	if dec.filterType > 0 {
		fi := &dec.fInfo[mbX]
		*fi = dec.fstrengths[block.segment][b2i(block.isI4x4)]
		fi.inner = fi.inner || !skip
	}
	return !tokens.eof
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
