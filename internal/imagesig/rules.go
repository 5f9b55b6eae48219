package imagesig

// The rule of each format: what it is to Flickr (a photo, a video, a RAW file it refuses)
// and how flickrsync identifies it. This is the one place a format's identity is decided;
// callers only read Result.
//
//   - JPEG, PNG, GIF, TIFF, WebP: pixels, ImageMagick 6's signature of the last image (the
//     Python flickrsync's through Wand): Flickr converts TIFF (and perhaps HEIC and WebP)
//     to JPEG, so only the pixels, never the stored bytes, can be compared across tools;
//   - HEIF/HEIC/AVIF stills and MP4/MOV/M4V/3GP/3G2 movies: ExifTool 13.58's ImageDataHash
//     (SHA-256 of the coded items or of the video and audio samples, package isobmff), so
//     that a metadata edit or a remux keeps the identity; where ExifTool hashes nothing, the
//     whole file when its container is intact, else an error;
//   - the other videos Flickr accepts (AVI, MPEG program and transport streams, WMV): the
//     SHA-256 of the whole file (no decoder here; a metadata edit changes it);
//   - camera RAW files: not uploadable (ErrRAW), never read beyond their header.

// method is how a format is signed.
type method int

const (
	methodPixels method = iota + 1
	methodISOBMFF
	methodWholeFile
	methodRAW
)

type rule struct {
	media  Media
	method method
}

var rules = map[Format]rule{
	FormatJPEG: {MediaPhoto, methodPixels},
	FormatPNG:  {MediaPhoto, methodPixels},
	FormatGIF:  {MediaPhoto, methodPixels},
	FormatTIFF: {MediaPhoto, methodPixels},
	FormatWebP: {MediaPhoto, methodPixels},

	FormatHEIC: {MediaPhoto, methodISOBMFF},
	FormatAVIF: {MediaPhoto, methodISOBMFF},
	FormatHEIF: {MediaPhoto, methodISOBMFF},
	FormatMOV:  {MediaVideo, methodISOBMFF},
	FormatMP4:  {MediaVideo, methodISOBMFF},
	FormatM4V:  {MediaVideo, methodISOBMFF},
	Format3GP:  {MediaVideo, methodISOBMFF},
	Format3G2:  {MediaVideo, methodISOBMFF},
	// An unknown brand: a video when its boxes give a duration (isoMedia), else a photo.
	FormatISOBMFF: {"", methodISOBMFF},

	FormatAVI:    {MediaVideo, methodWholeFile},
	FormatMPEG:   {MediaVideo, methodWholeFile},
	FormatMPEGTS: {MediaVideo, methodWholeFile},
	FormatWMV:    {MediaVideo, methodWholeFile},

	FormatCR2: {MediaRAW, methodRAW},
	FormatCR3: {MediaRAW, methodRAW},
	FormatCRW: {MediaRAW, methodRAW},
	FormatNEF: {MediaRAW, methodRAW},
	FormatARW: {MediaRAW, methodRAW},
	FormatDNG: {MediaRAW, methodRAW},
	FormatORF: {MediaRAW, methodRAW},
	FormatRAF: {MediaRAW, methodRAW},
	FormatRW2: {MediaRAW, methodRAW},
	FormatX3F: {MediaRAW, methodRAW},
	FormatMRW: {MediaRAW, methodRAW},
	FormatRAW: {MediaRAW, methodRAW},
}

// MediaOf is what Flickr makes of a file of format f ("" for FormatUnknown, and for
// FormatISOBMFF, which depends on the file: see Result.Media).
func MediaOf(f Format) Media { return rules[f].media }

// isoMedia is the media of an ISO base media file of an unknown brand.
func isoMedia(hasDuration bool) Media {
	if hasDuration {
		return MediaVideo
	}
	return MediaPhoto
}
