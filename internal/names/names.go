package names

import (
	"path"
	"strings"
)

// mediaExts are the extensions of the files flickrsync considers, compared
// case-insensitively: the Python tool's pictures (jpg, jpeg, png, gif), the other pictures
// and videos Flickr accepts, and camera RAW files, which are counted as not uploadable
// rather than ignored. What a file is comes from its bytes, not from this list (a JPEG
// named .heic is a JPEG): the name only decides which files are opened at all, since
// sniffing every sidecar would cost a read each.
var mediaExts = map[string]bool{}

func init() {
	for _, e := range strings.Fields(`jpg jpeg jpe png gif tif tiff webp heic heif hif avif
		mp4 mov m4v 3gp 3g2 avi mpg mpeg mpe m2v vob ts mts m2ts m2t wmv asf
		cr2 cr3 crw nef nrw arw srf sr2 dng orf raf rw2 pef srw x3f 3fr iiq mrw kdc dcr erf mos rwl mef`) {
		mediaExts[e] = true
	}
}

// IsMediaName reports whether a file name has the extension of a picture, a video or a
// camera RAW file (mediaExts, in any case): the scanner indexes those files only, and only
// they are downloaded names.
func IsMediaName(name string) bool {
	ext := path.Ext(name)
	return len(ext) > 1 && mediaExts[strings.ToLower(ext[1:])]
}

// IgnoredExt is how an ignored file (no media extension) is counted: its extension in
// lower case with its dot (".txt"), or "(none)".
func IgnoredExt(name string) string {
	ext := path.Ext(name)
	if len(ext) <= 1 || ext == name {
		return "(none)"
	}
	return strings.ToLower(ext)
}

// KeepOrder orders the paths (relative to the library root, '/' separated) of the
// copies of one picture: the first is the copy kept, which is uploaded and which
// `flickrsync duplicates` shows first: the shortest path in bytes, then the smallest
// bytewise.
func KeepOrder(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}
