package tiff

import (
	"fmt"
	"math"
)

// SGILog data (tif_luv.c) as the RGBA interface asks for it (SGILOGDATAFMT_8BIT): LogLuv
// 32-bit pixels to 8-bit RGB, LogL 16-bit pixels to 8-bit gray, each row of each byte plane
// run-length coded.

// sgilogRows decodes rows of width pixels from raw into out (3 bytes per pixel for LogLuv,
// 1 for LogL), row by row as LogLuvDecodeStrip does.
func sgilogRows(raw, out []byte, width, rows int, logL bool) error {
	bpp, planes := 3, 4
	if logL {
		bpp, planes = 1, 2
	}
	tp := make([]uint32, width)
	bp, cc := 0, len(raw)
	for r := 0; r < rows; r++ {
		for i := range tp {
			tp[i] = 0
		}
		for plane := 0; plane < planes; plane++ {
			shft := uint(8 * (planes - 1 - plane))
			i := 0
			for i < width && cc > 0 {
				if raw[bp] >= 128 {
					if cc < 2 {
						break
					}
					rc := int(raw[bp]) + 2 - 128
					b := uint32(raw[bp+1]) << shft
					bp += 2
					cc -= 2
					for ; rc > 0 && i < width; rc-- {
						tp[i] |= b
						i++
					}
				} else {
					rc := int(raw[bp])
					bp++
					for {
						cc--
						if cc == 0 || rc == 0 || i >= width {
							if rc > 0 {
								rc--
							}
							break
						}
						rc--
						tp[i] |= uint32(raw[bp]) << shft
						bp++
						i++
					}
				}
			}
			if i != width {
				return FormatError(fmt.Sprintf("not enough data at row %d (short %d pixels)", r, width-i))
			}
		}
		row := out[r*width*bpp:]
		for x, p := range tp {
			if logL {
				row[x] = gamma2(logL16toY(int32(int16(uint16(p)))))
				continue
			}
			xyz := logLuv32toXYZ(p)
			row[3*x], row[3*x+1], row[3*x+2] = xyzToRGB24(xyz)
		}
	}
	return nil
}

func logL16toY(p16 int32) float64 {
	le := p16 & 0x7fff
	if le == 0 {
		return 0
	}
	y := math.Exp(math.Ln2/256*(float64(le)+.5) - math.Ln2*64)
	if p16&0x8000 == 0 {
		return y
	}
	return -y
}

func logLuv32toXYZ(p uint32) [3]float32 {
	l := logL16toY(int32(p) >> 16)
	if l <= 0 {
		return [3]float32{}
	}
	u := 1. / 410. * (float64(p>>8&0xff) + .5)
	v := 1. / 410. * (float64(p&0xff) + .5)
	s := 1. / (6.*u - 16.*v + 12.)
	x := 9. * u * s
	y := 4. * v * s
	return [3]float32{float32(x / y * l), float32(l), float32((1. - x - y) / y * l)}
}

// gamma2 is libtiff's 8-bit output: 2.0 gamma, 256*sqrt truncated.
func gamma2(v float64) byte {
	switch {
	case v <= 0:
		return 0
	case v >= 1:
		return 255
	}
	return byte(int(256. * math.Sqrt(v)))
}

func xyzToRGB24(xyz [3]float32) (r, g, b byte) {
	x, y, z := float64(xyz[0]), float64(xyz[1]), float64(xyz[2])
	return gamma2(2.690*x + -1.276*y + -0.414*z),
		gamma2(-1.022*x + 1.978*y + 0.044*z),
		gamma2(0.061*x + -0.224*y + 1.163*z)
}
