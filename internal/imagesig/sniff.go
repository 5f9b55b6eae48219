package imagesig

import (
	"bytes"
	"encoding/binary"
	"io"
	"path"
	"strings"

	"github.com/flickrsync/flickrsync/internal/isobmff"
)

// SniffLen is how many leading bytes Sniff looks at: enough for every compatible brand
// of a usual ftyp box and for three MPEG transport stream packets.
const SniffLen = isobmff.SniffLen

// Sniff detects the format from the first bytes of a file (SniffLen of them, or the
// whole file when shorter), never from its name, which only breaks one tie: a TIFF
// container named as a camera RAW file (.nef, .arw, .dng...) is that RAW file, since
// NEF, ARW and most other RAW formats are TIFF files to a sniffer (a CR2 says so in its
// header, a DNG in its first directory: SniffFile reads that far). Google Takeout names
// JPEGs .heic: they are JPEGs here.
func Sniff(head []byte, name string) Format {
	return sniff(head, name, nil, 0)
}

// SniffFile is Sniff reading the file r of size bytes: its head, and a TIFF's first
// directory (a DNG's DNGVersion tag).
func SniffFile(r io.ReaderAt, size int64, name string) (Format, error) {
	head := make([]byte, min(size, SniffLen))
	if n, err := r.ReadAt(head, 0); n < len(head) {
		return FormatUnknown, err
	}
	return sniff(head, name, r, size), nil
}

// sniff is Sniff; r (nil when absent) lets it read a TIFF's first directory.
func sniff(h []byte, name string, r io.ReaderAt, size int64) Format {
	has := func(prefix string) bool { return bytes.HasPrefix(h, []byte(prefix)) }
	switch {
	case has("\xff\xd8\xff"):
		return FormatJPEG
	case has("\x89PNG\r\n\x1a\n"):
		return FormatPNG
	case len(h) >= 4 && bytes.EqualFold(h[:4], []byte("GIF8")):
		// ImageMagick compares the GIF magic without regard to case.
		return FormatGIF
	case has("II*\x00"), has("MM\x00*"), has("II+\x00"), has("MM\x00+"):
		return sniffTIFF(h, name, r, size)
	case has("IIRO"), has("IIRS"), has("MMOR"):
		return FormatORF
	case has("IIU\x00"):
		return FormatRW2
	case has("FUJIFILMCCD-RAW"):
		return FormatRAF
	case has("FOVb"):
		return FormatX3F
	case has("\x00MRM"):
		return FormatMRW
	case has("II\x1a\x00\x00\x00HEAPCCDR"):
		return FormatCRW
	case len(h) >= 12 && has("RIFF") && bytes.EqualFold(h[8:12], []byte("WEBP")):
		// ImageMagick's magic test for WebP ignores case.
		return FormatWebP
	case len(h) >= 12 && has("RIFF") && string(h[8:12]) == "AVI ":
		return FormatAVI
	case has(asfHeaderGUID):
		return FormatWMV
	case has("\x00\x00\x01\xba"), has("\x00\x00\x01\xb3"):
		return FormatMPEG
	case len(h) > 376 && h[0] == 0x47 && h[188] == 0x47 && h[376] == 0x47,
		len(h) > 388 && h[4] == 0x47 && h[196] == 0x47 && h[388] == 0x47:
		return FormatMPEGTS
	case len(h) >= 12 && string(h[4:8]) == "ftyp" && string(h[8:12]) == "crx ":
		return FormatCR3
	}
	return isoFormats[isobmff.Sniff(h)]
}

// asfHeaderGUID starts every ASF file (WMV, WMA): the Header Object's GUID.
const asfHeaderGUID = "\x30\x26\xb2\x75\x8e\x66\xcf\x11\xa6\xd9\x00\xaa\x00\x62\xce\x6c"

// isoFormats maps isobmff's formats to ours.
var isoFormats = map[string]Format{
	isobmff.FormatHEIC: FormatHEIC, isobmff.FormatAVIF: FormatAVIF, isobmff.FormatHEIF: FormatHEIF,
	isobmff.FormatMOV: FormatMOV, isobmff.FormatMP4: FormatMP4, isobmff.FormatM4V: FormatM4V,
	isobmff.Format3GP: Format3GP, isobmff.Format3G2: Format3G2, isobmff.FormatISOBMFF: FormatISOBMFF,
}

// rawExts are the extensions of camera RAW files in TIFF containers, and their format.
var rawExts = map[string]Format{
	"cr2": FormatCR2, "nef": FormatNEF, "nrw": FormatNEF, "arw": FormatARW, "srf": FormatARW,
	"sr2": FormatARW, "dng": FormatDNG, "orf": FormatORF, "rw2": FormatRW2, "pef": FormatRAW,
	"srw": FormatRAW, "3fr": FormatRAW, "iiq": FormatRAW, "kdc": FormatRAW, "dcr": FormatRAW,
	"erf": FormatRAW, "mos": FormatRAW, "rwl": FormatRAW, "raw": FormatRAW, "mef": FormatRAW,
}

// sniffTIFF tells a TIFF from the RAW files built on it: a CR2 by its header, a DNG by
// the DNGVersion tag of its first directory, the others by their name.
func sniffTIFF(h []byte, name string, r io.ReaderAt, size int64) Format {
	if len(h) >= 10 && string(h[8:10]) == "CR" && h[2] == '*' {
		return FormatCR2
	}
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(strings.ReplaceAll(name, `\`, "/")), "."))
	if f, ok := rawExts[ext]; ok {
		return f
	}
	if h[2] == '*' && hasTag0(h, r, size, tagDNGVersion) {
		return FormatDNG
	}
	return FormatTIFF
}

const tagDNGVersion = 0xc612

// hasTag0 reports whether the first directory of the classic TIFF starting with h (the
// file r of size bytes, or h alone when r is nil) holds tag.
func hasTag0(h []byte, r io.ReaderAt, size int64, tag uint16) bool {
	var bo binary.ByteOrder = binary.LittleEndian
	if h[0] == 'M' {
		bo = binary.BigEndian
	}
	if len(h) < 8 {
		return false
	}
	at := func(off int64, n int) []byte {
		if off >= 0 && off+int64(n) <= int64(len(h)) {
			return h[off : off+int64(n)]
		}
		if r == nil || off < 0 || off+int64(n) > size {
			return nil
		}
		b := make([]byte, n)
		if m, _ := r.ReadAt(b, off); m < n {
			return nil
		}
		return b
	}
	off := int64(bo.Uint32(h[4:8]))
	cnt := at(off, 2)
	if cnt == nil {
		return false
	}
	n := min(int(bo.Uint16(cnt)), 4096)
	entries := at(off+2, 12*n)
	for i := 0; i+12 <= len(entries); i += 12 {
		if bo.Uint16(entries[i:]) == tag {
			return true
		}
	}
	return false
}
