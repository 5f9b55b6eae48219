package isobmff

// Generators of ISO base media files for the differential test, the committed fixtures
// and the fuzz seeds: synthetic movies and HEIF images whose sample tables, item tables
// and box sizes vary in the ways ExifTool's reader is sensitive to, and box-aware
// mutations of real files.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand"
)

func be16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
func be32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
func be64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

// mkbox is a box with a 32-bit size.
func mkbox(typ string, parts ...[]byte) []byte {
	body := bytes.Join(parts, nil)
	return append(append(be32(uint32(8+len(body))), typ...), body...)
}

// mkbox64 is a box with a 64-bit size.
func mkbox64(typ string, parts ...[]byte) []byte {
	body := bytes.Join(parts, nil)
	return append(append(append(be32(1), typ...), be64(uint64(16+len(body)))...), body...)
}

// mkfull is a FullBox.
func mkfull(typ string, ver byte, flags uint32, parts ...[]byte) []byte {
	return mkbox(typ, append([][]byte{be32(uint32(ver)<<24 | flags&0xffffff)}, parts...)...)
}

func ftypBox(major string, compat ...string) []byte {
	b := [][]byte{[]byte(major), be32(0)}
	for _, c := range compat {
		b = append(b, []byte(c))
	}
	return mkbox("ftyp", b...)
}

func randBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	r.Read(b)
	return b
}

// trackSpec describes one synthetic track.
type trackSpec struct {
	handler     string // mdia/hdlr handler type
	minfHandler string // a second hdlr in minf ("" none)
	width       uint32 // tkhd fields, raw 16.16
	height      uint32
	tkhdVersion byte
	samples     []int    // sample sizes
	stsc        [][2]int // (first chunk, samples per chunk)
	sizes       string   // stsz, stsz-const, stz2-4, stz2-8, stz2-16
	sizeDelta   int      // samples added to (or removed from) the size table's count
	co64        bool
	sttsSamples int  // samples the stts covers; -1 all
	noStts      bool // no stts box
	offsetShift int64
	mediaOrder  bool // hdlr after minf in mdia
	extraStbl   bool // a second stbl after the first
}

// chunkLayout splits n samples into chunks as the stsc table says ExifTool will read it.
func chunkLayout(n int, stsc [][2]int) []int {
	var out []int
	j, next, spc := 0, 0, 1
	for done := 0; done < n; {
		chunk := len(out) + 1
		if chunk >= next && j < len(stsc) {
			spc = stsc[j][1]
			j++
			if j < len(stsc) {
				next = stsc[j][0]
			}
		}
		k := spc
		if k <= 0 {
			k = 1
		}
		if k > n-done {
			k = n - done
		}
		out = append(out, k)
		done += k
	}
	return out
}

// movieSpec describes a synthetic movie.
type movieSpec struct {
	major       string
	tracks      []trackSpec
	mdatFirst   bool // mdat before moov
	mdat64      bool // mdat with a 64-bit size
	mvhdVersion byte
	created     uint64
	duration    uint64
	timescale   uint32
	keys        []keyValue // Apple keys in moov/meta
	trailing    []byte     // appended after the last box
	freeAfter   bool
}

type keyValue struct {
	key   string
	value string
	ctry  uint16
	lang  uint16
}

// buildMovie lays the movie out: the samples of each track in chunks inside one mdat, the
// sample tables pointing at them.
func buildMovie(r *rand.Rand, m movieSpec) []byte {
	// Sample data, chunk by chunk.
	type chunkRef struct{ track, off int }
	var mdatBody []byte
	chunkOffs := make([][]int, len(m.tracks))
	for ti, t := range m.tracks {
		layout := chunkLayout(len(t.samples), t.stsc)
		s := 0
		for _, k := range layout {
			chunkOffs[ti] = append(chunkOffs[ti], len(mdatBody))
			for i := 0; i < k; i++ {
				mdatBody = append(mdatBody, randBytes(r, t.samples[s])...)
				s++
			}
		}
	}
	build := func(mdatPayloadAt int) []byte {
		var traks [][]byte
		for ti, t := range m.tracks {
			traks = append(traks, buildTrack(t, chunkOffs[ti], mdatPayloadAt, ti+1))
		}
		mvhd := movieHeaderBox(m)
		kids := append([][]byte{mvhd}, traks...)
		if len(m.keys) > 0 {
			kids = append(kids, appleMeta(m.keys))
		}
		return mkbox("moov", kids...)
	}
	ftyp := ftypBox(m.major, m.major, "isom")
	mdatHdr := 8
	if m.mdat64 {
		mdatHdr = 16
	}
	mkmdat := func() []byte {
		if m.mdat64 {
			return mkbox64("mdat", mdatBody)
		}
		return mkbox("mdat", mdatBody)
	}
	var out []byte
	if m.mdatFirst {
		out = append(append(ftyp, mkmdat()...), build(len(ftyp)+mdatHdr)...)
	} else {
		moovLen := len(build(0))
		out = append(append(ftyp, build(len(ftyp)+moovLen+mdatHdr)...), mkmdat()...)
	}
	if m.freeAfter {
		out = append(out, mkbox("free", randBytes(r, 10))...)
	}
	return append(out, m.trailing...)
}

func movieHeaderBox(m movieSpec) []byte {
	if m.mvhdVersion == 1 {
		return mkfull("mvhd", 1, 0, be64(m.created), be64(m.created), be32(m.timescale), be64(m.duration), make([]byte, 80))
	}
	return mkfull("mvhd", 0, 0, be32(uint32(m.created)), be32(uint32(m.created)), be32(m.timescale), be32(uint32(m.duration)), make([]byte, 80))
}

func buildTrack(t trackSpec, chunkOffs []int, base, id int) []byte {
	var tkhd []byte
	if t.tkhdVersion == 1 {
		tkhd = mkfull("tkhd", 1, 7, be64(0), be64(0), be32(uint32(id)), be32(0), be64(0), make([]byte, 52), be32(t.width), be32(t.height))
	} else {
		tkhd = mkfull("tkhd", 0, 7, be32(0), be32(0), be32(uint32(id)), be32(0), be32(0), make([]byte, 52), be32(t.width), be32(t.height))
	}
	hdlr := mkfull("hdlr", 0, 0, be32(0), []byte(t.handler), make([]byte, 12), []byte("h\x00"))
	stbl := mkbox("stbl", sampleTableBoxes(t, chunkOffs, base)...)
	minfKids := [][]byte{mkbox("dinf", mkfull("dref", 0, 0, be32(1), mkfull("url ", 0, 1)))}
	if t.minfHandler != "" {
		minfKids = append(minfKids, mkfull("hdlr", 0, 0, []byte("dhlr"), []byte(t.minfHandler), make([]byte, 12), []byte{0}))
	}
	minfKids = append(minfKids, stbl)
	if t.extraStbl {
		minfKids = append(minfKids, stbl)
	}
	minf := mkbox("minf", minfKids...)
	mdhd := mkfull("mdhd", 0, 0, be32(0), be32(0), be32(1000), be32(1000), be32(0))
	var mdia []byte
	if t.mediaOrder {
		mdia = mkbox("mdia", mdhd, minf, hdlr)
	} else {
		mdia = mkbox("mdia", mdhd, hdlr, minf)
	}
	return mkbox("trak", tkhd, mdia)
}

func sampleTableBoxes(t trackSpec, chunkOffs []int, base int) [][]byte {
	stsd := mkfull("stsd", 0, 0, be32(0))
	var out [][]byte
	out = append(out, stsd)
	n := len(t.samples)
	if !t.noStts {
		cover := t.sttsSamples
		if cover < 0 || cover > n {
			cover = n
		}
		var e [][]byte
		if cover > 0 {
			e = append(e, be32(uint32(cover)), be32(1))
		}
		out = append(out, mkfull("stts", 0, 0, append([][]byte{be32(uint32(len(e) / 2))}, e...)...))
	}
	var sc [][]byte
	sc = append(sc, be32(uint32(len(t.stsc))))
	for _, e := range t.stsc {
		sc = append(sc, be32(uint32(e[0])), be32(uint32(e[1])), be32(1))
	}
	out = append(out, mkfull("stsc", 0, 0, sc...))
	count := n + t.sizeDelta
	if count < 0 {
		count = 0
	}
	sizeAt := func(i int) int {
		if i < n {
			return t.samples[i]
		}
		return 7
	}
	switch t.sizes {
	case "stsz-const":
		v := 0
		if n > 0 {
			v = t.samples[0]
		}
		out = append(out, mkfull("stsz", 0, 0, be32(uint32(v)), be32(uint32(count))))
	case "stz2-4", "stz2-8", "stz2-16":
		bits := map[string]int{"stz2-4": 4, "stz2-8": 8, "stz2-16": 16}[t.sizes]
		var body []byte
		switch bits {
		case 4:
			for i := 0; i < count; i += 2 {
				body = append(body, byte(sizeAt(i)&15)<<4|byte(sizeAt(i+1)&15))
			}
		case 8:
			for i := 0; i < count; i++ {
				body = append(body, byte(sizeAt(i)))
			}
		case 16:
			for i := 0; i < count; i++ {
				body = append(body, be16(uint16(sizeAt(i)))...)
			}
		}
		out = append(out, mkfull("stz2", 0, 0, be32(uint32(bits)), be32(uint32(count)), body))
	default:
		p := [][]byte{be32(0), be32(uint32(count))}
		for i := 0; i < count; i++ {
			p = append(p, be32(uint32(sizeAt(i))))
		}
		out = append(out, mkfull("stsz", 0, 0, p...))
	}
	if t.co64 {
		p := [][]byte{be32(uint32(len(chunkOffs)))}
		for _, o := range chunkOffs {
			p = append(p, be64(uint64(int64(base+o)+t.offsetShift)))
		}
		out = append(out, mkfull("co64", 0, 0, p...))
	} else {
		p := [][]byte{be32(uint32(len(chunkOffs)))}
		for _, o := range chunkOffs {
			p = append(p, be32(uint32(int64(base+o)+t.offsetShift)))
		}
		out = append(out, mkfull("stco", 0, 0, p...))
	}
	return out
}

// appleMeta is a QuickTime moov/meta with keys and ilst (no version field).
func appleMeta(kv []keyValue) []byte {
	hdlr := mkfull("hdlr", 0, 0, be32(0), []byte("mdta"), make([]byte, 12), []byte{0})
	keys := [][]byte{be32(uint32(len(kv)))}
	var items [][]byte
	for i, k := range kv {
		keys = append(keys, mkbox("mdta", []byte(k.key)))
		data := mkbox("data", be32(1), be16(k.ctry), be16(k.lang), []byte(k.value))
		items = append(items, mkbox(string(be32(uint32(i+1))), data))
	}
	return mkbox("meta", hdlr, mkfull("keys", 0, 0, keys...), mkbox("ilst", items...))
}

// randomMovie draws a movie whose tables exercise ExifTool's sample walk.
func randomMovie(r *rand.Rand) []byte {
	m := movieSpec{
		major:       []string{"isom", "qt  ", "mp42", "3gp4", "M4V "}[r.Intn(5)],
		mdatFirst:   r.Intn(2) == 0,
		mdat64:      r.Intn(6) == 0,
		mvhdVersion: byte(r.Intn(2)),
		created:     []uint64{0, 3600, qtEpochOffset + 1_500_000_000, 2_000_000_000}[r.Intn(4)],
		duration:    uint64(r.Intn(100000)),
		timescale:   []uint32{0, 600, 1000, 90000}[r.Intn(4)],
		freeAfter:   r.Intn(4) == 0,
	}
	handlers := []string{"vide", "soun", "vide", "soun", "vide", "soun", "text", "meta", "pict", "sbtl"}
	for i, nt := 0, 1+r.Intn(3); i < nt; i++ {
		ns := r.Intn(12)
		t := trackSpec{
			handler:     handlers[r.Intn(len(handlers))],
			width:       []uint32{0, 15 << 16, 320 << 16, 1920 << 16, 640}[r.Intn(5)],
			height:      []uint32{0, 240 << 16, 1080 << 16, 9}[r.Intn(4)],
			tkhdVersion: byte(r.Intn(2)),
			sizes:       []string{"stsz", "stsz", "stsz-const", "stz2-4", "stz2-8", "stz2-16"}[r.Intn(6)],
			co64:        r.Intn(3) == 0,
			sttsSamples: -1,
		}
		if t.sizes == "stz2-4" && r.Intn(4) != 0 {
			ns &^= 1 // mostly even: ExifTool reads two 4-bit sizes per byte
		}
		for s := 0; s < ns; s++ {
			if t.sizes == "stz2-4" {
				t.samples = append(t.samples, r.Intn(16))
			} else {
				t.samples = append(t.samples, 1+r.Intn(200))
			}
		}
		if t.sizes == "stsz-const" {
			for s := range t.samples {
				t.samples[s] = t.samples[0]
			}
		}
		t.stsc = [][2]int{{1, 1 + r.Intn(4)}}
		if r.Intn(2) == 0 {
			t.stsc = append(t.stsc, [2]int{2 + r.Intn(3), r.Intn(5)})
		}
		if r.Intn(5) == 0 {
			t.stsc = append(t.stsc, [2]int{1 + r.Intn(3), 1 + r.Intn(3)})
		}
		switch r.Intn(16) {
		case 0:
			t.minfHandler = []string{"alis", "url ", "cios", "vide"}[r.Intn(4)]
		case 1:
			t.sizeDelta = r.Intn(5) - 2
		case 2:
			t.sttsSamples = r.Intn(ns + 1)
		case 3:
			t.noStts = true
		case 4:
			t.offsetShift = []int64{-20, 5, 1 << 20, -1 << 40}[r.Intn(4)]
		case 5:
			t.mediaOrder = true
		case 6:
			t.extraStbl = true
		}
		m.tracks = append(m.tracks, t)
	}
	if r.Intn(4) == 0 {
		m.keys = []keyValue{{key: "com.apple.quicktime.creationdate", value: "2019-07-24T11:25:40+0300"},
			{key: "com.apple.quicktime.content.identifier", value: fmt.Sprintf("ID-%d", r.Intn(1000))}}
		if r.Intn(2) == 0 {
			m.keys[0].ctry, m.keys[0].lang = 0x5553, 0x15c7
		}
	}
	if r.Intn(8) == 0 {
		m.trailing = randBytes(r, r.Intn(12))
	}
	return buildMovie(r, m)
}

// itemSpec describes one HEIF item.
type itemSpec struct {
	id          uint32
	typ         string // item_type (infe v2/v3) or content type (v0/v1)
	infeVersion byte   // 0..3; 9 = no infe
	encoding    string // content_encoding (v0/v1 and mime)
	protection  uint16
	method      uint16 // construction method (iloc v1/v2)
	dri         uint16
	extents     [][2]int // (offset in the data area, length); offsets relative to the data
	noIloc      bool
}

type heifSpec struct {
	major       string
	compat      []string
	items       []itemSpec
	primary     uint32
	pitmVersion byte
	ilocVersion byte
	offSize     int // 0, 4, 8 (or invalid)
	lenSize     int
	baseSize    int
	idxSize     int
	idat        bool
	ispe        [][2]uint32
	assoc       map[uint32][]int // item -> property indices (1-based)
	ipmaWide    bool
	dataLen     int
	mdatFirst   bool
}

func varBytes(n int, v uint64) []byte {
	switch n {
	case 4:
		return be32(uint32(v))
	case 8:
		return be64(v)
	}
	return make([]byte, n)
}

// buildHEIF lays out a HEIF file: ftyp, meta, mdat (or mdat before meta); extents point
// into mdat, or into idat for construction method 1.
func buildHEIF(r *rand.Rand, h heifSpec) []byte {
	data := randBytes(r, h.dataLen)
	idat := randBytes(r, 64)
	build := func(dataAt int) []byte {
		var infes [][]byte
		for _, it := range h.items {
			switch it.infeVersion {
			case 0, 1:
				infes = append(infes, mkfull("infe", it.infeVersion, 0, be16(uint16(it.id)), be16(it.protection),
					[]byte("name\x00"+it.typ+"\x00"+it.encoding+"\x00")))
			case 2:
				p := [][]byte{be16(uint16(it.id)), be16(it.protection), []byte(it.typ), []byte("n\x00")}
				if it.typ == "mime" {
					p = append(p, []byte("image/x\x00"+it.encoding+"\x00"))
				}
				infes = append(infes, mkfull("infe", 2, 0, p...))
			case 3:
				infes = append(infes, mkfull("infe", 3, 0, be32(it.id), be16(it.protection), []byte(it.typ), []byte("n\x00")))
			}
		}
		iinf := mkfull("iinf", 0, 0, append([][]byte{be16(uint16(len(infes)))}, infes...)...)
		var loc [][]byte
		n := 0
		for _, it := range h.items {
			if it.noIloc {
				continue
			}
			n++
			if h.ilocVersion < 2 {
				loc = append(loc, be16(uint16(it.id)))
			} else {
				loc = append(loc, be32(it.id))
			}
			if h.ilocVersion == 1 || h.ilocVersion == 2 {
				loc = append(loc, be16(it.method))
			}
			loc = append(loc, be16(it.dri))
			base := uint64(dataAt)
			if it.method == 1 {
				base = 0
			}
			loc = append(loc, varBytes(h.baseSize, base), be16(uint16(len(it.extents))))
			for _, e := range it.extents {
				if h.ilocVersion == 1 || h.ilocVersion == 2 {
					loc = append(loc, varBytes(h.idxSize, 1))
				}
				loc = append(loc, varBytes(h.offSize, uint64(e[0])), varBytes(h.lenSize, uint64(e[1])))
			}
		}
		sizes := be16(uint16(h.offSize<<12 | h.lenSize<<8 | h.baseSize<<4 | h.idxSize))
		var cnt []byte
		if h.ilocVersion < 2 {
			cnt = be16(uint16(n))
		} else {
			cnt = be32(uint32(n))
		}
		iloc := mkfull("iloc", h.ilocVersion, 0, append([][]byte{sizes, cnt}, loc...)...)
		var pitm []byte
		if h.pitmVersion == 0 {
			pitm = mkfull("pitm", 0, 0, be16(uint16(h.primary)))
		} else {
			pitm = mkfull("pitm", 1, 0, be32(h.primary))
		}
		var props [][]byte
		for _, s := range h.ispe {
			props = append(props, mkfull("ispe", 0, 0, be32(s[0]), be32(s[1])))
		}
		ipco := mkbox("ipco", props...)
		var ipma [][]byte
		flags := uint32(0)
		if h.ipmaWide {
			flags = 1
		}
		ids := 0
		var body [][]byte
		for _, it := range h.items {
			idx, ok := h.assoc[it.id]
			if !ok {
				continue
			}
			ids++
			body = append(body, be16(uint16(it.id)), []byte{byte(len(idx))})
			for _, i := range idx {
				if h.ipmaWide {
					body = append(body, be16(uint16(i)))
				} else {
					body = append(body, []byte{byte(i)})
				}
			}
		}
		ipma = append(ipma, be32(uint32(ids)))
		ipma = append(ipma, body...)
		iprp := mkbox("iprp", ipco, mkfull("ipma", 0, flags, ipma...))
		hdlr := mkfull("hdlr", 0, 0, be32(0), []byte("pict"), make([]byte, 12), []byte{0})
		kids := [][]byte{hdlr, pitm, iloc, iinf, iprp}
		if h.idat {
			kids = append(kids, mkbox("idat", idat))
		}
		return mkfull("meta", 0, 0, kids...)
	}
	ftyp := ftypBox(h.major, h.compat...)
	if h.mdatFirst {
		return append(append(ftyp, mkbox("mdat", data)...), build(len(ftyp)+8)...)
	}
	metaLen := len(build(0))
	return append(append(ftyp, build(len(ftyp)+metaLen+8)...), mkbox("mdat", data)...)
}

// randomHEIF draws a HEIF image whose item tables exercise ExifTool's item rules.
func randomHEIF(r *rand.Rand) []byte {
	h := heifSpec{
		major:       []string{"heic", "avif", "mif1", "heix", "avis"}[r.Intn(5)],
		pitmVersion: byte(r.Intn(2)),
		ilocVersion: byte(r.Intn(3)),
		offSize:     []int{0, 4, 4, 8, 2}[r.Intn(5)],
		lenSize:     []int{4, 4, 8, 0, 1}[r.Intn(5)],
		baseSize:    []int{0, 4, 8}[r.Intn(3)],
		idxSize:     []int{0, 4}[r.Intn(2)],
		idat:        r.Intn(3) == 0,
		ipmaWide:    r.Intn(4) == 0,
		dataLen:     50 + r.Intn(400),
		mdatFirst:   r.Intn(5) == 0,
		assoc:       map[uint32][]int{},
	}
	h.compat = []string{"mif1", h.major}
	types := []string{"hvc1", "av01", "grid", "Exif", "mime", "avc1", "hvt1", "lhv1", "jpeg", "unci", "hvc1"}
	used := map[uint32]bool{}
	for i, n := 0, 1+r.Intn(6); i < n; i++ {
		id := uint32(1 + r.Intn(12))
		if r.Intn(8) == 0 {
			id = uint32(r.Intn(3)) // 0, or a duplicate
		}
		it := itemSpec{id: id, typ: types[r.Intn(len(types))], infeVersion: []byte{2, 2, 2, 3, 0, 1, 9}[r.Intn(7)]}
		if it.infeVersion == 3 && r.Intn(2) == 0 {
			it.id += 70000
		}
		switch r.Intn(12) {
		case 0:
			it.encoding = []string{"deflate", "gzip", "0"}[r.Intn(3)]
		case 1:
			it.protection = 1
		case 2:
			it.method = uint16(r.Intn(3))
		case 3:
			it.dri = 1
		case 4:
			it.noIloc = true
		}
		if h.ilocVersion == 0 {
			it.method = 0
		}
		for e, ne := 0, r.Intn(4); e < ne; e++ {
			off := r.Intn(h.dataLen)
			if it.method == 1 {
				off = r.Intn(64)
			}
			if r.Intn(10) == 0 {
				off = h.dataLen + 1000
			}
			it.extents = append(it.extents, [2]int{off, r.Intn(120)})
		}
		used[it.id] = true
		h.items = append(h.items, it)
	}
	if len(h.items) > 0 {
		h.primary = h.items[r.Intn(len(h.items))].id
	}
	for i, n := 0, r.Intn(4); i < n; i++ {
		h.ispe = append(h.ispe, [2]uint32{uint32(1 + r.Intn(5000)), uint32(1 + r.Intn(5000))})
	}
	for _, it := range h.items {
		if r.Intn(2) == 0 && len(h.ispe) > 0 {
			h.assoc[it.id] = []int{1 + r.Intn(len(h.ispe)), 1 + r.Intn(len(h.ispe)+1)}
		}
	}
	return buildHEIF(r, h)
}

// boxField is a place in a file worth mutating: a box header or a 32-bit field inside a
// table ExifTool reads.
type boxField struct {
	off  int64
	kind string // "size", "type", "field"
}

// boxFields lists the headers of every box reachable through known containers, and the
// 32-bit fields of the tables.
func boxFields(b []byte) []boxField {
	var out []boxField
	containers := map[string]int{"moov": 0, "trak": 0, "mdia": 0, "minf": 0, "stbl": 0, "meta": 4, "iinf": 6,
		"iprp": 0, "ipco": 0, "udta": 0, "dinf": 0, "ilst": 0, "moof": 0, "traf": 0, "edts": 0}
	tables := map[string]bool{"stsz": true, "stz2": true, "stco": true, "co64": true, "stsc": true, "stts": true,
		"iloc": true, "infe": true, "pitm": true, "ipma": true, "ispe": true, "hdlr": true, "mvhd": true, "tkhd": true,
		"keys": true, "ftyp": true}
	var walk func(pos, end int64, depth int)
	walk = func(pos, end int64, depth int) {
		for pos+8 <= end && depth < 8 {
			size := int64(binary.BigEndian.Uint32(b[pos:]))
			typ := string(b[pos+4 : pos+8])
			out = append(out, boxField{pos, "size"}, boxField{pos + 4, "type"})
			hdr := int64(8)
			if size == 1 && pos+16 <= end {
				size, hdr = int64(binary.BigEndian.Uint64(b[pos+8:])), 16
			}
			if size == 0 {
				size = end - pos
			}
			if size < hdr || size > end-pos {
				return
			}
			if start, ok := containers[typ]; ok {
				walk(pos+hdr+int64(start), pos+size, depth+1)
			}
			if tables[typ] {
				for p := pos + hdr; p+4 <= pos+size && p < pos+hdr+64; p += 4 {
					out = append(out, boxField{p, "field"})
				}
			}
			pos += size
		}
	}
	walk(0, int64(len(b)), 0)
	return out
}

// mutate applies one random box-aware change to a copy of b.
func mutate(r *rand.Rand, b []byte) []byte {
	out := append([]byte(nil), b...)
	fields := boxFields(out)
	switch k := r.Intn(10); {
	case k < 2 || len(fields) == 0:
		if len(out) > 0 {
			out = out[:r.Intn(len(out))]
		}
	case k < 5:
		f := fields[r.Intn(len(fields))]
		if f.kind == "type" {
			copy(out[f.off:], []string{"free", "mdat", "moov", "meta", "wide", "skip", "stco", "idat"}[r.Intn(8)])
			break
		}
		old := binary.BigEndian.Uint32(out[f.off:])
		nv := []uint32{0, 1, 7, 8, old + 1, old - 1, old + 8, old - 8, old * 2, 0xffffffff, 0x7fffffff, uint32(r.Intn(300))}[r.Intn(12)]
		binary.BigEndian.PutUint32(out[f.off:], nv)
	case k < 7:
		f := fields[r.Intn(len(fields))]
		if f.off < int64(len(out)) {
			out[f.off+int64(r.Intn(4))%int64(len(out)-int(f.off))] ^= byte(1 << r.Intn(8))
		}
	case k < 8:
		out = append(out, randBytes(r, r.Intn(40))...)
	default:
		// Several changes at once.
		for i := 0; i < 3; i++ {
			out = mutate(r, out)
		}
	}
	return out
}
