package tiff

import (
	"fmt"
	"math/bits"
)

// libtiff 4.5's CCITT decoders (tif_fax3.c, tif_fax3.h): Modified Huffman (compression 2
// and 32771), Group 3 1-D and 2-D, Group 4, with its bit-level behaviour: codes read
// least significant bit first from bit-reversed bytes, zero padding at the end of the data,
// run cleanup on damaged lines (a warning), a bad code word reported as an error.

const (
	faxNull = iota
	faxPassS
	faxHorizS
	faxV0S
	faxVRS
	faxVLS
	faxExtS
	faxTermW
	faxTermB
	faxMakeUpW
	faxMakeUpB
	faxMakeUp
	faxEOL
)

type faxEnt struct {
	state, width uint8
	param        uint16
}

var faxMain, faxWhite, faxBlack = func() (m, w, b []faxEnt) {
	m, w, b = make([]faxEnt, 128), make([]faxEnt, 4096), make([]faxEnt, 8192)
	fill := func(t []faxEnt, size uint, ps []faxProto, state uint8) {
		for _, p := range ps {
			width := p.val & 15
			param := p.val >> 4
			for c := int(p.code); c < 1<<size; c += 1 << width {
				t[c] = faxEnt{state: state, width: uint8(width), param: param}
			}
		}
	}
	fill(m, 7, faxCodesPass, faxPassS)
	fill(m, 7, faxCodesHoriz, faxHorizS)
	fill(m, 7, faxCodesV0, faxV0S)
	fill(m, 7, faxCodesVR, faxVRS)
	fill(m, 7, faxCodesVL, faxVLS)
	fill(m, 7, faxCodesExt, faxExtS)
	fill(m, 7, faxCodesEOLV, faxEOL)
	fill(w, 12, faxCodesMakeUpW, faxMakeUpW)
	fill(w, 12, faxCodesMakeUp, faxMakeUp)
	fill(w, 12, faxCodesTermW, faxTermW)
	fill(w, 12, faxCodesEOLH, faxEOL)
	fill(b, 13, faxCodesMakeUpB, faxMakeUpB)
	fill(b, 13, faxCodesMakeUp, faxMakeUp)
	fill(b, 13, faxCodesTermB, faxTermB)
	fill(b, 13, faxCodesEOLH, faxEOL)
	return
}()

type faxEOF struct{}
type faxOverflow struct{}

type faxState struct {
	data      []byte
	cp        int
	acc       uint32
	avail     uint
	rev       bool
	lastx     int32
	nruns     int
	line      int
	eolcnt    int
	badCode   bool
	warn      func(string, ...any)
	runs, ref []int32
	// the row being expanded
	thisrun []int32
	pa      int
	a0      int32
	rl      int32 // RunLength
}

func (s *faxState) need(n uint) {
	for s.avail < n {
		if s.cp >= len(s.data) {
			if s.avail == 0 {
				panic(faxEOF{})
			}
			s.avail = n
			return
		}
		b := s.data[s.cp]
		s.cp++
		if s.rev {
			b = bits.Reverse8(b)
		}
		s.acc |= uint32(b) << s.avail
		s.avail += 8
	}
}

func (s *faxState) get(n uint) uint32 { return s.acc & (1<<n - 1) }
func (s *faxState) clr(n uint) {
	s.avail -= n
	s.acc >>= n
}

// faxColour is what reading a run of one colour needs: its code table (looked up with
// bits bits) and the states of its terminating and make-up codes.
type faxColour struct {
	table        []faxEnt
	bits         uint
	term, makeup uint8
}

var (
	faxWhiteRun = faxColour{faxWhite, 12, faxTermW, faxMakeUpW}
	faxBlackRun = faxColour{faxBlack, 13, faxTermB, faxMakeUpB}
)

// codeRun reads one run of a colour (make-up codes, then its terminating code) into the
// line, as libtiff's EXPAND1D and EXPAND2D horizontal mode do; any other code ends it
// (ok false) with that code's state (an EOL, an invalid code).
func (s *faxState) codeRun(c faxColour) (state uint8, ok bool) {
	for {
		e := s.lookup(c.bits, c.table)
		switch e.state {
		case c.term:
			s.setValue(int32(e.param))
			return e.state, true
		case c.makeup, faxMakeUp:
			s.a0 += int32(e.param)
			s.rl += int32(e.param)
		default:
			return e.state, false
		}
	}
}

func (s *faxState) lookup(n uint, t []faxEnt) faxEnt {
	s.need(n)
	e := t[s.get(n)]
	s.clr(uint(e.width))
	return e
}

func (s *faxState) setValue(x int32) {
	if s.pa >= len(s.thisrun) {
		panic(faxOverflow{})
	}
	s.thisrun[s.pa] = s.rl + x
	s.pa++
	s.a0 += x
	s.rl = 0
}

func (s *faxState) unexpected() {
	s.badCode = true
}

func (s *faxState) cleanupRuns() {
	if s.rl != 0 {
		s.setValue(0)
	}
	if s.a0 != s.lastx {
		if s.a0 < s.lastx {
			s.warn("premature EOL at line %d (got %d, expected %d)", s.line, s.a0, s.lastx)
		} else {
			s.warn("line length mismatch at line %d (got %d, expected %d)", s.line, s.a0, s.lastx)
		}
		for s.a0 > s.lastx && s.pa > 0 {
			s.pa--
			s.a0 -= s.thisrun[s.pa]
		}
		if s.a0 < s.lastx {
			if s.a0 < 0 {
				s.a0 = 0
			}
			if s.pa&1 != 0 {
				s.setValue(0)
			}
			s.setValue(s.lastx - s.a0)
		} else if s.a0 > s.lastx {
			s.setValue(s.lastx)
			s.setValue(0)
		}
	}
}

// syncEOL is SYNC_EOL.
func (s *faxState) syncEOL() {
	if s.eolcnt == 0 {
		for {
			s.need(11)
			if s.get(11) == 0 {
				break
			}
			s.clr(1)
		}
	}
	for {
		s.need(8)
		if s.get(8) != 0 {
			break
		}
		s.clr(8)
	}
	for s.get(1) == 0 {
		s.clr(1)
	}
	s.clr(1)
	s.eolcnt = 0
}

// expand1D is EXPAND1D; it returns false at the end of the data (after the cleanup).
func (s *faxState) expand1D() (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, eof := r.(faxEOF); !eof {
				panic(r)
			}
			s.warn("premature EOF at line %d (x %d)", s.line, s.a0)
			s.cleanupRuns()
			ok = false
		}
	}()
	for {
		for _, c := range [...]faxColour{faxWhiteRun, faxBlackRun} {
			if state, ok := s.codeRun(c); !ok {
				if state == faxEOL {
					s.eolcnt = 1
				} else {
					s.unexpected()
				}
				s.cleanupRuns()
				return true
			}
			if s.a0 >= s.lastx {
				s.cleanupRuns()
				return true
			}
		}
		if s.pa >= 2 && s.thisrun[s.pa-1] == 0 && s.thisrun[s.pa-2] == 0 {
			s.pa -= 2
		}
	}
}

// expand2D is EXPAND2D against the reference line; false at the end of the data.
func (s *faxState) expand2D() (ok bool) {
	pb := 0
	ref := s.ref
	b1 := ref[pb]
	pb++
	defer func() {
		if r := recover(); r != nil {
			if _, eof := r.(faxEOF); !eof {
				panic(r)
			}
			s.warn("premature EOF at line %d (x %d)", s.line, s.a0)
			s.cleanupRuns()
			ok = false
		}
	}()
	checkB1 := func() {
		if s.pa != 0 {
			for b1 <= s.a0 && b1 < s.lastx {
				if pb+1 >= len(ref) {
					panic(faxOverflow{})
				}
				b1 += ref[pb] + ref[pb+1]
				pb += 2
			}
		}
	}
	run := func(c faxColour) bool {
		_, ok := s.codeRun(c)
		return ok
	}
	for s.a0 < s.lastx {
		if s.pa >= len(s.thisrun) {
			panic(faxOverflow{})
		}
		e := s.lookup(7, faxMain)
		switch e.state {
		case faxPassS:
			checkB1()
			if pb+1 >= len(ref) {
				panic(faxOverflow{})
			}
			b1 += ref[pb]
			pb++
			s.rl += b1 - s.a0
			s.a0 = b1
			b1 += ref[pb]
			pb++
		case faxHorizS:
			good := true
			if s.pa&1 != 0 {
				good = run(faxBlackRun) && run(faxWhiteRun)
			} else {
				good = run(faxWhiteRun) && run(faxBlackRun)
			}
			if !good {
				s.unexpected()
				s.cleanupRuns()
				return true
			}
			checkB1()
		case faxV0S:
			checkB1()
			s.setValue(b1 - s.a0)
			if pb >= len(ref) {
				panic(faxOverflow{})
			}
			b1 += ref[pb]
			pb++
		case faxVRS:
			checkB1()
			s.setValue(b1 - s.a0 + int32(e.param))
			if pb >= len(ref) {
				panic(faxOverflow{})
			}
			b1 += ref[pb]
			pb++
		case faxVLS:
			checkB1()
			if b1 < s.a0+int32(e.param) {
				s.unexpected()
				s.cleanupRuns()
				return true
			}
			s.setValue(b1 - s.a0 - int32(e.param))
			pb--
			b1 -= ref[pb]
		case faxExtS:
			s.thisrun[s.pa] = s.lastx - s.a0
			s.pa++
			s.badCode = true // "uncompressed data (not supported)" is an error
			s.cleanupRuns()
			return true
		case faxEOL:
			s.thisrun[s.pa] = s.lastx - s.a0
			s.pa++
			s.need(4)
			if s.get(4) != 0 {
				s.unexpected()
			}
			s.clr(4)
			s.eolcnt = 1
			s.cleanupRuns()
			return true
		default:
			s.unexpected()
			s.cleanupRuns()
			return true
		}
	}
	if s.rl != 0 {
		if s.rl+s.a0 < s.lastx {
			s.need(1)
			if s.get(1) == 0 {
				s.unexpected()
				s.cleanupRuns()
				return true
			}
			s.clr(1)
		}
		s.setValue(0)
	}
	s.cleanupRuns()
	return true
}

// fillRuns is _TIFFFax3fillruns: runs alternate white (bits cleared) and black (bits set),
// each clipped to the line.
func fillRuns(buf []byte, runs []int32, lastx int32) {
	x := int32(0)
	for k := range runs {
		r := runs[k]
		if x+r > lastx || r > lastx {
			r = lastx - x
			runs[k] = r
		}
		if r > 0 {
			setBits(buf, x, x+r, k&1 == 1)
		}
		x += runs[k]
	}
}

// fax decodes a CCITT strip or tile of rows rows into out.
func (sd *strileDecoder) fax(raw, out []byte, rows int, tile bool) error {
	dr := sd.p.dr
	width := int(dr.width)
	rowBytes := int(dr.scanlineSize())
	if tile {
		width = int(dr.tileWidth)
		rowBytes = int(dr.tileRowSize())
	}
	if rowBytes == 0 || len(out)%rowBytes != 0 {
		return FormatError("fractional scanlines cannot be read")
	}
	nruns := int((width+1+31)/32*32) + 2
	s := &faxState{data: raw, rev: dr.fillOrder != 2, lastx: int32(width), warn: sd.p.d.warn}
	s.runs = make([]int32, nruns)
	twoD := dr.compression == compCCITTFax4 || (dr.compression == compCCITTFax3 && dr.t4Options&1 != 0)
	if twoD {
		s.ref = make([]int32, nruns)
		s.ref[0], s.ref[1] = int32(width), 0
	}
	var err error
	func() {
		defer func() {
			if r := recover(); r != nil {
				switch r.(type) {
				case faxOverflow:
					err = FormatError(fmt.Sprintf("buffer overflow at line %d", s.line))
				case faxEOF:
					// An end of data outside a row's expansion (SYNC_EOL).
					err = errFaxEOF
				default:
					panic(r)
				}
			}
		}()
		err = s.decode(dr.compression, dr.t4Options, out, rowBytes)
	}()
	if s.badCode {
		return FormatError(fmt.Sprintf("bad code word at line %d of strip", s.line))
	}
	return err
}

// errFaxEOF is the fax decoders' end of data: libtiff only warns ("Premature EOF"), and
// the strip read returns -1 without an error.
var errFaxEOF = silentError("premature end of CCITT data")

func (s *faxState) beginRow() {
	s.a0, s.rl, s.pa = 0, 0, 0
	s.thisrun = s.runs
}

func (s *faxState) decode(comp uint16, t4 uint32, out []byte, rowBytes int) error {
	occ := len(out)
	o := 0
	finish := func() {
		fillRuns(out[o:o+rowBytes], s.thisrun[:s.pa], s.lastx)
	}
	for occ > 0 {
		s.beginRow()
		switch comp {
		case compCCITTRLE, compCCITTRLEW:
			if !s.expand1D() {
				finish()
				return errFaxEOF
			}
			finish()
			if comp == compCCITTRLE {
				s.clr(s.avail - s.avail&^7)
			} else {
				s.clr(s.avail - s.avail&^15)
				if s.avail == 0 && s.cp&1 != 0 {
					s.cp++
				}
			}
		case compCCITTFax3:
			if t4&1 == 0 {
				if !s.syncEOLOK() {
					s.cleanupRuns()
					finish()
					return errFaxEOF
				}
				if !s.expand1D() {
					finish()
					return errFaxEOF
				}
				finish()
				break
			}
			if !s.syncEOLOK() {
				s.cleanupRuns()
				finish()
				return errFaxEOF
			}
			if !s.needOK(1) {
				s.cleanupRuns()
				finish()
				return errFaxEOF
			}
			is1D := s.get(1)
			s.clr(1)
			var ok bool
			if is1D != 0 {
				ok = s.expand1D()
			} else {
				ok = s.expand2D()
			}
			finish()
			if !ok {
				return errFaxEOF
			}
			if s.pa < len(s.thisrun) {
				s.setValue(0)
			}
			s.swapRuns()
		case compCCITTFax4:
			ok := s.expand2D()
			if ok && s.eolcnt != 0 {
				ok = false
			}
			if !ok {
				// EOFB, or the end of the data: fill and stop, an error only on the first
				// line ("don't error on badly-terminated strips").
				if s.needOK(13) {
					s.clr(13)
				}
				if (int(s.lastx)+7)>>3 > occ {
					return FormatError("buffer overrun detected")
				}
				finish()
				if s.line == 0 {
					return errFaxEOF
				}
				return nil
			}
			if (int(s.lastx)+7)>>3 > occ {
				return FormatError("buffer overrun detected")
			}
			finish()
			s.setValue(0)
			s.swapRuns()
		}
		o += rowBytes
		occ -= rowBytes
		s.line++
	}
	return nil
}

func (s *faxState) swapRuns() { s.runs, s.ref = s.ref, s.runs[:len(s.runs)] }

func (s *faxState) syncEOLOK() (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, eof := r.(faxEOF); !eof {
				panic(r)
			}
			ok = false
		}
	}()
	s.syncEOL()
	return true
}

// needOK is NeedBits with the end of data reported as false (NeedBits16(13, BADG4) jumps
// to the label in either case).
func (s *faxState) needOK(n uint) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, eof := r.(faxEOF); !eof {
				panic(r)
			}
			ok = false
		}
	}()
	s.need(n)
	return true
}

// setBits sets (black) or clears bits [from, to) of buf, most significant bit first.
func setBits(buf []byte, from, to int32, black bool) {
	for from < to && from&7 != 0 {
		m := byte(0x80) >> uint(from&7)
		if black {
			buf[from>>3] |= m
		} else {
			buf[from>>3] &^= m
		}
		from++
	}
	var fill byte
	if black {
		fill = 0xff
	}
	for ; from+8 <= to; from += 8 {
		buf[from>>3] = fill
	}
	for ; from < to; from++ {
		m := byte(0x80) >> uint(from&7)
		if black {
			buf[from>>3] |= m
		} else {
			buf[from>>3] &^= m
		}
	}
}
