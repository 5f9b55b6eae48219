package isobmff

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"io"
)

// maxExif bounds the EXIF data read from one Exif item (ExifTool reads any size): dates
// sit in the first kilobytes, only embedded previews make EXIF larger.
const maxExif = 4 << 20

// ExifItem is the EXIF data of one Exif item of a HEIF image.
type ExifItem struct {
	TIFF []byte // from the TIFF header on
	// Main is true when the item belongs to ExifTool's main document: it describes the
	// primary item (cdsc), or nothing, or the file has no primary item. Tags of other
	// items go to sub-documents, whose values never replace the main document's.
	Main bool
}

// ExifItems returns the Exif items of a HEIF image in ascending item ID, as ExifTool
// reads them: the item's extents concatenated, inflated when deflate-encoded, the
// exif_tiff_header_offset skipped.
func ExifItems(ctx context.Context, r io.ReaderAt, size int64) ([]ExifItem, error) {
	var out []ExifItem
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	wk := &walker{ctx: ctx, w: newWindow(r, size, 64<<10), size: size}
	wk.hash = newHasher(ctx, r, size, nil)
	wk.exif = func(e ExifItem) { out = append(out, e) }
	if size > 0 {
		wk.run()
	}
	wk.stopped()
	return out, wk.err
}

// contentDescribes transcribes ParseContentDescribes (cdsc and dimg references): the
// referencing item refers to each listed item. Perl's quirk: when the count is lower
// than the IDs listed, the list becomes the count itself.
func (wk *walker) contentDescribes(pos, size int64) {
	idSize, min := int64(2), int64(6)
	if wk.irefVersion != 0 {
		idSize, min = 4, 10
	}
	if size < min {
		return
	}
	from, _ := wk.w.uintN(pos, int(idSize))
	count, _ := wk.w.u16(pos + idSize)
	n := (size - idSize - 2) / idSize
	it := wk.item(uint32(from))
	if it == nil {
		return
	}
	if int64(count) < n {
		it.addRef(uint32(count))
		return
	}
	for i := int64(0); i < n; i++ {
		to, _ := wk.w.uintN(pos+idSize+2+i*idSize, int(idSize))
		it.addRef(uint32(to))
	}
}

func (it *item) addRef(id uint32) {
	it.hasRefs = true
	if len(it.refersTo) < maxRefs {
		it.refersTo = append(it.refersTo, id)
	}
}

// exifItem passes an Exif item's data on as HandleItemInfo reads it.
func (wk *walker) exifItem(it *item) {
	if it.kind() != strExif || !wk.readable(it) {
		return
	}
	main := !wk.havePrim || !it.hasRefs
	for _, id := range it.refersTo {
		main = main || id == wk.primary
	}
	var buf bytes.Buffer
	base := wk.base(it)
	wk.extents(it.extents, func(off, length uint64) bool {
		at := off + base
		if at < off || at >= 1<<63 || at >= uint64(wk.size) || length == 0 {
			return false // Seek error, or a read of nothing: ExifTool stops there
		}
		n := min(length, uint64(wk.size)-at, uint64(maxExif-buf.Len()))
		b := make([]byte, n)
		m, err := wk.w.r.ReadAt(b, int64(at))
		buf.Write(b[:m])
		return err == nil && buf.Len() < maxExif
	})
	data := buf.Bytes()
	if len(data) == 0 {
		return
	}
	if it.encoding == encDeflate {
		zr, err := zlib.NewReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		inflated, err := io.ReadAll(io.LimitReader(zr, maxExif))
		if err != nil {
			return // "Error inflating EXIF metadata"
		}
		data = inflated
	}
	start := 0
	if len(data) >= 4 {
		switch {
		case bytes.HasPrefix(data, []byte("MM\x00\x2a")), bytes.HasPrefix(data, []byte("II\x2a\x00")):
		case bytes.HasPrefix(data, []byte("Exif\x00\x00")):
			start = 6
		default:
			n := uint64(binary.BigEndian.Uint32(data))
			if 4+n > uint64(len(data)) {
				return // "Invalid EXIF header"
			}
			start = 4 + int(n)
		}
	}
	wk.exif(ExifItem{TIFF: data[start:], Main: main})
}
