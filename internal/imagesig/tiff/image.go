package tiff

import (
	"fmt"
	"io"
)

// One directory read as ImageMagick 6.9.11's ReadTIFFImage (coders/tiff.c) reads it: its
// checks, its choice of method (strips, tiles, or libtiff's RGBA interface), its quantum
// types, then the export of the pixels for the signature.

type method int

const (
	methodGeneric method = iota
	methodStrip
	methodTile
)

type colorspace int

const (
	csRGB colorspace = iota
	csGray
	csCMYK
	csLab
	csYCbCr
)

// page is one directory being decoded.
type page struct {
	d  *decoder
	f  *file
	dr *dir

	width, height int
	colorspace    colorspace
	matte         bool
	pseudo        bool // colormapped (PseudoClass)
	imp           importer
	exp           *exporter
	w             io.Writer // nil while validating a page that is not the last
}

func (d *decoder) decodeDir(f *file, dr *dir, w io.Writer) (Info, *page, error) {
	p := &page{d: d, f: f, dr: dr, w: w, width: int(dr.width), height: int(dr.height)}
	if err := p.setup(); err != nil {
		return Info{}, nil, err
	}
	info := Info{Width: p.width, Height: p.height, Depth: int(dr.bitsPerSample), LittleEndian: !f.bigEndian,
		Alpha: p.matte, CMYK: p.colorspace == csCMYK}
	if err := p.read(); err != nil {
		return info, nil, err
	}
	return info, p, nil
}

// setup is ReadTIFFImage up to the choice of method.
func (p *page) setup() error {
	dr := p.dr
	if !dr.havePhotometric {
		return FormatError("improper image header")
	}
	bps := dr.bitsPerSample
	if !(dr.sampleFormat == sfFloat && bps == 64) && (bps == 0 || bps > 32) {
		return FormatError(fmt.Sprintf("unsupported bits per pixel (%d)", bps))
	}
	switch dr.photometric {
	case photoMinIsBlack, photoMinIsWhite:
		p.colorspace = csGray
	case photoSeparated:
		p.colorspace = csCMYK
	case photoCIELab:
		p.colorspace = csLab
	case photoYCbCr:
		if dr.compression != compJPEG {
			p.colorspace = csYCbCr
		}
	}
	if err := p.f.checkEXIF(dr); err != nil {
		return err
	}
	if !p.f.profileOK(dr) {
		return FormatError("profile shorter than 4 bytes")
	}
	if err := checkCodec(dr.compression); err != nil {
		return err
	}
	if dr.photometric == photoPalette && bps <= 16 {
		p.pseudo = true
		colors := 1 << bps
		p.imp.colormap = make([]pixel, colors)
		step := quantumRange / max(colors-1, 1)
		for i := range p.imp.colormap {
			v := uint16(i * step)
			p.imp.colormap[i] = pixel{r: v, g: v, b: v}
		}
		if dr.colormap[0] != nil {
			rng := 255.0
			for i := 0; i < colors; i++ {
				if dr.colormap[0][i] >= 256 || dr.colormap[1][i] >= 256 || dr.colormap[2][i] >= 256 {
					rng = 65535
					break
				}
			}
			for i := 0; i < colors; i++ {
				c := &p.imp.colormap[i]
				c.r = clampToQuantum(quantumRange * float64(dr.colormap[0][i]) / rng)
				c.g = clampToQuantum(quantumRange * float64(dr.colormap[1][i]) / rng)
				c.b = clampToQuantum(quantumRange * float64(dr.colormap[2][i]) / rng)
			}
		}
	}
	if p.width == 0 || p.height == 0 {
		return FormatError("negative or zero image size")
	}
	if int64(p.width)*int64(p.height) > p.d.opts.MaxPixels {
		return &tooLargeError{int64(p.width), int64(p.height), p.d.opts.MaxPixels}
	}
	format := fmtUnsigned
	switch dr.sampleFormat {
	case sfInt:
		format = fmtSigned
	case sfFloat:
		format = fmtFloat
	}
	p.imp.format = format
	p.imp.depth = quantumDepth(int(bps), format)
	p.imp.minIsWhite = dr.photometric == photoMinIsWhite
	if len(dr.extraSamples) == 0 {
		if dr.samplesPerPixel == 4 && dr.photometric == photoRGB {
			p.matte = true
		}
	}
	for _, es := range dr.extraSamples {
		p.matte = true
		switch es {
		case 1:
			p.imp.alphaType = alphaAssociated
		case 2:
			p.imp.alphaType = alphaDisassociated
		}
	}
	p.imp.cmyk = p.colorspace == csCMYK
	if dr.samplesPerPixel > 32 {
		return FormatError("maximum channels exceeded")
	}
	p.exp = newExporter(int(bps), !p.f.bigEndian, p.matte, p.colorspace == csCMYK)
	return nil
}

// checkCodec is TIFFIsCODECConfigured as Debian's libtiff 4.5 answers it, and what this
// package reads of it.
func checkCodec(c uint16) error {
	switch c {
	case compNone, compCCITTRLE, compCCITTRLEW, compCCITTFax3, compCCITTFax4, compLZW, compOJPEG, compJPEG,
		compAdobeDeflat, compDeflate, compPackBits, compSGILog, compSGILog24, compLZMA, compWebP:
		return nil
	case compNeXT, compThunderscan, compJBIG, compZSTD, 32908, 32909, 34887:
		return UnsupportedError(fmt.Sprintf("compression scheme %d", c))
	}
	return FormatError(fmt.Sprintf("compress not supported (compression %d)", c))
}

// read chooses the method and decodes the pixels.
func (p *page) read() error {
	dr := p.dr
	m := methodGeneric
	rps := dr.height
	if dr.haveRowsPerStrip {
		m = methodStrip
		rps = dr.rowsPerStrip
		if rps > dr.height {
			rps = dr.height
		}
	}
	if dr.tiled {
		m = methodTile
	}
	if dr.photometric == photoLogLuv || dr.compression == compCCITTFax3 {
		m = methodGeneric
	}
	if dr.compression == compJPEG || dr.compression == compOJPEG {
		m = methodGeneric
		if dr.photometric == photoSeparated && dr.bitsPerSample == 8 && dr.samplesPerPixel == 4 {
			m = methodStrip
			if p.ycckJPEG() {
				return UnsupportedError("YCCK JPEG in TIFF")
			}
		}
	}
	sl := dr.scanlineSize()
	if sl == 0 {
		return FormatError("memory allocation failed (zero scanline size)")
	}
	if float64(sl) > 2.53*float64(p.f.size) {
		return FormatError("insufficient image data in file")
	}
	qt := qGray
	if p.pseudo {
		qt = qIndex
	}
	spp := int(dr.samplesPerPixel)
	if dr.planarConfig != 2 {
		pad := spp - 1
		if p.matte {
			if p.pseudo {
				qt = qIndexAlpha
			} else if spp == 1 {
				qt = qAlpha
			} else {
				qt = qGrayAlpha
			}
		}
		if spp > 2 {
			qt, pad = qRGB, spp-3
			if p.matte {
				qt, pad = qRGBA, spp-4
			}
			if p.colorspace == csCMYK {
				qt, pad = qCMYK, spp-4
				if p.matte {
					qt, pad = qCMYKA, spp-5
				}
			}
			if pad < 0 {
				return FormatError("memory allocation failed (bad quantum pad)")
			}
			p.imp.pad = pad * ((int(dr.bitsPerSample) + 7) >> 3)
		}
	}
	var err error
	switch m {
	case methodStrip:
		err = p.readStrips(qt, rps)
	case methodTile:
		err = p.readTiles(qt)
	default:
		err = p.readGeneric()
	}
	if err != nil {
		return err
	}
	if p.imp.rangeErr {
		return FormatError("invalid colormap index")
	}
	return nil
}

// planeType is the quantum type ImageMagick uses for sample plane i of a planar image.
func planeType(first quantumType, i int, cmyk bool) quantumType {
	switch i {
	case 0:
		return first
	case 1:
		return qGreen
	case 2:
		return qBlue
	case 3:
		if cmyk {
			return qBlack
		}
		return qAlpha
	default:
		return qAlpha
	}
}

// emit finishes rows: Lab decoding, then export.
func (p *page) emit(rows []pixel, n int) error {
	if p.w == nil {
		return nil
	}
	for y := 0; y < n; y++ {
		row := rows[y*p.width : (y+1)*p.width]
		if p.colorspace == csLab {
			decodeLab(row)
		}
		if err := p.exp.writeRow(p.w, row); err != nil {
			return err
		}
	}
	return nil
}

// decodeLab is ImageMagick's DecodeLabImage: a and b are stored offset by half the range.
func decodeLab(row []pixel) {
	for i := range row {
		q := &row[i]
		a := float64(q.g)/quantumRange + 0.5
		if a > 1.0 {
			a -= 1.0
		}
		b := float64(q.b)/quantumRange + 0.5
		if b > 1.0 {
			b -= 1.0
		}
		q.g = uint16(quantumRange * a)
		q.b = uint16(quantumRange * b)
	}
}

// allocRows reserves and allocates n rows of pixels.
func (p *page) allocRows(n int) ([]pixel, func(), error) {
	bytes := int64(n) * int64(p.width) * 10
	release, err := p.d.reserve(bytes)
	if err != nil {
		return nil, nil, err
	}
	return make([]pixel, n*p.width), release, nil
}

func (p *page) readStrips(qt quantumType, rps uint32) error {
	dr := p.dr
	if dr.tiled {
		// ImageMagick reads 8-bit CMYK JPEG by strips even when the image is tiled.
		return FormatError("can not read scanlines from a tiled image")
	}
	stripSize := dr.vStripSize(rps)
	stride := int(dr.vStripSize(1))
	if stripSize == 0 {
		return FormatError("zero strip size")
	}
	planar := dr.planarConfig == 2 && dr.samplesPerPixel > 1
	bufLen := 2*stripSize + uint64(p.width)*8
	relBuf, err := p.d.reserve(int64(bufLen))
	if err != nil {
		return err
	}
	defer relBuf()
	buf := make([]byte, bufLen)
	var rows []pixel
	if planar {
		r, release, err := p.allocRows(p.height)
		if err != nil {
			return err
		}
		defer release()
		rows = r
	} else {
		r, release, err := p.allocRows(1)
		if err != nil {
			return err
		}
		defer release()
		rows = r
	}
	sd := newStrileDecoder(p)
	strip := 0
	direct := 0
	if !planar {
		direct = p.directRowBytes(qt)
	}
	for i := 0; i < int(dr.samplesPerPixel); i++ {
		t := qt
		if planar {
			t = planeType(qt, i, p.colorspace == csCMYK)
		}
		rem := uint32(0)
		off := 0
		for y := 0; y < p.height; y++ {
			if rem == 0 {
				if err := p.d.ctx.Err(); err != nil {
					return err
				}
				if err := sd.readStrip(strip, buf); err != nil {
					if !isSilent(err) {
						return err
					}
					// ImageMagick stops this plane; its remaining rows keep their reset
					// pixels (zero).
					p.d.warn("%v", err)
					if !planar {
						zero := rows[:p.width]
						clear(zero)
						for ; y < p.height; y++ {
							if err := p.emit(zero, 1); err != nil {
								return err
							}
						}
					}
					break
				}
				rem = rps
				if uint32(y)+rps > dr.height {
					rem = rps - (uint32(y) + rps - dr.height)
				}
				off = 0
				strip++
			}
			if direct > 0 {
				// The export of these samples is the samples themselves.
				if p.w != nil {
					if err := p.writeDirect(buf[off:off+direct], direct); err != nil {
						return err
					}
				}
				off += stride
				rem--
				continue
			}
			row := rows[:p.width]
			if planar {
				row = rows[y*p.width : (y+1)*p.width]
			}
			p.imp.importRow(t, buf[min(off, len(buf)):], row)
			off += stride
			rem--
			if !planar {
				if err := p.emit(row, 1); err != nil {
					return err
				}
			}
		}
		if !planar {
			break
		}
	}
	if planar {
		return p.emit(rows, p.height)
	}
	return nil
}

func (p *page) readTiles(qt quantumType) error {
	dr := p.dr
	tw, tl := int(dr.tileWidth), int(dr.tileLength)
	if tw == 0 || tl == 0 {
		return FormatError("image is not tiled")
	}
	tileSize := dr.tileSize(dr.tileLength)
	rowSize := int(dr.tileRowSize())
	planar := dr.planarConfig == 2 && dr.samplesPerPixel > 1
	bufLen := tileSize + uint64(tw)*8
	relBuf, err := p.d.reserve(int64(bufLen))
	if err != nil {
		return err
	}
	defer relBuf()
	buf := make([]byte, bufLen)
	bandRows := tl
	if planar || tl > p.height {
		bandRows = p.height
	}
	rows, release, err := p.allocRows(bandRows)
	if err != nil {
		return err
	}
	defer release()
	sd := newStrileDecoder(p)
	across := int(howMany(uint64(p.width), uint64(tw)))
	down := int(howMany(uint64(p.height), uint64(tl)))
	for i := 0; i < int(dr.samplesPerPixel); i++ {
		t := qt
		if planar {
			t = planeType(qt, i, p.colorspace == csCMYK)
		}
		for y := 0; y < p.height; y += tl {
			if err := p.d.ctx.Err(); err != nil {
				return err
			}
			remRows := p.height - y
			if y+tl < p.height {
				remRows = tl
			}
			for x := 0; x < p.width; x += tw {
				remCols := p.width - x
				if x+tw < p.width {
					remCols = tw
				}
				tile := (y/tl)*across + x/tw
				if planar {
					tile += i * across * down
				}
				if err := sd.readTile(tile, buf); err != nil && !isSilent(err) {
					return err
				}
				off := 0
				for r := 0; r < remRows; r++ {
					by := r
					if planar {
						by = y + r
					}
					dst := rows[by*p.width+x : by*p.width+x+remCols]
					p.imp.importRow(t, buf[min(off, len(buf)):], dst)
					off += rowSize
				}
			}
			if !planar {
				if err := p.emit(rows, remRows); err != nil {
					return err
				}
			}
		}
		if !planar {
			break
		}
	}
	if planar {
		return p.emit(rows, p.height)
	}
	return nil
}

// ycckJPEG is GetJPEGMethod's search of the first strip for an Adobe APP14 marker with
// transform 2 (YCCK).
func (p *page) ycckJPEG() bool {
	dr := p.dr
	if len(dr.offsets) == 0 {
		return false
	}
	var buf [2048 + 32]byte
	if !p.f.readAt(buf[:2048], dr.offsets[0]) {
		return false
	}
	const size = 2048
	for i := 0; i < size; i++ {
		for i < size {
			b := buf[i]
			i++
			if b == 255 {
				break
			}
		}
		for i < size {
			i++
			if buf[i] != 255 {
				break
			}
		}
		m := buf[i]
		i++
		if m == 216 {
			continue
		}
		length := int(buf[i])<<8 | int(buf[i+1])
		if i+length >= size {
			break
		}
		if buf[i-1] == 238 {
			if length != 14 {
				break
			}
			return buf[i+13] == 2
		}
		i += length
	}
	return false
}

// directRowBytes is the length of a row whose export is its decoded bytes unchanged (8-bit
// RGB, RGBA with unassociated alpha, CMYK; 16-bit ones in a little-endian file), or 0.
func (p *page) directRowBytes(qt quantumType) int {
	im := &p.imp
	if im.pad != 0 || im.format != fmtUnsigned || p.colorspace == csLab || im.alphaType == alphaAssociated {
		return 0
	}
	if im.depth != 8 && !(im.depth == 16 && !p.f.bigEndian) {
		return 0
	}
	if p.exp.depth != im.depth {
		return 0
	}
	n := 0
	switch {
	case qt == qRGB && !p.matte && p.colorspace != csCMYK:
		n = 3
	case qt == qRGBA && p.matte && p.colorspace != csCMYK:
		n = 4
	case qt == qCMYK && !p.matte && p.colorspace == csCMYK:
		n = 4
	case qt == qCMYKA && p.matte && p.colorspace == csCMYK:
		n = 5
	default:
		return 0
	}
	return n * p.width * im.depth / 8
}

func (p *page) writeDirect(b []byte, n int) error {
	if len(b) < n {
		return FormatError("short row")
	}
	_, err := p.w.Write(b[:n])
	return err
}
