package isobmff

import "encoding/binary"

// sampleTables is $$et{ee} for one stbl box: the tables ExifTool's ParseTag kept, as lists
// with Perl's quirks (a count of 0 or data too short for one value make a list of one
// undefined value), read from the file when walked instead of kept in memory.
type sampleTables struct {
	set   bool        // $$et{ee} exists: ParseTag stored something
	sizes *list       // stsz or stz2 (the last one parsed)
	stco  *list       // stco or co64
	stsc  *entryTable // sample-to-chunk entries (12 bytes each)
	stts  *entryTable // time-to-sample entries (8 bytes each)
}

// listKind is how a list's values are found.
type listKind uint8

const (
	listFile    listKind = iota // n values of elem bytes at off
	listConst                   // n copies of v (stsz with a fixed sample size)
	listNibbles                 // stz2 with 4-bit fields: 2 values per byte, read wrongly
	listUndef                   // one undefined value ('' or undef): 0 as a size, the end as an offset
)

// list is a Perl list of sample sizes or chunk offsets.
type list struct {
	kind listKind
	off  int64
	elem int
	n    uint64
	v    uint64
}

// entryTable is a table of fixed-size entries in the file.
type entryTable struct {
	off  int64
	n    uint64
	elem int64
}

// readList transcribes ReadValue(data, start, format, count, size) in list context for
// the payload [pos, pos+size) of a table box: count values of elem bytes at start, fewer
// when the data is short, and Perl's one-element answers when there is none.
func readList(pos, size, start int64, elem int, count uint64, countDefined bool) *list {
	avail := size - start
	if !countDefined || count == 0 {
		if countDefined || avail < int64(elem) {
			return &list{kind: listUndef, n: 1}
		}
		count = uint64(avail / int64(elem))
	}
	if avail < 0 || count > uint64(avail)/uint64(elem) {
		if avail < int64(elem) {
			return &list{kind: listUndef, n: 1}
		}
		count = uint64(avail / int64(elem))
	}
	return &list{kind: listFile, off: pos + start, elem: elem, n: count}
}

// sampleTable handles a child of stbl: ExifTool parses the sample tables (ParseTag) only
// when the current handler type is one it extracts or hashes.
func (wk *walker) sampleTable(name string, pos, size int64) {
	if !eeHandler[wk.handlerType] {
		return
	}
	switch name {
	case "stsz", "stz2", "stco", "co64", "stsc", "stts":
	default:
		return
	}
	if wk.ee == nil {
		wk.ee = &sampleTables{}
	}
	ee := wk.ee
	u32 := func(at int64) (uint32, bool) {
		if at+4 > pos+size {
			return 0, false
		}
		return wk.w.u32(at)
	}
	switch {
	case name == "stsz":
		if size < 4 {
			wk.died = true // unpack('x4N2') past the end of the data
			return
		}
		sz, szOK := u32(pos + 4)
		num, numOK := u32(pos + 8)
		if !szOK || sz == 0 {
			ee.sizes = readList(pos, size, 12, 4, uint64(num), numOK)
		} else {
			ee.sizes = &list{kind: listConst, n: uint64(num), v: uint64(sz)}
		}
		ee.set = true
	case name == "stz2" && size > 12:
		field, _ := u32(pos + 4)
		num, _ := u32(pos + 8)
		switch field & 0xff {
		case 4:
			l := readList(pos, size, 12, 1, uint64((num+1)/2), true)
			if l.kind == listUndef {
				l = &list{kind: listConst, n: 2} // ('' >> 4, '' & 0xff)
			} else {
				l.kind, l.n = listNibbles, 2*l.n
			}
			ee.sizes = l
		case 8:
			ee.sizes = readList(pos, size, 12, 1, uint64(num), true)
		case 16:
			ee.sizes = readList(pos, size, 12, 2, uint64(num), true)
		default:
			ee.sizes = &list{kind: listConst}
		}
		ee.set = true
	case name == "stco":
		if size < 4 {
			wk.died = true // unpack('x4N') past the end of the data
			return
		}
		num, ok := u32(pos + 4)
		ee.stco = readList(pos, size, 8, 4, uint64(num), ok)
		ee.set = true
	case name == "co64" && size > 8:
		num, _ := u32(pos + 4)
		ee.stco = readList(pos, size, 8, 8, uint64(num), true)
		ee.set = true
	case name == "stsc" && size > 8:
		num, _ := u32(pos + 4)
		if uint64(size-8) >= uint64(num)*12 {
			ee.stsc = &entryTable{off: pos + 8, n: uint64(num), elem: 12}
			ee.set = true
		}
	case name == "stts" && size > 8:
		num, _ := u32(pos + 4)
		if uint64(size-8) >= uint64(num)*8 {
			ee.stts = &entryTable{off: pos + 8, n: uint64(num), elem: 8}
			ee.set = true
		}
	}
}

// eeHandler are the handler types whose sample tables ExifTool parses when hashing
// (%eeBox and %hashBox); only vide and soun are then hashed.
var eeHandler = map[string]bool{"vide": true, "soun": true, "text": true, "meta": true,
	"sbtl": true, "data": true, "camm": true, "ctbx": true}

// processSamples transcribes ProcessSamples at the end of an stbl box: for a vide or soun
// track, the chunks are walked once to check ExifTool's sample count, then again to hash
// each chunk at its stco offset.
func (wk *walker) processSamples() {
	ee := wk.ee
	wk.ee = nil
	if ee == nil || !ee.set {
		return
	}
	if wk.handlerType != "vide" && wk.handlerType != "soun" {
		return
	}
	if ee.sizes == nil || ee.stco == nil || ee.stsc == nil || ee.stsc.n == 0 {
		return
	}
	starts, ok := wk.chunks(ee, nil)
	if !ok || starts != ee.sizes.n {
		return // "Incorrect sample start/size count"
	}
	wk.chunks(ee, wk.hashChunk)
	wk.handlerType = ""
}

// hashChunk hashes one chunk as ProcessSamples does: cut at the end of the last mdat met
// before the moov, not read when its offset cannot be sought to.
func (wk *walker) hashChunk(off, size uint64) {
	if wk.mdatSeen {
		mdatEnd := uint64(wk.mdatOff) + uint64(wk.mdatSize)
		if off >= uint64(wk.mdatOff) && satAdd(off, size) > mdatEnd {
			if mdatEnd > off {
				size = mdatEnd - off
			} else {
				size = 0
			}
		}
	}
	if off >= 1<<63 {
		return // Seek error
	}
	wk.hash.add(off, size)
}

func satAdd(a, b uint64) uint64 {
	if a+b < a {
		return ^uint64(0)
	}
	return a + b
}

// chunks walks the chunk entryTable as ProcessSamples does and calls emit (when not nil) with
// each chunk's offset and size. It returns how many sample starts ExifTool pushed; ok is
// false when the walk was cut short by ctx or a read error.
func (wk *walker) chunks(ee *sampleTables, emit func(off, size uint64)) (starts uint64, ok bool) {
	sizes := newListReader(wk, ee.sizes)
	offsets := newListReader(wk, ee.stco)
	stsc := newTableReader(wk, ee.stsc)
	stts := newTableReader(wk, ee.stts)

	var nextChunk, iChunk uint64 = 0, 1
	var spc uint64
	j := uint64(0) // next stsc entry
	timed := ee.stts != nil && ee.stts.n > 0
	var timeCount uint64
	k := uint64(0) // next stts entry
	if timed {
		timeCount = uint64(stts.u32(0, 0))
		k = 1
	}
	for c := uint64(0); c < ee.stco.n; c++ {
		if c&0xfff == 0 && wk.stopped() {
			return starts, false
		}
		if iChunk >= nextChunk && j < ee.stsc.n {
			spc = uint64(stsc.u32(j, 4))
			j++
			if j < ee.stsc.n {
				nextChunk = uint64(stsc.u32(j, 0))
			}
		}
		if ee.sizes.n < starts+spc {
			break // "Sample size error"
		}
		if ee.stco.kind == listUndef {
			break // an undefined or empty chunk offset ends the walk
		}
		off := offsets.at(c)
		n := spc
		if n == 0 {
			n = 1 // the sample loop runs once whatever the count
		}
		var size uint64
		for n > 0 {
			if !timed {
				size += sizes.sum(starts, n)
				starts += n
				break
			}
			for timeCount == 0 && k < ee.stts.n {
				timeCount = uint64(stts.u32(k, 0))
				k++
			}
			if timeCount == 0 {
				starts++ // pushed, then the time entryTable ran out: the chunk ends here
				timed = false
				break
			}
			m := min(n, timeCount)
			size += sizes.sum(starts, m)
			starts += m
			timeCount -= m
			n -= m
		}
		if emit != nil {
			emit(off, size)
		}
		iChunk++
	}
	if wk.w.err != nil || sizes.w.err != nil || offsets.w.err != nil || stsc.w.err != nil || stts.w.err != nil {
		if wk.err == nil {
			wk.err = firstErr(sizes.w.err, offsets.w.err, stsc.w.err, stts.w.err)
		}
		return starts, false
	}
	return starts, true
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// listReader reads a list's values through its own window, so that the four tables walked
// together do not evict each other.
type listReader struct {
	l *list
	w *window
}

const tableWindow = 16 << 10

func newListReader(wk *walker, l *list) listReader {
	return listReader{l: l, w: newWindow(wk.w.r, wk.size, tableWindow)}
}

// at returns value i (0 past the end or when undefined).
func (r listReader) at(i uint64) uint64 {
	l := r.l
	if l == nil || i >= l.n {
		return 0
	}
	switch l.kind {
	case listConst:
		return l.v
	case listFile:
		v, _ := r.w.uintN(l.off+int64(i)*int64(l.elem), l.elem)
		return v
	case listNibbles:
		b, _ := r.w.u8(l.off + int64(i/2))
		if i%2 == 0 {
			return uint64(b >> 4)
		}
		return uint64(b) // ExifTool's '& 0xff' keeps the whole byte
	}
	return 0
}

// sum adds values [from, from+m), 0 for those past the end.
func (r listReader) sum(from, m uint64) uint64 {
	l := r.l
	if from >= l.n || m == 0 {
		return 0
	}
	if m > l.n-from {
		m = l.n - from
	}
	if l.kind == listConst {
		return l.v * m
	}
	if l.kind == listFile {
		var s uint64
		step := int64(l.elem)
		at := l.off + int64(from)*step
		// Read whole windows at a time: a chunk of many samples is one pass.
		for m > 0 {
			batch := uint64(tableWindow) / uint64(step)
			if batch > m {
				batch = m
			}
			b := r.w.at(at, int(batch)*int(step))
			if b == nil {
				return s
			}
			for p := 0; p < len(b); p += int(step) {
				switch step {
				case 1:
					s += uint64(b[p])
				case 2:
					s += uint64(binary.BigEndian.Uint16(b[p:]))
				case 4:
					s += uint64(binary.BigEndian.Uint32(b[p:]))
				}
			}
			m -= batch
			at += int64(batch) * step
		}
		return s
	}
	var s uint64
	for i := from; i < from+m; i++ {
		s += r.at(i)
	}
	return s
}

// tableReader reads fixed-size entries of a entryTable through its own window.
type tableReader struct {
	t *entryTable
	w *window
}

func newTableReader(wk *walker, t *entryTable) tableReader {
	return tableReader{t: t, w: newWindow(wk.w.r, wk.size, tableWindow)}
}

// u32 returns the 32-bit field at byte field of entry i.
func (r tableReader) u32(i uint64, field int64) uint32 {
	v, _ := r.w.u32(r.t.off + int64(i)*r.t.elem + field)
	return v
}
