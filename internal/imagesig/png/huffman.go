package png

// Huffman tables, decoded with a single lookup of the code's maximum length.

type huffEntry struct {
	sym uint16
	len uint8
}

type huffTable struct {
	table []huffEntry
}

type tableKind int

const (
	tableCodes tableKind = iota
	tableLens
	tableDists
)

// build makes the decoding table for the code lengths, with zlib's inflate_table rules:
// an over-subscribed set is refused; an incomplete one too, except a single code of
// length 1 for literal/lengths and distances; no codes at all gives a table whose every
// entry is invalid (the code lengths code then yields zeros, as zlib's does).
func (t *huffTable) build(lengths []uint8, kind tableKind) bool {
	var count [16]int
	for _, l := range lengths {
		count[l]++
	}
	max := 15
	for max >= 1 && count[max] == 0 {
		max--
	}
	invalid := huffEntry{sym: 0, len: 1}
	switch kind {
	case tableLens:
		invalid.sym = 300
	case tableDists:
		invalid.sym = 31
	}
	if max == 0 {
		t.table = append(t.table[:0], invalid, invalid)
		return true
	}
	left := 1
	for l := 1; l <= 15; l++ {
		left <<= 1
		left -= count[l]
		if left < 0 {
			return false
		}
	}
	if left > 0 && (kind == tableCodes || max != 1) {
		return false
	}
	size := 1 << max
	if cap(t.table) < size {
		t.table = make([]huffEntry, size)
	}
	t.table = t.table[:size]
	invalid.len = uint8(max)
	for i := range t.table {
		t.table[i] = invalid
	}
	var next [16]int
	code := 0
	for l := 1; l <= 15; l++ {
		next[l] = code
		code = (code + count[l]) << 1
	}
	for sym, l := range lengths {
		if l == 0 {
			continue
		}
		c := next[l]
		next[l]++
		rev := 0
		for i := 0; i < int(l); i++ {
			rev = rev<<1 | (c>>i)&1
		}
		for i := rev; i < size; i += 1 << l {
			t.table[i] = huffEntry{sym: uint16(sym), len: l}
		}
	}
	return true
}

var codeOrder = [19]int{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

var lengthBase = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
	67, 83, 99, 115, 131, 163, 195, 227, 258}
var lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
var distBase = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
	1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
var distExtra = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}

// fixedLit and fixedDist are the fixed Huffman codes (block type 1), with the unusable
// symbols 286, 287 and distances 30, 31 that zlib reports as invalid codes.
var fixedLit, fixedDist = func() (huffTable, huffTable) {
	var lit [288]uint8
	for i := range lit {
		switch {
		case i < 144:
			lit[i] = 8
		case i < 256:
			lit[i] = 9
		case i < 280:
			lit[i] = 7
		default:
			lit[i] = 8
		}
	}
	var dist [32]uint8
	for i := range dist {
		dist[i] = 5
	}
	var l, d huffTable
	l.build(lit[:], tableLens)
	d.build(dist[:], tableDists)
	return l, d
}()
