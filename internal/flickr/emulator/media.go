package emulator

import (
	"bytes"
	"encoding/binary"
	"math"
	"path"
	"strings"
)

// The emulator's own notion of what Flickr accepts (MEDIA.md "Formats"). It sniffs the
// type from the bytes, never from the file name (Google Takeout writes JPEGs named .heic):
// what Flickr itself sniffs is undocumented, and a sniffer is what its converters need.
// The name counts once: a TIFF container named as a camera RAW (.nef, .arw...) is that
// RAW, since NEF and ARW are TIFF files to a sniffer. It never imports flickrsync's
// readers, so the two cannot share a mistake.

// mediaType is what an upload was recognised as.
type mediaType struct {
	// format is the stored file's extension: jpg, png, gif, heic, heif, avif, webp, tiff
	// (converted to jpg on upload); for a video its container: mp4, mov, m4v, 3gp, 3g2,
	// avi, mpg, mts, m2ts, wmv.
	format string
	video  bool
	raw    bool // a camera RAW file (refused: error 5)
}

// rawExts are camera RAW extensions (MEDIA.md: RAW and DNG are not accepted [R]).
var rawExts = map[string]bool{"cr2": true, "cr3": true, "crw": true, "nef": true, "nrw": true, "arw": true,
	"srf": true, "sr2": true, "dng": true, "orf": true, "raf": true, "rw2": true, "pef": true, "srw": true,
	"x3f": true, "3fr": true, "iiq": true, "mrw": true, "kdc": true, "dcr": true, "erf": true, "mos": true, "rwl": true}

var (
	asfGUID = []byte{0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C}
	tiffLE  = []byte("II*\x00")
	tiffBE  = []byte("MM\x00*")
)

// sniffMedia recognises an upload from its bytes (and, for TIFF containers, its name).
func sniffMedia(b []byte, name string) mediaType {
	if f := sniffFormat(b); f != "" {
		return mediaType{format: f}
	}
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(strings.ReplaceAll(name, "\\", "/")), "."))
	switch {
	case bytes.HasPrefix(b, []byte("FUJIFILMCCD-RAW")), bytes.HasPrefix(b, []byte("IIRO")),
		bytes.HasPrefix(b, []byte("IIRS")), bytes.HasPrefix(b, []byte("MMOR")), bytes.HasPrefix(b, []byte("IIU\x00")),
		bytes.HasPrefix(b, []byte("FOVb")), bytes.HasPrefix(b, []byte("\x00MRM")):
		return mediaType{raw: true}
	case bytes.HasPrefix(b, tiffLE), bytes.HasPrefix(b, tiffBE), bytes.HasPrefix(b, []byte("II+\x00")), bytes.HasPrefix(b, []byte("MM\x00+")):
		if rawExts[ext] || len(b) > 10 && string(b[8:10]) == "CR" || tiffHasTag(b, 0xC612) { // CR2 marker, DNGVersion
			return mediaType{raw: true}
		}
		return mediaType{format: "tiff"}
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return mediaType{format: "webp"}
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "AVI ":
		return mediaType{format: "avi", video: true}
	case bytes.HasPrefix(b, asfGUID):
		return mediaType{format: "wmv", video: true}
	case bytes.HasPrefix(b, []byte{0, 0, 1, 0xBA}), bytes.HasPrefix(b, []byte{0, 0, 1, 0xB3}):
		return mediaType{format: "mpg", video: true}
	case len(b) > 376 && b[0] == 0x47 && b[188] == 0x47 && b[376] == 0x47:
		return mediaType{format: "mts", video: true}
	case len(b) > 388 && b[4] == 0x47 && b[196] == 0x47 && b[388] == 0x47:
		return mediaType{format: "m2ts", video: true}
	}
	return sniffISO(b)
}

// sniffISO classifies ISO base media files (HEIF/AVIF stills, MP4/MOV/3GP videos, CR3) by
// their ftyp brands; a file opening with a QuickTime atom but no ftyp is a MOV.
func sniffISO(b []byte) mediaType {
	if len(b) < 12 {
		return mediaType{}
	}
	typ := string(b[4:8])
	if typ != "ftyp" {
		switch typ {
		case "moov", "mdat", "wide", "free", "skip", "pnot":
			return mediaType{format: "mov", video: true}
		}
		return mediaType{}
	}
	size := int(binary.BigEndian.Uint32(b))
	if size < 16 || size > len(b) {
		size = min(len(b), 16)
	}
	major := string(b[8:12])
	var compat []string
	for i := 16; i+4 <= size; i += 4 {
		compat = append(compat, string(b[i:i+4]))
	}
	has := func(brands ...string) bool {
		for _, c := range append([]string{major}, compat...) {
			for _, w := range brands {
				if c == w {
					return true
				}
			}
		}
		return false
	}
	switch {
	case major == "crx ":
		return mediaType{raw: true}
	case major == "avif" || major == "avis":
		return mediaType{format: "avif"}
	case strings.HasPrefix(major, "hei") || strings.HasPrefix(major, "hev"):
		return mediaType{format: "heic"}
	case major == "mif1" || major == "msf1" || major == "mif2" || major == "mif3" || major == "miaf" ||
		major == "avci" || major == "j2ki" || major == "jpeg" || major == "vvic":
		switch {
		case has("avif", "avis"):
			return mediaType{format: "avif"}
		case has("heic", "heix", "heim", "heis", "hevc", "hevx"):
			return mediaType{format: "heic"}
		}
		return mediaType{format: "heif"}
	case major == "qt  ":
		return mediaType{format: "mov", video: true}
	case strings.HasPrefix(major, "M4V"):
		return mediaType{format: "m4v", video: true}
	case strings.HasPrefix(major, "3g2"):
		return mediaType{format: "3g2", video: true}
	case strings.HasPrefix(major, "3g"):
		return mediaType{format: "3gp", video: true}
	case strings.HasPrefix(major, "M4A") || strings.HasPrefix(major, "M4B") || strings.HasPrefix(major, "M4P"):
		return mediaType{} // audio: Flickr takes no sound files
	case has("isom", "iso2", "iso3", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "mmp4", "dash", "MSNV", "f4v ", "XAVC", "NDAS"):
		return mediaType{format: "mp4", video: true}
	}
	return mediaType{}
}

// tiffEntry is one IFD0 entry of a classic TIFF: its tag and its value when it fits the
// entry (SHORT or LONG), which ImageWidth, ImageLength and DNGVersion's presence need.
type tiffEntry struct {
	tag   uint16
	value int64
}

// tiffIFD0 lists the entries of IFD0; a cut file yields those that are there.
func tiffIFD0(b []byte) []tiffEntry {
	if len(b) < 8 {
		return nil
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if b[0] == 'M' {
		bo = binary.BigEndian
	}
	off := int64(bo.Uint32(b[4:]))
	if off < 8 || off+2 > int64(len(b)) {
		return nil
	}
	var out []tiffEntry
	n := int64(bo.Uint16(b[off:]))
	for i := int64(0); i < n; i++ {
		e := off + 2 + 12*i
		if e+12 > int64(len(b)) {
			break
		}
		v := int64(bo.Uint32(b[e+8:]))
		if bo.Uint16(b[e+2:]) == 3 { // SHORT
			v = int64(bo.Uint16(b[e+8:]))
		}
		out = append(out, tiffEntry{bo.Uint16(b[e:]), v})
	}
	return out
}

// tiffHasTag reports whether IFD0 holds tag (DNGVersion marks a DNG).
func tiffHasTag(b []byte, tag uint16) bool {
	for _, e := range tiffIFD0(b) {
		if e.tag == tag {
			return true
		}
	}
	return false
}

// box is one ISO BMFF box: its type and its payload.
type box struct {
	typ  string
	data []byte
}

// boxes splits b into boxes; a box running past the end is cut to what is there.
func boxes(b []byte) []box {
	var out []box
	for len(b) >= 8 {
		size, hdr := uint64(binary.BigEndian.Uint32(b)), uint64(8)
		typ := string(b[4:8])
		switch size {
		case 0:
			size = uint64(len(b))
		case 1:
			if len(b) < 16 {
				return out
			}
			size, hdr = binary.BigEndian.Uint64(b[8:]), 16
		}
		if size < hdr {
			return out
		}
		end := min(size, uint64(len(b)))
		out = append(out, box{typ, b[hdr:end]})
		b = b[end:]
	}
	return out
}

func child(bs []box, typ string) []byte {
	for _, x := range bs {
		if x.typ == typ {
			return x.data
		}
	}
	return nil
}

// videoInfo is what getInfo's <video> element tells of a video.
type videoInfo struct {
	duration      int64 // seconds
	width, height int64
}

// sniffVideo reads an ISO file's movie header (duration) and its first visual track's
// header (width, height): a cheap look at two boxes, not a parse of the stream. ok is false
// when either is missing (other containers, fragmented files without them).
func sniffVideo(b []byte) (v videoInfo, ok bool) {
	moov := child(boxes(b), "moov")
	if moov == nil {
		return v, false
	}
	inner := boxes(moov)
	mvhd := child(inner, "mvhd")
	var scale, dur uint64
	switch {
	case len(mvhd) >= 20 && mvhd[0] == 0:
		scale, dur = uint64(binary.BigEndian.Uint32(mvhd[12:])), uint64(binary.BigEndian.Uint32(mvhd[16:]))
	case len(mvhd) >= 32 && mvhd[0] == 1:
		scale, dur = uint64(binary.BigEndian.Uint32(mvhd[20:])), binary.BigEndian.Uint64(mvhd[24:])
	default:
		return v, false
	}
	if scale == 0 {
		return v, false
	}
	v.duration = int64(math.Round(float64(dur) / float64(scale)))
	for _, t := range inner {
		if t.typ != "trak" {
			continue
		}
		tkhd := child(boxes(t.data), "tkhd")
		at := 76
		if len(tkhd) > 0 && tkhd[0] == 1 {
			at = 88
		}
		if len(tkhd) >= at+8 {
			w, h := int64(binary.BigEndian.Uint32(tkhd[at:])>>16), int64(binary.BigEndian.Uint32(tkhd[at+4:])>>16)
			if w > 0 && h > 0 {
				v.width, v.height = w, h
				return v, true
			}
		}
	}
	return v, false
}

// stillDims reads the pixel size of a HEIF/AVIF (the largest ispe property: the primary
// image or its grid, never smaller than its tiles) or a WebP (its VP8/VP8L/VP8X header).
func stillDims(format string, b []byte) (w, h int64) {
	switch format {
	case "heic", "heif", "avif":
		meta := child(boxes(b), "meta")
		if len(meta) < 4 {
			return 0, 0
		}
		ipco := child(boxes(child(boxes(meta[4:]), "iprp")), "ipco")
		for _, p := range boxes(ipco) {
			if p.typ == "ispe" && len(p.data) >= 12 {
				pw, ph := int64(binary.BigEndian.Uint32(p.data[4:])), int64(binary.BigEndian.Uint32(p.data[8:]))
				if pw*ph > w*h {
					w, h = pw, ph
				}
			}
		}
	case "webp":
		if len(b) < 30 {
			return 0, 0
		}
		d := b[20:]
		switch string(b[12:16]) {
		case "VP8 ":
			if d[3] == 0x9d && d[4] == 0x01 && d[5] == 0x2a {
				return int64(binary.LittleEndian.Uint16(d[6:]) & 0x3fff), int64(binary.LittleEndian.Uint16(d[8:]) & 0x3fff)
			}
		case "VP8L":
			if d[0] == 0x2f {
				bits := binary.LittleEndian.Uint32(d[1:])
				return int64(bits&0x3fff) + 1, int64(bits>>14&0x3fff) + 1
			}
		case "VP8X":
			u24 := func(p []byte) int64 { return int64(p[0]) | int64(p[1])<<8 | int64(p[2])<<16 }
			return u24(d[4:]) + 1, u24(d[7:]) + 1
		}
	}
	return w, h
}
