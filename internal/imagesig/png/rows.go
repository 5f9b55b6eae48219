package png

import (
	"errors"
	"fmt"
	"io"
)

// Adam7 passes: first column, first row, column step, row step.
var adam7 = [7][4]int{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}}

// rowBytes is the size of a packed row of width pixels, without the filter byte.
func (d *decoder) rowBytes(width int) int { return (width*d.bitsPP + 7) / 8 }

// exportPixels is how many pixels are converted and written at a time.
const exportPixels = 1 << 14

// readRow reads a filtered row of n bytes (filter byte included) as one libpng inflate
// call, growing buf as the data arrives, so that a header claiming enormous rows costs
// memory only for the data actually there.
func readRow(z *inflater, buf []byte, n int) ([]byte, error) {
	buf = buf[:0]
	z.newCall()
	for len(buf) < n {
		k := min(n-len(buf), max(len(buf), 1<<16))
		start := len(buf)
		if cap(buf) < start+k {
			grown := make([]byte, start, start+k)
			copy(grown, buf)
			buf = grown
		}
		buf = buf[:start+k]
		if err := z.readMore(buf[start:]); err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// readImage inflates and unfilters the image data and writes the exported rows to w.
func (d *decoder) readImage(w io.Writer) error {
	d.setupExport()
	outLen := min(d.width, exportPixels) * d.outChannels * d.outBytes
	rowLen := int64(d.rowBytes(d.width)) + 1
	// Two rows (the current and the previous), and for an interlaced image the whole
	// packed image with its row index.
	need, what := int64(outLen)+2*rowLen, "image"
	if d.interlace != 0 {
		need += int64(d.height) * (rowLen - 1 + rowHeader)
		what = "interlaced (Adam7) image, held whole,"
	}
	if err := d.reserveMemory(need, what); err != nil {
		return err
	}
	zr := newInflater(d.idat)
	out := make([]byte, outLen)
	bpp := max(1, d.bitsPP/8)
	if d.interlace == 0 {
		n := d.rowBytes(d.width) + 1
		var bufs [2][]byte // the current and the previous row, alternately
		var prev []byte    // nil: the row above the first one is zeros
		for y := 0; y < d.height; y++ {
			if err := d.ctx.Err(); err != nil {
				return err
			}
			cur, err := readRow(zr, bufs[y&1], n)
			bufs[y&1] = cur
			if err != nil {
				return d.inflateError(err)
			}
			if err := unfilter(cur[0], cur[1:], prev, bpp); err != nil {
				return err
			}
			if err := d.writeRow(w, out, cur[1:]); err != nil {
				return err
			}
			prev = cur[1:]
		}
		return d.afterRows(zr)
	}
	// Adam7: assemble the packed image, then export it. Rows are allocated as the data
	// reaches them, so that a header lying about the size costs no memory.
	stride := d.rowBytes(d.width)
	img := newRowTable(d.height)
	for _, p := range adam7 {
		pw := (d.width - p[0] + p[2] - 1) / p[2]
		ph := (d.height - p[1] + p[3] - 1) / p[3]
		if pw <= 0 || ph <= 0 {
			continue
		}
		n := d.rowBytes(pw) + 1
		var bufs [2][]byte
		var prev []byte
		for i := 0; i < ph; i++ {
			if err := d.ctx.Err(); err != nil {
				return err
			}
			cur, err := readRow(zr, bufs[i&1], n)
			bufs[i&1] = cur
			if err != nil {
				return d.inflateError(err)
			}
			if err := unfilter(cur[0], cur[1:], prev, bpp); err != nil {
				return err
			}
			d.scatter(img.row(p[1]+i*p[3], stride), cur[1:], pw, p[0], p[2])
			prev = cur[1:]
		}
	}
	if err := d.afterRows(zr); err != nil {
		return err
	}
	for y := 0; y < d.height; y++ {
		if err := d.ctx.Err(); err != nil {
			return err
		}
		if err := d.writeRow(w, out, img.row(y, stride)); err != nil {
			return err
		}
		img.free(y)
	}
	return nil
}

// rowTable holds the rows of an interlaced image, allocating each row, and the index of
// each block of rows, when first used: a header claiming a billion rows costs little.
type rowTable struct {
	blocks [][][]byte
	height int
}

const rowBlock = 1 << 16

// rowHeader is what the index of an interlaced image costs per row (a slice header).
const rowHeader = 24

func newRowTable(height int) *rowTable {
	return &rowTable{blocks: make([][][]byte, (height+rowBlock-1)/rowBlock), height: height}
}

// row returns row y, allocating it (stride bytes) if needed.
func (t *rowTable) row(y, stride int) []byte {
	b := t.blocks[y/rowBlock]
	if b == nil {
		b = make([][]byte, min(rowBlock, t.height-y/rowBlock*rowBlock))
		t.blocks[y/rowBlock] = b
	}
	if b[y%rowBlock] == nil {
		b[y%rowBlock] = make([]byte, stride)
	}
	return b[y%rowBlock]
}

// free drops row y once written out.
func (t *rowTable) free(y int) {
	if b := t.blocks[y/rowBlock]; b != nil {
		b[y%rowBlock] = nil
	}
}

// writeRow exports an unfiltered row in segments of at most exportPixels pixels.
func (d *decoder) writeRow(w io.Writer, out, row []byte) error {
	px := d.outChannels * d.outBytes
	for x0 := 0; x0 < d.width; x0 += exportPixels {
		x1 := min(x0+exportPixels, d.width)
		seg := out[:(x1-x0)*px]
		d.export(seg, row, x0, x1)
		if d.badIndex >= 0 {
			d.warnIndex()
		}
		if _, err := w.Write(seg); err != nil {
			return err
		}
	}
	return nil
}

// warnIndex warns, once, of a palette index beyond the PLTE entries, which ImageMagick reads
// as entry 0 with the same warning ("invalid colormap index").
func (d *decoder) warnIndex() {
	if !d.warnedIndex {
		d.warn("invalid colormap index %d (PLTE has %d entries): read as entry 0", d.badIndex, d.numPal)
		d.warnedIndex = true
	}
	d.badIndex = -1
}

// scatter copies the pw pixels of a pass row into an image row at x0, x0+dx, ...
func (d *decoder) scatter(dst, src []byte, pw, x0, dx int) {
	if d.bitsPP >= 8 {
		b := d.bitsPP / 8
		for i := 0; i < pw; i++ {
			copy(dst[(x0+i*dx)*b:(x0+i*dx+1)*b], src[i*b:(i+1)*b])
		}
		return
	}
	bits := d.bitsPP
	mask := byte(1<<bits - 1)
	for i := 0; i < pw; i++ {
		v := (src[i*bits/8] >> (8 - bits - (i*bits)%8)) & mask
		x := x0 + i*dx
		shift := 8 - bits - (x*bits)%8
		dst[x*bits/8] = dst[x*bits/8]&^(mask<<shift) | v<<shift
	}
}

// afterRows does what png_read_finish_IDAT does once every row is read: the end of the
// last row's inflate call (damage found there is fatal), then libpng's checking read of
// the rest of the zlib stream, where damage and extra image data are only warnings but
// running out of IDAT data is fatal.
func (d *decoder) afterRows(z *inflater) error {
	if err := z.settle(); err != nil {
		return d.inflateError(err)
	}
	if z.mode != modeDone {
		extra, err := z.drain()
		if extra > 0 {
			d.warn("IDAT: too much image data")
		}
		var ze zlibError
		switch {
		case errors.As(err, &ze):
			d.warn("IDAT: %s", string(ze))
		case err != nil:
			return d.inflateError(err)
		}
	}
	if z.mode == modeDone && d.idat.unread() > 0 {
		d.warn("IDAT: extra compressed data")
	}
	return d.idat.finish()
}

// inflateError turns an error met while inflating into the error libpng reports.
func (d *decoder) inflateError(err error) error {
	var ze zlibError
	switch {
	case errors.As(err, &ze):
		return FormatError("IDAT: " + string(ze))
	case errors.Is(err, io.EOF):
		return FormatError("not enough image data (truncated IDAT)")
	}
	return err
}

// unfilter reverses the PNG row filter in place; prev is the previous unfiltered row, nil
// for the first row of a pass (a row of zeros).
func unfilter(ft byte, cur, prev []byte, bpp int) error {
	if prev == nil {
		switch ft {
		case 2: // up: adds zeros
			return nil
		case 3: // average with zeros above
			for i := bpp; i < len(cur); i++ {
				cur[i] += cur[i-bpp] / 2
			}
			return nil
		case 4: // Paeth with zeros above picks the left byte: same as sub
			ft = 1
		}
	}
	switch ft {
	case 0:
	case 1:
		for i := bpp; i < len(cur); i++ {
			cur[i] += cur[i-bpp]
		}
	case 2:
		for i, p := range prev[:len(cur)] {
			cur[i] += p
		}
	case 3:
		for i := 0; i < bpp && i < len(cur); i++ {
			cur[i] += prev[i] / 2
		}
		for i := bpp; i < len(cur); i++ {
			cur[i] += byte((int(cur[i-bpp]) + int(prev[i])) / 2)
		}
	case 4:
		for i := 0; i < bpp && i < len(cur); i++ {
			cur[i] += prev[i]
		}
		for i := bpp; i < len(cur); i++ {
			a, b, c := int(cur[i-bpp]), int(prev[i]), int(prev[i-bpp])
			p := b - c
			q := a - c
			pa, pb, pc := abs(p), abs(q), abs(p+q)
			switch {
			case pa <= pb && pa <= pc:
				cur[i] += byte(a)
			case pb <= pc:
				cur[i] += byte(b)
			default:
				cur[i] += byte(c)
			}
		}
	default:
		return FormatError(fmt.Sprintf("bad adaptive filter value %d", ft))
	}
	return nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
