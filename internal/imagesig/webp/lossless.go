package webp

// The VP8L (lossless) decoder, libwebp 1.2.4's vp8l_dec.c: the same reading of
// transforms, colour cache and Huffman codes, the same checks, the same end-of-stream
// rules. It decodes a whole image into ARGB words and hands rows out in batches of 16,
// after the inverse transforms, as libwebp does.

import "fmt"

const (
	vp8lMagic        = 0x2f
	numLiteralCodes  = 256
	numLengthCodes   = 24
	numDistanceCodes = 40
	maxCacheBits     = 11
	numArgbCacheRows = 16
	argbBlack        = 0xff000000

	green, red, blue, alpha, dist = 0, 1, 2, 3, 4
)

const (
	predictorTransform = iota
	crossColorTransform
	subtractGreenTransform
	colorIndexingTransform
)

var alphabetSize = [5]int{numLiteralCodes + numLengthCodes, numLiteralCodes, numLiteralCodes, numLiteralCodes, numDistanceCodes}

var codeLengthCodeOrder = [19]int{17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}

// codeToPlane maps the 120 short distance codes to (dy, 8-dx) pairs.
var codeToPlane = [120]uint8{
	0x18, 0x07, 0x17, 0x19, 0x28, 0x06, 0x27, 0x29, 0x16, 0x1a,
	0x26, 0x2a, 0x38, 0x05, 0x37, 0x39, 0x15, 0x1b, 0x36, 0x3a,
	0x25, 0x2b, 0x48, 0x04, 0x47, 0x49, 0x14, 0x1c, 0x35, 0x3b,
	0x46, 0x4a, 0x24, 0x2c, 0x58, 0x45, 0x4b, 0x34, 0x3c, 0x03,
	0x57, 0x59, 0x13, 0x1d, 0x56, 0x5a, 0x23, 0x2d, 0x44, 0x4c,
	0x55, 0x5b, 0x33, 0x3d, 0x68, 0x02, 0x67, 0x69, 0x12, 0x1e,
	0x66, 0x6a, 0x22, 0x2e, 0x54, 0x5c, 0x43, 0x4d, 0x65, 0x6b,
	0x32, 0x3e, 0x78, 0x01, 0x77, 0x79, 0x53, 0x5d, 0x11, 0x1f,
	0x64, 0x6c, 0x42, 0x4e, 0x76, 0x7a, 0x21, 0x2f, 0x75, 0x7b,
	0x31, 0x3f, 0x63, 0x6d, 0x52, 0x5e, 0x00, 0x74, 0x7c, 0x41,
	0x4f, 0x10, 0x20, 0x62, 0x6e, 0x30, 0x73, 0x7d, 0x51, 0x5f,
	0x40, 0x72, 0x7e, 0x61, 0x6f, 0x50, 0x71, 0x7f, 0x60, 0x70,
}

var errLosslessBitstream = FormatError("corrupt image (lossless bitstream)")

type llTransform struct {
	kind         int
	bits         int
	xsize, ysize int
	data         []uint32
}

type htreeGroup struct {
	trees            [5][]huffmanCode
	isTrivialLiteral bool   // red, blue and alpha need no bits
	isTrivialCode    bool   // no tree needs bits and green is a literal
	literalARB       uint32 // the trivial alpha, red and blue
}

// llMeta is the entropy coding of one image stream.
type llMeta struct {
	colorCache     []uint32 // nil without
	hashShift      uint
	huffmanImage   []uint32
	huffmanBits    int
	huffmanXSize   int
	huffmanMask    int
	groups         []htreeGroup
	colorCacheSize int
}

func (m *llMeta) groupFor(x, y int) *htreeGroup {
	if m.huffmanBits == 0 {
		return &m.groups[0]
	}
	return &m.groups[m.huffmanImage[m.huffmanXSize*(y>>m.huffmanBits)+(x>>m.huffmanBits)]]
}

func (m *llMeta) cacheInsert(argb uint32) {
	m.colorCache[(argb*0x1e35a7bd)>>m.hashShift] = argb
}

// lossless decodes one VP8L stream: an image, or an ALPH chunk's alpha plane.
type lossless struct {
	d           *decoder
	br          losslessBits
	meta        llMeta
	transforms  [4]llTransform
	nTransforms int
	seen        uint
	// width and height are the coded image's, narrower than ioWidth when the colour
	// indexing transform packs pixels.
	width, height     int
	ioWidth, ioHeight int
	pixels            []uint32
	lastPixel         int
	lastRow           int
	cache             []uint32 // a top row for the predictor, then 16 rows of ioWidth
	emit              func(y int, argb []uint32) error
	emitErr           error
}

// readImageInfo reads the 5-byte VP8L header.
func readImageInfo(br *losslessBits) (width, height int, alpha, ok bool) {
	if br.readBits(8) != vp8lMagic {
		return 0, 0, false, false
	}
	width = int(br.readBits(14)) + 1
	height = int(br.readBits(14)) + 1
	alpha = br.readBits(1) != 0
	if br.readBits(3) != 0 {
		return 0, 0, false, false
	}
	return width, height, alpha, !br.eos
}

// vp8lInfo is VP8LGetInfo.
func vp8lInfo(data []byte) (width, height int, alpha, ok bool) {
	if len(data) < vp8lFrameHeaderSize || data[0] != vp8lMagic || data[4]>>5 != 0 {
		return 0, 0, false, false
	}
	var br losslessBits
	br.init(data)
	return readImageInfo(&br)
}

// decodeLosslessImage decodes the VP8L bitstream data (from the VP8L payload to the end
// of what libwebp was given) and hands its rows to emit, or only checks it when emit is
// nil.
func (d *decoder) decodeLosslessImage(data []byte, emit func(y int, argb []uint32) error) error {
	dec := &lossless{d: d, emit: emit}
	dec.br.init(data)
	w, h, _, ok := readImageInfo(&dec.br)
	if !ok {
		return FormatError("corrupt image (lossless header)")
	}
	dec.ioWidth, dec.ioHeight = w, h
	if _, err := dec.decodeImageStream(w, h, true); err != nil {
		return err
	}
	if err := dec.allocate(true); err != nil {
		return err
	}
	return dec.decodeImageData(dec.pixels, dec.width, dec.height, dec.height, dec.processRows)
}

// allocate makes the pixel buffer (and, for 32-bit output, the row cache).
func (dec *lossless) allocate(rows bool) error {
	n := int64(dec.width) * int64(dec.height)
	extra := int64(0)
	if rows {
		extra = int64(dec.ioWidth) * (numArgbCacheRows + 1)
	}
	if err := dec.d.reserve(4 * (n + extra)); err != nil {
		return err
	}
	dec.pixels = make([]uint32, n)
	if rows {
		dec.cache = make([]uint32, extra)
	}
	return nil
}

// decodeImageStream reads an image stream's transforms (level 0 only), colour cache and
// Huffman codes, then its pixels unless it is level 0.
func (dec *lossless) decodeImageStream(xsize, ysize int, level0 bool) ([]uint32, error) {
	br := &dec.br
	txsize, tysize := xsize, ysize
	if level0 {
		for br.readBits(1) != 0 {
			if err := dec.readTransform(&txsize, tysize); err != nil {
				return nil, err
			}
		}
	}
	cacheBits := 0
	if br.readBits(1) != 0 {
		cacheBits = int(br.readBits(4))
		if cacheBits < 1 || cacheBits > maxCacheBits {
			return nil, FormatError(fmt.Sprintf("corrupt image (colour cache of %d bits)", cacheBits))
		}
	}
	meta, err := dec.readHuffmanCodes(txsize, tysize, cacheBits, level0)
	if err != nil {
		return nil, err
	}
	if cacheBits > 0 {
		meta.colorCacheSize = 1 << cacheBits
		meta.colorCache = make([]uint32, meta.colorCacheSize)
		meta.hashShift = uint(32 - cacheBits)
	}
	meta.huffmanXSize = subSampleSize(txsize, meta.huffmanBits)
	meta.huffmanMask = -1
	if meta.huffmanBits != 0 {
		meta.huffmanMask = 1<<meta.huffmanBits - 1
	}
	if level0 {
		dec.meta = meta
		dec.width, dec.height = txsize, tysize
		dec.lastPixel = 0
		return nil, nil
	}
	if err := dec.d.reserve(4 * int64(txsize) * int64(tysize)); err != nil {
		return nil, err
	}
	data := make([]uint32, txsize*tysize)
	saved := dec.meta
	dec.meta = meta
	dec.lastPixel = 0
	err = dec.decodeImageData(data, txsize, tysize, tysize, nil)
	dec.meta = saved
	dec.lastPixel = 0
	if err != nil {
		return nil, err
	}
	if br.eos {
		return nil, errLosslessBitstream
	}
	return data, nil
}

func subSampleSize(size, bits int) int { return (size + 1<<bits - 1) >> bits }

// readTransform reads one transform; each kind may appear once.
func (dec *lossless) readTransform(xsize *int, ysize int) error {
	br := &dec.br
	kind := int(br.readBits(2))
	if dec.seen&(1<<kind) != 0 {
		return FormatError("corrupt image (lossless transform repeated)")
	}
	dec.seen |= 1 << kind
	t := &dec.transforms[dec.nTransforms]
	*t = llTransform{kind: kind, xsize: *xsize, ysize: ysize}
	dec.nTransforms++
	var err error
	switch kind {
	case predictorTransform, crossColorTransform:
		t.bits = int(br.readBits(3)) + 2
		t.data, err = dec.decodeImageStream(subSampleSize(t.xsize, t.bits), subSampleSize(t.ysize, t.bits), false)
	case colorIndexingTransform:
		numColors := int(br.readBits(8)) + 1
		switch {
		case numColors > 16:
			t.bits = 0
		case numColors > 4:
			t.bits = 1
		case numColors > 2:
			t.bits = 2
		default:
			t.bits = 3
		}
		*xsize = subSampleSize(t.xsize, t.bits)
		t.data, err = dec.decodeImageStream(numColors, 1, false)
		if err == nil {
			t.data = expandColorMap(t.data, numColors, t.bits)
		}
	}
	return err
}

// expandColorMap undoes the palette's delta coding and pads it with transparent black to
// every index the packed pixels can hold.
func expandColorMap(data []uint32, numColors, bits int) []uint32 {
	final := 1 << (8 >> bits)
	m := make([]uint32, final)
	m[0] = data[0]
	for i := 1; i < numColors; i++ {
		a, b := data[i], m[i-1]
		m[i] = addPixels(a, b)
	}
	return m
}

// addPixels adds two ARGB words per byte, modulo 256.
func addPixels(a, b uint32) uint32 {
	ag := (a & 0xff00ff00) + (b & 0xff00ff00)
	rb := (a & 0x00ff00ff) + (b & 0x00ff00ff)
	return ag&0xff00ff00 | rb&0x00ff00ff
}

// readHuffmanCodes reads the meta Huffman image (level 0) and every group's five codes.
func (dec *lossless) readHuffmanCodes(xsize, ysize, cacheBits int, allowRecursion bool) (llMeta, error) {
	br := &dec.br
	var meta llMeta
	numGroups, numGroupsMax := 1, 1
	var mapping []int
	if allowRecursion && br.readBits(1) != 0 {
		precision := int(br.readBits(3)) + 2
		hx, hy := subSampleSize(xsize, precision), subSampleSize(ysize, precision)
		img, err := dec.decodeImageStream(hx, hy, false)
		if err != nil {
			return meta, err
		}
		meta.huffmanBits = precision
		for i, p := range img {
			g := int(p>>8) & 0xffff
			img[i] = uint32(g)
			numGroupsMax = max(numGroupsMax, g+1)
		}
		// Few groups in use among many indexes: map them to 0..n-1 (libwebp does, so as
		// not to allocate tables for indexes no tile uses).
		if numGroupsMax > 1000 || numGroupsMax > xsize*ysize {
			mapping = make([]int, numGroupsMax)
			for i := range mapping {
				mapping[i] = -1
			}
			numGroups = 0
			for i, g := range img {
				if mapping[g] == -1 {
					mapping[g] = numGroups
					numGroups++
				}
				img[i] = uint32(mapping[g])
			}
		} else {
			numGroups = numGroupsMax
		}
		meta.huffmanImage = img
	}
	if br.eos {
		return meta, errLosslessBitstream
	}
	maxAlphabet := 0
	for j := range alphabetSize {
		maxAlphabet = max(maxAlphabet, alphabetSizeFor(j, cacheBits))
	}
	// Tables: at most 2^15 entries per code in theory; reserve what libwebp allocates up
	// front (its table sizes for 8-bit roots) per group.
	if err := dec.d.reserve(int64(numGroups) * int64(tableSize(cacheBits)) * 4); err != nil {
		return meta, err
	}
	codeLengths := make([]int, maxAlphabet)
	meta.groups = make([]htreeGroup, numGroups)
	for i := 0; i < numGroupsMax; i++ {
		if mapping != nil && mapping[i] == -1 {
			for j := range alphabetSize {
				if _, err := dec.readHuffmanCode(alphabetSizeFor(j, cacheBits), codeLengths, true); err != nil {
					return meta, err
				}
			}
			continue
		}
		gi := i
		if mapping != nil {
			gi = mapping[i]
		}
		g := &meta.groups[gi]
		totalBits := 0
		g.isTrivialLiteral = true
		for j := range alphabetSize {
			table, err := dec.readHuffmanCode(alphabetSizeFor(j, cacheBits), codeLengths, false)
			if err != nil {
				return meta, err
			}
			g.trees[j] = table
			if j == red || j == blue || j == alpha {
				g.isTrivialLiteral = g.isTrivialLiteral && table[0].bits == 0
			}
			totalBits += int(table[0].bits)
		}
		if g.isTrivialLiteral {
			g.literalARB = uint32(g.trees[alpha][0].value)<<24 | uint32(g.trees[red][0].value)<<16 | uint32(g.trees[blue][0].value)
			if totalBits == 0 && g.trees[green][0].value < numLiteralCodes {
				g.isTrivialCode = true
				g.literalARB |= uint32(g.trees[green][0].value) << 8
			}
		}
	}
	return meta, nil
}

func alphabetSizeFor(j, cacheBits int) int {
	if j == green && cacheBits > 0 {
		return alphabetSize[j] + 1<<cacheBits
	}
	return alphabetSize[j]
}

// tableSize is libwebp's kTableSize: the entries one group's five tables need at most.
func tableSize(cacheBits int) int {
	sizes := [12]int{654, 656, 658, 662, 670, 686, 718, 782, 912, 1168, 1680, 2704}
	return 630*3 + 410 + sizes[cacheBits]
}

// readHuffmanCode reads one code, simple or coded by code lengths, and builds its table
// (only checks it when validate is set).
func (dec *lossless) readHuffmanCode(alphabet int, codeLengths []int, validate bool) ([]huffmanCode, error) {
	br := &dec.br
	simple := br.readBits(1) != 0
	clear(codeLengths[:alphabet])
	if simple {
		numSymbols := int(br.readBits(1)) + 1
		firstBits := 1
		if br.readBits(1) != 0 {
			firstBits = 8
		}
		codeLengths[br.readBits(firstBits)] = 1
		if numSymbols == 2 {
			codeLengths[br.readBits(8)] = 1
		}
	} else {
		var lengthCodeLengths [19]int
		numCodes := int(br.readBits(4)) + 4
		for i := 0; i < numCodes; i++ {
			lengthCodeLengths[codeLengthCodeOrder[i]] = int(br.readBits(3))
		}
		if !dec.readCodeLengths(lengthCodeLengths[:], alphabet, codeLengths) {
			return nil, FormatError("corrupt image (lossless code lengths)")
		}
	}
	if br.eos {
		return nil, errLosslessBitstream
	}
	table := buildHuffmanTable(huffmanTableBits, codeLengths[:alphabet], validate)
	if table == nil {
		return nil, FormatError("corrupt image (invalid lossless Huffman code)")
	}
	return table, nil
}

// readCodeLengths is ReadHuffmanCodeLengths.
func (dec *lossless) readCodeLengths(lengthCodeLengths []int, numSymbols int, codeLengths []int) bool {
	br := &dec.br
	table := buildHuffmanTable(lengthsTableBits, lengthCodeLengths, false)
	if table == nil {
		return false
	}
	maxSymbol := numSymbols
	if br.readBits(1) != 0 {
		lengthBits := 2 + 2*int(br.readBits(3))
		maxSymbol = 2 + int(br.readBits(lengthBits))
		if maxSymbol > numSymbols {
			return false
		}
	}
	prev := 8
	for symbol := 0; symbol < numSymbols; {
		if maxSymbol == 0 {
			break
		}
		maxSymbol--
		br.fill()
		p := table[br.prefetch()&(1<<lengthsTableBits-1)]
		br.bitPos += int(p.bits)
		codeLen := int(p.value)
		if codeLen < 16 {
			codeLengths[symbol] = codeLen
			symbol++
			if codeLen != 0 {
				prev = codeLen
			}
			continue
		}
		slot := codeLen - 16
		extraBits := [3]int{2, 3, 7}[slot]
		repeat := int(br.readBits(extraBits)) + [3]int{3, 3, 11}[slot]
		if symbol+repeat > numSymbols {
			return false
		}
		length := 0
		if codeLen == 16 {
			length = prev
		}
		for ; repeat > 0; repeat-- {
			codeLengths[symbol] = length
			symbol++
		}
	}
	return true
}

// copyDistance decodes a length or distance from its prefix symbol and extra bits.
func copyDistance(symbol int, br *losslessBits) int {
	if symbol < 4 {
		return symbol + 1
	}
	extra := (symbol - 2) >> 1
	offset := (2 + symbol&1) << extra
	return offset + int(br.readBits(extra)) + 1
}

// planeCodeToDistance turns a distance code into a distance in pixels.
func planeCodeToDistance(xsize, code int) int {
	if code > len(codeToPlane) {
		return code - len(codeToPlane)
	}
	c := int(codeToPlane[code-1])
	d := (c>>4)*xsize + 8 - c&0xf
	if d < 1 {
		return 1
	}
	return d
}

// decodeImageData decodes pixels up to lastRow into data (DecodeImageData), calling
// process at every 16th row and at the end; process returns false to stop.
func (dec *lossless) decodeImageData(data []uint32, width, height, lastRow int, process func(row int) bool) error {
	br := &dec.br
	m := &dec.meta
	row, col := dec.lastPixel/width, dec.lastPixel%width
	src := dec.lastPixel
	lastCached := src
	srcEnd := width * height
	srcLast := width * lastRow
	const lenCodeLimit = numLiteralCodes + numLengthCodes
	cacheLimit := lenCodeLimit + m.colorCacheSize
	var g *htreeGroup
	if src < srcLast {
		g = m.groupFor(col, row)
	}
	insertCached := func() {
		for ; lastCached < src; lastCached++ {
			m.cacheInsert(data[lastCached])
		}
	}
	// nextRow counts a finished row; false stops the decode.
	nextRow := func() bool {
		row++
		return process == nil || row > lastRow || row%numArgbCacheRows != 0 || process(row)
	}
loop:
	for src < srcLast {
		if col&m.huffmanMask == 0 {
			g = m.groupFor(col, row)
		}
		if g.isTrivialCode {
			data[src] = g.literalARB
		} else {
			br.fill()
			code := readSymbol(g.trees[green], br)
			if br.isEndOfStream() {
				break
			}
			switch {
			case code < numLiteralCodes:
				if g.isTrivialLiteral {
					data[src] = g.literalARB | uint32(code)<<8
					break
				}
				r := readSymbol(g.trees[red], br)
				br.fill()
				b := readSymbol(g.trees[blue], br)
				a := readSymbol(g.trees[alpha], br)
				if br.isEndOfStream() {
					break loop
				}
				data[src] = uint32(a)<<24 | uint32(r)<<16 | uint32(code)<<8 | uint32(b)
			case code < lenCodeLimit:
				length := copyDistance(code-numLiteralCodes, br)
				distSymbol := readSymbol(g.trees[dist], br)
				br.fill()
				d := planeCodeToDistance(width, copyDistance(distSymbol, br))
				if br.isEndOfStream() {
					break loop
				}
				if src < d || srcEnd-src < length {
					return errLosslessBitstream
				}
				copyWithin(data, src, d, length)
				src += length
				col += length
				for col >= width {
					col -= width
					if !nextRow() {
						return dec.emitErr
					}
				}
				if col&m.huffmanMask != 0 {
					g = m.groupFor(col, row)
				}
				if m.colorCache != nil {
					insertCached()
				}
				continue
			case code < cacheLimit:
				insertCached()
				data[src] = m.colorCache[code-lenCodeLimit]
			default:
				return errLosslessBitstream
			}
		}
		src++
		col++
		if col >= width {
			col = 0
			if !nextRow() {
				return dec.emitErr
			}
			if m.colorCache != nil {
				insertCached()
			}
		}
	}
	br.eos = br.isEndOfStream()
	if br.eos {
		return errLosslessBitstream
	}
	if process != nil && !process(min(row, lastRow)) {
		return dec.emitErr
	}
	dec.lastPixel = src
	return nil
}

// copyWithin copies length words from src-d to src, overlapping forward like LZ77.
func copyWithin(data []uint32, src, d, length int) {
	if d >= length {
		copy(data[src:src+length], data[src-d:])
		return
	}
	for i := src; i < src+length; i++ {
		data[i] = data[i-d]
	}
}
