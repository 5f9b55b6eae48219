package syncer

import (
	"path"
	"strings"

	"github.com/flickrsync/flickrsync/internal/names"
)

// SetDescription marks the photosets flickrsync created; no other set is ever touched.
const SetDescription = "[created by flickrsync]"

// MissingSetPrefix starts the name of the set `sync --identifymissing` creates.
const MissingSetPrefix = "FlickrSync: pictures not on local"

// Local is one picture of the local library as the catalog knows it.
type Local struct {
	// Path is the picture's path relative to the library root, with '/' separators.
	Path string
	// Signature is the picture's pixel signature (lower-case hex); "" when the file could
	// not be decoded (such a file is never uploaded nor matched).
	Signature string
	// DateTaken is EXIF DateTimeOriginal as written in the file ("2004:11:29 16:01:26"),
	// "" when absent.
	DateTaken string
	// Size, MtimeNS (nanoseconds since the Unix epoch) and Hash (SHA-256 of the bytes,
	// lower-case hex) are the file as it was indexed: an upload sends exactly those bytes
	// or nothing (see openChecked). Hash "" means unknown: the upload is not checked.
	Size    int64
	MtimeNS int64
	Hash    string
	// Media is what Flickr makes of the file: "photo" or "video" (imagesig.Media); Duration
	// a movie's, in seconds; LiveID Apple's Live Photo identifier, shared by a still and
	// its motion video ("" when none). See media.go.
	Media    string
	Duration float64
	LiveID   string
	// Format is the file's format as sniffed (imagesig's: "jpeg", "tiff", "heic"...).
	Format string
}

// Dir is the folder of the picture relative to the library root ("" for the root).
func (l Local) Dir() string {
	d := path.Dir(l.Path)
	if d == "." {
		return ""
	}
	return d
}

// Name is the picture's file name.
func (l Local) Name() string { return path.Base(l.Path) }

// ShortName is the file name without extension, in lower case; for a file flickrsync
// downloaded, the Flickr title it was named after (or the secret when the title was empty).
func (l Local) ShortName() string {
	if d, ok := names.ParseDownload(l.Name()); ok {
		if d.Title == "" {
			return strings.ToLower(d.Secret)
		}
		return ShortName(d.Title)
	}
	return ShortName(l.Name())
}

// Remote is one photo of the Flickr account as the catalog knows it.
type Remote struct {
	ID             string
	Title          string
	Secret         string
	OriginalSecret string
	OriginalFormat string // "jpg", "png", "gif"
	DateUpload     int64  // unix seconds
	DateTaken      string // "2004-11-29 16:01:26"
	// DateTakenUnknown is Flickr's datetakenunknown: the date taken is the upload date.
	DateTakenUnknown bool
	URLOriginal      string // url_o
	Tags             string // the clean tags, space separated (machine tags included)
	MachineTags      string // the machine tags only, space separated
	Media            string // "photo" or "video" ("" counts as a photo)
}

// IsVideo reports whether the photo is a video (its url_o is a poster frame: its
// original is getSizes' Video Original).
func (r Remote) IsVideo() bool { return r.Media == MediaVideo }

// Signature is the signature carried by the photo's signature tag (names.SignatureOf:
// its machine tags, then its tags), "" when it has none.
func (r Remote) Signature() string { return names.SignatureOf(r.MachineTags, r.Tags) }

// ShortName is the photo's title (or its original secret when the title is empty),
// without extension, in lower case.
func (r Remote) ShortName() string {
	if r.Title == "" {
		return strings.ToLower(r.OriginalSecret)
	}
	return ShortName(r.Title)
}

// ShortName is name without its extension, in lower case. Flickr does not always keep
// the extension in the title, so names are compared without it.
func ShortName(name string) string {
	if ext := path.Ext(name); ext != "" && ext != name {
		name = strings.TrimSuffix(name, ext)
	}
	return strings.ToLower(name)
}

// FlatDate keeps the digits of a date only, so that EXIF's "2004:11:29 16:01:26" and
// Flickr's "2004-11-29 16:01:26" compare equal.
func FlatDate(date string) string {
	var b strings.Builder
	for _, c := range date {
		if c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}
