package isobmff

import (
	"fmt"
	"sort"
)

// maxItems bounds the distinct HEIF item IDs kept per meta box (about 80 bytes each):
// 16-bit IDs never reach it; only a file made to exhaust memory with 32-bit IDs does.
const maxItems = 1 << 17

// isImageData are the item types ExifTool hashes (%isImageData).
var isImageData = map[string]bool{"av01": true, "avc1": true, "hvc1": true, "lhv1": true, "hvt1": true}

// Perl truthiness of a string field: unset, "" and "0" are false.
const (
	strUnset uint8 = iota // undef, "" or "0"
	strImage              // one of isImageData
	strExif               // "Exif": EXIF metadata
	strOther              // any other true string
)

// item is what ExifTool's ItemInfo keeps of one item ID, reduced to what decides whether
// and how its data is hashed. Later boxes overwrite the fields they set, as in ExifTool.
type item struct {
	contentType uint8 // infe content_type (versions 0, 1; mime items)
	itemType    uint8 // infe item_type (versions 2, 3)
	encoding    uint8 // content_encoding: strUnset, encDeflate or strOther
	protected   bool  // protection_index != 0
	external    bool  // data_reference_index != 0
	method      uint64
	base        uint64
	extents     extentRef
	assoc       span     // the ipma entry's property indices; assoc.end == 0 when none
	assocWide   bool     // 16-bit property indices
	refersTo    []uint32 // items this one describes (cdsc, dimg), maxRefs at most
	hasRefs     bool
}

// maxRefs bounds the references kept per item: they only decide whether an Exif item
// describes the primary image.
const maxRefs = 64

// encDeflate is a content_encoding of "deflate" (not a string class above).
const encDeflate uint8 = 10

// extentRef locates the extent list of an item's last complete iloc entry, re-read when
// the item is hashed instead of kept in memory.
type extentRef struct {
	at                 int64 // file offset of the first extent; 0 when none
	count              int
	end                int64 // end of the iloc payload
	indexSize, offSize int
	lenSize            int
	withIndex          bool
}

// width is the bytes one extent takes in the iloc box.
func (r extentRef) width() int {
	w := r.offSize + r.lenSize
	if r.withIndex {
		w += r.indexSize
	}
	return w
}

// itemSet is $$et{ItemInfo}: the items of the meta box being walked.
type itemSet struct {
	byID map[uint32]*item
}

// get returns the item with this ID, creating it; nil when maxItems would be exceeded
// (the walk then fails with ErrTooManyItems).
func (wk *walker) item(id uint32) *item {
	if wk.items == nil {
		wk.items = &itemSet{byID: map[uint32]*item{}}
	}
	it := wk.items.byID[id]
	if it == nil {
		if len(wk.items.byID) >= maxItems {
			if wk.err == nil {
				wk.err = fmt.Errorf("%w: more than %d item IDs in one meta box", ErrTooManyItems, maxItems)
			}
			return nil
		}
		it = &item{}
		wk.items.byID[id] = it
	}
	return it
}

// classify maps a type or content-type string to its Perl truth and image-ness.
func classify(s []byte, length int64) uint8 {
	switch {
	case length == 0 || (length == 1 && s[0] == '0'):
		return strUnset
	case length == 4 && isImageData[string(s)]:
		return strImage
	case length == 4 && string(s) == "Exif":
		return strExif
	}
	return strOther
}

// itemInfoEntry transcribes ParseItemInfoEntry for the infe box payload [pos, pos+size).
func (wk *walker) itemInfoEntry(pos, size int64) {
	end := pos + size
	if size < 8 {
		return
	}
	ver, _ := wk.w.u8(pos)
	p := pos + 4
	var it *item
	if ver == 0 || ver == 1 {
		id, _ := wk.w.u16(p)
		prot, _ := wk.w.u16(p + 2)
		if it = wk.item(uint32(id)); it == nil {
			return
		}
		it.protected = prot != 0
		p += 4
		_, _, p = wk.w.cstring(p, end, 0) // name
		ct, ctLen, next := wk.w.cstring(p, end, 5)
		it.contentType = classify(ct, ctLen)
		enc, encLen, _ := wk.w.cstring(next, end, 8)
		it.encoding = encoding(enc, encLen)
		return
	}
	var id uint32
	switch ver {
	case 2:
		v, _ := wk.w.u16(p)
		id, p = uint32(v), p+2
	case 3:
		id, _ = wk.w.u32(p)
		p += 4
	default:
		return // no ID: ExifTool files it under an undefined key that no iloc entry matches
	}
	if p+6 > end {
		return
	}
	if it = wk.item(id); it == nil {
		return
	}
	prot, _ := wk.w.u16(p)
	it.protected = prot != 0
	typ := wk.w.at(p+2, 4)
	if typ == nil {
		return
	}
	it.itemType = classify(typ, 4)
	p += 6
	if string(typ) == "mime" {
		_, _, p = wk.w.cstring(p, end, 0) // name
		ct, ctLen, next := wk.w.cstring(p, end, 5)
		it.contentType = classify(ct, ctLen)
		enc, encLen, _ := wk.w.cstring(next, end, 8)
		it.encoding = encoding(enc, encLen)
	}
}

func encoding(s []byte, length int64) uint8 {
	switch {
	case length == 0 || (length == 1 && s[0] == '0'):
		return strUnset
	case length == 7 && string(s) == "deflate":
		return encDeflate
	}
	return strOther
}

// varInt transcribes GetVarInt: an n-byte integer at *p (n of 0, 4 or 8, else undefined),
// advancing *p by n whatever happens; ok is false when the value is undefined.
func (wk *walker) varInt(p *int64, n int, end int64, def uint64) (uint64, bool) {
	at := *p
	*p += int64(n)
	if at+int64(n) > end {
		return 0, false
	}
	switch n {
	case 0:
		return def, true
	case 4, 8:
		return wk.w.uintN(at, n)
	}
	return 0, false
}

// itemLocation transcribes ParseItemLocation for the iloc payload [pos, pos+size).
func (wk *walker) itemLocation(pos, size int64) {
	end := pos + size
	if size < 8 {
		return
	}
	ver, _ := wk.w.u8(pos)
	sizes, _ := wk.w.u16(pos + 4)
	noff, nlen := int(sizes>>12), int(sizes>>8&0x0f)
	nbas, nind := int(sizes>>4&0x0f), int(sizes&0x0f)
	var num uint64
	p := pos + 8
	if ver < 2 {
		v, _ := wk.w.u16(pos + 6)
		num = uint64(v)
	} else {
		if size < 10 {
			return
		}
		v, _ := wk.w.u32(pos + 6)
		num, p = uint64(v), pos+10
	}
	for i := uint64(0); i < num; i++ {
		if wk.stopped() {
			return
		}
		id, ok := wk.itemID(&p, ver >= 2, 0, end)
		if !ok {
			return
		}
		it := wk.item(id)
		if it == nil {
			return
		}
		if ver == 1 || ver == 2 {
			if p+2 > end {
				return
			}
			v, _ := wk.w.u16(p)
			it.method = uint64(v & 0x0f)
			p += 2
		}
		if p+2 > end {
			return
		}
		dri, _ := wk.w.u16(p)
		it.external = dri != 0
		p += 2
		base, _ := wk.varInt(&p, nbas, end, 0) // undefined counts as 0
		it.base = base
		if p+2 > end {
			return
		}
		count, _ := wk.w.u16(p)
		p += 2
		ref := extentRef{at: p, count: int(count), end: end, indexSize: nind, offSize: noff,
			lenSize: nlen, withIndex: ver == 1 || ver == 2}
		if ref.width() == 0 {
			it.extents = ref // extents of no bytes: all (0, 0), none can be cut short
			continue
		}
		for j := 0; j < int(count); j++ {
			if ref.withIndex {
				wk.varInt(&p, nind, end, 1)
			}
			wk.varInt(&p, noff, end, 0)
			if _, ok := wk.varInt(&p, nlen, end, 0); !ok {
				return // the entry is dropped, and the rest of the box with it
			}
		}
		it.extents = ref
	}
}

// itemID reads a 16-bit (32 when wide) item ID at *p and advances *p past it; ok is false,
// as in ExifTool's parsers, when the ID and the more bytes that must follow it do not fit
// before end.
func (wk *walker) itemID(p *int64, wide bool, more, end int64) (uint32, bool) {
	n := int64(2)
	if wide {
		n = 4
	}
	if *p+n+more > end {
		return 0, false
	}
	v, _ := wk.w.uintN(*p, int(n))
	*p += n
	return uint32(v), true
}

// extents calls visit with each extent of ref, its offset (undefined counts as 0) and
// length, until visit returns false.
func (wk *walker) extents(ref extentRef, visit func(off, length uint64) bool) {
	p := ref.at
	count := ref.count
	if ref.width() == 0 && count > 1 {
		count = 1 // identical empty extents: one visit says what all of them would
	}
	for j := 0; j < count; j++ {
		if ref.withIndex {
			wk.varInt(&p, ref.indexSize, ref.end, 1)
		}
		off, _ := wk.varInt(&p, ref.offSize, ref.end, 0)
		length, _ := wk.varInt(&p, ref.lenSize, ref.end, 0)
		if !visit(off, length) {
			return
		}
	}
}

// primaryItem reads pitm as ExifTool's PrimaryItemReference: a 16-bit ID after version 0's
// flags, else 32 bits. Perl dies on a payload shorter than 4 bytes.
func (wk *walker) primaryItem(pos, size int64) {
	if size < 4 {
		wk.died = true
		return
	}
	ver, _ := wk.w.u8(pos)
	n := 4
	if ver == 0 {
		n = 2
	}
	if size < 4+int64(n) {
		wk.primary, wk.havePrim = 0, false // unpack finds nothing: undef, which counts as 0
		return
	}
	v, _ := wk.w.uintN(pos+4, n)
	wk.primary, wk.havePrim = uint32(v), true
}

// itemPropAssoc transcribes ParseItemPropAssoc: it keeps where each item's property indices
// are, for the primary item's ispe.
func (wk *walker) itemPropAssoc(pos, size int64) {
	end := pos + size
	if size < 8 {
		return
	}
	ver, _ := wk.w.u8(pos)
	flags, _ := wk.w.u32(pos)
	num, _ := wk.w.u32(pos + 4)
	p := pos + 8
	wide := flags&1 != 0
	for i := uint32(0); i < num; i++ {
		if wk.stopped() {
			return
		}
		id, ok := wk.itemID(&p, ver != 0, 1, end)
		if !ok {
			return
		}
		n, _ := wk.w.u8(p)
		p++
		width := int64(1)
		if wide {
			width = 2
		}
		if p+int64(n)*width > end {
			return
		}
		it := wk.item(id)
		if it == nil {
			return
		}
		it.assoc, it.assocWide = span{p, p + int64(n)*width}, wide
		p += int64(n) * width
	}
}

// propIndices is a set of ipco property indices (15 bits at most in an ipma entry).
type propIndices [1 << 15 / 64]uint64

func (s *propIndices) has(i int) bool { return i < 1<<15 && s[i/64]&(1<<(i%64)) != 0 }

// addAssociations adds the property indices of the item's ipma entry to s.
func (wk *walker) addAssociations(s *propIndices, it *item) {
	width := int64(1)
	mask := uint64(0x7f)
	if it.assocWide {
		width, mask = 2, 0x7fff
	}
	for p := it.assoc.off; p < it.assoc.end; p += width {
		if v, ok := wk.w.uintN(p, int(width)); ok {
			i := v & mask
			s[i/64] |= 1 << (i % 64)
		}
	}
}

// spatialExtent reads an ispe property (index in its ipco) as ExifTool does: its first two
// values are an image width and height (see sizeTags) when the
// property belongs to the main document: the primary item is associated with it, or no
// item is.
func (wk *walker) spatialExtent(pos, size int64, index int) {
	if size < 12 || wk.props == nil {
		return
	}
	if vf, _ := wk.w.u32(pos); vf != 0 {
		return
	}
	if wk.props.any.has(index) && !wk.props.primary.has(index) {
		return
	}
	wdt, _ := wk.w.u32(pos + 4)
	hgt, _ := wk.w.u32(pos + 8)
	wk.info.fromItem(&wk.info.width, int64(wdt))
	wk.info.fromItem(&wk.info.height, int64(hgt))
}

// itemProps are the property associations of the meta box whose ipco is being walked.
type itemProps struct {
	any, primary propIndices
}

// handleItemInfo transcribes HandleItemInfo at the end of a meta box: the coded image items
// are hashed in ascending item ID, then the item properties are read.
func (wk *walker) handleItemInfo() {
	if wk.items != nil {
		ids := make([]uint32, 0, len(wk.items.byID))
		for id := range wk.items.byID {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		for _, id := range ids {
			if wk.stopped() {
				return
			}
			wk.hashItem(wk.items.byID[id])
			if wk.exif != nil {
				wk.exifItem(wk.items.byID[id])
			}
		}
	}
	if wk.ipco != nil {
		ipco := *wk.ipco
		wk.ipco = nil
		wk.props = &itemProps{}
		if wk.items != nil {
			for id, it := range wk.items.byID {
				wk.addAssociations(&wk.props.any, it)
				if id == wk.primary {
					wk.addAssociations(&wk.props.primary, it)
				}
			}
		}
		wk.dir(tabItemPropCont, "ipco", ipco.off, ipco.end, false)
		wk.props = nil
	}
	wk.items = nil
	wk.idatSeen = false
}

// itemType is the type ExifTool gives the item: its content type when set, else its
// item type.
func (it *item) kind() uint8 {
	if it.contentType != strUnset {
		return it.contentType
	}
	return it.itemType
}

// readable reports whether ExifTool reads the item's data: not protected, not external,
// stored in this file (mdat, or idat for construction method 1), with extents.
func (wk *walker) readable(it *item) bool {
	return it.encoding != strOther && !it.protected && it.method <= 1 && (it.method == 0 || wk.idatSeen) &&
		!it.external && it.extents.count > 0
}

// base is where the item's extent offsets count from.
func (wk *walker) base(it *item) uint64 {
	if it.method == 1 {
		return it.base + uint64(wk.idatOff)
	}
	return it.base
}

// hashItem feeds one item's extents to the digest when ExifTool would.
func (wk *walker) hashItem(it *item) {
	if it.kind() != strImage || !wk.readable(it) {
		return
	}
	base := wk.base(it)
	wk.extents(it.extents, func(off, length uint64) bool {
		at := off + base
		if at < off || at >= 1<<63 {
			return false // Seek error: the item's other extents are not read
		}
		wk.hash.add(at, length)
		return !wk.stopped()
	})
}
