package webp

// Canonical Huffman tables for VP8L, built as libwebp 1.2.4 builds them (huffman_utils.c):
// a root table of rootBits bits and second-level tables, the same rejection of
// incomplete and over-subscribed codes, and a code of a single symbol read with 0 bits.

const (
	huffmanTableBits     = 8
	lengthsTableBits     = 7
	maxAllowedCodeLength = 15
)

type huffmanCode struct {
	bits  uint8  // bits of this entry, or of the second-level table's index plus rootBits
	value uint16 // symbol, or offset of the second-level table
}

// buildHuffmanTable returns the table for codeLengths, or nil when they do not form a
// valid code. With validate set it only checks them and returns a non-nil empty table.
func buildHuffmanTable(rootBits int, codeLengths []int, validate bool) []huffmanCode {
	var count [maxAllowedCodeLength + 1]int
	for _, l := range codeLengths {
		if l > maxAllowedCodeLength {
			return nil
		}
		count[l]++
	}
	if count[0] == len(codeLengths) {
		return nil
	}
	var offset [maxAllowedCodeLength + 1]int
	for l := 1; l < maxAllowedCodeLength; l++ {
		if count[l] > 1<<l {
			return nil
		}
		offset[l+1] = offset[l] + count[l]
	}
	sorted := make([]uint16, 0, offset[maxAllowedCodeLength]+count[maxAllowedCodeLength])
	{
		pos := offset
		sorted = sorted[:cap(sorted)]
		for sym, l := range codeLengths {
			if l > 0 {
				sorted[pos[l]] = uint16(sym)
				pos[l]++
			}
		}
		offset = pos
	}
	// offset[maxAllowedCodeLength] now counts the symbols of length < 15 plus those of 15
	// placed so far, as libwebp's does after its sort: all of them.
	numSymbols := offset[maxAllowedCodeLength]
	totalSize := 1 << rootBits
	if numSymbols == 1 {
		if validate {
			return []huffmanCode{}
		}
		table := make([]huffmanCode, totalSize)
		for i := range table {
			table[i] = huffmanCode{bits: 0, value: sorted[0]}
		}
		return table
	}
	// First pass: check the code and size the tables (libwebp runs the same loop twice).
	{
		numNodes, numOpen := 1, 1
		cnt := count
		for l := 1; l <= maxAllowedCodeLength; l++ {
			numOpen <<= 1
			numNodes += numOpen
			numOpen -= cnt[l]
			if numOpen < 0 {
				return nil
			}
		}
		if numNodes != 2*numSymbols-1 {
			return nil
		}
	}
	if validate {
		return []huffmanCode{}
	}
	// Size of the second-level tables.
	size := totalSize
	{
		cnt := count
		low := ^uint32(0)
		mask := uint32(totalSize - 1)
		key := uint32(0)
		for l := 1; l <= rootBits; l++ {
			for ; cnt[l] > 0; cnt[l]-- {
				key = nextKey(key, l)
			}
		}
		for l := rootBits + 1; l <= maxAllowedCodeLength; l++ {
			for ; cnt[l] > 0; cnt[l]-- {
				if key&mask != low {
					size += 1 << nextTableBitSize(&cnt, l, rootBits)
					low = key & mask
				}
				key = nextKey(key, l)
			}
		}
	}
	table := make([]huffmanCode, size)
	root := table
	cur := 0 // start of the current table in table
	tableBits := rootBits
	tableSize := 1 << tableBits
	key := uint32(0)
	sym := 0
	step := 2
	for l := 1; l <= rootBits; l, step = l+1, step<<1 {
		for ; count[l] > 0; count[l]-- {
			replicate(table[key:], step, tableSize, huffmanCode{bits: uint8(l), value: sorted[sym]})
			sym++
			key = nextKey(key, l)
		}
	}
	low := ^uint32(0)
	mask := uint32(totalSize - 1)
	step = 2
	for l := rootBits + 1; l <= maxAllowedCodeLength; l, step = l+1, step<<1 {
		for ; count[l] > 0; count[l]-- {
			if key&mask != low {
				cur += tableSize
				tableBits = nextTableBitSize(&count, l, rootBits)
				tableSize = 1 << tableBits
				low = key & mask
				root[low] = huffmanCode{bits: uint8(tableBits + rootBits), value: uint16(cur - int(low))}
			}
			replicate(table[cur+int(key>>rootBits):], step, tableSize, huffmanCode{bits: uint8(l - rootBits), value: sorted[sym]})
			sym++
			key = nextKey(key, l)
		}
	}
	return table
}

// nextKey returns the bit-reversed increment of the len-bit code key.
func nextKey(key uint32, l int) uint32 {
	step := uint32(1) << (l - 1)
	for key&step != 0 {
		step >>= 1
	}
	if step == 0 {
		return key
	}
	return key&(step-1) + step
}

// replicate stores code at table[0], table[step], ... below end.
func replicate(table []huffmanCode, step, end int, code huffmanCode) {
	for end > 0 {
		end -= step
		table[end] = code
	}
}

// nextTableBitSize returns the bits of the second-level table for codes of length l.
func nextTableBitSize(count *[maxAllowedCodeLength + 1]int, l, rootBits int) int {
	left := 1 << (l - rootBits)
	for l < maxAllowedCodeLength {
		left -= count[l]
		if left <= 0 {
			break
		}
		l++
		left <<= 1
	}
	return l - rootBits
}

// readSymbol decodes one symbol with table (libwebp's ReadSymbol: no refill).
func readSymbol(table []huffmanCode, br *losslessBits) int {
	val := br.prefetch()
	i := int(val & (1<<huffmanTableBits - 1))
	nbits := int(table[i].bits) - huffmanTableBits
	if nbits > 0 {
		br.bitPos += huffmanTableBits
		val = br.prefetch()
		i += int(table[i].value)
		i += int(val & (1<<nbits - 1))
	}
	br.bitPos += int(table[i].bits)
	return int(table[i].value)
}
