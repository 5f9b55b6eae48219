package syncer

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxTitleBytes bounds the title part of a downloaded file's name, so that the whole name
// stays under the 255 bytes most file systems allow.
const MaxTitleBytes = 180

// DownloadDir is the folder, relative to the library root, that receives the Flickr photos
// nothing local matches (they are downloaded to be identified).
const DownloadDir = AppName

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

// DownloadName is the file name a Flickr photo is downloaded under:
// flickrsync_<id>_<originalsecret>_<title>.<ext>, the title sanitised.
func DownloadName(r Remote) (string, error) {
	if !isDigits(r.ID) {
		return "", fmt.Errorf("photo id %q is not a number", r.ID)
	}
	secret := r.OriginalSecret
	if secret == "" || !isAlnum(secret) {
		return "", fmt.Errorf("photo %s: original secret %q unusable", r.ID, secret)
	}
	ext := strings.ToLower(r.OriginalFormat)
	if ext == "" || !isAlnum(ext) || len(ext) > 5 {
		ext = "jpg"
	}
	title := SanitizeName(r.Title, MaxTitleBytes)
	return fmt.Sprintf("%s_%s_%s_%s.%s", AppName, r.ID, strings.ToLower(secret), title, ext), nil
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

func isAlnum(s string) bool {
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return s != ""
}

// SetName is the name of the photoset of a library folder: the folder's path relative to
// the library root, separators written as ", " ("2019, Rome"); the root itself gives
// "flickrsync", as does the download folder.
func SetName(dir string) string {
	dir = strings.Trim(dir, "/")
	if dir == "" {
		return AppName
	}
	return strings.ReplaceAll(dir, "/", ", ")
}

// IsPartName reports whether a file name is exactly the pattern of a download's
// temporary file, .flickrsync-<16 lower-case hex digits>.part: what the Flickr client
// (flickr.IsPartName, the same rule) writes beside a download's destination until it is
// complete. Only such files are ever swept; the scanner never indexes them (not a
// picture extension).
func IsPartName(name string) bool {
	h, ok := strings.CutPrefix(name, "."+AppName+"-")
	if !ok {
		return false
	}
	h, ok = strings.CutSuffix(h, ".part")
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
