package tiff

import (
	"fmt"
	"math/bits"

	"github.com/flickrsync/flickrsync/internal/imagesig/jpeg"
)

// Reading one strip or tile as libtiff's TIFFReadEncodedStrip / TIFFReadTile do: the raw
// bytes (uncompressed strips read their computed size from the offset, whatever the byte
// count says; everything else reads the byte count), the fill order, the codec, the
// predictor, then byte swapping into the machine's (little-endian) order.

type strileDecoder struct {
	p   *page
	raw []byte
}

func newStrileDecoder(p *page) *strileDecoder { return &strileDecoder{p: p} }

// readStrip decodes strip s into buf and returns its decoded size.
func (sd *strileDecoder) readStrip(s int, buf []byte) error {
	dr := sd.p.dr
	if s >= len(dr.offsets) {
		return FormatError(fmt.Sprintf("%d: strip out of range, max %d", s, len(dr.offsets)))
	}
	rows := dr.stripRows(s)
	size := dr.vStripSize(rows)
	if size == 0 {
		return FormatError("zero strip size")
	}
	if size > uint64(len(buf)) {
		return FormatError("strip larger than its buffer")
	}
	out := buf[:size]
	if dr.compression == compNone {
		if !sd.p.f.readAt(out, dr.offsets[s]) {
			got := uint64(0)
			if dr.offsets[s] < uint64(sd.p.f.size) {
				got = uint64(sd.p.f.size) - dr.offsets[s]
			}
			return FormatError(fmt.Sprintf("read error at scanline %d; got %d bytes, expected %d", uint32(s)*dr.rowsPerStrip, got, size))
		}
		if dr.fillOrder == 2 {
			reverseBits(out)
		}
		sd.postDecode(out)
		return nil
	}
	return sd.decode(s, out, int(rows), false)
}

// readTile decodes tile t into buf (TIFFReadTile: the byte count is always used).
func (sd *strileDecoder) readTile(t int, buf []byte) error {
	dr := sd.p.dr
	if t >= len(dr.offsets) {
		return FormatError(fmt.Sprintf("%d: tile out of range, max %d", t, len(dr.offsets)))
	}
	size := dr.tileSize(dr.tileLength)
	if size == 0 || size > uint64(len(buf)) {
		return FormatError("bad tile size")
	}
	return sd.decode(t, buf[:size], int(dr.tileLength), true)
}

// rawBytes reads the byte count of strile s (TIFFFillStrip / TIFFFillTile).
func (sd *strileDecoder) rawBytes(s int, tile bool, want uint64) ([]byte, error) {
	dr := sd.p.dr
	var bc uint64
	if s < len(dr.byteCounts) {
		bc = dr.byteCounts[s]
	}
	what := "strip"
	if tile {
		what = "tile"
	}
	if bc == 0 || bc > 1<<63-1 {
		return nil, FormatError(fmt.Sprintf("invalid %s byte count %d, %s %d", what, bc, what, s))
	}
	if bc > 1024*1024 && want != 0 && (bc-4096)/10 > want {
		return nil, FormatError(fmt.Sprintf("too large %s byte count %d, %s %d", what, bc, what, s))
	}
	off := dr.offsets[s]
	fs := uint64(sd.p.f.size)
	if off >= fs || bc > fs-off {
		got := uint64(0)
		if off < fs {
			got = fs - off
		}
		return nil, FormatError(fmt.Sprintf("read error on %s %d; got %d bytes, expected %d", what, s, got, bc))
	}
	release, err := sd.p.d.reserve(int64(bc))
	if err != nil {
		return nil, err
	}
	defer release()
	if uint64(cap(sd.raw)) < bc {
		sd.raw = make([]byte, bc)
	}
	raw := sd.raw[:bc]
	if !sd.p.f.readAt(raw, off) {
		return nil, FormatError(fmt.Sprintf("read error on %s %d", what, s))
	}
	if sd.p.dr.fillOrder == 2 && !faxCompression(sd.p.dr.compression) {
		reverseBits(raw)
	}
	return raw, nil
}

func faxCompression(c uint16) bool {
	return c == compCCITTRLE || c == compCCITTRLEW || c == compCCITTFax3 || c == compCCITTFax4
}

// decode runs the codec of a compressed strip or tile into out (its full decoded size).
func (sd *strileDecoder) decode(s int, out []byte, rows int, tile bool) error {
	dr := sd.p.dr
	want := dr.vStripSize(dr.rowsPerStrip)
	if tile {
		want = dr.tileSize(dr.tileLength)
	}
	if dr.compression == compNone {
		raw, err := sd.rawBytes(s, tile, want)
		if err != nil {
			return err
		}
		if len(raw) < len(out) {
			return FormatError(fmt.Sprintf("not enough data for scanline %d, expected a request for at most %d bytes, got a request for %d bytes", 0, len(raw), len(out)))
		}
		copy(out, raw)
		sd.postDecode(out)
		return nil
	}
	if err := sd.checkPredictor(); err != nil {
		return err
	}
	raw, err := sd.rawBytes(s, tile, want)
	if err != nil {
		return err
	}
	switch dr.compression {
	case compPackBits:
		err = sd.packBits(raw, out)
	case compLZW:
		err = sd.lzw(raw, out)
	case compAdobeDeflat, compDeflate:
		err = inflateStrip(raw, out)
	case compLZMA:
		err = lzmaStrip(raw, out)
	case compCCITTRLE, compCCITTRLEW, compCCITTFax3, compCCITTFax4:
		err = sd.fax(raw, out, rows, tile)
	case compJPEG:
		err = sd.jpegRaw(raw, out)
	case compWebP:
		err = sd.webpStrip(raw, out, rows, tile)
	default:
		return UnsupportedError(fmt.Sprintf("compression %d in strips", dr.compression))
	}
	if err != nil {
		return err
	}
	rowSize := int(dr.scanlineSize())
	if tile {
		rowSize = int(dr.tileRowSize())
	}
	if err := sd.predict(out, rowSize); err != nil {
		return err
	}
	if dr.predictor != 3 || !predictorCodec(dr.compression) {
		sd.postDecode(out)
	}
	return nil
}

func predictorCodec(c uint16) bool {
	switch c {
	case compLZW, compAdobeDeflat, compDeflate, compLZMA, compZSTD, compWebP:
		return true
	}
	return false
}

// checkPredictor is PredictorSetupDecode's validation.
func (sd *strileDecoder) checkPredictor() error {
	dr := sd.p.dr
	if !predictorCodec(dr.compression) {
		return nil
	}
	switch dr.predictor {
	case 1:
	case 2:
		switch dr.bitsPerSample {
		case 8, 16, 32, 64:
		default:
			return FormatError(fmt.Sprintf("horizontal differencing \"Predictor\" not supported with %d-bit samples", dr.bitsPerSample))
		}
	case 3:
		if dr.sampleFormat != sfFloat {
			return FormatError(fmt.Sprintf("floating point \"Predictor\" not supported with %d data format", dr.sampleFormat))
		}
		switch dr.bitsPerSample {
		case 16, 24, 32, 64:
		default:
			return FormatError(fmt.Sprintf("floating point \"Predictor\" not supported with %d-bit samples", dr.bitsPerSample))
		}
	default:
		return FormatError(fmt.Sprintf("\"Predictor\" value %d not supported", dr.predictor))
	}
	return nil
}

// predict undoes the predictor, row by row (PredictorDecodeTile).
func (sd *strileDecoder) predict(out []byte, rowSize int) error {
	dr := sd.p.dr
	if !predictorCodec(dr.compression) || dr.predictor == 1 {
		return nil
	}
	if rowSize <= 0 || len(out)%rowSize != 0 {
		return FormatError("occ0%rowsize != 0")
	}
	stride := 1
	if dr.planarConfig == 1 {
		stride = int(dr.samplesPerPixel)
	}
	swab := sd.p.f.bigEndian
	for off := 0; off < len(out); off += rowSize {
		row := out[off : off+rowSize]
		var err error
		if dr.predictor == 2 {
			err = horAcc(row, stride, int(dr.bitsPerSample)/8, swab)
		} else {
			err = fpAcc(row, stride, int(dr.bitsPerSample)/8)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// horAcc undoes horizontal differencing on one row of n-byte samples; samples of a
// byte-swapped file are swapped first (swabHorAcc*), and end up in machine order.
func horAcc(row []byte, stride, n int, swab bool) error {
	if len(row)%(n*stride) != 0 {
		return FormatError(fmt.Sprintf("cc%%(%d*stride))!=0", n))
	}
	if swab && n > 1 {
		swapSamples(row, n)
	}
	count := len(row) / n
	switch n {
	case 1:
		for i := stride; i < count; i++ {
			row[i] += row[i-stride]
		}
	case 2:
		for i := stride; i < count; i++ {
			v := uint16(row[2*i]) | uint16(row[2*i+1])<<8
			u := uint16(row[2*(i-stride)]) | uint16(row[2*(i-stride)+1])<<8
			v += u
			row[2*i], row[2*i+1] = byte(v), byte(v>>8)
		}
	case 4:
		for i := stride; i < count; i++ {
			v := le32(row[4*i:]) + le32(row[4*(i-stride):])
			put32(row[4*i:], v)
		}
	case 8:
		for i := stride; i < count; i++ {
			v := le64(row[8*i:]) + le64(row[8*(i-stride):])
			put64(row[8*i:], v)
		}
	}
	return nil
}

// fpAcc undoes the floating-point predictor: byte differencing, then the byte planes
// (most significant first) put back into little-endian samples.
func fpAcc(row []byte, stride, bps int) error {
	if len(row)%(bps*stride) != 0 {
		return FormatError("cc%(bps*stride))!=0")
	}
	for i := stride; i < len(row); i++ {
		row[i] += row[i-stride]
	}
	wc := len(row) / bps
	tmp := make([]byte, len(row))
	copy(tmp, row)
	for c := 0; c < wc; c++ {
		for b := 0; b < bps; b++ {
			row[bps*c+b] = tmp[(bps-b-1)*wc+c]
		}
	}
	return nil
}

func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}
func le64(b []byte) uint64 { return uint64(le32(b)) | uint64(le32(b[4:]))<<32 }
func put32(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
}
func put64(b []byte, v uint64) { put32(b, uint32(v)); put32(b[4:], uint32(v>>32)) }

// postDecode swaps 16-, 24-, 32- and 64-bit samples of a big-endian file.
func (sd *strileDecoder) postDecode(out []byte) {
	if !sd.p.f.bigEndian {
		return
	}
	switch sd.p.dr.bitsPerSample {
	case 16, 24, 32, 64:
		swapSamples(out, int(sd.p.dr.bitsPerSample)/8)
	}
}

func swapSamples(b []byte, n int) {
	for i := 0; i+n <= len(b); i += n {
		for j := 0; j < n/2; j++ {
			b[i+j], b[i+n-1-j] = b[i+n-1-j], b[i+j]
		}
	}
}

func reverseBits(b []byte) {
	for i, v := range b {
		b[i] = bits.Reverse8(v)
	}
}

// packBits is PackBitsDecode.
func (sd *strileDecoder) packBits(raw, out []byte) error {
	occ := len(out)
	o := 0
	i := 0
	for i < len(raw) && occ > 0 {
		n := int(int8(raw[i]))
		i++
		if n < 0 {
			if n == -128 {
				continue
			}
			n = -n + 1
			if occ < n {
				sd.p.d.warn("discarding %d bytes to avoid buffer overrun", n-occ)
				n = occ
			}
			if i >= len(raw) {
				sd.p.d.warn("terminating PackBitsDecode due to lack of data")
				break
			}
			occ -= n
			b := raw[i]
			i++
			for ; n > 0; n-- {
				out[o] = b
				o++
			}
		} else {
			if occ < n+1 {
				sd.p.d.warn("discarding %d bytes to avoid buffer overrun", n-occ+1)
				n = occ - 1
			}
			if len(raw)-i < n+1 {
				sd.p.d.warn("terminating PackBitsDecode due to lack of data")
				break
			}
			n++
			copy(out[o:], raw[i:i+n])
			o += n
			occ -= n
			i += n
		}
	}
	if occ > 0 {
		return FormatError("not enough data for scanline")
	}
	return nil
}

// jpegRaw decodes a JPEG strip or tile read through TIFFReadEncodedStrip: libjpeg passes the
// components through unconverted (8-bit CMYK, the only case ImageMagick reads this way).
func (sd *strileDecoder) jpegRaw(raw, out []byte) error {
	lw := &limitWriter{buf: out}
	info, err := jpeg.DecodeTIFF(sd.p.d.ctx, sd.p.dr.jpegTables, raw, lw, jpeg.Options{MaxPixels: sd.p.d.opts.MaxPixels}, jpeg.TransformNone)
	for _, w := range info.Warnings {
		sd.p.d.warn("JPEG: %s", w)
	}
	if err != nil {
		return FormatError(fmt.Sprintf("JPEG: %v", err))
	}
	if info.Components != int(sd.p.dr.samplesPerPixel) {
		return FormatError("improper JPEG component count")
	}
	return nil
}

// silentError is a strip or tile read that fails without libtiff reporting an error (a
// decoder that returns -1 after only a warning): ImageMagick is not told, and goes on
// with what the read left in its buffer (strips: it stops reading the plane).
type silentError string

func (e silentError) Error() string { return "tiff: " + string(e) }

func isSilent(err error) bool {
	_, ok := err.(silentError)
	return ok
}
