package tiff

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// The file and its directories, read with libtiff 4.5's rules (tif_open.c, tif_dirread.c):
// what it refuses (an error: the read fails), what it fixes up with a warning, and how it
// walks the main IFD chain (SubIFDs are not followed).

// TIFF field types.
const (
	tByte      = 1
	tASCII     = 2
	tShort     = 3
	tLong      = 4
	tRational  = 5
	tSByte     = 6
	tUndefined = 7
	tSShort    = 8
	tSLong     = 9
	tSRational = 10
	tFloat     = 11
	tDouble    = 12
	tIFD       = 13
	tLong8     = 16
	tSLong8    = 17
	tIFD8      = 18
)

var typeSize = [...]int{0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4, 0, 0, 8, 8, 8}

func sizeOfType(t uint16) int {
	if int(t) < len(typeSize) {
		return typeSize[t]
	}
	return 0
}

// Tags read.
const (
	tagSubfileType        = 254
	tagImageWidth         = 256
	tagImageLength        = 257
	tagBitsPerSample      = 258
	tagCompression        = 259
	tagPhotometric        = 262
	tagFillOrder          = 266
	tagStripOffsets       = 273
	tagOrientation        = 274
	tagSamplesPerPixel    = 277
	tagRowsPerStrip       = 278
	tagStripByteCounts    = 279
	tagMinSampleValue     = 280
	tagMaxSampleValue     = 281
	tagPlanarConfig       = 284
	tagT4Options          = 292
	tagT6Options          = 293
	tagPredictor          = 317
	tagColorMap           = 320
	tagTileWidth          = 322
	tagTileLength         = 323
	tagTileOffsets        = 324
	tagTileByteCounts     = 325
	tagExtraSamples       = 338
	tagSampleFormat       = 339
	tagJPEGTables         = 347
	tagJPEGProc           = 512
	tagJPEGIFOffset       = 513
	tagJPEGIFByteCount    = 514
	tagJPEGRestartInt     = 515
	tagJPEGQTables        = 519
	tagJPEGDCTables       = 520
	tagJPEGACTables       = 521
	tagYCbCrCoefficients  = 529
	tagYCbCrSubsampling   = 530
	tagYCbCrPositioning   = 531
	tagReferenceBlackWhit = 532
	tagXMP                = 700
	tagIPTC               = 33723
	tagPhotoshop          = 34377
	tagExifIFD            = 34665
	tagICCProfile         = 34675
)

// Compression schemes.
const (
	compNone        = 1
	compCCITTRLE    = 2
	compCCITTFax3   = 3
	compCCITTFax4   = 4
	compLZW         = 5
	compOJPEG       = 6
	compJPEG        = 7
	compAdobeDeflat = 8
	compNeXT        = 32766
	compCCITTRLEW   = 32771
	compPackBits    = 32773
	compThunderscan = 32809
	compDeflate     = 32946
	compJBIG        = 34661
	compSGILog      = 34676
	compSGILog24    = 34677
	compLZMA        = 34925
	compZSTD        = 50000
	compWebP        = 50001
)

// Photometric interpretations.
const (
	photoMinIsWhite = 0
	photoMinIsBlack = 1
	photoRGB        = 2
	photoPalette    = 3
	photoMask       = 4
	photoSeparated  = 5
	photoYCbCr      = 6
	photoCIELab     = 8
	photoICCLab     = 9
	photoITULab     = 10
	photoLogL       = 32844
	photoLogLuv     = 32845
)

// Sample formats.
const (
	sfUInt  = 1
	sfInt   = 2
	sfFloat = 3
)

type entry struct {
	tag   uint16
	typ   uint16
	count uint64
	value [8]byte // the value field: data when it fits, else its offset
}

// dir is one directory, after libtiff's defaults and fix-ups.
type dir struct {
	offset  uint64
	entries map[uint16]*entry

	width, height    uint32
	bitsPerSample    uint16
	compression      uint16
	photometric      uint16
	havePhotometric  bool
	fillOrder        uint16
	orientation      uint16
	samplesPerPixel  uint16
	rowsPerStrip     uint32
	haveRowsPerStrip bool
	planarConfig     uint16
	predictor        uint16
	sampleFormat     uint16
	extraSamples     []uint16
	tiled            bool
	tileWidth        uint32
	tileLength       uint32
	offsets          []uint64 // strips or tiles
	byteCounts       []uint64
	colormap         [3][]uint16
	subsampling      [2]uint16
	t4Options        uint32
	t6Options        uint32
	jpegTables       []byte
}

// file is an open TIFF file.
type file struct {
	r         io.ReaderAt
	size      int64
	d         *decoder
	order     binary.ByteOrder
	bigEndian bool
	big       bool // BigTIFF
	next      uint64
	ndirs     int
	seen      map[uint64]int // IFD offset -> directory number
}

func openFile(r io.ReaderAt, size int64, d *decoder) (*file, error) {
	f := &file{r: r, size: size, d: d, seen: map[uint64]int{}}
	var h [16]byte
	n, _ := r.ReadAt(h[:], 0)
	if n < 8 {
		return nil, FormatError("cannot read TIFF header")
	}
	switch string(h[:2]) {
	case "II":
		f.order = binary.LittleEndian
	case "MM":
		f.order, f.bigEndian = binary.BigEndian, true
	default:
		return nil, FormatError(fmt.Sprintf("not a TIFF file, bad magic number %d (0x%x)", binary.LittleEndian.Uint16(h[:]), binary.LittleEndian.Uint16(h[:])))
	}
	switch v := f.order.Uint16(h[2:]); v {
	case 42:
		f.next = uint64(f.order.Uint32(h[4:]))
	case 43:
		if n < 16 {
			return nil, FormatError("cannot read BigTIFF header")
		}
		if f.order.Uint16(h[4:]) != 8 || f.order.Uint16(h[6:]) != 0 {
			return nil, FormatError("not a TIFF file, bad BigTIFF offset size")
		}
		f.big = true
		f.next = f.order.Uint64(h[8:])
	default:
		return nil, FormatError(fmt.Sprintf("not a TIFF file, bad version number %d (0x%x)", v, v))
	}
	return f, nil
}

func (f *file) readAt(p []byte, off uint64) bool {
	if off > uint64(f.size) || uint64(len(p)) > uint64(f.size)-off {
		return false
	}
	n, err := f.r.ReadAt(p, int64(off))
	return n == len(p) && (err == nil || err == io.EOF)
}

// readChain reads every directory of the main IFD chain, as ImageMagick's loop of
// TIFFReadDirectory calls does: the first failing directory fails the read (libtiff
// reports an error), an IFD loop ends the chain with a warning.
func (f *file) readChain() ([]*dir, error) {
	var dirs []*dir
	for f.next != 0 {
		if err := f.d.ctx.Err(); err != nil {
			return nil, err
		}
		off := f.next
		if prev, ok := f.seen[off]; ok {
			f.d.warn("TIFF directory %d has IFD looping to directory %d at offset 0x%x (%d)", f.ndirs-1, prev, off, off)
			break
		}
		if f.ndirs >= 1<<20 {
			return nil, FormatError("cannot handle more than 1048576 TIFF directories")
		}
		f.seen[off] = f.ndirs
		dr, err := f.readDir(off)
		if err != nil {
			return nil, err
		}
		f.ndirs++
		dirs = append(dirs, dr)
	}
	if len(dirs) == 0 {
		return nil, FormatError("cannot read TIFF directory")
	}
	return dirs, nil
}

// readDir is TIFFFetchDirectory + TIFFReadDirectory at off.
func (f *file) readDir(off uint64) (*dir, error) {
	countSize, entrySize, nextSize := uint64(2), uint64(12), uint64(4)
	if f.big {
		countSize, entrySize, nextSize = 8, 20, 8
	}
	var cb [8]byte
	if !f.readAt(cb[:countSize], off) {
		return nil, FormatError(fmt.Sprintf("cannot read TIFF directory count at offset %d", off))
	}
	var count uint64
	if f.big {
		count = f.order.Uint64(cb[:])
	} else {
		count = uint64(f.order.Uint16(cb[:]))
	}
	if count > 4096 {
		return nil, FormatError("sanity check on directory count failed, this is probably not a valid IFD offset")
	}
	raw := make([]byte, count*entrySize)
	if !f.readAt(raw, off+countSize) {
		return nil, FormatError("can not read TIFF directory")
	}
	var nb [8]byte
	f.next = 0
	if f.readAt(nb[:nextSize], off+countSize+count*entrySize) {
		if f.big {
			f.next = f.order.Uint64(nb[:])
		} else {
			f.next = uint64(f.order.Uint32(nb[:]))
		}
	}
	dr := &dir{offset: off, entries: make(map[uint16]*entry, count)}
	var order []*entry
	prevTag := -1
	sorted := true
	for i := uint64(0); i < count; i++ {
		b := raw[i*entrySize:]
		e := &entry{tag: f.order.Uint16(b), typ: f.order.Uint16(b[2:])}
		if f.big {
			e.count = f.order.Uint64(b[4:])
			copy(e.value[:], b[12:20])
		} else {
			e.count = uint64(f.order.Uint32(b[4:]))
			copy(e.value[:4], b[8:12])
		}
		if int(e.tag) < prevTag {
			sorted = false
		}
		prevTag = int(e.tag)
		if _, dup := dr.entries[e.tag]; dup {
			continue // libtiff ignores the later copies of a tag
		}
		dr.entries[e.tag] = e
		order = append(order, e)
	}
	if !sorted {
		f.d.warn("invalid TIFF directory; tags are not sorted in ascending order")
	}
	if err := f.setupDir(dr, order); err != nil {
		return nil, err
	}
	return dr, nil
}

// data returns the bytes of an entry's value, or false when they lie outside the file.
func (f *file) data(e *entry) ([]byte, bool) {
	sz := sizeOfType(e.typ)
	if sz == 0 {
		return nil, false
	}
	if e.count > uint64(f.size) || e.count*uint64(sz) > uint64(f.size)+8 {
		return nil, false
	}
	n := e.count * uint64(sz)
	inline := uint64(4)
	if f.big {
		inline = 8
	}
	if n <= inline {
		return e.value[:n], true
	}
	var off uint64
	if f.big {
		off = f.order.Uint64(e.value[:])
	} else {
		off = uint64(f.order.Uint32(e.value[:]))
	}
	b := make([]byte, n)
	if !f.readAt(b, off) {
		return nil, false
	}
	return b, true
}

// ints reads an entry of an integer type as unsigned values; ok is false for other types or
// unreadable data.
func (f *file) ints(e *entry) ([]uint64, bool) {
	b, ok := f.data(e)
	if !ok {
		return nil, false
	}
	out := make([]uint64, e.count)
	for i := range out {
		switch e.typ {
		case tByte, tUndefined:
			out[i] = uint64(b[i])
		case tSByte:
			out[i] = uint64(int64(int8(b[i])))
		case tShort:
			out[i] = uint64(f.order.Uint16(b[2*i:]))
		case tSShort:
			out[i] = uint64(int64(int16(f.order.Uint16(b[2*i:]))))
		case tLong, tIFD:
			out[i] = uint64(f.order.Uint32(b[4*i:]))
		case tSLong:
			out[i] = uint64(int64(int32(f.order.Uint32(b[4*i:]))))
		case tLong8, tIFD8, tSLong8:
			out[i] = f.order.Uint64(b[8*i:])
		default:
			return nil, false
		}
	}
	return out, true
}

// short reads a one-value (or, for per-sample tags, all-equal) integer tag.
func (f *file) short(dr *dir, tag uint16, def uint64, perSample bool) (uint64, bool, error) {
	e := dr.entries[tag]
	if e == nil {
		return def, false, nil
	}
	v, ok := f.ints(e)
	if !ok || len(v) == 0 {
		return 0, false, FormatError(fmt.Sprintf("incorrect value for tag %d", tag))
	}
	if len(v) > 1 && perSample {
		// TIFFReadDirEntryPersampleShort: the first SamplesPerPixel values must agree.
		n := int(dr.samplesPerPixel)
		if len(v) < n {
			return 0, false, FormatError(fmt.Sprintf("incorrect count for tag %d", tag))
		}
		for _, x := range v[1:max(n, 1)] {
			if x != v[0] {
				return 0, false, FormatError(fmt.Sprintf("cannot handle different per-sample values for tag %d", tag))
			}
		}
	}
	return v[0], true, nil
}

// knownTags are the tags libtiff (with ImageMagick's extender and its codecs) knows; an
// unknown tag with no valid type is an error in libtiff 4.5 (TIFFFetchNormalTag).
func knownTag(t uint16) bool {
	switch {
	case t >= 254 && t <= 347, t >= 512 && t <= 532, t == 700, t >= 32995 && t <= 32998,
		t >= 33421 && t <= 33434, t == 33723, t == 34377, t == 34665, t == 34675, t == 34853,
		t == 37439, t == 37706, t == 37724, t == 34118, t >= 50706 && t <= 50784:
		return true
	}
	return false
}

// setupDir applies TIFFReadDirectory's reading of the fields, defaults and fix-ups.
func (f *file) setupDir(dr *dir, order []*entry) error {
	var err error
	get := func(tag uint16, def uint64, perSample bool) uint64 {
		if err != nil {
			return 0
		}
		v, _, e := f.short(dr, tag, def, perSample)
		if e != nil {
			err = e
		}
		return v
	}
	spp := get(tagSamplesPerPixel, 1, false)
	if err == nil && spp == 0 {
		return FormatError("bad value 0 for SamplesPerPixel tag")
	}
	if spp > 0xffff {
		return FormatError("bad value for SamplesPerPixel tag")
	}
	dr.samplesPerPixel = uint16(spp)
	dr.compression = uint16(get(tagCompression, compNone, true))
	w, hw, e1 := f.short(dr, tagImageWidth, 0, false)
	h, hh, e2 := f.short(dr, tagImageLength, 0, false)
	if e1 != nil {
		return e1
	}
	if e2 != nil {
		return e2
	}
	if !hw && !hh {
		return FormatError("TIFF directory is missing required \"ImageLength\" field")
	}
	if w > math.MaxUint32 || h > math.MaxUint32 {
		return FormatError("bad image dimensions")
	}
	dr.width, dr.height = uint32(w), uint32(h)
	pc := get(tagPlanarConfig, 1, false)
	if err == nil && pc != 1 && pc != 2 {
		return FormatError(fmt.Sprintf("bad value %d for PlanarConfiguration tag", pc))
	}
	dr.planarConfig = uint16(pc)
	rps, hasRPS, e3 := f.short(dr, tagRowsPerStrip, math.MaxUint32, false)
	if e3 != nil {
		return e3
	}
	if hasRPS && rps == 0 {
		return FormatError("bad value 0 for RowsPerStrip tag")
	}
	dr.rowsPerStrip, dr.haveRowsPerStrip = uint32(rps), hasRPS
	if e := dr.entries[tagExtraSamples]; e != nil {
		v, ok := f.ints(e)
		if !ok {
			return FormatError("incorrect value for ExtraSamples tag")
		}
		if uint64(len(v)) > spp {
			return FormatError("bad value for ExtraSamples tag")
		}
		for _, x := range v {
			if x > 2 {
				return FormatError(fmt.Sprintf("bad value %d for ExtraSamples tag", x))
			}
			dr.extraSamples = append(dr.extraSamples, uint16(x))
		}
	}
	tw, hasTW, e4 := f.short(dr, tagTileWidth, 0, false)
	tl, hasTL, e5 := f.short(dr, tagTileLength, 0, false)
	if e4 != nil {
		return e4
	}
	if e5 != nil {
		return e5
	}
	if hasTW && tw%16 != 0 {
		f.d.warn("nonstandard tile width %d, convert file", tw)
	}
	if hasTL && tl%16 != 0 {
		f.d.warn("nonstandard tile length %d, convert file", tl)
	}
	dr.tiled = hasTW || hasTL
	if dr.tiled {
		if !hasTW {
			tw = uint64(dr.width)
		}
		if !hasTL {
			tl = uint64(dr.height)
		}
	}
	dr.tileWidth, dr.tileLength = uint32(tw), uint32(tl)
	dr.bitsPerSample = uint16(get(tagBitsPerSample, 1, true))
	_, haveBPS, _ := f.short(dr, tagBitsPerSample, 1, true)
	sf := get(tagSampleFormat, sfUInt, true)
	if err == nil && (sf < 1 || sf > 6) {
		return FormatError(fmt.Sprintf("bad value %d for SampleFormat tag", sf))
	}
	dr.sampleFormat = uint16(sf)
	if err != nil {
		return err
	}
	ph, havePh, _ := f.short(dr, tagPhotometric, 0, false)
	dr.photometric, dr.havePhotometric = uint16(ph), havePh
	// These fields are read with recovery in libtiff: a tag of the wrong type is ignored
	// with a warning, and the default stays.
	lenient := func(tag uint16, def uint64) uint64 {
		v, _, e := f.short(dr, tag, def, false)
		if e != nil {
			f.d.warn("incompatible type for tag %d; tag ignored", tag)
			return def
		}
		return v
	}
	dr.fillOrder = uint16(lenient(tagFillOrder, 1))
	dr.orientation = uint16(lenient(tagOrientation, 1))
	dr.predictor = uint16(lenient(tagPredictor, 1))
	dr.t4Options = uint32(lenient(tagT4Options, 0))
	dr.t6Options = uint32(lenient(tagT6Options, 0))
	dr.subsampling = [2]uint16{2, 2}
	if e := dr.entries[tagYCbCrSubsampling]; e != nil {
		if v, ok := f.ints(e); ok && len(v) == 2 {
			dr.subsampling = [2]uint16{uint16(v[0]), uint16(v[1])}
		}
	}
	for _, e := range order {
		if !knownTag(e.tag) && sizeOfType(e.typ) == 0 {
			return FormatError(fmt.Sprintf("defined set_field_type of custom tag %d (Tag %d) is TIFF_SETGET_UNDEFINED and thus tag is not read from file", e.tag, e.tag))
		}
	}
	if dr.compression == compOJPEG {
		if !dr.havePhotometric {
			f.d.warn("photometric tag is missing, assuming data is YCbCr")
			dr.photometric, dr.havePhotometric = photoYCbCr, true
		} else if dr.photometric == photoRGB {
			f.d.warn("photometric tag value assumed incorrect, assuming data is YCbCr instead of RGB")
			dr.photometric = photoYCbCr
		}
		if !haveBPS {
			f.d.warn("BitsPerSample tag is missing, assuming 8 bits per sample")
			dr.bitsPerSample = 8
		}
		if dr.entries[tagSamplesPerPixel] == nil && (dr.photometric == photoRGB || dr.photometric == photoYCbCr) {
			f.d.warn("SamplesPerPixel tag is missing, applying correct SamplesPerPixel value of 3")
			dr.samplesPerPixel = 3
		}
	}
	// Strips or tiles.
	nstrips := dr.numStrips()
	if nstrips == 0 {
		what := "strips"
		if dr.tiled {
			what = "tiles"
		}
		return FormatError("cannot handle zero number of " + what)
	}
	offTag, cntTag := uint16(tagStripOffsets), uint16(tagStripByteCounts)
	if dr.tiled {
		offTag, cntTag = tagTileOffsets, tagTileByteCounts
	}
	if nstrips > uint64(f.size)+1 && nstrips > 1<<20 {
		return FormatError(fmt.Sprintf("too many strips or tiles (%d) for a %d-byte file", nstrips, f.size))
	}
	oe := dr.entries[offTag]
	if oe == nil {
		if !(dr.compression == compOJPEG && !dr.tiled && nstrips == 1) {
			name := "StripOffsets"
			if dr.tiled {
				name = "TileOffsets"
			}
			return FormatError("TIFF directory is missing required \"" + name + "\" field")
		}
		dr.offsets = []uint64{0}
	} else {
		v, err := f.strileArray(oe, nstrips)
		if err != nil {
			return err
		}
		dr.offsets = v
	}
	if ce := dr.entries[cntTag]; ce != nil {
		v, err := f.strileArray(ce, nstrips)
		if err != nil {
			return err
		}
		dr.byteCounts = v
	}
	// Non-colour channels are extra samples.
	if cc := maxColorChannels(dr.photometric); cc != 0 && int(dr.samplesPerPixel)-len(dr.extraSamples) > cc {
		f.d.warn("sum of Photometric type-related color channels and ExtraSamples doesn't match SamplesPerPixel. Defining non-color channels as ExtraSamples.")
		n := int(dr.samplesPerPixel) - cc
		es := make([]uint16, n)
		copy(es, dr.extraSamples)
		dr.extraSamples = es
	}
	if dr.photometric == photoPalette && dr.entries[tagColorMap] == nil {
		switch {
		case dr.bitsPerSample >= 8 && dr.samplesPerPixel == 3:
			dr.photometric = photoRGB
		case dr.bitsPerSample >= 8:
			dr.photometric = photoMinIsBlack
		default:
			return FormatError("TIFF directory is missing required \"Colormap\" field")
		}
	}
	if e := dr.entries[tagColorMap]; e != nil {
		if !haveBPS {
			f.d.warn("ignoring Colormap since BitsPerSample tag not found")
		} else if dr.bitsPerSample > 24 {
			f.d.warn("ignoring Colormap because BitsPerSample=%d>24", dr.bitsPerSample)
		} else {
			n := uint64(1) << dr.bitsPerSample
			v, ok := f.ints(e)
			if e.count != 3*n || !ok || e.typ != tShort {
				f.d.warn("incorrect count for field \"ColorMap\"; tag ignored")
			} else {
				for c := 0; c < 3; c++ {
					dr.colormap[c] = make([]uint16, n)
					for i := range dr.colormap[c] {
						dr.colormap[c][i] = uint16(v[uint64(c)*n+uint64(i)])
					}
				}
			}
		}
	}
	if dr.compression != compOJPEG {
		if err := f.fixByteCounts(dr, order); err != nil {
			return err
		}
	}
	f.chopStrip(dr)
	if e := dr.entries[tagJPEGTables]; e != nil && dr.compression == compJPEG {
		if b, ok := f.data(e); ok {
			dr.jpegTables = b
		}
	}
	return nil
}

func (f *file) strileArray(e *entry, n uint64) ([]uint64, error) {
	switch e.typ {
	case tShort, tLong, tLong8, tIFD, tIFD8:
	default:
		f.d.warn("invalid data type for tag %d", e.tag)
	}
	v, ok := f.ints(e)
	if !ok {
		if e.count == 0 {
			v = nil
		} else {
			return nil, FormatError(fmt.Sprintf("cannot read tag %d (strip/tile array)", e.tag))
		}
	}
	if uint64(len(v)) < n {
		// libtiff pads a short array with zeros.
		w := make([]uint64, n)
		copy(w, v)
		v = w
	}
	return v[:n], nil
}

func maxColorChannels(photometric uint16) int {
	switch photometric {
	case photoPalette, photoMinIsWhite, photoMinIsBlack:
		return 1
	case photoYCbCr, photoRGB, photoCIELab, photoLogLuv, photoITULab, photoICCLab:
		return 3
	case photoSeparated, photoMask:
		return 4
	}
	return 0
}

// numStrips is TIFFNumberOfStrips / TIFFNumberOfTiles.
func (dr *dir) numStrips() uint64 {
	var n uint64
	if dr.tiled {
		if dr.tileWidth == 0 || dr.tileLength == 0 {
			return 0
		}
		n = howMany(uint64(dr.width), uint64(dr.tileWidth)) * howMany(uint64(dr.height), uint64(dr.tileLength))
	} else {
		rps := uint64(dr.rowsPerStrip)
		if rps == math.MaxUint32 {
			n = 1
		} else {
			n = howMany(uint64(dr.height), rps)
		}
		if dr.height == 0 {
			n = 0
			if rps == math.MaxUint32 {
				n = 1
			}
		}
	}
	if dr.planarConfig == 2 {
		n *= uint64(dr.samplesPerPixel)
	}
	return n
}

func howMany(a, b uint64) uint64 {
	if b == 0 {
		return 0
	}
	return (a + b - 1) / b
}

// fixByteCounts is libtiff's handling of missing or bogus StripByteCounts.
func (f *file) fixByteCounts(dr *dir, order []*entry) error {
	n := uint64(len(dr.offsets))
	if dr.byteCounts == nil {
		if (dr.planarConfig == 1 && n > 1) || (dr.planarConfig == 2 && n != uint64(dr.samplesPerPixel)) {
			return FormatError("TIFF directory is missing required \"StripByteCounts\" field")
		}
		f.d.warn("TIFF directory is missing required \"StripByteCounts\" field, calculating from imagelength")
		return f.estimateByteCounts(dr, order)
	}
	if n == 1 && !dr.tiled && f.byteCountLooksBad(dr) {
		f.d.warn("bogus \"StripByteCounts\" field, ignoring and calculating from imagelength")
		return f.estimateByteCounts(dr, order)
	}
	if dr.planarConfig == 1 && n > 2 && dr.compression == compNone && dr.byteCounts[0] != dr.byteCounts[1] &&
		dr.byteCounts[0] != 0 && dr.byteCounts[1] != 0 {
		f.d.warn("wrong \"StripByteCounts\" field, ignoring and calculating from imagelength")
		return f.estimateByteCounts(dr, order)
	}
	return nil
}

func (f *file) byteCountLooksBad(dr *dir) bool {
	bc, off := dr.byteCounts[0], dr.offsets[0]
	if off == 0 {
		return false
	}
	if bc == 0 {
		return true
	}
	if dr.compression != compNone {
		return false
	}
	fs := uint64(f.size)
	if off <= fs && bc > fs-off {
		return true
	}
	sl := dr.scanlineSize()
	if dr.height > 0 && sl > math.MaxUint64/uint64(dr.height) {
		return true
	}
	return bc < sl*uint64(dr.height)
}

func (f *file) estimateByteCounts(dr *dir, order []*entry) error {
	n := len(dr.offsets)
	dr.byteCounts = make([]uint64, n)
	switch {
	case dr.compression != compNone:
		var space uint64
		if f.big {
			space = 16 + 8 + uint64(len(order))*20 + 8
		} else {
			space = 8 + 2 + uint64(len(order))*12 + 4
		}
		for _, e := range order {
			sz := uint64(sizeOfType(e.typ))
			if sz == 0 {
				return FormatError(fmt.Sprintf("cannot determine size of unknown tag type %d", e.typ))
			}
			ds := sz * e.count
			if (!f.big && ds <= 4) || (f.big && ds <= 8) {
				ds = 0
			}
			space += ds
		}
		fs := uint64(f.size)
		if fs < space {
			space = fs
		} else {
			space = fs - space
		}
		if dr.planarConfig == 2 {
			space /= uint64(dr.samplesPerPixel)
		}
		for i := range dr.byteCounts {
			dr.byteCounts[i] = space
		}
		last := n - 1
		if dr.offsets[last]+dr.byteCounts[last] > fs {
			if dr.offsets[last] >= fs {
				dr.byteCounts[last] = 0
			} else {
				dr.byteCounts[last] = fs - dr.offsets[last]
			}
		}
	case dr.tiled:
		ts := dr.tileSize(dr.tileLength)
		for i := range dr.byteCounts {
			dr.byteCounts[i] = ts
		}
	default:
		rowBytes := dr.scanlineSize()
		perImage := uint64(n)
		if dr.planarConfig == 2 {
			perImage /= uint64(dr.samplesPerPixel)
		}
		rps := uint64(dr.height) / perImage
		for i := range dr.byteCounts {
			dr.byteCounts[i] = rowBytes * rps
		}
	}
	if !dr.haveRowsPerStrip {
		dr.rowsPerStrip = dr.height
	}
	return nil
}

// ycbcrPacked reports whether the data holds packed, subsampled YCbCr (libtiff's sizes
// then count sampling blocks).
func (dr *dir) ycbcrPacked() bool {
	return dr.planarConfig == 1 && dr.photometric == photoYCbCr && dr.samplesPerPixel == 3
}

func (dr *dir) validSubsampling() bool {
	ok := func(v uint16) bool { return v == 1 || v == 2 || v == 4 }
	return ok(dr.subsampling[0]) && ok(dr.subsampling[1])
}

// scanlineSize is TIFFScanlineSize64 (0 when libtiff reports an error).
func (dr *dir) scanlineSize() uint64 {
	bps := uint64(dr.bitsPerSample)
	if dr.planarConfig == 1 {
		if dr.ycbcrPacked() {
			if !dr.validSubsampling() {
				return 0
			}
			h, v := uint64(dr.subsampling[0]), uint64(dr.subsampling[1])
			blocks := howMany(uint64(dr.width), h)
			rowSize := howMany(blocks*(h*v+2)*bps, 8)
			return rowSize / v
		}
		return howMany(uint64(dr.width)*uint64(dr.samplesPerPixel)*bps, 8)
	}
	return howMany(uint64(dr.width)*bps, 8)
}

// vStripSize is TIFFVStripSize64 for nrows rows.
func (dr *dir) vStripSize(nrows uint32) uint64 {
	if dr.planarConfig == 1 && dr.photometric == photoYCbCr {
		if dr.samplesPerPixel != 3 || !dr.validSubsampling() {
			return 0
		}
		h, v := uint64(dr.subsampling[0]), uint64(dr.subsampling[1])
		blocks := howMany(uint64(dr.width), h)
		rowSize := howMany(blocks*(h*v+2)*uint64(dr.bitsPerSample), 8)
		return rowSize * howMany(uint64(nrows), v)
	}
	return uint64(nrows) * dr.scanlineSize()
}

// tileRowSize is TIFFTileRowSize64.
func (dr *dir) tileRowSize() uint64 {
	if dr.tileWidth == 0 || dr.tileLength == 0 {
		return 0
	}
	n := uint64(dr.bitsPerSample) * uint64(dr.tileWidth)
	if dr.planarConfig == 1 {
		n *= uint64(dr.samplesPerPixel)
	}
	return howMany(n, 8)
}

// tileSize is TIFFVTileSize64 for nrows rows.
func (dr *dir) tileSize(nrows uint32) uint64 {
	if dr.tileWidth == 0 || dr.tileLength == 0 {
		return 0
	}
	if dr.ycbcrPacked() {
		if !dr.validSubsampling() {
			return 0
		}
		h, v := uint64(dr.subsampling[0]), uint64(dr.subsampling[1])
		blocks := howMany(uint64(dr.tileWidth), h)
		rowSize := howMany(blocks*(h*v+2)*uint64(dr.bitsPerSample), 8)
		return rowSize * howMany(uint64(nrows), v)
	}
	return uint64(nrows) * dr.tileRowSize()
}

// stripRows is the number of rows strip s holds (TIFFReadEncodedStripGetStripSize).
func (dr *dir) stripRows(s int) uint32 {
	rps := dr.rowsPerStrip
	if rps > dr.height {
		rps = dr.height
	}
	if rps == 0 {
		return 0
	}
	perPlane := int(howMany(uint64(dr.height), uint64(rps)))
	in := s % perPlane
	rows := dr.height - uint32(in)*rps
	if rows > rps {
		rows = rps
	}
	return rows
}

// profileOK is ImageMagick's TIFFGetProfiles status: the last profile present must be at
// least 4 bytes long, or the read fails.
func (f *file) profileOK(dr *dir) bool {
	ok := true
	for _, tag := range []uint16{tagICCProfile, tagPhotoshop, tagIPTC, tagXMP, 34118, 37724} {
		if e := dr.entries[tag]; e != nil {
			n := e.count * uint64(sizeOfType(e.typ))
			if tag == tagIPTC && e.typ == tLong {
				n = 4 * e.count
			}
			ok = n >= 4
		}
	}
	return ok
}

// chopStrip is ChopUpSingleUncompressedStrip: one uncompressed strip is read as strips of
// about 8 KiB, which sets RowsPerStrip (and so makes ImageMagick read strips rather than
// use the RGBA interface).
func (f *file) chopStrip(dr *dir) {
	if dr.planarConfig != 1 || len(dr.offsets) != 1 || dr.compression != compNone || dr.tiled {
		return
	}
	rowBlock := uint64(1)
	if dr.photometric == photoYCbCr {
		rowBlock = uint64(dr.subsampling[1])
	}
	var blockBytes uint64
	if dr.ycbcrPacked() {
		if !dr.validSubsampling() {
			return
		}
		h, v := uint64(dr.subsampling[0]), uint64(dr.subsampling[1])
		blocks := howMany(uint64(dr.width), h)
		rowSize := howMany(blocks*(h*v+2)*uint64(dr.bitsPerSample), 8)
		blockBytes = rowSize * howMany(rowBlock, v)
	} else {
		blockBytes = rowBlock * dr.scanlineSize()
	}
	const stripSizeDefault = 8192
	var rps, stripBytes uint64
	switch {
	case blockBytes > stripSizeDefault:
		stripBytes, rps = blockBytes, rowBlock
	case blockBytes > 0:
		n := stripSizeDefault / blockBytes
		rps, stripBytes = n*rowBlock, n*blockBytes
	default:
		return
	}
	if rps >= uint64(dr.rowsPerStrip) {
		return
	}
	nstrips := howMany(uint64(dr.height), rps)
	if nstrips == 0 {
		return
	}
	offset := dr.byteCounts[0] // libtiff reads the byte count here (sic)
	if nstrips > 1000000 && (offset >= uint64(f.size) || stripBytes > (uint64(f.size)-offset)/(nstrips-1)) {
		return
	}
	if nstrips > uint64(f.size)+1 {
		return
	}
	off0, bc := dr.offsets[0], dr.byteCounts[0]
	dr.offsets = make([]uint64, nstrips)
	dr.byteCounts = make([]uint64, nstrips)
	for i := range dr.offsets {
		dr.offsets[i] = off0 + uint64(i)*stripBytes
		n := stripBytes
		if done := uint64(i) * stripBytes; done+n > bc {
			if done < bc {
				n = bc - done
			} else {
				n = 0
			}
		}
		dr.byteCounts[i] = n
	}
	dr.rowsPerStrip, dr.haveRowsPerStrip = uint32(rps), true
}

// floats reads an entry as float32 values (TIFFReadDirEntryFloatArray): rationals as
// num/den in double precision, 0 when either is 0.
func (f *file) floats(e *entry) ([]float32, bool) {
	b, ok := f.data(e)
	if !ok {
		return nil, false
	}
	out := make([]float32, e.count)
	for i := range out {
		switch e.typ {
		case tRational, tSRational:
			n, d := f.order.Uint32(b[8*i:]), f.order.Uint32(b[8*i+4:])
			if n == 0 || d == 0 {
				out[i] = 0
			} else if e.typ == tRational {
				out[i] = float32(float64(n) / float64(d))
			} else {
				out[i] = float32(float64(int32(n)) / float64(int32(d)))
			}
		case tFloat:
			out[i] = math.Float32frombits(f.order.Uint32(b[4*i:]))
		case tDouble:
			out[i] = float32(math.Float64frombits(f.order.Uint64(b[8*i:])))
		case tByte, tShort, tLong:
			v, _ := f.ints(&entry{typ: e.typ, count: e.count, value: e.value})
			if v == nil {
				return nil, false
			}
			out[i] = float32(v[i])
		default:
			return nil, false
		}
	}
	return out, true
}
