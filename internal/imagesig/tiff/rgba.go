package tiff

import (
	"fmt"

	"github.com/flickrsync/flickrsync/internal/imagesig/jpeg"
)

// ImageMagick's generic method: libtiff's TIFFReadRGBAImage (tif_getimage.c) converts the
// directory to 8-bit RGBA, which ImageMagick scales to its quantum (x257) while keeping
// the directory's BitsPerSample as the image depth. It serves JPEG and old-style JPEG
// (except 8-bit CMYK), CCITT Group 3, LogLuv, and any striped directory without a
// RowsPerStrip tag.

type putKind int

const (
	putRGB8 putKind = iota
	putRGB16
	putGray
	putGray16
	putGrayAlpha
	putPalette
	putCMYK8
	putJPEGRGB // JPEG data converted to RGB by libjpeg
)

type rgbaReader struct {
	p       *page
	kind    putKind
	alpha   int // 0 none, 1 associated, 2 unassociated (TIFFRGBAImage's img->alpha)
	spp     int
	bps     int
	bwmap   []byte    // sample value -> 8-bit gray (bps <= 8), Map for 16-bit
	palmap  [][3]byte // palette index -> RGB
	flipV   bool      // the output rows are the file's bottom-up
	mirror  bool
	isJPEG  bool
	sgilog  bool // SGILog data, decoded to 8-bit RGB or gray
	scratch []byte
	jpegRGB bool // JPEG with YCbCr converted to RGB by libjpeg
}

func (p *page) rgbaOK() error {
	dr := p.dr
	switch dr.bitsPerSample {
	case 1, 2, 4, 8, 16:
	default:
		return FormatError(fmt.Sprintf("sorry, can not handle images with %d-bit samples", dr.bitsPerSample))
	}
	if dr.sampleFormat == sfFloat {
		return FormatError("sorry, can not handle images with IEEE floating-point samples")
	}
	spp := int(dr.samplesPerPixel)
	colorChannels := spp - len(dr.extraSamples)
	switch dr.photometric {
	case photoMinIsWhite, photoMinIsBlack, photoPalette:
		if dr.planarConfig == 1 && spp != 1 && dr.bitsPerSample < 8 {
			return FormatError("sorry, can not handle contiguous data with Bits/Sample < 8 and several samples")
		}
	case photoYCbCr:
	case photoRGB:
		if colorChannels < 3 {
			return FormatError(fmt.Sprintf("sorry, can not handle RGB image with Color channels=%d", colorChannels))
		}
	case photoSeparated:
		if spp < 4 {
			return FormatError(fmt.Sprintf("sorry, can not handle separated image with Samples/pixel=%d", spp))
		}
	case photoLogL, photoLogLuv, photoCIELab:
	default:
		return FormatError(fmt.Sprintf("sorry, can not handle image with PhotometricInterpretation=%d", dr.photometric))
	}
	return nil
}

func (p *page) readGeneric() error {
	if err := p.rgbaOK(); err != nil {
		return err
	}
	dr := p.dr
	g := &rgbaReader{p: p, spp: int(dr.samplesPerPixel), bps: int(dr.bitsPerSample)}
	if len(dr.extraSamples) >= 1 {
		switch dr.extraSamples[0] {
		case 0:
			if g.spp > 3 {
				g.alpha = 1
			}
		case 1, 2:
			g.alpha = int(dr.extraSamples[0])
		}
	}
	if len(dr.extraSamples) == 0 && g.spp == 4 && dr.photometric == photoRGB {
		g.alpha = 1
	}
	photometric := dr.photometric
	g.isJPEG = dr.compression == compJPEG
	if photometric == photoYCbCr && dr.planarConfig == 1 && g.isJPEG {
		photometric, g.jpegRGB = photoRGB, true
	}
	if dr.planarConfig == 2 && g.spp > 1 {
		return UnsupportedError("RGBA interface on separate planes")
	}
	switch photometric {
	case photoRGB:
		switch {
		case g.jpegRGB:
			g.kind = putJPEGRGB
		case g.bps == 8:
			g.kind = putRGB8
		case g.bps == 16:
			g.kind = putRGB16
		default:
			return FormatError("sorry, can not handle image")
		}
	case photoSeparated:
		if g.bps != 8 {
			return FormatError("sorry, can not handle image")
		}
		g.kind = putCMYK8
	case photoPalette:
		if dr.colormap[0] == nil {
			return FormatError("missing required \"Colormap\" tag")
		}
		if g.bps > 8 {
			return FormatError("sorry, can not handle image")
		}
		g.kind = putPalette
		n := 1 << g.bps
		wide := false
		for i := 0; i < n; i++ {
			if dr.colormap[0][i] >= 256 || dr.colormap[1][i] >= 256 || dr.colormap[2][i] >= 256 {
				wide = true
				break
			}
		}
		if !wide {
			p.d.warn("assuming 8-bit colormap")
		}
		g.palmap = make([][3]byte, n)
		for i := range g.palmap {
			for c := 0; c < 3; c++ {
				v := dr.colormap[c][i]
				if wide {
					v >>= 8
				}
				g.palmap[i][c] = byte(v)
			}
		}
	case photoMinIsWhite, photoMinIsBlack:
		rng := 1<<g.bps - 1
		if g.bps == 16 {
			rng = 255
		}
		g.bwmap = make([]byte, rng+1)
		for x := 0; x <= rng; x++ {
			if photometric == photoMinIsWhite {
				g.bwmap[x] = byte((rng - x) * 255 / rng)
			} else {
				g.bwmap[x] = byte(x * 255 / rng)
			}
		}
		switch {
		case g.bps == 16:
			g.kind = putGray16
		case g.bps == 8 && g.alpha != 0 && g.spp == 2:
			g.kind = putGrayAlpha
		default:
			g.kind = putGray
		}
	case photoLogL, photoLogLuv:
		if dr.compression != compSGILog || dr.planarConfig != 1 {
			return UnsupportedError("SGILog24 or planar LogLuv data")
		}
		g.sgilog, g.bps = true, 8
		if photometric == photoLogL {
			g.kind, g.spp = putGray, 1
			g.bwmap = make([]byte, 256)
			for i := range g.bwmap {
				g.bwmap[i] = byte(i)
			}
		} else {
			if g.spp != 3 {
				return FormatError("sorry, can not handle LogLuv image with Samples/pixel other than 3")
			}
			g.kind = putRGB8
		}
	case photoCIELab:
		return UnsupportedError("CIELab through the RGBA interface")
	case photoYCbCr:
		if dr.compression != compOJPEG {
			return UnsupportedError("uncompressed YCbCr through the RGBA interface")
		}
	}
	switch dr.orientation {
	case 1, 5:
	case 2, 6:
		g.mirror = true
	case 3, 7:
		g.flipV, g.mirror = true, true
	default:
		g.flipV = true
	}
	if dr.compression == compOJPEG {
		return g.readOJPEG()
	}
	return g.run()
}

// run reads the strips or tiles, converts them and hands the rows to the page.
func (g *rgbaReader) run() error {
	p := g.p
	dr := p.dr
	var all []pixel
	if g.flipV {
		r, release, err := p.allocRows(p.height)
		if err != nil {
			return err
		}
		defer release()
		all = r
	}
	bandRows := int(dr.rowsPerStrip)
	if dr.tiled {
		bandRows = int(dr.tileLength)
	}
	if bandRows > p.height || bandRows <= 0 {
		bandRows = p.height
	}
	var band []pixel
	if !g.flipV {
		r, release, err := p.allocRows(bandRows)
		if err != nil {
			return err
		}
		defer release()
		band = r
	}
	put := func(y0, n int, rowsOf func(r int) []pixel) error {
		rows := rowsOf
		if g.mirror {
			rows = func(r int) []pixel {
				row := rowsOf(r)
				for i, j := 0, len(row)-1; i < j; i, j = i+1, j-1 {
					row[i], row[j] = row[j], row[i]
				}
				return row
			}
		}
		if g.flipV {
			for r := 0; r < n; r++ {
				copy(all[(p.height-1-(y0+r))*p.width:], rows(r))
			}
			return nil
		}
		for r := 0; r < n; r++ {
			copy(band[r*p.width:], rows(r))
		}
		return p.emit(band, n)
	}
	var err error
	if dr.tiled {
		err = g.tiles(put)
	} else {
		err = g.strips(put)
	}
	if err != nil {
		return err
	}
	if g.flipV {
		return p.emit(all, p.height)
	}
	return nil
}

type bandSink func(y0, n int, rows func(r int) []pixel) error

func (g *rgbaReader) strips(put bandSink) error {
	p := g.p
	dr := p.dr
	rps := int(dr.rowsPerStrip)
	if rps > p.height {
		rps = p.height
	}
	stripSize := dr.vStripSize(uint32(rps))
	if g.isJPEG || g.sgilog {
		stripSize = uint64(rps) * uint64(p.width) * uint64(g.spp)
	}
	scratch := int64(0)
	if g.isJPEG {
		scratch = int64(stripSize) // the JPEG's own rows, before they take the TIFF's stride
	}
	relBuf, err := p.d.reserve(int64(stripSize) + scratch)
	if err != nil {
		return err
	}
	defer relBuf()
	buf := make([]byte, stripSize)
	rowBuf := make([]pixel, p.width)
	sd := newStrileDecoder(p)
	scan := int(dr.scanlineSize())
	if g.isJPEG || g.sgilog {
		scan = p.width * g.outSamples()
	}
	for y, s := 0, 0; y < p.height; y, s = y+rps, s+1 {
		if err := p.d.ctx.Err(); err != nil {
			return err
		}
		n := rps
		if y+n > p.height {
			n = p.height - y
		}
		switch {
		case g.isJPEG:
			err = g.jpegStrile(sd, s, buf, p.width, n)
		case g.sgilog:
			var raw []byte
			raw, err = sd.rawBytes(s, false, uint64(n*scan))
			if err == nil {
				err = sgilogRows(raw, buf, p.width, n, g.spp == 1)
			}
		default:
			err = sd.readStrip(s, buf)
		}
		if err != nil && !isSilent(err) {
			return err
		}
		err = put(y, n, func(r int) []pixel {
			g.convert(buf[r*scan:], rowBuf, p.width)
			return rowBuf
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (g *rgbaReader) tiles(put bandSink) error {
	p := g.p
	dr := p.dr
	tw, tl := int(dr.tileWidth), int(dr.tileLength)
	tileSize := dr.tileSize(dr.tileLength)
	if g.isJPEG {
		tileSize = uint64(tw) * uint64(tl) * uint64(g.spp)
	}
	scan := int(dr.tileRowSize())
	if g.isJPEG {
		scan = tw * g.outSamples()
	}
	relBuf, err := p.d.reserve(int64(tileSize) + int64(tl)*int64(p.width)*10)
	if err != nil {
		return err
	}
	defer relBuf()
	buf := make([]byte, tileSize+uint64(tw)*8)
	rows := make([]pixel, tl*p.width)
	tmp := make([]pixel, tw)
	sd := newStrileDecoder(p)
	across := int(howMany(uint64(p.width), uint64(tw)))
	for y := 0; y < p.height; y += tl {
		if err := p.d.ctx.Err(); err != nil {
			return err
		}
		n := tl
		if y+n > p.height {
			n = p.height - y
		}
		for x := 0; x < p.width; x += tw {
			t := (y/tl)*across + x/tw
			if g.isJPEG {
				err = g.jpegStrile(sd, t, buf, tw, tl)
			} else {
				err = sd.readTile(t, buf)
			}
			if err != nil && !isSilent(err) {
				return err
			}
			w := tw
			if x+w > p.width {
				w = p.width - x
			}
			for r := 0; r < n; r++ {
				g.convert(buf[r*scan:], tmp, tw)
				copy(rows[r*p.width+x:r*p.width+x+w], tmp[:w])
			}
		}
		err := put(y, n, func(r int) []pixel { return rows[r*p.width : (r+1)*p.width] })
		if err != nil {
			return err
		}
	}
	return nil
}

// outSamples is the bytes per pixel of decoded JPEG data.
func (g *rgbaReader) outSamples() int {
	if g.jpegRGB {
		return 3
	}
	return g.spp
}

// jpegStrile decodes one JPEG strip or tile of w x h pixels into buf.
func (g *rgbaReader) jpegStrile(sd *strileDecoder, s int, buf []byte, w, h int) error {
	dr := g.p.dr
	want := uint64(w * h * g.spp)
	raw, err := sd.rawBytes(s, dr.tiled, want)
	if err != nil {
		return err
	}
	t := jpeg.TransformNone
	if g.jpegRGB {
		t = jpeg.TransformYCbCrToRGB
	}
	// The JPEG's rows go to the strip buffer at the TIFF's row stride; where the JPEG is
	// narrower, the rest of each row keeps what the buffer held (libtiff reads scanlines
	// straight into it).
	n := g.outSamples()
	if cap(g.scratch) < w*h*n {
		g.scratch = make([]byte, w*h*n)
	}
	out := &limitWriter{buf: g.scratch[:w*h*n]}
	info, err := jpeg.DecodeTIFF(g.p.d.ctx, dr.jpegTables, raw, out, jpeg.Options{MaxPixels: g.p.d.opts.MaxPixels}, t)
	for _, wn := range info.Warnings {
		g.p.d.warn("JPEG: %s", wn)
	}
	if err != nil {
		return FormatError(fmt.Sprintf("JPEG strip %d: %v", s, err))
	}
	if info.Width != w && !(info.Width > w) {
		g.p.d.warn("improper JPEG strip/tile size, expected %dx%d, got %dx%d", w, h, info.Width, info.Height)
	}
	if info.Width > w || (info.Height > h && (dr.tiled || info.Width != w)) {
		return FormatError(fmt.Sprintf("JPEG strip/tile size exceeds expected dimensions, expected %dx%d, got %dx%d", w, h, info.Width, info.Height))
	}
	if info.Components != g.spp {
		return FormatError("improper JPEG component count")
	}
	rowIn, rowOut := info.Width*n, w*n
	src := out.buf[:out.n]
	for r := 0; r*rowIn < len(src) && r < h; r++ {
		copy(buf[r*rowOut:r*rowOut+rowIn], src[r*rowIn:])
	}
	return nil
}

// limitWriter fills buf and drops what does not fit.
type limitWriter struct {
	buf []byte
	n   int
}

func (l *limitWriter) Write(b []byte) (int, error) {
	l.n += copy(l.buf[l.n:], b)
	return len(b), nil
}

// convert turns one row of decoded samples into ImageMagick pixels through libtiff's
// 8-bit RGBA.
func (g *rgbaReader) convert(src []byte, dst []pixel, w int) {
	spp := g.spp
	if (g.kind == putJPEGRGB || (g.kind == putRGB8 && g.alpha == 0 && spp == 3)) && len(src) >= 3*w {
		for x := 0; x < w; x++ {
			q := &dst[x]
			q.r, q.g, q.b = uint16(src[3*x])*257, uint16(src[3*x+1])*257, uint16(src[3*x+2])*257
			q.o = 0
			if g.p.matte {
				q.o = quantumRange - 255*257
			}
		}
		return
	}
	at := func(i int) byte {
		if i < len(src) {
			return src[i]
		}
		return 0
	}
	at16 := func(i int) byte { // Bitdepth16To8 of the little-endian sample i
		v := uint32(at(2*i)) | uint32(at(2*i+1))<<8
		return byte((v + 128) / 257)
	}
	for x := 0; x < w; x++ {
		var r, gg, b, a byte = 0, 0, 0, 255
		switch g.kind {
		case putJPEGRGB:
			r, gg, b = at(3*x), at(3*x+1), at(3*x+2)
		case putRGB8, putRGB16:
			get := func(c int) byte { return at(x*spp + c) }
			if g.kind == putRGB16 {
				get = func(c int) byte { return at16(x*spp + c) }
			}
			r, gg, b = get(0), get(1), get(2)
			switch {
			case g.alpha == 1 && spp >= 4:
				a = get(3)
			case g.alpha == 2 && spp >= 4:
				a = get(3)
				r = byte((int(r)*int(a) + 127) / 255)
				gg = byte((int(gg)*int(a) + 127) / 255)
				b = byte((int(b)*int(a) + 127) / 255)
			}
		case putCMYK8:
			k := 255 - int(at(x*spp+3))
			r = byte(k * (255 - int(at(x*spp))) / 255)
			gg = byte(k * (255 - int(at(x*spp+1))) / 255)
			b = byte(k * (255 - int(at(x*spp+2))) / 255)
		case putGray16:
			r = g.bwmap[at16(x*spp)]
			gg, b = r, r
		case putGrayAlpha:
			r = g.bwmap[at(x*spp)]
			gg, b = r, r
			a = at(x*spp + 1)
		case putGray, putPalette:
			var v int
			if g.bps == 8 {
				v = int(at(x * spp))
			} else {
				bit := x * g.bps
				v = int(at(bit/8)>>(8-g.bps-bit%8)) & (1<<g.bps - 1)
			}
			if g.kind == putPalette {
				c := g.palmap[v]
				r, gg, b = c[0], c[1], c[2]
			} else {
				r = g.bwmap[v]
				gg, b = r, r
			}
		}
		q := &dst[x]
		q.r, q.g, q.b = uint16(r)*257, uint16(gg)*257, uint16(b)*257
		q.o = 0
		if g.p.matte {
			q.o = quantumRange - uint16(a)*257
		}
	}
}
