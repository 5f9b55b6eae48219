package names

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A Flickr photo is downloaded as flickrsync_<id>_<originalsecret>_<title>.<ext> (the
// Python flickrsync's name): the name alone links the file to its photo.

// MaxTitleBytes bounds the title part of a downloaded file's name, so that the whole name
// stays under the 255 bytes most file systems allow.
const MaxTitleBytes = 180

// Download is what the name of a file flickrsync downloaded says about its photo.
type Download struct {
	ID, Secret, Title, Ext string // Secret and Ext in lower case
}

// DownloadName is the file name a photo is downloaded under, from its id, original
// secret, title and original format: flickrsync_<id>_<originalsecret>_<title>.<ext>, the
// title sanitised (SanitizeName), "jpg" for a format that is not a plain short word.
func DownloadName(id, originalSecret, title, format string) (string, error) {
	if !isDigits(id) {
		return "", fmt.Errorf("photo id %q is not a number", id)
	}
	if !isAlnum(originalSecret) {
		return "", fmt.Errorf("photo %s: original secret %q unusable", id, originalSecret)
	}
	ext := strings.ToLower(format)
	if !isAlnum(ext) || len(ext) > 5 {
		ext = "jpg"
	}
	return fmt.Sprintf("%s_%s_%s_%s.%s", App, id, strings.ToLower(originalSecret), SanitizeName(title, MaxTitleBytes), ext), nil
}

// ParseDownload reads a name of the DownloadName pattern, as the Python tool's regex
// (?i)^flickrsync_([0-9]+)_([a-z0-9]+)_(.*)\.(jpg|jpeg|png|gif)$ did: the prefix in any
// case, the title up to the last dot (no line break in it), a media extension
// (IsMediaName: a video flickrsync downloaded is named so too). A clash suffix " (n)" that a download added (ClashName) is not part
// of the title.
func ParseDownload(name string) (Download, bool) {
	if len(name) <= len(App)+1 || !strings.EqualFold(name[:len(App)+1], App+"_") {
		return Download{}, false
	}
	id, rest, ok := strings.Cut(name[len(App)+1:], "_")
	if !ok || !isDigits(id) {
		return Download{}, false
	}
	secret, rest, ok := strings.Cut(rest, "_")
	if !ok || !isAlnum(secret) {
		return Download{}, false
	}
	dot := strings.LastIndexByte(rest, '.')
	if dot < 0 || !IsMediaName(rest[dot:]) || strings.Contains(rest[:dot], "\n") {
		return Download{}, false
	}
	title := rest[:dot]
	if i := strings.LastIndex(title, " ("); i >= 0 && strings.HasSuffix(title, ")") && isDigits(title[i+2:len(title)-1]) {
		title = title[:i]
	}
	return Download{ID: id, Secret: strings.ToLower(secret), Title: title, Ext: strings.ToLower(rest[dot+1:])}, true
}

// ClashName is the n-th alternative (n >= 2) to name when a file of that name exists:
// "a.jpg" becomes "a (2).jpg".
func ClashName(name string, n int) string {
	ext := ""
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		ext = name[i:]
		name = name[:i]
	}
	return fmt.Sprintf("%s (%d)%s", name, n, ext)
}

// SanitizeName turns s (a Flickr title) into something safe as one path element on
// Linux, macOS and Windows: no separators, no control characters, no characters Windows
// reserves, no "..", no leading dots, dashes or spaces, no trailing dots or spaces, no
// Windows device names, valid UTF-8, at most maxBytes bytes cut on a character boundary.
// It may return "".
func SanitizeName(s string, maxBytes int) string {
	var b strings.Builder
	for i, w := 0, 0; i < len(s); i += w {
		r, size := utf8.DecodeRuneInString(s[i:])
		w = size
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteByte('_')
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			b.WriteByte('_')
		case strings.ContainsRune(`/\<>:"|?*`, r):
			b.WriteByte('_')
		case unicode.Is(unicode.Cf, r) && r != 0x200d: // bidi overrides and the like
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	out := b.String()
	for strings.Contains(out, "..") {
		out = strings.ReplaceAll(out, "..", ".")
	}
	out = strings.TrimLeft(out, ".- ")
	out = truncateUTF8(out, maxBytes)
	out = strings.TrimRight(out, ". ")
	if isWindowsReserved(out) {
		out = "_" + out
	}
	return out
}

func truncateUTF8(s string, max int) string {
	if max <= 0 || len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// isWindowsReserved reports whether name, without extension, is a Windows device name.
func isWindowsReserved(name string) bool {
	base := name
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	base = strings.ToUpper(strings.TrimRight(base, " "))
	switch base {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	if len(base) == 4 && (strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT")) && base[3] >= '0' && base[3] <= '9' {
		return true
	}
	return false
}

// The temporary file of a download in progress, beside its destination: PartPrefix, 16
// lower-case hex digits, PartSuffix. The suffix keeps it out of any index of pictures
// (not a picture extension); the leading dot hides it. The Flickr client writes it and
// renames it into place when whole; the sync removes those a killed run left, and only
// those (IsPartName).
const (
	PartPrefix = "." + App + "-"
	PartSuffix = ".part"
)

// PartName is the temporary file name made of 8 random bytes.
func PartName(random [8]byte) string {
	const hexDigits = "0123456789abcdef"
	var b [16]byte
	for i, c := range random {
		b[2*i], b[2*i+1] = hexDigits[c>>4], hexDigits[c&15]
	}
	return PartPrefix + string(b[:]) + PartSuffix
}

// IsPartName reports whether a file name is exactly the pattern of a download's
// temporary file (PartName); nothing else is.
func IsPartName(name string) bool {
	h, ok := strings.CutPrefix(name, PartPrefix)
	if !ok {
		return false
	}
	h, ok = strings.CutSuffix(h, PartSuffix)
	if !ok || len(h) != 16 {
		return false
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return s != ""
}
