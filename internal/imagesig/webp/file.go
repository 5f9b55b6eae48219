package webp

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// decodeFile decodes stream (the RIFF file, as ImageMagick read it) and writes the
// image ImageMagick's WebP coder (coders/webp.c, ReadWEBPImage) leaves last.
func (d *decoder) decodeFile(stream []byte, w io.Writer) error {
	feat, _, st := parseHeaders(stream, false)
	if st != statusOK {
		return st.err("file header")
	}
	d.info.CanvasWidth, d.info.CanvasHeight = feat.width, feat.height
	bw := bufio.NewWriterSize(w, 64<<10)
	var err error
	if feat.hasAnimation {
		err = d.decodeAnimation(stream, bw)
	} else {
		d.info.Frames = 1
		err = d.decodeFrame(stream, bw, 0, 0, 0, 0)
	}
	if err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("webp: write pixels: %w", err)
	}
	return nil
}

// decodeAnimation decodes every frame the demuxer finds, each alone as ImageMagick does
// (no blending, no disposal), and writes the last one. The first frame is placed on the
// canvas at its offset; later frames keep their own rectangle. A frame that fails fails
// the file.
func (d *decoder) decodeAnimation(stream []byte, w io.Writer) error {
	frames, canvasW, canvasH, ok, tooMany := demux(stream)
	if tooMany {
		return FormatError(fmt.Sprintf("animation of more than %d frames", maxFrames))
	}
	if !ok {
		// ImageMagick then returns the canvas without pixels, which Wand signs as the
		// SHA-256 of nothing.
		return FormatError("corrupt animation (libwebp's demuxer rejects it: no frame decoded)")
	}
	d.info.Animated = true
	d.info.Frames = len(frames)
	for i, f := range frames {
		if err := d.canceled(); err != nil {
			return err
		}
		frag := f.payload(stream)
		var out io.Writer
		if i == len(frames)-1 {
			out = w
		}
		var err error
		if i == 0 {
			err = d.decodeFrame(frag, out, canvasW, canvasH, f.xOffset, f.yOffset)
		} else {
			err = d.decodeFrame(frag, out, 0, 0, 0, 0)
		}
		if err != nil {
			if len(frames) > 1 {
				return &frameError{i + 1, len(frames), err}
			}
			return err
		}
	}
	return nil
}

// frameError names the frame of an animation that failed.
type frameError struct {
	frame, frames int
	err           error
}

func (e *frameError) Error() string {
	return fmt.Sprintf("webp: frame %d of %d: %s", e.frame, e.frames, strings.TrimPrefix(e.err.Error(), "webp: "))
}

func (e *frameError) Unwrap() error { return e.err }

// decodeFrame decodes one image with WebPDecode's rules and writes it to w, on a canvas of
// canvasW x canvasH at (x, y) when canvasW is not 0; w nil only checks it.
func (d *decoder) decodeFrame(data []byte, w io.Writer, canvasW, canvasH, x, y int) error {
	mark := d.mark()
	defer d.releaseTo(mark)
	feat, _, st := parseHeaders(data, false)
	if st != statusOK {
		return st.err("image header")
	}
	_, hdr, st := parseHeaders(data, true)
	if st == statusOK && feat.hasAnimation {
		st = statusUnsupported
	}
	if st != statusOK {
		return st.err("image header")
	}
	if err := d.checkSize("frame", feat.width, feat.height); err != nil {
		return err
	}
	var exp *exporter
	if w != nil {
		alpha := feat.hasAlpha
		if d.samples != 0 {
			alpha = d.samples == 4
		}
		exp = &exporter{w: w, alpha: alpha, width: feat.width, height: feat.height, outW: feat.width, outH: feat.height}
		if canvasW != 0 {
			exp.outW, exp.outH, exp.xOff, exp.yOff = canvasW, canvasH, x, y
		}
		if err := d.checkSize("image", exp.outW, exp.outH); err != nil {
			return err
		}
		if err := d.reserve(int64(exp.outW) * int64(exp.bytesPerPixel())); err != nil {
			return err
		}
		exp.buf = make([]byte, exp.outW*exp.bytesPerPixel())
		d.info.Width, d.info.Height = exp.outW, exp.outH
		d.info.Alpha = alpha
		d.info.Lossless = hdr.isLossless
		switch {
		case hdr.isLossless && hdr.alphaData != nil:
			d.warn("an ALPH chunk before a lossless image: unused, but it makes the pixels RGBA")
		case feat.hasAlpha && !hdr.isLossless && hdr.alphaData == nil:
			d.warn("alpha announced without an ALPH chunk: the pixels are opaque RGBA")
		}
	}
	payload := data[hdr.offset:]
	var err error
	if hdr.isLossless {
		var emit func(int, []uint32) error
		if exp != nil {
			emit = exp.argbRow
		}
		err = d.decodeLosslessImage(payload, emit)
	} else {
		var emit func(int, []uint8) error
		bpp := 0
		if exp != nil {
			emit, bpp = exp.pixelRow, exp.bytesPerPixel()
		}
		err = d.decodeLossyImage(payload, hdr.alphaData, bpp, emit)
	}
	if err != nil || exp == nil {
		return err
	}
	return exp.finish()
}

// exporter writes the rows of a frame as ImageMagick exports them for its signature: RGB,
// or RGBA when the image has alpha, on a canvas of transparent black when it has one.
type exporter struct {
	w          io.Writer
	alpha      bool
	width      int // of the frame
	height     int
	outW, outH int // of the image written
	xOff, yOff int
	next       int // next row of the image to write
	frameRows  int // rows of the frame written
	buf        []byte
}

func (e *exporter) bytesPerPixel() int {
	if e.alpha {
		return 4
	}
	return 3
}

// padTo writes rows of the canvas outside the frame until row y.
func (e *exporter) padTo(y int) error {
	if e.next < y {
		clear(e.buf)
	}
	for ; e.next < y; e.next++ {
		if _, err := e.w.Write(e.buf); err != nil {
			return fmt.Errorf("webp: write pixels: %w", err)
		}
	}
	return nil
}

// frameRow returns the part of the output row the frame's row y covers, after writing the
// rows above it.
func (e *exporter) frameRow(y int) ([]byte, error) {
	if y != e.frameRows {
		return nil, fmt.Errorf("webp: internal error: row %d out of order", y)
	}
	if err := e.padTo(e.yOff + y); err != nil {
		return nil, err
	}
	bpp := e.bytesPerPixel()
	if e.outW != e.width {
		clear(e.buf)
	}
	return e.buf[e.xOff*bpp : (e.xOff+e.width)*bpp], nil
}

func (e *exporter) writeRow() error {
	e.next++
	e.frameRows++
	if _, err := e.w.Write(e.buf); err != nil {
		return fmt.Errorf("webp: write pixels: %w", err)
	}
	return nil
}

// pixelRow takes a row already in the exported layout.
func (e *exporter) pixelRow(y int, row []uint8) error {
	if e.outW == e.width && y == e.frameRows && e.yOff == 0 {
		// No canvas: the row goes out as it is.
		e.next++
		e.frameRows++
		if _, err := e.w.Write(row); err != nil {
			return fmt.Errorf("webp: write pixels: %w", err)
		}
		return nil
	}
	dst, err := e.frameRow(y)
	if err != nil {
		return err
	}
	copy(dst, row)
	return e.writeRow()
}

func (e *exporter) argbRow(y int, argb []uint32) error {
	dst, err := e.frameRow(y)
	if err != nil {
		return err
	}
	if e.alpha {
		for i, p := range argb[:e.width] {
			dst[4*i], dst[4*i+1], dst[4*i+2], dst[4*i+3] = byte(p>>16), byte(p>>8), byte(p), byte(p>>24)
		}
	} else {
		for i, p := range argb[:e.width] {
			dst[3*i], dst[3*i+1], dst[3*i+2] = byte(p>>16), byte(p>>8), byte(p)
		}
	}
	return e.writeRow()
}

// finish writes the canvas rows below the frame and checks that every row came.
func (e *exporter) finish() error {
	if e.frameRows != e.height {
		return fmt.Errorf("webp: internal error: %d rows of %d written", e.frameRows, e.height)
	}
	return e.padTo(e.outH)
}
