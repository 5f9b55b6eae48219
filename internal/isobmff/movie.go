package isobmff

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf16"
)

// qtEpochOffset is the seconds from 1904-01-01 (QuickTime's time zero) to 1970-01-01.
const qtEpochOffset = (66*365 + 17) * 24 * 3600

// movieInfo collects what ExifTool reports of the movie and image headers.
type movieInfo struct {
	width, height sizeTags

	haveDuration  bool
	duration      uint64 // first mvhd duration, in timescale units
	haveTimescale bool
	timescale     uint64 // last mvhd timescale ($$et{TimeScale} when the tag is printed)

	haveCreateDate bool
	createDate     uint64 // last mvhd creation time, seconds after the Unix epoch (0: zero)

	creation tagValues // Keys com.apple.quicktime.creationdate
	content  tagValues // Keys com.apple.quicktime.content.identifier

	found int // ImageWidth and ImageHeight tags found so far (their file order)
}

// sizeTags are the ImageWidth (or ImageHeight) tags ExifTool found, reduced to the one
// `exiftool -j -a -G1` prints first. The ispe values (group File, priority 1) take the
// main tag from the track headers' (groups Track1, Track2..., priority 0), and the JSON
// output hides the File values other than the main one: the first printed is the first
// track header's value or the last ispe value, whichever was found first.
type sizeTags struct {
	haveTrack, haveFile bool
	track, file         int64
	trackAt, fileAt     int
}

func (s *sizeTags) value() (int64, bool) {
	switch {
	case s.haveFile && (!s.haveTrack || s.fileAt < s.trackAt):
		return s.file, true
	case s.haveTrack:
		return s.track, true
	}
	return 0, false
}

// fromTrack and fromItem record a value found in a track header or an ispe property.
func (m *movieInfo) fromTrack(s *sizeTags, v int64) {
	m.found++
	if !s.haveTrack {
		s.haveTrack, s.track, s.trackAt = true, v, m.found
	}
}

func (m *movieInfo) fromItem(s *sizeTags, v int64) {
	m.found++
	s.haveFile, s.file, s.fileAt = true, v, m.found
}

// binaryField reads what ExifTool's ProcessBinaryData gives for an int32u or int64u
// field at entry of a payload of size bytes: ok is false when the entry is at or past the
// end (stop reading the box) and have is false when the value does not fit.
func (wk *walker) binaryField(pos, size, entry int64, n int) (v uint64, have, more bool) {
	if size-entry <= 0 {
		return 0, false, false
	}
	if size-entry < int64(n) {
		return 0, false, true
	}
	v, ok := wk.w.uintN(pos+entry, n)
	return v, ok, true
}

// movieHeader reads mvhd as ExifTool's MovieHeader table: version, CreateDate, ModifyDate,
// TimeScale, Duration (the times and duration 64-bit when the version is not 0).
func (wk *walker) movieHeader(pos, size int64) {
	if size <= 0 {
		return
	}
	ver, _ := wk.w.u8(pos)
	n, shift := 4, int64(0)
	if ver != 0 {
		n, shift = 8, 4
	}
	v, have, more := wk.binaryField(pos, size, 4, n)
	if !more {
		return
	}
	if have {
		if v != 0 && v >= qtEpochOffset {
			v -= qtEpochOffset // else a time from 1970: ExifTool "patches" it by keeping it
		}
		wk.info.haveCreateDate, wk.info.createDate = true, v
	}
	if _, _, more = wk.binaryField(pos, size, 8+shift, n); !more {
		return
	}
	shift *= 2
	ts, have, more := wk.binaryField(pos, size, 12+shift, 4)
	if !more {
		return
	}
	if have {
		wk.info.haveTimescale, wk.info.timescale = true, ts
	}
	d, have, _ := wk.binaryField(pos, size, 16+shift, n)
	if have && !wk.info.haveDuration {
		wk.info.haveDuration, wk.info.duration = true, d
	}
}

// trackHeader reads the image size of a tkhd as ExifTool's TrackHeader table: 32-bit
// fields 19 and 20 (after 12 more bytes when the version is not 0), 0 meaning none, a
// 16.16 value taken by its integer part only when that is 16 or more.
func (wk *walker) trackHeader(pos, size int64) {
	if size <= 0 {
		return
	}
	ver, _ := wk.w.u8(pos)
	shift := int64(0)
	if ver != 0 {
		shift = 12
	}
	for i, s := range []*sizeTags{&wk.info.width, &wk.info.height} {
		v, have, more := wk.binaryField(pos, size, int64(76+4*i)+shift, 4)
		if !more {
			return
		}
		if have && v != 0 {
			if v&0xfff00000 != 0 {
				v >>= 16
			}
			wk.info.fromTrack(s, int64(v))
		}
	}
}

// keyState is ExifTool's KeysCount and, for the latest keys box, which key indices name
// the tags Sign reports.
type keyState struct {
	count    int
	creation []uint32 // indices of com.apple.quicktime.creationdate
	content  []uint32 // indices of com.apple.quicktime.content.identifier
}

// keysBox transcribes ProcessKeys for a keys box (Keys table only when wanted is true: a
// track's keys box counts but names no tag reported here).
func (wk *walker) keysBox(pos, size int64, wanted bool) {
	if size <= 0 {
		return
	}
	wk.keys.count++
	wk.keys.creation, wk.keys.content = nil, nil
	index := uint32(1)
	for p := int64(8); p < size-4; index++ {
		n, ok := wk.w.u32(pos + p)
		if !ok || n < 8 || p+int64(n) > size {
			return
		}
		ns := wk.w.at(pos+p+4, 4)
		name, nameLen, _ := wk.w.cstring(pos+p+8, pos+p+int64(n), 40)
		if ns != nil && wanted && int64(len(name)) == nameLen {
			short := string(name)
			if string(ns) == "mdta" {
				short = strings.TrimPrefix(short, "com.")
				if len(short) < len(name) {
					short = strings.TrimPrefix(short, "apple.quicktime.")
				}
			}
			switch short {
			case "creationdate":
				wk.keys.creation = append(wk.keys.creation, index)
			case "content.identifier":
				wk.keys.content = append(wk.keys.content, index)
			}
		}
		p += int64(n)
	}
}

// itemListEntry reads an ilst child whose type is the index of a key named in the latest
// keys box (ExifTool's "$KeysCount.$index" tags) as its 'data' atoms.
func (wk *walker) itemListEntry(name string, pos, size int64) {
	if wk.keys.count == 0 {
		return
	}
	index := uint32(name[0])<<24 | uint32(name[1])<<16 | uint32(name[2])<<8 | uint32(name[3])
	var dst *tagValues
	for _, i := range wk.keys.creation {
		if i == index {
			dst = &wk.info.creation
		}
	}
	for _, i := range wk.keys.content {
		if i == index {
			dst = &wk.info.content
		}
	}
	if dst == nil {
		return
	}
	for p := int64(0); p+16 <= size; {
		n, _ := wk.w.u32(pos + p)
		typ := wk.w.at(pos+p+4, 4)
		if typ == nil || n == 0 || p+int64(n) > size {
			return
		}
		if string(typ) == "data" && n >= 16 {
			flags, _ := wk.w.u32(pos + p + 8)
			ctry, _ := wk.w.u16(pos + p + 12)
			lang, _ := wk.w.u16(pos + p + 14)
			vlen := int64(n) - 16
			if vlen > 256 {
				vlen = 256 // dates and identifiers are short; longer values are kept cut
			}
			if raw := wk.w.at(pos+p+16, int(vlen)); raw != nil {
				dst.add(decodeData(raw, flags), langCode(lang, ctry))
			}
		}
		p += int64(n)
	}
}

// decodeData is a data atom's value as ExifTool decodes its string types (flags 1 and 4
// UTF-8, 2 and 5 UTF-16), one trailing NUL removed.
func decodeData(raw []byte, flags uint32) string {
	s := string(raw)
	if flags == 2 || flags == 5 {
		u := make([]uint16, len(raw)/2)
		for i := range u {
			u[i] = uint16(raw[2*i])<<8 | uint16(raw[2*i+1])
		}
		s = string(utf16.Decode(u))
	}
	return strings.TrimSuffix(s, "\x00")
}

// langCode transcribes GetLangCode: "" for the default language, else a code such as
// "eng-US" that makes ExifTool file the value as an alternate-language tag.
func langCode(lang, ctry uint16) string {
	if ctry <= 255 {
		ctry = 0
	}
	if lang <= 255 {
		lang = 0
	}
	code := unpackLang(lang, false)
	if ctry != 0 {
		c := string([]byte{byte(ctry >> 8), byte(ctry)})
		if c != "ZZ" && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z' {
			if code == "" {
				if code = unpackLang(lang, true); code == "" {
					code = "und"
				}
			}
			code += "-" + c
		}
	}
	return code
}

func unpackLang(lang uint16, noDef bool) string {
	if lang == 0 {
		return ""
	}
	b := []byte{byte(lang>>10&0x1f) + 0x60, byte(lang>>5&0x1f) + 0x60, byte(lang&0x1f) + 0x60}
	for _, c := range b {
		if c < 'a' || c > 'z' {
			return "err"
		}
	}
	if s := string(b); noDef || (s != "und" && s != "eng") {
		return s
	}
	return ""
}

// tagValues are the values one Keys tag took, as ExifTool ranks them: the last value in
// the default language, else (ExifTool's synthesized default) the last value of the
// first alternate language met.
type tagValues struct {
	haveDef   bool
	value     string
	firstLang string
	langValue string
}

func (t *tagValues) add(v, lang string) {
	switch {
	case lang == "":
		t.haveDef, t.value = true, v
	case t.firstLang == "":
		t.firstLang, t.langValue = lang, v
	case lang == t.firstLang:
		t.langValue = v
	}
}

// get returns the value ExifTool prints, ok false when the tag is absent.
func (t *tagValues) get() (string, bool) {
	if t.haveDef {
		return t.value, true
	}
	if t.firstLang != "" {
		return t.langValue, true
	}
	return "", false
}

// perlTimeMax is the largest time Perl's gmtime converts; past it, it returns nothing and
// ExifTool prints "1900:01:00 00:00:00".
const perlTimeMax = 67767976233316800

// exifDateString prints a QuickTime time (seconds since 1970 after ExifTool's correction)
// as ExifTool's ConvertUnixTime does in UTC: "0000:00:00 00:00:00" for zero.
func exifDateString(sec uint64) string {
	switch {
	case sec == 0:
		return "0000:00:00 00:00:00"
	case sec > perlTimeMax:
		return "1900:01:00 00:00:00"
	}
	t := time.Unix(int64(sec), 0).UTC()
	return fmt.Sprintf("%4d:%02d:%02d %02d:%02d:%02d", t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second())
}

// iso8601ToExif transcribes ExifTool's ValueConv of Apple's ISO 8601 dates
// (ConvertXMPDate, then a colon in the zone): "2019-07-24T11:25:40+0300" becomes
// "2019:07:24 11:25:40+03:00".
func iso8601ToExif(v string) string {
	if m := isoDate.FindStringSubmatch(v); m != nil {
		v = m[1] + ":" + m[2] + ":" + m[3] + " " + m[4] + m[5] + m[6]
	} else if isoPrefix.MatchString(v) {
		v = strings.ReplaceAll(v, "-", ":")
	}
	if m := zoneNoColon.FindStringSubmatchIndex(v); m != nil {
		v = v[:m[3]] + ":" + v[m[4]:m[5]] + v[m[5]:]
	}
	return v
}

var (
	isoDate     = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}:\d{2})(:\d{2})?[\t\n\v\f\r ]*([^\t\n\v\f\r ]*)\n?$`)
	isoPrefix   = regexp.MustCompile(`^\d{4}(-\d{2}){0,2}`)
	zoneNoColon = regexp.MustCompile(`([-+]\d{2})(\d{2})\n?$`)
)
