package syncer

import (
	"path"
	"regexp"
	"strings"
)

// AppName is the name flickrsync writes into tags, file names, folder and set names.
const AppName = "flickrsync"

// SetDescription marks the photosets flickrsync created; no other set is ever touched.
const SetDescription = "[created by flickrsync]"

// MissingSetPrefix starts the name of the set `sync --identifymissing` creates.
const MissingSetPrefix = "FlickrSync: pictures not on local"

// signatureNS is the machine tag namespace and predicate of a picture's signature.
const signatureNS = AppName + ":signature"

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
	if d, ok := ParseDownloadName(l.Name()); ok {
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
}

// Signature is the signature carried by the photo's machine tag, "" when it has none:
// the first space-separated tag flickrsync:signature=<hex> (case-insensitive), as the
// Python tool's regex flickrsync:signature=([0-9a-f]+)( |$) read it.
func (r Remote) Signature() string {
	for _, s := range []string{r.MachineTags, r.Tags} {
		for _, tag := range strings.Fields(s) {
			if len(tag) <= len(signatureNS)+1 || !strings.EqualFold(tag[:len(signatureNS)+1], signatureNS+"=") {
				continue
			}
			if v := tag[len(signatureNS)+1:]; isHex(v) {
				return strings.ToLower(v)
			}
		}
	}
	return ""
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return s != ""
}

// ShortName is the photo's title (or its original secret when the title is empty),
// without extension, in lower case.
func (r Remote) ShortName() string {
	if r.Title == "" {
		return strings.ToLower(r.OriginalSecret)
	}
	return ShortName(r.Title)
}

// SignatureTag is the tag flickrsync writes on a photo: flickrsync:signature="<hex>".
func SignatureTag(sig string) string { return signatureNS + `="` + sig + `"` }

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

// Downloaded is what the name of a file flickrsync downloaded says about its photo.
type Downloaded struct {
	ID, Secret, Title, Ext string
}

var downloadNameRE = regexp.MustCompile(`(?i)^` + AppName + `_([0-9]+)_([a-z0-9]+)_(.*)\.(jpg|jpeg|png|gif)$`)

// ParseDownloadName reads flickrsync_<id>_<originalsecret>_<title>.<ext>.
func ParseDownloadName(name string) (Downloaded, bool) {
	m := downloadNameRE.FindStringSubmatch(name)
	if m == nil {
		return Downloaded{}, false
	}
	title := m[3]
	// A clash suffix " (2)" added at download time is not part of the title.
	if i := strings.LastIndex(title, " ("); i >= 0 && strings.HasSuffix(title, ")") && isDigits(title[i+2:len(title)-1]) {
		title = title[:i]
	}
	return Downloaded{ID: m[1], Secret: strings.ToLower(m[2]), Title: title, Ext: strings.ToLower(m[4])}, true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
