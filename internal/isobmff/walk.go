package isobmff

import (
	"bytes"
	"context"
	"encoding/binary"
)

// A table is one of ExifTool's QuickTime tag tables: which child boxes it parses depends on
// the container it is walking.
type table uint8

const (
	tabMain table = iota
	tabMovie
	tabTrack
	tabMedia
	tabMediaInfo
	tabSampleTable
	tabMeta
	tabItemInfo
	tabItemProp
	tabItemPropCont
	tabUserData
	tabOtherMeta
	tabMovieFragment
	tabTrackFragment
	tabKeys
	tabItemList
	tabItemRef
)

// subdir is a child box ExifTool walks as a container: its table and how many bytes of its
// payload precede its first child (a FullBox's version and flags).
type subdir struct {
	tab   table
	start int64
}

// subdirs lists, per table, the children ExifTool walks with ProcessMOV and that can lead
// to what Sign needs (items, sample tables, handler types, movie and track headers, Apple's
// keys). Other children are skipped as ExifTool skips them or reads them for tags that do
// not matter here.
var subdirs = map[table]map[string]subdir{
	tabMain:          {"moov": {tabMovie, 0}, "meta": {tabMeta, 4}, "moof": {tabMovieFragment, 0}, "meco": {tabOtherMeta, 0}},
	tabMovie:         {"trak": {tabTrack, 0}, "htka": {tabTrack, 0}, "meta": {tabMeta, 0}, "udta": {tabUserData, 0}, "meco": {tabOtherMeta, 0}},
	tabTrack:         {"mdia": {tabMedia, 0}, "meta": {tabMeta, 0}, "udta": {tabUserData, 0}, "meco": {tabOtherMeta, 0}},
	tabMedia:         {"minf": {tabMediaInfo, 0}},
	tabMediaInfo:     {"stbl": {tabSampleTable, 0}},
	tabMeta:          {"iprp": {tabItemProp, 0}},
	tabUserData:      {"meta": {tabMeta, 4}},
	tabOtherMeta:     {"meta": {tabMeta, 0}},
	tabMovieFragment: {"traf": {tabTrackFragment, 0}, "meta": {tabMeta, 0}},
	tabTrackFragment: {"meta": {tabMeta, 0}},
}

// ExifTool's size limits (ProcessMOV): a box whose payload is over 32 MiB is not read.
const maxBoxPayload = 0x2000000

// topMagic are the first boxes ExifTool takes a file as QuickTime for (%magicNumber).
var topMagic = map[string]bool{
	"free": true, "skip": true, "wide": true, "ftyp": true, "pnot": true, "PICT": true,
	"pict": true, "moov": true, "mdat": true, "junk": true, "uuid": true,
}

// walker replays ExifTool's reading of one file: the state ProcessMOV, HandleItemInfo and
// ProcessSamples keep in the ExifTool object, and the digest they feed.
type walker struct {
	ctx  context.Context
	w    *window
	size int64
	hash *hasher

	handlerType string // $$et{HandlerType}: the last hdlr seen, '' after a minf or a hashed stbl
	mediaType   string // $$et{MediaType}: the media handler of the current track

	mdatSeen          bool // $$et{MediaDataSize} defined: a top-level mdat was met
	mdatOff, mdatSize int64

	idatSeen bool // $$et{MediaDataInfo}: an idat box since the last HandleItemInfo
	idatOff  int64

	items       *itemSet // $$et{ItemInfo}
	primary     uint32   // $$et{PrimaryItem} || 0
	ipco        *span    // $$et{ItemPropertyContainer}: walked when the meta box ends
	props       *itemProps
	irefVersion uint8 // $$et{ItemRefVersion}

	ee *sampleTables // $$et{ee}: the sample tables of the stbl being walked

	exif     func(ExifItem) // when set, receives the Exif items' data
	havePrim bool           // $$et{PrimaryItem} defined

	keys keyState // Apple's Keys and their ilst values
	info movieInfo

	trailer    bool  // a trailer IdentifyTrailers found
	trailerOff int64 // where it starts

	died bool  // ExifTool would die here (a Perl unpack past the end): nothing is printed
	err  error // an I/O error or ctx's: the walk stops
}

// span is a byte range of the file.
type span struct{ off, end int64 }

// stopped reports whether the walk must end now.
func (wk *walker) stopped() bool {
	if wk.err == nil && wk.w.err != nil {
		wk.err = wk.w.err
	}
	if wk.err == nil && wk.hash.err != nil {
		wk.err = wk.hash.err
	}
	if wk.err == nil {
		wk.err = wk.ctx.Err()
	}
	return wk.err != nil || wk.died
}

// run walks the file from its first box as ExifTool's ProcessMOV does for the whole file.
// It does nothing when ExifTool would not take the file for QuickTime.
func (wk *walker) run() {
	head := wk.w.at(0, 8)
	if head == nil || !topMagic[string(head[4:8])] {
		return
	}
	wk.identifyTrailers()
	wk.dir(tabMain, "", 0, wk.size, true)
}

// dir walks the children of a container whose payload (after its start bytes) is
// [pos, end), with ExifTool's rules: a header that does not fit, an invalid size or a box
// running past end stops the walk of this container (its parent goes on); a nested
// container stops when fewer than 9 bytes follow a child.
func (wk *walker) dir(tab table, dirID string, pos, end int64, top bool) {
	hdr := wk.w.at(pos, 8)
	if hdr == nil || pos+8 > end {
		return // ExifTool returns before HandleItemInfo here
	}
	index := 1 // ipco property index (START_INDEX)
	for !wk.stopped() {
		size := int64(binary.BigEndian.Uint32(hdr))
		var typ [4]byte
		copy(typ[:], hdr[4:8])
		last8 := string(hdr) // the header bytes ExifTool matches trailers against
		pos += 8
		if size < 8 {
			if size != 1 {
				break // 0: to the end of the file or a terminator; else invalid
			}
			ext := wk.w.at(pos, 8)
			if ext == nil || pos+8 > end {
				break
			}
			last8 = string(ext)
			pos += 8
			hi, lo := binary.BigEndian.Uint32(ext), binary.BigEndian.Uint32(ext[4:])
			if hi > 0x7fffffff {
				break
			}
			size = int64(hi)<<32 | int64(lo) - 16
			if size < 0 {
				break
			}
		} else {
			size -= 8
		}
		name := string(typ[:])
		if top && name == "mdat" {
			wk.mdatSeen, wk.mdatOff, wk.mdatSize = true, pos, size
		}
		if name == "idat" {
			wk.idatSeen, wk.idatOff = true, pos
		}
		ignore := false
		if size > maxBoxPayload {
			if isRIFFTrailer(last8) || last8 == "CCCCCCCC" {
				break // a dashcam trailer: ExifTool stops here
			}
			// Every box that can matter here is either unknown to ExifTool, flagged
			// Unknown or not an ExtractEmbedded box: over 32 MiB, it is skipped.
			ignore = true
		}
		if size > end-pos {
			break // truncated: runs past its container or the file
		}
		if !ignore {
			wk.box(tab, name, pos, size, index)
		}
		if name == "trak" {
			wk.mediaType = ""
		}
		pos += size
		if !top && pos+8 >= end {
			break
		}
		if top && wk.trailer && pos >= wk.trailerOff {
			break
		}
		if hdr = wk.w.at(pos, 8); hdr == nil || pos+8 > end {
			break
		}
		index++
	}
	if top || dirID == "meta" {
		wk.handleItemInfo()
	}
}

// isRIFFTrailer matches ExifTool's /^(gpsa|gps0|gsen|gsea)...\0/s on a box header.
func isRIFFTrailer(h string) bool {
	switch h[:4] {
	case "gpsa", "gps0", "gsen", "gsea":
		return h[7] == 0
	}
	return false
}

// box handles one child box of a container of table tab, read whole by ExifTool
// (payload [pos, pos+size)).
func (wk *walker) box(tab table, name string, pos, size int64, index int) {
	if sd, ok := subdirs[tab][name]; ok {
		if size > sd.start {
			wk.dir(sd.tab, name, pos+sd.start, pos+size, false)
		}
		switch name {
		case "stbl":
			wk.processSamples()
		case "minf":
			wk.handlerType = ""
		}
		return
	}
	switch tab {
	case tabMovie:
		if name == "mvhd" {
			wk.movieHeader(pos, size)
		}
	case tabTrack:
		if name == "tkhd" {
			wk.trackHeader(pos, size)
		}
	case tabMedia, tabMediaInfo:
		if name == "hdlr" {
			wk.handler(pos, size, tab == tabMedia)
		}
	case tabSampleTable:
		wk.sampleTable(name, pos, size)
	case tabMeta:
		wk.metaBox(name, pos, size)
	case tabItemInfo:
		if name == "infe" {
			wk.itemInfoEntry(pos, size)
		}
	case tabItemProp:
		switch name {
		case "ipco":
			if size > 0 {
				wk.ipco = &span{pos, pos + size}
			}
		case "ipma":
			wk.itemPropAssoc(pos, size)
		}
	case tabItemPropCont:
		if name == "ispe" {
			wk.spatialExtent(pos, size, index)
		}
	case tabItemList:
		wk.itemListEntry(name, pos, size)
	case tabItemRef:
		if name == "cdsc" || name == "dimg" {
			wk.contentDescribes(pos, size)
		}
	}
}

// metaBox handles the children of a meta box that are not containers walked by dir.
func (wk *walker) metaBox(name string, pos, size int64) {
	switch name {
	case "hdlr":
		wk.handler(pos, size, false)
	case "iinf":
		// ItemInformation: entry count of 16 bits (version 0) or 32.
		start := int64(8)
		if v, ok := wk.w.u8(pos); ok && v == 0 {
			start = 6
		}
		if size > start {
			wk.dir(tabItemInfo, name, pos+start, pos+size, false)
		}
	case "iloc":
		wk.itemLocation(pos, size)
	case "pitm":
		wk.primaryItem(pos, size)
	case "iref":
		if size > 4 {
			ver, _ := wk.w.u8(pos)
			wk.irefVersion = ver
			wk.dir(tabItemRef, name, pos+4, pos+size, false)
		}
	case "keys":
		wk.keysBox(pos, size, wk.mediaType != "soun" && wk.mediaType != "vide")
	case "ilst":
		if size > 0 {
			wk.dir(tabItemList, name, pos, pos+size, false)
		}
	}
}

// handler reads an hdlr box as ExifTool's Handler table does: the handler type is the 4
// bytes at offset 8 (fewer when the box is shorter), and it replaces the current one unless
// it is a data handler's 'alis' or 'url '.
func (wk *walker) handler(pos, size int64, inMedia bool) {
	if size <= 8 {
		return
	}
	n := size - 8
	if n > 4 {
		n = 4
	}
	b := wk.w.at(pos+8, int(n))
	if b == nil {
		return
	}
	v := string(b)
	if v != "alis" && v != "url " {
		wk.handlerType = v
	}
	if inMedia {
		wk.mediaType = v
	}
}

// identifyTrailers looks for the trailers ExifTool's IdentifyTrailers recognises at the end
// of the file (Insta360, LigoGPS, MIE): the top-level walk stops where the first begins.
func (wk *walker) identifyTrailers() {
	var offset int64
	for {
		at := wk.size - 40 - offset
		if at < 0 {
			return
		}
		b := wk.w.at(at, 40)
		if b == nil {
			return
		}
		var n int64
		switch {
		case string(b[8:]) == "8db42d694ccc418790edff439fe026bf":
			n = int64(binary.LittleEndian.Uint32(b))
		case ligoTail(b):
			n = int64(binary.BigEndian.Uint32(b[36:]))
		default:
			var ok bool
			if n, ok = mieTail(b); !ok {
				return
			}
		}
		if n <= 0 {
			return // ExifTool would loop forever on a zero length
		}
		wk.trailer, wk.trailerOff = true, wk.size-offset-n
		offset += n
	}
}

// ligoTail matches /\&\&\&\&(.{4})$/ (Perl's $ also matches before a final newline).
func ligoTail(b []byte) bool {
	if string(b[32:36]) == "&&&&" && bytes.IndexByte(b[36:40], '\n') < 0 {
		return true
	}
	return b[39] == '\n' && string(b[31:35]) == "&&&&" && bytes.IndexByte(b[35:39], '\n') < 0
}

// mieTail matches ExifTool's two MIE trailer patterns and returns the trailer length.
func mieTail(b []byte) (int64, bool) {
	for _, nl := range []int{0, 1} {
		if nl == 1 && b[39] != '\n' {
			continue
		}
		e := 40 - nl
		order := func(c byte) binary.ByteOrder {
			if c == 0x10 {
				return binary.BigEndian
			}
			return binary.LittleEndian
		}
		if c := b[e-2]; b[e-1] == 0x04 && (c == 0x10 || c == 0x18) &&
			string(b[e-18:e-6]) == "~\x00\x04\x00zmie~\x00\x00\x06" {
			return int64(order(c).Uint32(b[34:])), true
		}
		if c := b[e-2]; b[e-1] == 0x08 && (c == 0x10 || c == 0x18) &&
			string(b[e-22:e-10]) == "~\x00\x04\x00zmie~\x00\x00\x0a" {
			v := order(c).Uint64(b[30:])
			if v > 1<<62 {
				return 0, false
			}
			return int64(v), true
		}
	}
	return 0, false
}
