package exifdate

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"io"
)

var pngMagic = []byte("\x89PNG\r\n\x1a\n")

// maxTextChunk bounds the text chunks read for a profile; raw EXIF profiles are small.
const maxTextChunk = 16 << 20

// pngProfile returns the "exif" profile ImageMagick 6 attaches to a PNG. With libpng 1.6
// the eXIf chunk is handled by libpng itself and never reaches ImageMagick's unknown-chunk
// callback, so the only source is a tEXt or zTXt chunk "Raw profile type exif" (the hex
// dump ImageMagick and exiftool write); iTXt is refused by ImageMagick (its text_length is
// 0). The last such chunk wins. Chunks with a bad CRC are dropped, as libpng does for
// ancillary chunks.
func pngProfile(s *source) ([]byte, error) {
	var profile []byte
	off := int64(8)
	for {
		hdr, err := s.bytesAt(off, 8)
		if err != nil {
			return profile, nil // truncated: keep what was read
		}
		n := int64(binary.BigEndian.Uint32(hdr))
		typ := string(hdr[4:8])
		if n > 0x7fffffff {
			return profile, nil
		}
		if (typ == "tEXt" || typ == "zTXt") && n <= maxTextChunk {
			data, err := s.bytesAt(off+8, int(n)+4)
			if err != nil {
				if err == errShort {
					return profile, nil
				}
				return nil, err
			}
			crc := crc32.NewIEEE()
			crc.Write(hdr[4:8])
			crc.Write(data[:n])
			if crc.Sum32() == binary.BigEndian.Uint32(data[n:]) {
				if p := rawProfile(typ, data[:n]); p != nil {
					profile = p
				}
			}
		}
		if typ == "IEND" {
			return profile, nil
		}
		off += 12 + n
	}
}

// rawProfile decodes a "Raw profile type exif" text chunk as Magick_png_read_raw_profile.
func rawProfile(typ string, data []byte) []byte {
	// ImageMagick matches the prefix "Raw profile type " exactly (memcmp) and names the
	// profile after the rest, which profile lookups compare without case.
	nul := bytes.IndexByte(data, 0)
	if nul < 0 || !bytes.HasPrefix(data[:nul], []byte("Raw profile type ")) ||
		!bytes.EqualFold(data[len("Raw profile type "):nul], []byte("exif")) {
		return nil
	}
	text := data[nul+1:]
	if typ == "zTXt" {
		if len(text) < 1 || text[0] != 0 {
			return nil
		}
		zr, err := zlib.NewReader(bytes.NewReader(text[1:]))
		if err != nil {
			return nil
		}
		text, err = io.ReadAll(io.LimitReader(zr, maxTextChunk))
		if err != nil {
			return nil
		}
	}
	return parseRawProfile(text)
}

// parseRawProfile transcribes ImageMagick's parser of "\nexif\n   LENGTH\nHEX...", C string
// semantics included (the text ends at its first NUL).
func parseRawProfile(text []byte) []byte {
	at := func(i int) byte {
		if i < len(text) {
			return text[i]
		}
		return 0
	}
	extent := len(text)
	if extent <= 1 {
		return nil
	}
	sp := 1
	// "look for newline": while ((*sp != '\n') && extent--) sp++;
	for at(sp) != '\n' {
		if extent == 0 {
			break
		}
		extent--
		sp++
	}
	for c := at(sp); c == 0 || c == ' ' || c == '\n'; c = at(sp) {
		if extent == 0 {
			break
		}
		extent--
		sp++
	}
	if extent == 0 {
		return nil
	}
	length := strtol(text, sp)
	for c := at(sp); c != ' ' && c != '\n'; c = at(sp) {
		if extent == 0 {
			break
		}
		extent--
		sp++
	}
	if extent == 0 || length <= 0 || length > int64(len(text)) {
		return nil
	}
	out := make([]byte, length)
	for i := int64(0); i < 2*length; i++ {
		c := at(sp)
		for c < '0' || (c > '9' && c < 'a') || c > 'f' {
			if c == 0 {
				return nil // ran out of profile data
			}
			sp++
			c = at(sp)
		}
		v := c - '0'
		if c >= 'a' {
			v = c - 'a' + 10
		}
		if i%2 == 0 {
			out[i/2] = 16 * v
		} else {
			out[i/2] += v
		}
		sp++
	}
	return out
}

// strtol is C's strtol(s+i, NULL, 10), saturating.
func strtol(s []byte, i int) int64 {
	for i < len(s) && (s[i] == ' ' || s[i] >= '\t' && s[i] <= '\r') {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	var v int64
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if v < 1<<40 {
			v = v*10 + int64(s[i]-'0')
		}
	}
	if neg {
		return -v
	}
	return v
}
