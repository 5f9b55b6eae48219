package jpeg

// Marker codes.
const (
	mSOF0  = 0xC0
	mSOF1  = 0xC1
	mSOF2  = 0xC2
	mSOF3  = 0xC3
	mDHT   = 0xC4
	mSOF5  = 0xC5
	mSOF6  = 0xC6
	mSOF7  = 0xC7
	mJPG   = 0xC8
	mSOF9  = 0xC9
	mSOF10 = 0xCA
	mSOF11 = 0xCB
	mDAC   = 0xCC
	mSOF13 = 0xCD
	mSOF14 = 0xCE
	mSOF15 = 0xCF
	mRST0  = 0xD0
	mRST7  = 0xD7
	mSOI   = 0xD8
	mEOI   = 0xD9
	mSOS   = 0xDA
	mDQT   = 0xDB
	mDNL   = 0xDC
	mDRI   = 0xDD
	mAPP0  = 0xE0
	mAPP2  = 0xE2
	mAPP13 = 0xED
	mAPP14 = 0xEE
	mAPP15 = 0xEF
	mCOM   = 0xFE
	mTEM   = 0x01
)

type markerResult int

const (
	reachedSOS markerResult = iota
	reachedEOI
)

// firstMarker requires the stream to start with FF D8 (jdmarker.c first_marker).
func (d *decoder) firstMarker() {
	c := d.src.readByte()
	c2 := d.src.readByte()
	if c != 0xFF || c2 != mSOI {
		d.fail("Not a JPEG file: starts with 0x%02x 0x%02x", c, c2)
	}
	d.unreadMarker = int(c2)
}

// nextMarker finds the next marker, skipping garbage with a warning (jdmarker.c next_marker).
func (d *decoder) nextMarker() {
	s := d.src
	var c byte
	for {
		c = s.readByte()
		for c != 0xFF {
			d.discardedBytes++
			c = s.readByte()
		}
		for c == 0xFF {
			c = s.readByte()
		}
		if c != 0 {
			break
		}
		d.discardedBytes += 2
	}
	if d.discardedBytes != 0 {
		d.warn("Corrupt JPEG data: %d extraneous bytes before marker 0x%02x", d.discardedBytes, c)
		d.discardedBytes = 0
	}
	d.unreadMarker = int(c)
}

// readMarkers processes markers until SOS or EOI (jdmarker.c read_markers).
func (d *decoder) readMarkers() markerResult {
	for {
		if d.unreadMarker == 0 {
			if !d.sawSOI {
				d.firstMarker()
			} else {
				d.nextMarker()
			}
		}
		m := d.unreadMarker
		switch {
		case m == mSOI:
			if d.sawSOI {
				d.fail("Invalid JPEG file structure: two SOI markers")
			}
			d.sawSOI = true
			d.restartInterval = 0
			d.resetArithConditioning()
			d.sawJFIF, d.sawAdobe = false, false
		case m == mSOF0 || m == mSOF1:
			d.getSOF(false, false)
		case m == mSOF2:
			d.getSOF(true, false)
		case m == mSOF9:
			d.getSOF(false, true)
		case m == mSOF10:
			d.getSOF(true, true)
		case m == mSOF3 || m == mSOF5 || m == mSOF6 || m == mSOF7 || m == mJPG ||
			m == mSOF11 || m == mSOF13 || m == mSOF14 || m == mSOF15:
			d.unsupported("Unsupported JPEG process: SOF type 0x%02x", m)
		case m == mSOS:
			d.getSOS()
			d.unreadMarker = 0
			return reachedSOS
		case m == mEOI:
			d.unreadMarker = 0
			return reachedEOI
		case m == mDAC:
			d.getDAC()
		case m == mDHT:
			d.getDHT()
		case m == mDQT:
			d.getDQT()
		case m == mDRI:
			length := d.src.read2()
			if length != 4 {
				d.fail("Bogus marker length")
			}
			d.restartInterval = d.src.read2()
		case m == mAPP0 || m == mAPP14:
			d.getInterestingAPPn(m)
		case m == mAPP13:
			d.imReadIPTC()
		case m == mAPP2:
			d.imReadICC()
		case m > mAPP0 && m <= mAPP15, m == mCOM:
			d.imReadProfile()
		case m >= mRST0 && m <= mRST7, m == mTEM:
			// parameterless
		case m == mDNL:
			d.skipVariable()
		default:
			d.fail("Unsupported marker type 0x%02x", m)
		}
		d.unreadMarker = 0
	}
}

func (d *decoder) skipVariable() {
	length := d.src.read2() - 2
	if length > 0 {
		d.src.skip(length)
	}
}

// getInterestingAPPn looks for the JFIF APP0 and Adobe APP14 markers.
func (d *decoder) getInterestingAPPn(m int) {
	length := d.src.read2() - 2
	n := 0
	if length >= 14 {
		n = 14
	} else if length > 0 {
		n = length
	}
	var b [14]byte
	for i := 0; i < n; i++ {
		b[i] = d.src.readByte()
	}
	length -= n
	if m == mAPP0 {
		if n >= 14 && b[0] == 'J' && b[1] == 'F' && b[2] == 'I' && b[3] == 'F' && b[4] == 0 {
			d.sawJFIF = true
		}
	} else if n >= 12 && b[0] == 'A' && b[1] == 'd' && b[2] == 'o' && b[3] == 'b' && b[4] == 'e' {
		d.sawAdobe = true
		d.adobeTransform = int(b[11])
	}
	if length > 0 {
		d.src.skip(length)
	}
}

func (d *decoder) getSOF(progressive, arith bool) {
	s := d.src
	d.progressive = progressive
	d.arith = arith
	length := s.read2()
	d.precision = int(s.readByte())
	d.height = s.read2()
	d.width = s.read2()
	d.ncomp = int(s.readByte())
	length -= 8
	if d.sawSOF {
		d.fail("Invalid JPEG file structure: two SOF markers")
	}
	if d.height <= 0 || d.width <= 0 || d.ncomp <= 0 {
		d.fail("Empty JPEG image (DNL not supported)")
	}
	if length != d.ncomp*3 {
		d.fail("Bogus marker length")
	}
	d.comps = make([]component, d.ncomp)
	for i := range d.comps {
		c := &d.comps[i]
		c.index = i
		c.id = int(s.readByte())
		f := s.readByte()
		c.h = int(f >> 4)
		c.v = int(f & 15)
		c.tq = int(s.readByte())
	}
	d.sawSOF = true
}

func (d *decoder) getSOS() {
	s := d.src
	if !d.sawSOF {
		d.fail("Invalid JPEG file structure: SOS before SOF")
	}
	length := s.read2()
	n := int(s.readByte())
	if length != n*2+6 || n < 1 || n > 4 {
		d.fail("Bogus marker length")
	}
	d.scan.n = n
	var cur [4]*component
	for i := 0; i < n; i++ {
		cc := int(s.readByte())
		c := int(s.readByte())
		var found *component
		for ci := 0; ci < d.ncomp && ci < 4; ci++ {
			if cc == d.comps[ci].id && cur[ci] == nil {
				found = &d.comps[ci]
				break
			}
		}
		if found == nil {
			d.fail("Invalid component ID %d in SOS", cc)
		}
		cur[i] = found
		found.td = c >> 4
		found.ta = c & 15
		for pi := 0; pi < i; pi++ {
			if cur[pi] == found {
				d.fail("Invalid component ID %d in SOS", cc)
			}
		}
	}
	d.scan.comps = d.scan.compsBuf[:n]
	copy(d.scan.comps, cur[:n])
	d.scan.ss = int(s.readByte())
	d.scan.se = int(s.readByte())
	c := s.readByte()
	d.scan.ah = int(c >> 4)
	d.scan.al = int(c & 15)
	d.nextRestartNum = 0
	d.scanNumber++
}

func (d *decoder) getDHT() {
	s := d.src
	length := s.read2() - 2
	for length > 16 {
		index := int(s.readByte())
		var t huffTable
		count := 0
		for i := 1; i <= 16; i++ {
			t.bits[i] = s.readByte()
			count += int(t.bits[i])
		}
		length -= 17
		if count > 256 || count > length {
			d.fail("Bogus Huffman table definition")
		}
		for i := 0; i < count; i++ {
			t.vals[i] = s.readByte()
		}
		length -= count
		if index&0x10 != 0 {
			index -= 0x10
			if index < 0 || index >= 4 {
				d.fail("Bogus DHT index %d", index)
			}
			tt := t
			d.acTables[index] = &tt
		} else {
			if index < 0 || index >= 4 {
				d.fail("Bogus DHT index %d", index)
			}
			tt := t
			d.dcTables[index] = &tt
		}
	}
	if length != 0 {
		d.fail("Bogus marker length")
	}
}

func (d *decoder) getDQT() {
	s := d.src
	length := s.read2() - 2
	for length > 0 {
		n := int(s.readByte())
		prec := n >> 4
		n &= 15
		if n >= 4 {
			d.fail("Bogus DQT index %d", n)
		}
		if d.qtables[n] == nil {
			d.qtables[n] = new([64]uint16)
		}
		q := d.qtables[n]
		for i := 0; i < 64; i++ {
			var v int
			if prec != 0 {
				v = s.read2()
			} else {
				v = int(s.readByte())
			}
			q[naturalOrder[i]] = uint16(v)
		}
		length -= 65
		if prec != 0 {
			length -= 64
		}
	}
	if length != 0 {
		d.fail("Bogus marker length")
	}
}

// getDAC reads arithmetic-coding conditioning values (jdmarker.c get_dac).
func (d *decoder) getDAC() {
	s := d.src
	length := s.read2() - 2
	for length > 0 {
		index := int(s.readByte())
		val := int(s.readByte())
		length -= 2
		if index < 0 || index >= 32 {
			d.fail("Bogus DAC index %d", index)
		}
		if index >= 16 {
			d.arithACK[index-16] = uint8(val)
		} else {
			d.arithDCL[index] = uint8(val & 0x0F)
			d.arithDCU[index] = uint8(val >> 4)
			if d.arithDCL[index] > d.arithDCU[index] {
				d.fail("Bogus DAC value 0x%x", val)
			}
		}
	}
	if length != 0 {
		d.fail("Bogus marker length")
	}
}

func (d *decoder) resetArithConditioning() {
	for i := 0; i < 16; i++ {
		d.arithDCL[i] = 0
		d.arithDCU[i] = 1
		d.arithACK[i] = 5
	}
}

// naturalOrder maps zigzag index to natural order, with 16 extra entries so that corrupt
// run lengths past 63 land harmlessly on 63 (as jpeg_natural_order does).
var naturalOrder = [64 + 16]int{
	0, 1, 8, 16, 9, 2, 3, 10,
	17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34,
	27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36,
	29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46,
	53, 60, 61, 54, 47, 55, 62, 63,
	63, 63, 63, 63, 63, 63, 63, 63,
	63, 63, 63, 63, 63, 63, 63, 63,
}
