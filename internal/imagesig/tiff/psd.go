package tiff

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"io"
	"math"
)

// Photoshop layers: when a TIFF has one directory and an ImageSourceData tag (37724) with
// a layer section, ImageMagick (TIFFReadPhotoshopLayers, then coders/psd.c ReadPSDLayers)
// appends one image per layer to the list, so the last image, the one signed, is the last
// layer: its own rectangle, on a white background, with its channels (raw, RLE or zip),
// its alpha scaled by the layer opacity. Layer masks and CMYK or colormapped bases are not
// read here (UnsupportedError).

const tagImageSourceData = 37724

// psdLayerStart finds where ImageMagick starts reading layers in the tag's data, or -1.
func psdLayerStart(data []byte, little bool) int {
	sig, keys := "8BIM", []string{"Layr", "LMsk", "Lr16", "Lr32"}
	if little {
		sig, keys = "MIB8", []string{"ryaL", "ksML", "61rL", "23rL"}
	}
	i := 0
	for ; i < len(data)-8; i++ {
		if string(data[i:i+4]) != sig {
			continue
		}
		i += 4
		k := string(data[i : i+4])
		if k == keys[0] || k == keys[1] || k == keys[2] || k == keys[3] {
			break
		}
	}
	i += 4
	if i >= len(data)-8 {
		return -1
	}
	return i
}

// psdReader reads the layer data in the TIFF's byte order, as ImageMagick's blob does.
type psdReader struct {
	b     []byte
	pos   int
	order binary.ByteOrder
	short bool // the data ran out
}

func (r *psdReader) bytes(n int) []byte {
	if n < 0 || r.pos+n > len(r.b) || r.pos+n < r.pos {
		r.short = true
		r.pos = len(r.b)
		return make([]byte, max(n, 0))
	}
	out := r.b[r.pos : r.pos+n]
	r.pos += n
	return out
}
func (r *psdReader) u16() uint16 { return r.order.Uint16(r.bytes(2)) }
func (r *psdReader) u32() uint32 { return r.order.Uint32(r.bytes(4)) }
func (r *psdReader) u8() byte    { return r.bytes(1)[0] }

// str is ReadPSDString: four bytes, reversed in a little-endian file.
func (r *psdReader) str() string {
	b := append([]byte(nil), r.bytes(4)...)
	if r.order == binary.LittleEndian {
		b[0], b[1], b[2], b[3] = b[3], b[2], b[1], b[0]
	}
	return string(b)
}

type psdChannel struct {
	typ  int16
	size uint32
}

type psdLayer struct {
	x, y, w, h int
	channels   []psdChannel
	opacity    uint16
	maskW      int
	maskH      int
	maskFlags  byte
}

// psdLayers reads the layers and writes the last one's pixels; base is the TIFF image's
// page (its depth, byte order, alpha and colorspace are the layers' too).
func (d *decoder) psdLayers(base *page, data []byte, start int, w io.Writer) (Info, error) {
	r := &psdReader{b: data, pos: start, order: base.f.order}
	corrupt := func(what string) error { return FormatError("photoshop layers: " + what) }
	if base.pseudo || base.colorspace == csCMYK {
		return Info{}, UnsupportedError("photoshop layers over a colormapped or CMYK image")
	}
	// InitPSDInfo.
	channels := 4
	if base.colorspace == csGray {
		channels = 2
	}
	if !base.matte {
		channels--
	}
	minChannels := channels
	if base.matte {
		minChannels--
	}
	matte := base.matte
	// GetLayerInfoSize.
	size := r.u32()
	if size == 0 {
		r.u32()
		if r.str() != "8BIM" {
			return Info{}, nil
		}
		t := r.str()
		if t == "Mt16" || t == "Mt32" || t == "Mtrn" {
			if r.u32() != 0 {
				return Info{}, nil
			}
			matte = true
			if r.str() != "8BIM" {
				return Info{}, nil
			}
			t = r.str()
		}
		if t == "Lr16" || t == "Lr32" {
			size = r.u32()
		}
		if size == 0 {
			return Info{}, nil
		}
	}
	n := int(int16(r.u16()))
	if n < 0 {
		n = -n
		matte = true
	}
	if n == 0 {
		return Info{}, corrupt("invalid number of layers")
	}
	if n > len(data)/18 {
		return Info{}, corrupt("improper image header")
	}
	layers := make([]psdLayer, n)
	for i := range layers {
		l := &layers[i]
		top, left := int32(r.u32()), int32(r.u32())
		bottom, right := int32(r.u32()), int32(r.u32())
		if right < left || bottom < top {
			return Info{}, corrupt("improper image header")
		}
		l.x, l.y, l.w, l.h = int(left), int(top), int(int64(right)-int64(left)), int(int64(bottom)-int64(top))
		nc := int(r.u16())
		if nc > 56 {
			return Info{}, corrupt("maximum channels exceeded")
		}
		for j := 0; j < nc; j++ {
			t := int16(r.u16())
			if t < -4 || t > 4 {
				return Info{}, corrupt("no such image channel")
			}
			l.channels = append(l.channels, psdChannel{typ: t, size: r.u32()})
		}
		if !checkPSDChannels(l, minChannels) {
			return Info{}, corrupt("improper image header")
		}
		if r.str() != "8BIM" {
			return Info{}, corrupt("improper image header")
		}
		r.str() // blend mode
		l.opacity = uint16(r.u8()) * 257
		r.u8() // clipping
		r.u8() // flags
		r.u8() // filler
		extra := r.u32()
		if extra != 0 {
			combined := uint64(0)
			length := r.u32()
			combined = uint64(length) + 4
			if length != 0 {
				my, mx := int32(r.u32()), int32(r.u32())
				l.maskH = int(int32(r.u32()) - my)
				l.maskW = int(int32(r.u32()) - mx)
				r.u8() // background
				l.maskFlags = r.u8()
				if int(length)-18 < 0 {
					return Info{}, corrupt("unexpected end of file")
				}
				r.bytes(int(length) - 18)
			}
			length = r.u32()
			combined += uint64(length) + 4
			r.bytes(int(length))
			nameLen := int(r.u8())
			combined += uint64(nameLen) + 1
			r.bytes(nameLen)
			if nameLen > 0 {
				nameLen++
			}
			if nameLen%4 != 0 {
				pad := 4 - nameLen%4
				combined += uint64(pad)
				r.bytes(pad)
			}
			if rest := int64(extra) - int64(combined); rest > 0 {
				if rest > int64(len(data)) {
					return Info{}, corrupt("insufficient image data in file")
				}
				r.bytes(int(rest))
			}
		}
		if r.short {
			return Info{}, corrupt("unexpected end of file")
		}
	}
	// The channel data, layer after layer; the last layer with pixels is the one signed.
	last := -1
	for i := range layers {
		if layers[i].w > 0 && layers[i].h > 0 {
			last = i
		}
	}
	var info Info
	for i := range layers {
		l := &layers[i]
		if l.w == 0 || l.h == 0 {
			for _, c := range l.channels {
				r.bytes(int(c.size))
			}
			if r.short {
				return Info{}, corrupt("unexpected end of file")
			}
			continue
		}
		if int64(l.w)*int64(l.h) > d.opts.MaxPixels {
			return Info{}, &tooLargeError{int64(l.w), int64(l.h), d.opts.MaxPixels}
		}
		release, err := d.reserve(int64(l.w) * int64(l.h) * 10)
		if err != nil {
			return Info{}, err
		}
		img := make([]pixel, l.w*l.h)
		lmatte := matte
		for k := range img {
			img[k] = pixel{r: quantumRange, g: quantumRange, b: quantumRange}
		}
		for _, c := range l.channels {
			comp := r.u16()
			if c.typ == -1 {
				lmatte = true
			}
			if c.size < 2 || int(c.size)-2 > len(data)-r.pos {
				release()
				return Info{}, corrupt("unable to decompress image")
			}
			chunk := r.bytes(int(c.size) - 2)
			if c.typ < -1 && l.maskW > 0 && l.maskH > 0 {
				if c.typ != -2 || l.maskFlags > 2 || l.maskFlags&2 != 0 {
					continue // ImageMagick skips this mask
				}
				release()
				return Info{}, UnsupportedError("photoshop layer mask")
			}
			if err := psdChannelPixels(img, l.w, l.h, c.typ, comp, chunk, channels, len(l.channels), lmatte, base.exp.depth, r.order); err != nil {
				release()
				return Info{}, err
			}
		}
		if l.opacity != quantumRange {
			lmatte = true
			for k := range img {
				a := int32(quantumRange - img[k].o)
				v := (1.0 / 65535.0) * float64(a*int32(l.opacity))
				img[k].o = quantumRange - uint16(int32(v))
			}
		}
		if i == last && w != nil {
			exp := newExporter(base.exp.depth, base.exp.little, lmatte, false)
			for y := 0; y < l.h; y++ {
				if err := exp.writeRow(w, img[y*l.w:(y+1)*l.w]); err != nil {
					release()
					return Info{}, err
				}
			}
		}
		if i == last {
			info = Info{Width: l.w, Height: l.h, Depth: base.exp.depth, LittleEndian: base.exp.little, Alpha: lmatte}
		}
		release()
	}
	return info, nil
}

func checkPSDChannels(l *psdLayer, minChannels int) bool {
	if len(l.channels) < minChannels {
		return false
	}
	const red, green, blue, black, alpha = 1, 2, 4, 8, 16
	t := red
	if minChannels >= 3 {
		t |= green | blue
	}
	if minChannels >= 4 {
		t |= black
	}
	for _, c := range l.channels {
		switch {
		case c.typ == -1:
			t |= alpha
		case c.typ < -1:
		case c.typ == 0:
			t &^= red
		case c.typ == 1:
			t &^= green
		case c.typ == 2:
			t &^= blue
		case c.typ == 3:
			t &^= black
		}
	}
	return t == 0 || (t == alpha && len(l.channels) >= minChannels+1)
}

// psdChannelPixels decodes one channel (ReadPSDChannelRaw/RLE/Zip) into img.
func psdChannelPixels(img []pixel, w, h int, typ int16, comp uint16, chunk []byte, psdChannels, layerChannels int, matte bool, depth int, order binary.ByteOrder) error {
	fail := FormatError("photoshop layers: unable to decompress image")
	packet := 1
	if depth > 16 {
		packet = 4
	} else if depth > 8 {
		packet = 2
	}
	if depth == 1 {
		return UnsupportedError("photoshop layers of a 1-bit image")
	}
	rowSize := w * packet
	set := func(y int, row []byte, channels int) {
		for x := 0; x < w; x++ {
			var v uint16
			switch packet {
			case 1:
				v = uint16(row[x]) * 257
			case 2:
				v = binary.BigEndian.Uint16(row[2*x:])
			default:
				f := math.Float32frombits(binary.BigEndian.Uint32(row[4*x:]))
				v = clampToQuantum(quantumRange * float64(f))
			}
			q := &img[y*w+x]
			switch typ {
			case -1:
				q.o = quantumRange - v
			case -2, 0:
				q.r = v
				if channels < 3 || typ == -2 {
					q.g, q.b = v, v
				}
			case -3, 1:
				q.g = v
			case -4, 2:
				q.b = v
			case 3:
				if matte {
					q.o = quantumRange - v
				}
			case 4:
				if channels <= 3 && matte {
					q.o = quantumRange - v
				}
			}
		}
	}
	switch comp {
	case 0: // raw
		for y := 0; y < h; y++ {
			if (y+1)*rowSize > len(chunk) {
				return fail
			}
			set(y, chunk[y*rowSize:], psdChannels)
		}
	case 1: // RLE: the row sizes (2 bytes each, in the file's byte order), then the rows
		if 2*h > len(chunk) {
			return fail
		}
		sizes := make([]int, h)
		longest := 0
		for y := range sizes {
			sizes[y] = int(order.Uint16(chunk[2*y:]))
			longest = max(longest, sizes[y])
		}
		if longest > rowSize+2048 {
			return FormatError("photoshop layers: invalid length")
		}
		p := 2 * h
		row := make([]byte, rowSize)
		for y := 0; y < h; y++ {
			if p+sizes[y] > len(chunk) {
				return fail
			}
			if decodePSDPackBits(chunk[p:p+sizes[y]], row) != rowSize {
				return fail
			}
			p += sizes[y]
			set(y, row, psdChannels)
		}
	case 2, 3: // zip, without or with prediction
		zr, err := zlib.NewReader(bytes.NewReader(chunk))
		if err != nil {
			return fail
		}
		pix := make([]byte, h*rowSize)
		if _, err := io.ReadFull(zr, pix); err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return fail
		}
		if comp == 3 {
			for y := 0; y < h; y++ {
				row := pix[y*rowSize:]
				for x := 1; x < w; x++ {
					if packet == 2 {
						p := row[2*(x-1):]
						p[2] += p[0] + byte((int(p[1])+int(p[3]))>>8)
						p[3] += p[1]
					} else {
						row[x] += row[x-1]
					}
				}
			}
		}
		for y := 0; y < h; y++ {
			set(y, pix[y*rowSize:], layerChannels)
		}
	default:
		return fail
	}
	return nil
}

// decodePSDPackBits is DecodePSDPixels for 8-bit and wider samples; it returns the bytes
// written.
func decodePSDPackBits(in, out []byte) int {
	packets := len(in)
	i, p := 0, 0
	for packets > 1 && i < len(out) {
		packets--
		n := int(in[p])
		p++
		if n == 128 {
			continue
		}
		if n > 128 {
			n = 256 - n + 1
			if packets == 0 {
				return i
			}
			packets--
			v := in[p]
			p++
			for j := 0; j < n; j++ {
				if i+1 > len(out) {
					return i
				}
				out[i] = v
				i++
			}
			continue
		}
		n++
		for j := 0; j < n; j++ {
			if packets == 0 {
				return i
			}
			packets--
			if i+1 > len(out) {
				return i
			}
			out[i] = in[p]
			i++
			p++
		}
	}
	return i
}
