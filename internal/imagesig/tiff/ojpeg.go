package tiff

import (
	"fmt"

	"github.com/flickrsync/flickrsync/internal/imagesig/jpeg"
)

// Old-style JPEG (compression 6) as libtiff 4.5's tif_ojpeg.c reads it: one JPEG stream
// for the whole image, rebuilt from the JPEGInterchangeFormat data and the strips (or from
// the JPEGQTables/DCTables/ACTables tags when no frame header is found), restart markers
// inserted between strips, decoded in libjpeg's raw-data mode into packed, subsampled
// YCbCr; the RGBA interface then converts that with libtiff's own YCbCr tables
// (tif_color.c) and replicates the chroma over each sampling block.

type ojpeg struct {
	p *page
	f *file

	hor, ver   int
	stripW     int
	stripL     int
	stripLTot  int
	restart    int
	spp        int
	qt, dc, ac [4][]byte // whole marker segments
	sofMarker  byte
	sofC       [3]byte
	sofHV      [3]byte
	sofTq      [3]byte
	sofX, sofY int
	sofLog     bool
	sosCs      [3]byte
	sosTda     [3]byte

	segs []ojSeg
	// read position
	seg, pos int
}

type ojSeg struct {
	off, n uint64
	strile bool
}

// ojpegSegments lists where libtiff's OJPEG reader takes its bytes from, in order.
func (o *ojpeg) segments() {
	dr, f := o.p.dr, o.f
	fs := uint64(f.size)
	if e := dr.entries[tagJPEGIFOffset]; e != nil {
		if v, ok := f.ints(e); ok && len(v) > 0 && v[0] != 0 && v[0] < fs {
			off := v[0]
			var n uint64
			if e2 := dr.entries[tagJPEGIFByteCount]; e2 != nil {
				if w, ok := f.ints(e2); ok && len(w) > 0 {
					n = w[0]
				}
			}
			if n == 0 || off+n > fs || off+n < off {
				n = fs - off
			}
			o.segs = append(o.segs, ojSeg{off: off, n: n})
		}
	}
	for s := range dr.offsets {
		off := dr.offsets[s]
		if off == 0 || off >= fs {
			o.segs = append(o.segs, ojSeg{strile: true})
			continue
		}
		var bc uint64
		if s < len(dr.byteCounts) {
			bc = dr.byteCounts[s]
		}
		n := bc
		if n == 0 || off+n > fs || off+n < off {
			n = fs - off
		}
		o.segs = append(o.segs, ojSeg{off: off, n: n, strile: true})
	}
}

var errOJPEGEOF = FormatError("old-style JPEG: unexpected end of data")

// peek and next read the concatenated segments.
func (o *ojpeg) peek() (byte, error) {
	for o.seg < len(o.segs) && uint64(o.pos) >= o.segs[o.seg].n {
		o.seg++
		o.pos = 0
	}
	if o.seg >= len(o.segs) {
		return 0, errOJPEGEOF
	}
	var b [1]byte
	if !o.f.readAt(b[:], o.segs[o.seg].off+uint64(o.pos)) {
		return 0, errOJPEGEOF
	}
	return b[0], nil
}

func (o *ojpeg) next() (byte, error) {
	b, err := o.peek()
	if err == nil {
		o.pos++
	}
	return b, err
}

func (o *ojpeg) word() (int, error) {
	a, err := o.next()
	if err != nil {
		return 0, err
	}
	b, err := o.next()
	return int(a)<<8 | int(b), err
}

func (o *ojpeg) block(n int) ([]byte, error) {
	out := make([]byte, n)
	for i := range out {
		b, err := o.next()
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

// readHeader is OJPEGReadHeaderInfoSec: the markers up to SOS. With probe set (the
// subsampling correction pass) it stops at the frame header and only learns the sampling.
func (o *ojpeg) readHeader(probe bool) (forceDesub bool, err error) {
	o.seg, o.pos = 0, 0
	corrupt := func(what string) error { return FormatError("old-style JPEG: corrupt " + what + " in JPEG data") }
	for {
		m, err := o.peek()
		if err != nil {
			return false, err
		}
		if m != 255 {
			break
		}
		o.pos++
		for m == 255 {
			if m, err = o.next(); err != nil {
				return false, err
			}
		}
		switch {
		case m == 0xD8: // SOI
		case m == 0xFE || (m >= 0xE0 && m <= 0xEF):
			n, err := o.word()
			if err != nil {
				return false, err
			}
			if n < 2 {
				return false, corrupt("marker")
			}
			if _, err := o.block(n - 2); err != nil {
				return false, err
			}
		case m == 0xDD: // DRI
			n, err := o.word()
			if err != nil || n != 4 {
				return false, corrupt("DRI marker")
			}
			if o.restart, err = o.word(); err != nil {
				return false, err
			}
		case m == 0xDB: // DQT
			n, err := o.word()
			if err != nil || n <= 2 {
				return false, corrupt("DQT marker")
			}
			if probe {
				if _, err := o.block(n - 2); err != nil {
					return false, err
				}
				break
			}
			for n -= 2; n > 0; n -= 65 {
				if n < 65 {
					return false, corrupt("DQT marker")
				}
				t, err := o.block(65)
				if err != nil {
					return false, err
				}
				id := t[0] & 15
				if id > 3 {
					return false, corrupt("DQT marker")
				}
				o.qt[id] = append([]byte{0xFF, 0xDB, 0, 67}, t...)
			}
		case m == 0xC4: // DHT
			n, err := o.word()
			if err != nil || n <= 2 {
				return false, corrupt("DHT marker")
			}
			t, err := o.block(n - 2)
			if err != nil {
				return false, err
			}
			if probe {
				break
			}
			seg := append([]byte{0xFF, 0xC4, byte(n >> 8), byte(n)}, t...)
			id := t[0]
			switch {
			case id&0xF0 == 0 && id <= 3:
				o.dc[id] = seg
			case id&0xF0 == 0x10 && id&15 <= 3:
				o.ac[id&15] = seg
			default:
				return false, corrupt("DHT marker")
			}
		case m == 0xC0 || m == 0xC1 || m == 0xC3:
			fd, err := o.readSOF(m, probe)
			if err != nil {
				return false, err
			}
			if probe {
				return fd, nil
			}
		case m == 0xDA: // SOS
			if probe {
				return false, nil
			}
			return false, o.readSOS()
		default:
			return false, FormatError(fmt.Sprintf("old-style JPEG: unknown marker type %d in JPEG data", m))
		}
	}
	return false, nil
}

func (o *ojpeg) readSOF(marker byte, probe bool) (forceDesub bool, err error) {
	if o.sofLog {
		return false, FormatError("old-style JPEG: corrupt JPEG data (second SOF)")
	}
	bad := FormatError("old-style JPEG: corrupt SOF marker in JPEG data")
	m, err := o.word()
	if err != nil {
		return false, err
	}
	if m < 11 || (m-8)%3 != 0 {
		return false, bad
	}
	n := (m - 8) / 3
	if !probe && n != o.spp {
		return false, FormatError("old-style JPEG: JPEG compressed data indicates unexpected number of samples")
	}
	prec, err := o.next()
	if err != nil {
		return false, err
	}
	if !probe && prec != 8 {
		return false, FormatError("old-style JPEG: JPEG compressed data indicates unexpected data precision")
	}
	y, err := o.word()
	if err != nil {
		return false, err
	}
	x, err := o.word()
	if err != nil {
		return false, err
	}
	if !probe {
		if y < int(o.p.dr.height) && y < o.stripLTot {
			return false, FormatError("old-style JPEG: JPEG compressed data indicates unexpected height")
		}
		if (x < int(o.p.dr.width) && x < o.stripW) || x > o.stripW {
			return false, FormatError("old-style JPEG: JPEG compressed data indicates unexpected width")
		}
		o.sofMarker, o.sofX, o.sofY = marker, x, y
	}
	nf, err := o.next()
	if err != nil {
		return false, err
	}
	if !probe && int(nf) != n {
		return false, bad
	}
	if n > 3 {
		return false, bad
	}
	for q := 0; q < n; q++ {
		c, err := o.block(3)
		if err != nil {
			return false, err
		}
		hv := c[1]
		if probe {
			if q == 0 {
				o.hor, o.ver = int(hv>>4), int(hv&15)
				if !validSampling(o.hor) || !validSampling(o.ver) {
					forceDesub = true
				}
			} else if hv != 17 {
				forceDesub = true
			}
			continue
		}
		o.sofC[q], o.sofHV[q], o.sofTq[q] = c[0], hv, c[2]
		if q == 0 && hv != byte(o.hor<<4|o.ver) || q > 0 && hv != 17 {
			return false, FormatError("old-style JPEG: JPEG compressed data indicates unexpected subsampling values")
		}
	}
	if !probe {
		o.sofLog = true
	}
	return forceDesub, nil
}

func validSampling(v int) bool { return v == 1 || v == 2 || v == 4 }

func (o *ojpeg) readSOS() error {
	bad := FormatError("old-style JPEG: corrupt SOS marker in JPEG data")
	if !o.sofLog {
		return bad
	}
	m, err := o.word()
	if err != nil {
		return err
	}
	if m != 6+o.spp*2 {
		return bad
	}
	n, err := o.next()
	if err != nil {
		return err
	}
	if int(n) != o.spp {
		return bad
	}
	for i := 0; i < o.spp; i++ {
		c, err := o.block(2)
		if err != nil {
			return err
		}
		o.sosCs[i], o.sosTda[i] = c[0], c[1]
	}
	_, err = o.block(3)
	return err
}

// tablesFromTags builds the tables and the frame header from the JPEGQTables,
// JPEGDCTables and JPEGACTables tags (OJPEGReadHeaderInfoSecTables*).
func (o *ojpeg) tablesFromTags() error {
	dr, f := o.p.dr, o.f
	offsets := func(tag uint16) []uint64 {
		var v []uint64
		if e := dr.entries[tag]; e != nil {
			v, _ = f.ints(e)
		}
		out := make([]uint64, 3)
		copy(out, v)
		return out
	}
	q, dc, ac := offsets(tagJPEGQTables), offsets(tagJPEGDCTables), offsets(tagJPEGACTables)
	missing := FormatError("old-style JPEG: missing JPEG tables")
	if q[0] == 0 {
		return missing
	}
	for m := 0; m < o.spp; m++ {
		if q[m] != 0 && (m == 0 || q[m] != q[m-1]) {
			t := make([]byte, 64)
			if !f.readAt(t, q[m]) {
				return FormatError("old-style JPEG: corrupt JpegQTables tag value")
			}
			o.qt[m] = append([]byte{0xFF, 0xDB, 0, 67, byte(m)}, t...)
			o.sofTq[m] = byte(m)
		} else {
			o.sofTq[m] = o.sofTq[m-1]
		}
	}
	o.sofMarker = 0xC0
	for i := 0; i < o.spp; i++ {
		o.sofC[i] = byte(i)
		o.sofHV[i] = 17
	}
	o.sofHV[0] = byte(o.hor<<4 | o.ver)
	o.sofX, o.sofY, o.sofLog = o.stripW, o.stripLTot, true
	huff := func(offs []uint64, class byte, dst *[4][]byte, ac bool) error {
		if offs[0] == 0 {
			return missing
		}
		for m := 0; m < o.spp; m++ {
			if offs[m] != 0 && (m == 0 || offs[m] != offs[m-1]) {
				counts := make([]byte, 16)
				if !f.readAt(counts, offs[m]) {
					return FormatError("old-style JPEG: corrupt JPEG Huffman tables tag value")
				}
				total := 0
				for _, c := range counts {
					total += int(c)
				}
				vals := make([]byte, total)
				if !f.readAt(vals, offs[m]+16) {
					return FormatError("old-style JPEG: corrupt JPEG Huffman tables tag value")
				}
				seg := []byte{0xFF, 0xC4, byte((19 + total) >> 8), byte(19 + total), class | byte(m)}
				seg = append(append(seg, counts...), vals...)
				dst[m] = seg
				if ac {
					o.sosTda[m] |= byte(m)
				} else {
					o.sosTda[m] = byte(m << 4)
				}
			} else if ac {
				o.sosTda[m] = o.sosTda[m]&0xF0 | o.sosTda[m-1]&15
			} else {
				o.sosTda[m] = o.sosTda[m-1]
			}
		}
		return nil
	}
	if err := huff(dc, 0, &o.dc, false); err != nil {
		return err
	}
	if err := huff(ac, 0x10, &o.ac, true); err != nil {
		return err
	}
	for i := 1; i < o.spp; i++ {
		o.sosCs[i] = byte(i)
	}
	return nil
}

// stream writes the JPEG stream libjpeg is given (OJPEGWriteStream), continuing the
// compressed data from the current read position.
func (o *ojpeg) stream() ([]byte, error) {
	var s []byte
	s = append(s, 0xFF, 0xD8)
	for _, t := range o.qt {
		s = append(s, t...)
	}
	for _, t := range o.dc {
		s = append(s, t...)
	}
	for _, t := range o.ac {
		s = append(s, t...)
	}
	if o.restart != 0 {
		s = append(s, 0xFF, 0xDD, 0, 4, byte(o.restart>>8), byte(o.restart))
	}
	s = append(s, 0xFF, o.sofMarker, 0, byte(8+o.spp*3), 8, byte(o.sofY>>8), byte(o.sofY), byte(o.sofX>>8), byte(o.sofX), byte(o.spp))
	for i := 0; i < o.spp; i++ {
		s = append(s, o.sofC[i], o.sofHV[i], o.sofTq[i])
	}
	s = append(s, 0xFF, 0xDA, 0, byte(6+o.spp*2), byte(o.spp))
	for i := 0; i < o.spp; i++ {
		s = append(s, o.sosCs[i], o.sosTda[i])
	}
	s = append(s, 0, 63, 0)
	rst := 0
	for o.seg < len(o.segs) {
		sg := o.segs[o.seg]
		if uint64(o.pos) < sg.n {
			n := sg.n - uint64(o.pos)
			if n > uint64(o.f.size) {
				return nil, errOJPEGEOF
			}
			b := make([]byte, n)
			if !o.f.readAt(b, sg.off+uint64(o.pos)) {
				return nil, errOJPEGEOF
			}
			s = append(s, b...)
			if sg.strile && o.seg < len(o.segs)-1 {
				s = append(s, 0xFF, byte(0xD0+rst))
				rst = (rst + 1) % 8
			}
		}
		o.seg++
		o.pos = 0
	}
	return append(s, 0xFF, 0xD9), nil
}

// readOJPEG is ImageMagick's generic method for an old-style JPEG directory.
func (g *rgbaReader) readOJPEG() error {
	p := g.p
	dr := p.dr
	o := &ojpeg{p: p, f: p.f, hor: 2, ver: 2, spp: int(dr.samplesPerPixel)}
	p.d.warn("deprecated and troublesome old-style JPEG compression mode, please convert to new-style JPEG compression and notify vendor of writing software")
	if e := dr.entries[tagYCbCrSubsampling]; e != nil {
		o.hor, o.ver = int(dr.subsampling[0]), int(dr.subsampling[1])
	}
	if o.spp != 3 || dr.photometric != photoYCbCr || dr.planarConfig != 1 {
		return UnsupportedError("old-style JPEG other than contiguous YCbCr")
	}
	o.segments()
	// OJPEGSubsamplingCorrect: the frame header's sampling wins over the tag.
	tagH, tagV := o.hor, o.ver
	force, err := o.readHeader(true)
	if err == nil && force {
		return UnsupportedError("old-style JPEG with sampling TIFF does not allow")
	}
	if o.hor != tagH || o.ver != tagV {
		p.d.warn("subsampling inside JPEG data [%d,%d] does not match subsampling tag values [%d,%d]; assuming subsampling inside JPEG data is correct", o.hor, o.ver, tagH, tagV)
	}
	across := 1
	if dr.tiled {
		o.stripW, o.stripL = int(dr.tileWidth), int(dr.tileLength)
		o.stripLTot = (int(dr.height) + o.stripL - 1) / o.stripL * o.stripL
		across = int(howMany(uint64(dr.width), uint64(dr.tileWidth)))
	} else {
		o.stripW, o.stripL = int(dr.width), int(dr.rowsPerStrip)
		if dr.rowsPerStrip == 0xFFFFFFFF {
			o.stripL = int(dr.height)
		}
		o.stripLTot = int(dr.height)
	}
	if across != 1 {
		return UnsupportedError("old-style JPEG with more than one tile across")
	}
	if o.stripL < int(dr.height) {
		if !validSampling(o.hor) || !validSampling(o.ver) {
			return FormatError("old-style JPEG: invalid subsampling values")
		}
		if o.stripL%(o.ver*8) != 0 {
			return FormatError("old-style JPEG: incompatible vertical subsampling and image strip/tile length")
		}
		o.restart = (o.stripW + o.hor*8 - 1) / (o.hor * 8) * (o.stripL / (o.ver * 8))
	}
	if _, err := o.readHeader(false); err != nil {
		return err
	}
	if !o.sofLog {
		if err := o.tablesFromTags(); err != nil {
			return err
		}
	}
	stream, err := o.stream()
	if err != nil {
		return err
	}
	conv, err := newYCbCrConverter(p.f, dr)
	if err != nil {
		return err
	}
	return g.ojpegRows(o, stream, conv)
}

// ojpegRows decodes the stream and turns its sampling blocks into rows, strip by strip (or
// tile by tile) as the RGBA interface reads them.
func (g *rgbaReader) ojpegRows(o *ojpeg, stream []byte, conv *ycbcrConverter) error {
	p := g.p
	h, v := o.hor, o.ver
	yLineLen := (o.stripW + h*8 - 1) / (h * 8) * h * 8
	cLineLen := yLineLen / h
	blocks := (o.stripW + h - 1) / h
	// One iMCU row of raw samples.
	yBuf := make([]byte, yLineLen*v*8)
	cbBuf := make([]byte, cLineLen*8)
	crBuf := make([]byte, cLineLen*8)
	rows := make([]pixel, v*p.width)
	block := make([]byte, h*v)
	var band []pixel
	flipAll := g.flipV
	var all []pixel
	if flipAll {
		a, release, err := p.allocRows(p.height)
		if err != nil {
			return err
		}
		defer release()
		all = a
	}
	_ = band
	// The image rows of the current strile and the next row to give.
	stripL := o.stripL
	y := 0        // next image row
	inStrile := 0 // rows of the current strile already given
	var emitErr error
	emit := func(r []pixel) {
		if emitErr != nil || y >= p.height {
			return
		}
		row := r
		if g.mirror {
			for i, j := 0, len(row)-1; i < j; i, j = i+1, j-1 {
				row[i], row[j] = row[j], row[i]
			}
		}
		if flipAll {
			copy(all[(p.height-1-y)*p.width:], row)
		} else {
			emitErr = p.emit(row, 1)
		}
		y++
	}
	// sampling line: v image rows from luma rows yOff.., chroma row c.
	line := func(yRows []byte, c int) {
		n := v
		if rem := stripL - inStrile; rem < n {
			n = rem
		}
		for b := 0; b < blocks; b++ {
			for sy := 0; sy < v; sy++ {
				for sx := 0; sx < h; sx++ {
					block[sy*h+sx] = yRows[sy*yLineLen+b*h+sx]
				}
			}
			cb, cr := cbBuf[c*cLineLen+b], crBuf[c*cLineLen+b]
			for sy := 0; sy < n; sy++ {
				for sx := 0; sx < h; sx++ {
					x := b*h + sx
					if x >= p.width {
						break
					}
					r, gg, bb := conv.rgb(block[sy*h+sx], cb, cr)
					q := &rows[sy*p.width+x]
					q.r, q.g, q.b, q.o = uint16(r)*257, uint16(gg)*257, uint16(bb)*257, 0
				}
			}
		}
		for sy := 0; sy < n; sy++ {
			emit(rows[sy*p.width : (sy+1)*p.width])
		}
		inStrile += v
		if inStrile >= stripL {
			inStrile = 0
		}
	}
	info, err := jpeg.DecodeTIFFRaw(p.d.ctx, stream, h, v, jpeg.Options{MaxPixels: p.d.opts.MaxPixels}, func(comp, ry int, samples []byte) {
		switch comp {
		case 0:
			copy(yBuf[(ry%(v*8))*yLineLen:], samples)
		case 1:
			copy(cbBuf[(ry%8)*cLineLen:], samples)
		case 2:
			copy(crBuf[(ry%8)*cLineLen:], samples)
			if ry%8 == 7 {
				for c := 0; c < 8; c++ {
					line(yBuf[c*v*yLineLen:], c)
				}
			}
		}
	})
	for _, w := range info.Warnings {
		p.d.warn("JPEG: %s", w)
	}
	if err != nil {
		return FormatError(fmt.Sprintf("old-style JPEG: %v", err))
	}
	if info.Width != o.stripW {
		return FormatError(fmt.Sprintf("old-style JPEG: jpeg_start_decompress() returned image_width = %d, expected %d", info.Width, o.stripW))
	}
	if emitErr != nil {
		return emitErr
	}
	if flipAll {
		return p.emit(all, p.height)
	}
	if y < p.height {
		return FormatError("old-style JPEG: not enough data")
	}
	return nil
}

// ycbcrConverter is libtiff's TIFFYCbCrToRGB (tif_color.c) for 8-bit samples.
type ycbcrConverter struct {
	crR, cbB, crG, cbG, yTab [256]int32
}

func newYCbCrConverter(f *file, dr *dir) (*ycbcrConverter, error) {
	luma := [3]float32{0.299, 0.587, 0.114}
	if e := dr.entries[tagYCbCrCoefficients]; e != nil {
		if v, ok := f.floats(e); ok && len(v) == 3 {
			luma = [3]float32{v[0], v[1], v[2]}
		}
	}
	ref := [6]float32{0, 255, 128, 255, 128, 255}
	if e := dr.entries[tagReferenceBlackWhit]; e != nil {
		if v, ok := f.floats(e); ok && len(v) == 6 {
			copy(ref[:], v)
		}
	}
	if luma[0] != luma[0] || luma[1] != luma[1] || luma[1] == 0 || luma[2] != luma[2] {
		return nil, FormatError("invalid values for YCbCrCoefficients tag")
	}
	for _, r := range ref {
		if !(r > float32(-0x7FFFFFFF+128) && r < float32(0x7FFFFFFF)) {
			return nil, FormatError("invalid values for ReferenceBlackWhite tag")
		}
	}
	clamp := func(f, lo, hi float32) float32 {
		if !(f >= lo) {
			return lo
		}
		if f > hi {
			return hi
		}
		return f
	}
	fix := func(x float32) int32 { return int32(float64(x*65536) + 0.5) }
	f1 := 2 - 2*luma[0]
	d1 := fix(clamp(f1, 0, 2))
	f2 := luma[0] * f1 / luma[1]
	d2 := -fix(clamp(f2, 0, 2))
	f3 := 2 - 2*luma[2]
	d3 := fix(clamp(f3, 0, 2))
	f4 := luma[2] * f3 / luma[1]
	d4 := -fix(clamp(f4, 0, 2))
	code2V := func(c int32, rb, rw float32, cr float32) float32 {
		den := rw - rb
		if den == 0 {
			den = 1
		}
		return float32(c-int32(rb)) * cr / den
	}
	clampW := func(v float32) float32 {
		if v < -128*32 {
			return -128 * 32
		}
		if v > 128*32 {
			return 128 * 32
		}
		return v
	}
	c := &ycbcrConverter{}
	for i, x := 0, int32(-128); i < 256; i, x = i+1, x+1 {
		cr := int32(clampW(code2V(x, ref[4]-128, ref[5]-128, 127)))
		cb := int32(clampW(code2V(x, ref[2]-128, ref[3]-128, 127)))
		c.crR[i] = (d1*cr + 1<<15) >> 16
		c.cbB[i] = (d3*cb + 1<<15) >> 16
		c.crG[i] = d2 * cr
		c.cbG[i] = d4*cb + 1<<15
		c.yTab[i] = int32(clampW(code2V(x+128, ref[0], ref[1], 255)))
	}
	return c, nil
}

func clamp8(i int32) byte {
	if i < 0 {
		return 0
	}
	if i > 255 {
		return 255
	}
	return byte(i)
}

func (c *ycbcrConverter) rgb(y, cb, cr byte) (r, g, b byte) {
	yv := c.yTab[y]
	return clamp8(yv + c.crR[cr]), clamp8(yv + (c.cbG[cb]+c.crG[cr])>>16), clamp8(yv + c.cbB[cb])
}
