package flickr

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// What Flickr sends is checked where it is parsed: ids and secrets have one syntax each,
// and an answer holding another is not Flickr's: it is refused whole (ErrBadResponse),
// so that nothing from it reaches the catalog, a file name or a terminal. Dates out of
// range are kept as unknown (0) instead.

// maxIDDigits: Flickr's ids are decimal numbers (photos about 11 digits, photosets 17);
// 19 digits always fit in a uint64.
const maxIDDigits = 19

// isID reports whether s is a Flickr id: 1 to 19 decimal digits.
func isID(s string) bool {
	if s == "" || len(s) > maxIDDigits {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// idNumber returns a checked id as a number (for sets of ids).
func idNumber(s string) uint64 {
	n, _ := strconv.ParseUint(s, 10, 64)
	return n
}

// isHex reports whether s is 1 to 64 lowercase hex digits (a secret: Flickr's are 10).
func isHex(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// isNSID reports whether s is a user id: digits, "@N", digits (12345678@N00).
func isNSID(s string) bool {
	num, suffix, ok := strings.Cut(s, "@N")
	return ok && isID(num) && len(suffix) <= 3 && isID(suffix)
}

// isWord reports whether s is a short lowercase word of letters and digits (a format:
// jpg, png, mp4; a media: photo, video).
func isWord(s string) bool {
	if s == "" || len(s) > 10 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// isURL reports whether s is plain printable ASCII without spaces, as Flickr's URLs are
// (where a URL may be fetched from is Download's question).
func isURL(s string) bool {
	if len(s) > 2048 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// isDateTaken reports whether s is a MySQL datetime, "YYYY-MM-DD HH:MM:SS" (Flickr's
// "0000-00-00 00:00:00" for an unknown date included).
func isDateTaken(s string) bool {
	const layout = "dddd-dd-dd dd:dd:dd"
	if len(s) != len(layout) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if layout[i] == 'd' && (s[i] < '0' || s[i] > '9') || layout[i] != 'd' && s[i] != layout[i] {
			return false
		}
	}
	return true
}

// EarliestTime is the earliest upload or change date Flickr can hold: Flickr opened in
// February 2004.
var EarliestTime = time.Date(2004, 1, 1, 0, 0, 0, 0, time.UTC)

// PlausibleTime reports whether unix (seconds) can be a date Flickr recorded (an upload,
// a change, the Date of an answer): from EarliestTime to one day after now (clocks
// differ, by less). The client returns any other upload or change date as 0 (unknown)
// and ignores such a Date header; a caller holding a watermark from an older run checks
// it with this rule too.
func PlausibleTime(unix int64, now time.Time) bool {
	return unix >= EarliestTime.Unix() && unix <= now.Add(24*time.Hour).Unix()
}

// plausible returns unix, or 0 when it is not PlausibleTime.
func plausible(unix int64, now time.Time) int64 {
	if !PlausibleTime(unix, now) {
		return 0
	}
	return unix
}

// badValue is the error of a value out of its syntax: what it is, and the value made
// safe and short to show.
func badValue(what, v string) error {
	return fmt.Errorf("%w: %s %q", ErrBadResponse, what, cleanText(v, 40))
}
