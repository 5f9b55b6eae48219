package png

// This file turns unfiltered PNG rows into the bytes ImageMagick 6 exports for its
// signature (SignatureImage: ExportQuantumPixels with RGBQuantum or RGBAQuantum at the
// image depth).
//
// What ImageMagick does, and so what we reproduce:
//   - image depth is 16 for 16-bit files and 8 otherwise; 1/2/4-bit samples go through a
//     gray or palette colormap and come out scaled to 8 bits (v*255/(2^n-1));
//   - the image has alpha (RGBA export) for the alpha colour types and whenever libpng
//     accepted a tRNS chunk, except that ImageMagick drops a gray/RGB tRNS whose key has
//     samples beyond the bit depth;
//   - a gray/RGB tRNS key makes exactly the matching pixels transparent (alpha 0), the rest
//     opaque; a palette tRNS gives the first entries their alpha, the rest are opaque;
//   - a palette index past the PLTE's entries is index 0 (ConstrainColormapIndex, which
//     only warns "invalid colormap index").

// setupExport decides the exported layout from the header chunks.
func (d *decoder) setupExport() {
	alpha := d.colorType == 4 || d.colorType == 6
	if d.haveTRNS {
		switch d.colorType {
		case 3:
			alpha = true
		case 0, 2:
			alpha = d.trnsKeyOK
		}
	}
	d.info.Alpha = alpha
	d.outChannels = 3
	if alpha {
		d.outChannels = 4
	}
	d.outBytes = 1
	if d.bitDepth == 16 {
		d.outBytes = 2
	}
	if d.colorType == 3 {
		// Alpha beyond the tRNS entries is opaque; indexes beyond the PLTE read entry 0.
		var pal [256][4]byte
		for i := range pal {
			pal[i][3] = 255
		}
		for i := 0; i < len(d.palette)/3 && i < 256; i++ {
			copy(pal[i][:3], d.palette[3*i:])
		}
		for i, a := range d.trnsAlpha {
			pal[i][3] = a
		}
		d.pal = pal
		d.numPal = len(d.palette) / 3
	}
}

// graySpread scales a 1/2/4/8-bit gray sample to 8 bits.
var graySpread = [9]byte{1: 255, 2: 85, 4: 17, 8: 1}

// export converts pixels x0 to x1 of an unfiltered, packed row into dst. x0 is a
// multiple of 8, so that sub-byte pixels start on a byte.
func (d *decoder) export(dst, row []byte, x0, x1 int) {
	src := row[x0*d.bitsPP/8 : (x1*d.bitsPP+7)/8]
	w := x1 - x0
	alpha := d.outChannels == 4
	if d.bitDepth == 16 {
		d.export16(dst, src, w, alpha)
		return
	}
	switch d.colorType {
	case 0:
		bits := d.bitDepth
		mask := 1<<bits - 1
		spread := graySpread[bits]
		key := int(d.trnsKey[0])
		o := 0
		for x := 0; x < w; x++ {
			v := int(src[x*bits/8]>>(8-bits-(x*bits)%8)) & mask
			g := byte(v) * spread
			dst[o], dst[o+1], dst[o+2] = g, g, g
			o += 3
			if alpha {
				dst[o] = 255
				if v == key {
					dst[o] = 0
				}
				o++
			}
		}
	case 2:
		if !alpha {
			copy(dst, src[:3*w])
			return
		}
		kr, kg, kb := byte(d.trnsKey[0]), byte(d.trnsKey[1]), byte(d.trnsKey[2])
		for x := 0; x < w; x++ {
			r, g, b := src[3*x], src[3*x+1], src[3*x+2]
			dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = r, g, b, 255
			if r == kr && g == kg && b == kb {
				dst[4*x+3] = 0
			}
		}
	case 3:
		bits := d.bitDepth
		mask := 1<<bits - 1
		o := 0
		for x := 0; x < w; x++ {
			i := int(src[x*bits/8]>>(8-bits-(x*bits)%8)) & mask
			if i >= d.numPal {
				d.badIndex = i
				i = 0
			}
			e := &d.pal[i]
			dst[o], dst[o+1], dst[o+2] = e[0], e[1], e[2]
			o += 3
			if alpha {
				dst[o] = e[3]
				o++
			}
		}
	case 4:
		for x := 0; x < w; x++ {
			g, a := src[2*x], src[2*x+1]
			dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = g, g, g, a
		}
	case 6:
		copy(dst, src[:4*w])
	}
}

// export16 converts w pixels of a 16-bit row; samples stay big-endian.
func (d *decoder) export16(dst, src []byte, w int, alpha bool) {
	switch d.colorType {
	case 0:
		k0, k1 := byte(d.trnsKey[0]>>8), byte(d.trnsKey[0])
		o := 0
		for x := 0; x < w; x++ {
			h, l := src[2*x], src[2*x+1]
			dst[o], dst[o+1], dst[o+2], dst[o+3], dst[o+4], dst[o+5] = h, l, h, l, h, l
			o += 6
			if alpha {
				dst[o], dst[o+1] = 255, 255
				if h == k0 && l == k1 {
					dst[o], dst[o+1] = 0, 0
				}
				o += 2
			}
		}
	case 2:
		if !alpha {
			copy(dst, src[:6*w])
			return
		}
		var key [6]byte
		for i, k := range d.trnsKey {
			key[2*i], key[2*i+1] = byte(k>>8), byte(k)
		}
		for x := 0; x < w; x++ {
			s := src[6*x : 6*x+6]
			o := dst[8*x : 8*x+8]
			copy(o, s)
			o[6], o[7] = 255, 255
			if [6]byte(s) == key {
				o[6], o[7] = 0, 0
			}
		}
	case 4:
		for x := 0; x < w; x++ {
			s := src[4*x : 4*x+4]
			o := dst[8*x : 8*x+8]
			o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7] = s[0], s[1], s[0], s[1], s[0], s[1], s[2], s[3]
		}
	case 6:
		copy(dst, src[:8*w])
	}
}
