package jpeg

import (
	"bytes"
	"context"
	"io"
)

// The entry point of JPEG-compressed TIFF strips and tiles (TIFF compression 7), decoded as
// libtiff drives libjpeg: the JPEGTables stream's tables first, then the strip's own
// stream, with the colour space libtiff forces instead of the one the markers suggest, and
// without ImageMagick's own JPEG coder rules (its 107-byte minimum).

// ColorTransform is the colour conversion libtiff asks libjpeg for.
type ColorTransform int

const (
	// TransformYCbCrToRGB converts YCbCr to RGB (libtiff's JPEGCOLORMODE_RGB, used by
	// TIFFRGBAImage for YCbCr data).
	TransformYCbCrToRGB ColorTransform = iota + 1
	// TransformNone passes the components through (jpeg_color_space JCS_UNKNOWN).
	TransformNone
)

// DecodeTIFF decodes one strip or tile: tables is the JPEGTables tag (an abbreviated
// table-specification stream) or nil, strip the strip's data. It writes the pixels row by
// row: 3 bytes per pixel RGB for TransformYCbCrToRGB; for TransformNone the raw samples,
// 1 byte per pixel for one component, 3 for three, 4 for four.
func DecodeTIFF(ctx context.Context, tables, strip []byte, w io.Writer, opts Options, t ColorTransform) (info Info, err error) {
	var r io.Reader = bytes.NewReader(strip)
	if len(tables) >= 4 && len(strip) >= 2 && strip[0] == 0xFF && strip[1] == mSOI {
		// The tables' markers then the strip's, as one stream: libjpeg keeps the tables of
		// the first jpeg_read_header for the second.
		tb := tables
		if tb[len(tb)-2] == 0xFF && tb[len(tb)-1] == mEOI {
			tb = tb[:len(tb)-2]
		}
		r = io.MultiReader(bytes.NewReader(tb), bytes.NewReader(strip[2:]))
	}
	d := newDecoder(ctx, r, opts, false)
	defer func() {
		if info.Width == 0 {
			info = d.info
		}
	}()
	defer d.releaseMemory() // also when a bug panics through recoverError
	defer recoverError(&err)
	d.readHeader()
	switch {
	case t == TransformYCbCrToRGB && d.ncomp == 3:
		d.colorSpace = csYCbCr
	case t == TransformNone && d.ncomp == 1:
		d.colorSpace = csGray
	case t == TransformNone && d.ncomp == 3:
		d.colorSpace = csRGB
	case t == TransformNone && d.ncomp == 4:
		d.colorSpace = csCMYK
	default:
		d.fail("Bogus JPEG colorspace")
	}
	d.startDecompress()
	var out io.Writer = w
	switch d.colorSpace {
	case csGray:
		out = &pickWriter{w: w, step: 3}
	case csCMYK:
		out = &invertWriter{w: w}
	}
	if d.multiScan {
		d.decodeMultiScan(out)
	} else {
		d.decodeSingleScan(out)
		d.finishSingleScan()
	}
	return d.info, nil
}

// finishSingleScan is jpeg_finish_decompress after a single-scan image, which libtiff calls
// once a strip's lines are read: the markers up to EOI are read, and an unknown marker or
// a second scan is an error.
func (d *decoder) finishSingleScan() {
	for {
		switch d.readMarkers() {
		case reachedEOI:
			return
		case reachedSOS:
			d.fail("Didn't expect more than one scan")
		}
	}
}

// pickWriter keeps one byte of every step (gray written as R=G=B).
type pickWriter struct {
	w    io.Writer
	step int
	buf  []byte
}

func (p *pickWriter) Write(b []byte) (int, error) {
	p.buf = p.buf[:0]
	for i := 0; i < len(b); i += p.step {
		p.buf = append(p.buf, b[i])
	}
	_, err := p.w.Write(p.buf)
	return len(b), err
}

// invertWriter undoes the 255-x the CMYK output applies, giving libjpeg's raw samples.
type invertWriter struct {
	w   io.Writer
	buf []byte
}

func (p *invertWriter) Write(b []byte) (int, error) {
	p.buf = append(p.buf[:0], b...)
	for i := range p.buf {
		p.buf[i] = 255 - p.buf[i]
	}
	_, err := p.w.Write(p.buf)
	return len(b), err
}

// DecodeTIFFRaw decodes stream in libjpeg's raw-data mode, as libtiff reads old-style JPEG
// (TIFF compression 6): no upsampling, no colour conversion. The frame's first component
// must have sampling factors h x v and the others 1 x 1 (libtiff refuses other streams).
// For every iMCU row, row is called for each component's sample rows of that iMCU row
// (v*8 rows for the first component, 8 for the others; y counts the component's rows),
// each samples slice being the component's width in blocks times 8 samples.
func DecodeTIFFRaw(ctx context.Context, stream []byte, h, v int, opts Options, row func(comp, y int, samples []byte)) (info Info, err error) {
	d := newDecoder(ctx, bytes.NewReader(stream), opts, false)
	defer func() {
		if info.Width == 0 {
			info = d.info
		}
	}()
	defer d.releaseMemory() // also when a bug panics through recoverError
	defer recoverError(&err)
	d.readHeader()
	if d.maxH != h || d.maxV != v || d.comps[0].h != h || d.comps[0].v != v {
		d.fail("jpeg_start_decompress() returned max_h_samp_factor = %d and max_v_samp_factor = %d, expected %d and %d", d.maxH, d.maxV, h, v)
	}
	if d.ncomp == 1 {
		d.colorSpace = csGray
	} else {
		d.colorSpace = csYCbCr
	}
	d.startDecompress()
	d.rawOut = func(k int) {
		for ci := range d.comps {
			c := &d.comps[ci]
			for r := 0; r < c.v*8; r++ {
				y := k*c.v*8 + r
				off := c.rowOffset(y)
				row(ci, y, c.samples[off:off+c.stride])
			}
		}
	}
	if d.multiScan {
		// Raw output is of whole iMCU rows from the coefficients: one pass, not banded.
		d.consumeAllScans()
		d.outputMultiScan(io.Discard, 0, d.totalIMCURows)
	} else {
		d.decodeSingleScan(io.Discard)
	}
	return d.info, nil
}
