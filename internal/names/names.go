package names

import (
	"path"
	"strings"
)

// pictureExts are the extensions of the files flickrsync takes for pictures, the Python
// tool's, compared case-insensitively.
var pictureExts = map[string]bool{"jpg": true, "jpeg": true, "png": true, "gif": true}

// IsPictureName reports whether a file name has a picture extension (jpg, jpeg, png, gif,
// in any case): the scanner indexes those files only, and only they are downloaded names.
func IsPictureName(name string) bool {
	ext := path.Ext(name)
	return len(ext) > 1 && pictureExts[strings.ToLower(ext[1:])]
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
