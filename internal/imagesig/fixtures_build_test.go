package imagesig

// Builders for the small fixtures in testdata/: a PNG writer that can produce every colour
// type, bit depth, filter, interlacing, tRNS and chunk damage, and a GIF writer for frames,
// palettes, transparency and interlacing. The expected signatures come from ImageMagick
// (identify), recorded in testdata/expect.tsv by `go test -run TestFixtures -update`.

import (
	"bytes"
	"compress/lzw"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
)

// pngChunk is one chunk to write; badCRC corrupts its CRC.
type pngChunk struct {
	name   string
	data   []byte
	badCRC bool
}

func (c pngChunk) bytes() []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, uint32(len(c.data)))
	b.WriteString(c.name)
	b.Write(c.data)
	crc := crc32.ChecksumIEEE(append([]byte(c.name), c.data...))
	if c.badCRC {
		crc ^= 0x5a5a
	}
	binary.Write(&b, binary.BigEndian, crc)
	return b.Bytes()
}

// pngSpec describes a synthetic PNG.
type pngSpec struct {
	w, h       int
	colorType  int
	depth      int
	interlace  bool
	plte       int    // palette entries to write (palette images)
	trns       []byte // raw tRNS data, if any
	trns2      []byte // a second tRNS chunk, if any
	sample     func(x, y, c int) int
	filter     func(y int) byte // filter type per row (default: y%5)
	idatSplit  int              // bytes per IDAT chunk (0: one chunk)
	beforeIDAT []pngChunk
	afterIDAT  []pngChunk
	mangle     func(zdata []byte) []byte // alters the zlib stream
	trailer    []byte                    // bytes after IEND
	noIEND     bool
}

// noPLTE drops the generated PLTE (the spec's chunks bring their own).
func (s pngSpec) noPLTE() pngSpec {
	s.plte = 0
	return s
}

// withTRNSAfter adds a second tRNS chunk after the first.
func (s pngSpec) withTRNSAfter(data []byte) pngSpec {
	s.trns2 = data
	return s
}

func (s pngSpec) channels() int {
	return map[int]int{0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[s.colorType]
}

// rawRows returns the filtered image data for a sub-image of the given pass geometry.
func (s pngSpec) rawRows(x0, y0, dx, dy int) []byte {
	ch := s.channels()
	bpp := max(1, ch*s.depth/8)
	var out []byte
	var prev []byte
	for y := y0; y < s.h; y += dy {
		var bits []int
		for x := x0; x < s.w; x += dx {
			for c := 0; c < ch; c++ {
				bits = append(bits, s.sample(x, y, c)&(1<<s.depth-1))
			}
		}
		if len(bits) == 0 {
			return nil
		}
		row := make([]byte, (len(bits)*s.depth+7)/8)
		for i, v := range bits {
			switch s.depth {
			case 16:
				row[2*i], row[2*i+1] = byte(v>>8), byte(v)
			case 8:
				row[i] = byte(v)
			default:
				pos := i * s.depth
				row[pos/8] |= byte(v) << (8 - s.depth - pos%8)
			}
		}
		if prev == nil {
			prev = make([]byte, len(row))
		}
		ft := byte(y % 5)
		if s.filter != nil {
			ft = s.filter(y)
		}
		out = append(out, ft)
		out = append(out, filterRow(ft, row, prev, bpp)...)
		prev = row
	}
	return out
}

func filterRow(ft byte, row, prev []byte, bpp int) []byte {
	out := make([]byte, len(row))
	for i := range row {
		var a, b, c int
		if i >= bpp {
			a, c = int(row[i-bpp]), int(prev[i-bpp])
		}
		b = int(prev[i])
		var pred int
		switch ft {
		case 1:
			pred = a
		case 2:
			pred = b
		case 3:
			pred = (a + b) / 2
		case 4:
			p := a + b - c
			pa, pb, pc := iabs(p-a), iabs(p-b), iabs(p-c)
			switch {
			case pa <= pb && pa <= pc:
				pred = a
			case pb <= pc:
				pred = b
			default:
				pred = c
			}
		}
		out[i] = row[i] - byte(pred)
	}
	return out
}

func iabs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func (s pngSpec) encode() []byte {
	var raw []byte
	if s.interlace {
		for _, p := range [7][4]int{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}} {
			if p[0] < s.w && p[1] < s.h {
				raw = append(raw, s.rawRows(p[0], p[1], p[2], p[3])...)
			}
		}
	} else {
		raw = s.rawRows(0, 0, 1, 1)
	}
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	zw.Write(raw)
	zw.Close()
	zdata := z.Bytes()
	if s.mangle != nil {
		zdata = s.mangle(zdata)
	}
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, uint32(s.w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(s.h))
	ihdr[8], ihdr[9] = byte(s.depth), byte(s.colorType)
	if s.interlace {
		ihdr[12] = 1
	}
	b.Write(pngChunk{name: "IHDR", data: ihdr}.bytes())
	for _, c := range s.beforeIDAT {
		b.Write(c.bytes())
	}
	if s.plte > 0 {
		pal := make([]byte, 3*s.plte)
		for i := range pal {
			pal[i] = byte(i*37 + i/3*11)
		}
		b.Write(pngChunk{name: "PLTE", data: pal}.bytes())
	}
	if s.trns != nil {
		b.Write(pngChunk{name: "tRNS", data: s.trns}.bytes())
	}
	if s.trns2 != nil {
		b.Write(pngChunk{name: "tRNS", data: s.trns2}.bytes())
	}
	split := s.idatSplit
	switch {
	case split < 0: // the last -split bytes in an IDAT of their own
		b.Write(pngChunk{name: "IDAT", data: zdata[:len(zdata)+split]}.bytes())
		b.Write(pngChunk{name: "IDAT", data: zdata[len(zdata)+split:]}.bytes())
	case split == 0:
		b.Write(pngChunk{name: "IDAT", data: zdata}.bytes())
	default:
		for i := 0; i < len(zdata); i += split {
			b.Write(pngChunk{name: "IDAT", data: zdata[i:min(i+split, len(zdata))]}.bytes())
		}
	}
	for _, c := range s.afterIDAT {
		b.Write(c.bytes())
	}
	if !s.noIEND {
		b.Write(pngChunk{name: "IEND"}.bytes())
	}
	b.Write(s.trailer)
	return b.Bytes()
}

// gifFrame describes one frame of a synthetic GIF.
type gifFrame struct {
	w, h        int
	left, top   int
	local       int // local colour table entries (power of two), 0 for none
	transparent int // GCE transparent index, -1 for none
	interlace   bool
	litWidth    int // LZW minimum code size (default from the table size)
	index       func(x, y int) int
	cut         int    // drop this many bytes from the end of the LZW data
	after       []byte // bytes written after the frame's block terminator
}

// gifSpec describes a synthetic GIF.
type gifSpec struct {
	version   string // "89a" (default) or "87a"
	w, h      int
	global    int // global colour table entries, 0 for none
	frames    []gifFrame
	noTrailer bool
	cutEnd    int // drop this many bytes from the end of the file
}

func gifTable(n, seed int) []byte {
	t := make([]byte, 3*n)
	for i := range t {
		t[i] = byte(i*53 + seed*29 + i/3*7)
	}
	return t
}

func tableBits(n int) byte {
	b := byte(0)
	for 1<<(b+1) < n {
		b++
	}
	return b
}

func (s gifSpec) encode() []byte {
	var b bytes.Buffer
	v := s.version
	if v == "" {
		v = "89a"
	}
	b.WriteString("GIF" + v)
	binary.Write(&b, binary.LittleEndian, uint16(s.w))
	binary.Write(&b, binary.LittleEndian, uint16(s.h))
	var flag byte
	if s.global > 0 {
		flag = 0x80 | 0x70 | tableBits(s.global)
	}
	b.Write([]byte{flag, 0, 0})
	if s.global > 0 {
		b.Write(gifTable(s.global, 0))
	}
	for i, f := range s.frames {
		if f.transparent >= 0 {
			b.Write([]byte{0x21, 0xf9, 4, 1 | 2<<2, 10, 0, byte(f.transparent), 0})
		}
		b.WriteByte(',')
		binary.Write(&b, binary.LittleEndian, []uint16{uint16(f.left), uint16(f.top), uint16(f.w), uint16(f.h)})
		var fl byte
		colors := s.global
		if f.local > 0 {
			fl = 0x80 | tableBits(f.local)
			colors = f.local
		}
		if f.interlace {
			fl |= 0x40
		}
		b.WriteByte(fl)
		if f.local > 0 {
			b.Write(gifTable(f.local, i+1))
		}
		lit := f.litWidth
		if lit == 0 {
			lit = max(2, int(tableBits(colors))+1)
		}
		var pix []byte
		rows := make([]int, 0, f.h)
		if f.interlace {
			for _, p := range [][2]int{{0, 8}, {4, 8}, {2, 4}, {1, 2}} {
				for y := p[0]; y < f.h; y += p[1] {
					rows = append(rows, y)
				}
			}
		} else {
			for y := 0; y < f.h; y++ {
				rows = append(rows, y)
			}
		}
		for _, y := range rows {
			for x := 0; x < f.w; x++ {
				pix = append(pix, byte(f.index(x, y)))
			}
		}
		var z bytes.Buffer
		zw := lzw.NewWriter(&z, lzw.LSB, lit)
		zw.Write(pix)
		zw.Close()
		data := z.Bytes()
		data = data[:len(data)-f.cut]
		b.WriteByte(byte(lit))
		for len(data) > 0 {
			n := min(255, len(data))
			b.WriteByte(byte(n))
			b.Write(data[:n])
			data = data[n:]
		}
		b.WriteByte(0)
		b.Write(f.after)
	}
	if !s.noTrailer {
		b.WriteByte(';')
	}
	out := b.Bytes()
	return out[:len(out)-s.cutEnd]
}

// lzwBits packs GIF LZW codes (value, width) LSB first, padding the last byte.
func lzwBits(codes ...[2]int) []byte {
	var out []byte
	var acc, n uint
	for _, c := range codes {
		acc |= uint(c[0]) << n
		n += uint(c[1])
		for n >= 8 {
			out = append(out, byte(acc))
			acc >>= 8
			n -= 8
		}
	}
	if n > 0 {
		out = append(out, byte(acc))
	}
	return out
}

// gifRaw builds a GIF from raw parts: the header with a global table of 8 colours, then
// body verbatim, then the trailer.
func gifRaw(w, h int, body ...[]byte) []byte {
	var b bytes.Buffer
	b.WriteString("GIF89a")
	binary.Write(&b, binary.LittleEndian, []uint16{uint16(w), uint16(h)})
	b.Write([]byte{0xf2, 0, 0})
	b.Write(gifTable(8, 0))
	for _, p := range body {
		b.Write(p)
	}
	b.WriteByte(';')
	return b.Bytes()
}

// gifDescriptor is an image descriptor without a local table, after the ',' byte.
func gifDescriptor(w, h int) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, []uint16{0, 0, uint16(w), uint16(h)})
	b.WriteByte(0)
	return b.Bytes()
}

// gifData wraps LZW bytes in sub-blocks after the minimum code size.
func gifData(lit int, blocks ...[]byte) []byte {
	b := []byte{byte(lit)}
	for _, blk := range blocks {
		b = append(b, byte(len(blk)))
		b = append(b, blk...)
	}
	return append(b, 0)
}
