package syncer

import (
	"strings"

	"github.com/flickrsync/flickrsync/internal/names"
)

// DownloadDir is the folder, relative to the library root, that receives the Flickr photos
// nothing local matches (they are downloaded to be identified).
const DownloadDir = names.App

// SetName is the name of the photoset of a library folder: the folder's path relative to
// the library root, separators written as ", " ("2019, Rome"); the root itself gives
// "flickrsync", as does the download folder.
func SetName(dir string) string {
	dir = strings.Trim(dir, "/")
	if dir == "" {
		return names.App
	}
	return strings.ReplaceAll(dir, "/", ", ")
}
