package webp

// The ALPH chunk of a lossy image, decoded as libwebp 1.2.4 does (alpha_dec.c and the
// alpha paths of vp8l_dec.c): raw or VP8L-compressed levels, unfiltered row by row
// (horizontal, vertical or gradient prediction). Pre-processing (level quantization) needs
// nothing at decode time: libwebp smooths it only when asked to dither alpha, which
// ImageMagick does not ask. Rows are decoded on demand, as the lossy rows that need them
// are emitted, so that a failure surfaces where libwebp's does.

const (
	filterNone = iota
	filterHorizontal
	filterVertical
	filterGradient
)

type alphaPlane struct {
	d             *decoder
	data          []byte // the ALPH payload
	width, height int
	method        int
	filter        int
	plane         []byte
	prevLine      int // start of the last unfiltered row in plane, -1 before the first
	started       bool
	decodedRows   int // rows available in plane
	ll            *lossless
	use8b         bool
	pixels8       []byte
}

func newAlphaPlane(d *decoder, data []byte, width, height int) *alphaPlane {
	return &alphaPlane{d: d, data: data, width: width, height: height, prevLine: -1}
}

var errAlpha = FormatError("corrupt image (could not decode alpha data)")

// rows makes rows [0, end) of the plane available (VP8DecompressAlphaRows) and returns
// the plane.
func (a *alphaPlane) rows(end int) ([]byte, error) {
	if a.decodedRows >= end {
		return a.plane, nil
	}
	if !a.started {
		a.started = true
		if err := a.init(); err != nil {
			return nil, err
		}
	}
	if err := a.decode(end); err != nil {
		return nil, err
	}
	return a.plane, nil
}

// init is ALPHInit, with the plane's allocation.
func (a *alphaPlane) init() error {
	if err := a.d.reserve(int64(a.width) * int64(a.height)); err != nil {
		return err
	}
	a.plane = make([]byte, a.width*a.height)
	if len(a.data) <= alphaHeaderLen {
		return errAlpha
	}
	h := a.data[0]
	a.method = int(h & 3)
	a.filter = int(h>>2) & 3
	preProcessing := int(h>>4) & 3
	reserved := int(h>>6) & 3
	if a.method > 1 || preProcessing > 1 || reserved != 0 {
		return errAlpha
	}
	body := a.data[alphaHeaderLen:]
	if a.method == 0 {
		if len(body) < a.width*a.height {
			return errAlpha
		}
		return nil
	}
	ll := &lossless{d: a.d, ioWidth: a.width, ioHeight: a.height}
	ll.br.init(body)
	if _, err := ll.decodeImageStream(a.width, a.height, true); err != nil {
		if _, isFormat := err.(FormatError); isFormat {
			return errAlpha
		}
		return err
	}
	a.ll = ll
	// Only a palette and trivial red, blue and alpha codes: libwebp decodes into one byte
	// per pixel, with its own end-of-stream rule.
	if ll.nTransforms == 1 && ll.transforms[0].kind == colorIndexingTransform && ll.is8bOptimizable() {
		a.use8b = true
		if err := a.d.reserve(int64(ll.width) * int64(ll.height)); err != nil {
			return err
		}
		a.pixels8 = make([]byte, ll.width*ll.height)
		return nil
	}
	if err := ll.allocate(true); err != nil {
		return err
	}
	ll.emit = a.takeRow
	return nil
}

// decode decodes rows up to end.
func (a *alphaPlane) decode(end int) error {
	if a.method == 0 {
		for y := a.decodedRows; y < end; y++ {
			a.unfilterRow(a.data[alphaHeaderLen+y*a.width:alphaHeaderLen+(y+1)*a.width], y)
		}
		a.decodedRows = end
		return nil
	}
	ll := a.ll
	if ll.lastRow >= end {
		a.decodedRows = ll.lastRow
		return nil
	}
	var err error
	if a.use8b {
		err = a.decodeAlphaData(end)
	} else {
		err = ll.decodeImageData(ll.pixels, ll.width, ll.height, end, ll.processRows)
	}
	if err != nil {
		if _, isFormat := err.(FormatError); isFormat {
			return errAlpha
		}
		return err
	}
	a.decodedRows = ll.lastRow
	return nil
}

// takeRow receives a transformed VP8L row: alpha is its green channel.
func (a *alphaPlane) takeRow(y int, argb []uint32) error {
	row := a.plane[y*a.width : (y+1)*a.width]
	for i, v := range argb[:a.width] {
		row[i] = byte(v >> 8)
	}
	a.unfilterRow(row, y)
	return nil
}

// unfilterRow writes row y of the plane from deltas (which may be the row itself).
func (a *alphaPlane) unfilterRow(deltas []byte, y int) {
	out := a.plane[y*a.width : (y+1)*a.width]
	var prev []byte
	if a.prevLine >= 0 {
		prev = a.plane[a.prevLine : a.prevLine+a.width]
	}
	switch a.filter {
	case filterNone:
		copy(out, deltas)
	case filterHorizontal:
		horizontalUnfilter(prev, deltas, out)
	case filterVertical:
		if prev == nil {
			horizontalUnfilter(nil, deltas, out)
		} else {
			for i := range out {
				out[i] = prev[i] + deltas[i]
			}
		}
	case filterGradient:
		if prev == nil {
			horizontalUnfilter(nil, deltas, out)
		} else {
			top := prev[0]
			topLeft, left := top, top
			for i := range out {
				top = prev[i]
				left = deltas[i] + gradientPredictor(left, top, topLeft)
				topLeft = top
				out[i] = left
			}
		}
	}
	a.prevLine = y * a.width
}

func horizontalUnfilter(prev, in, out []byte) {
	var pred byte
	if prev != nil {
		pred = prev[0]
	}
	for i := range out {
		out[i] = pred + in[i]
		pred = out[i]
	}
}

func gradientPredictor(a, b, c byte) byte {
	g := int(a) + int(b) - int(c)
	if g < 0 {
		return 0
	}
	if g > 255 {
		return 255
	}
	return byte(g)
}

// is8bOptimizable reports whether no group needs bits for red, blue or alpha and there is
// no colour cache.
func (dec *lossless) is8bOptimizable() bool {
	if dec.meta.colorCacheSize > 0 {
		return false
	}
	for i := range dec.meta.groups {
		t := &dec.meta.groups[i].trees
		if t[red][0].bits > 0 || t[blue][0].bits > 0 || t[alpha][0].bits > 0 {
			return false
		}
	}
	return true
}

// decodeAlphaData is DecodeAlphaData: green symbols only, one byte per pixel; running
// past the end of the data is an error only if pixels are still missing.
func (a *alphaPlane) decodeAlphaData(lastRow int) error {
	dec := a.ll
	br := &dec.br
	m := &dec.meta
	width, height := dec.width, dec.height
	data := a.pixels8
	pos := dec.lastPixel
	row, col := pos/width, pos%width
	end := width * height
	last := width * lastRow
	const lenCodeLimit = numLiteralCodes + numLengthCodes
	ok := true
	var g *htreeGroup
	if pos < last {
		g = m.groupFor(col, row)
	}
	nextRow := func() {
		row++
		if row <= lastRow && row%numArgbCacheRows == 0 {
			a.extractPalettedRows(row)
		}
	}
loop:
	for !br.eos && pos < last {
		if col&m.huffmanMask == 0 {
			g = m.groupFor(col, row)
		}
		br.fill()
		code := readSymbol(g.trees[green], br)
		switch {
		case code < numLiteralCodes:
			data[pos] = byte(code)
			pos++
			col++
			if col >= width {
				col = 0
				nextRow()
			}
		case code < lenCodeLimit:
			length := copyDistance(code-numLiteralCodes, br)
			distSymbol := readSymbol(g.trees[dist], br)
			br.fill()
			d := planeCodeToDistance(width, copyDistance(distSymbol, br))
			if pos < d || end-pos < length {
				ok = false
				break loop
			}
			for i := pos; i < pos+length; i++ {
				data[i] = data[i-d]
			}
			pos += length
			col += length
			for col >= width {
				col -= width
				nextRow()
			}
			if pos < last && col&m.huffmanMask != 0 {
				g = m.groupFor(col, row)
			}
		default:
			ok = false
			break loop
		}
		br.eos = br.isEndOfStream()
	}
	if ok {
		a.extractPalettedRows(min(row, lastRow))
	}
	br.eos = br.isEndOfStream()
	if !ok || (br.eos && pos < end) {
		return errAlpha
	}
	dec.lastPixel = pos
	return a.d.canceled()
}

// extractPalettedRows maps the palette indexes of rows [lastRow, row) to alpha and
// unfilters them.
func (a *alphaPlane) extractPalettedRows(row int) {
	dec := a.ll
	first := dec.lastRow
	if row > first {
		t := &dec.transforms[0]
		bitsPerPixel := 8 >> t.bits
		countMask := 1<<t.bits - 1
		bitMask := 1<<bitsPerPixel - 1
		for y := first; y < row; y++ {
			in := a.pixels8[dec.width*y:]
			out := a.plane[y*a.width : (y+1)*a.width]
			s := 0
			var packed int
			for x := range out {
				if bitsPerPixel == 8 {
					packed = int(in[s])
					s++
				} else if x&countMask == 0 {
					packed = int(in[s])
					s++
				}
				out[x] = byte(t.data[packed&bitMask] >> 8)
				if bitsPerPixel < 8 {
					packed >>= bitsPerPixel
				}
			}
			a.unfilterRow(out, y)
		}
	}
	dec.lastRow = row
}
