package imagesig

// Format is a file format, as detected from the file's bytes (Sniff).
type Format string

// The formats Sign knows; FormatUnknown is the empty string. Each has one rule (rules,
// below): how it is identified, and whether it is a photo or a video.
const (
	FormatUnknown Format = ""
	// Pixels: ImageMagick 6's signature of the (last) image.
	FormatJPEG Format = "jpeg"
	FormatPNG  Format = "png"
	FormatGIF  Format = "gif"
	FormatTIFF Format = "tiff" // classic and BigTIFF
	FormatWebP Format = "webp"
	// ISO base media files: ExifTool's ImageDataHash (coded data), else the whole file.
	FormatHEIC    Format = "heic"
	FormatAVIF    Format = "avif"
	FormatHEIF    Format = "heif"
	FormatMOV     Format = "mov"
	FormatMP4     Format = "mp4"
	FormatM4V     Format = "m4v"
	Format3GP     Format = "3gp"
	Format3G2     Format = "3g2"
	FormatISOBMFF Format = "isobmff" // an ftyp box with a brand of no format above
	// The other videos Flickr accepts: the SHA-256 of the whole file.
	FormatAVI    Format = "avi"
	FormatMPEG   Format = "mpeg"    // MPEG-1/2 program stream or elementary video stream
	FormatMPEGTS Format = "mpeg-ts" // MPEG transport stream (188-byte packets, or 192 as M2TS)
	FormatWMV    Format = "wmv"     // ASF container (WMV, WMA)
	// Camera RAW files: not uploadable to Flickr.
	FormatCR2 Format = "cr2"
	FormatCR3 Format = "cr3"
	FormatCRW Format = "crw"
	FormatNEF Format = "nef"
	FormatARW Format = "arw"
	FormatDNG Format = "dng"
	FormatORF Format = "orf"
	FormatRAF Format = "raf"
	FormatRW2 Format = "rw2"
	FormatX3F Format = "x3f"
	FormatMRW Format = "mrw"
	// FormatRAW is a TIFF container named as a camera RAW file of no format above (.pef,
	// .srw, .3fr...).
	FormatRAW Format = "raw"
)

// Kind says what a signature is the digest of.
type Kind string

const (
	// KindPixels: ImageMagick 6's pixel signature (SignatureImage of the last image), the
	// Python flickrsync's for JPEG, PNG and GIF.
	KindPixels Kind = "pixels"
	// KindCodedData: ExifTool's ImageDataHash with ImageHashType=SHA256, the coded image
	// items of a HEIF or the video and audio samples of a movie: editing metadata or
	// remuxing leaves it unchanged.
	KindCodedData Kind = "coded data"
	// KindWholeFile: the SHA-256 of the file's bytes.
	KindWholeFile Kind = "whole file"
)

// Media is what Flickr makes of a file.
type Media string

const (
	MediaPhoto Media = "photo"
	MediaVideo Media = "video"
	// MediaRAW is a camera RAW file: Flickr takes none, so Sign refuses it (ErrRAW).
	MediaRAW Media = "raw"
)

// DefaultMaxPixels is the pixel limit used when Options.MaxPixels is 0: 1 gigapixel.
const DefaultMaxPixels = 1 << 30

// Options tunes Sign.
type Options struct {
	// MaxPixels bounds width*height of an image (of every frame and of the logical screen
	// for GIF, of every page of a TIFF); the limit is checked from the headers, before any
	// pixel memory is allocated. 0 means DefaultMaxPixels.
	MaxPixels int64
	// Budget bounds the memory of the decodes running at once; nil means the process's
	// budget of DefaultMemoryBudget bytes, shared by every Sign without one. A decode
	// waits for room in it, and an image that needs more than all of it fails alone
	// (ErrOverBudget).
	Budget *Budget
	// Name is the file's name. The bytes decide the format; the name only breaks one tie:
	// a TIFF container named as a camera RAW file (.nef, .arw...) is that RAW file, since
	// most RAW formats are TIFF files to a sniffer.
	Name string
}

// Result is a computed signature and what the file's headers say.
type Result struct {
	Signature string // 64 lowercase hex digits
	Kind      Kind
	Format    Format
	Media     Media
	// Width and Height are those of the signed image (for an animated GIF or WebP, the
	// last frame's own rectangle; for a TIFF, its last page), or a HEIF's primary image,
	// or a movie's first visual track; 0 when the file does not say.
	Width, Height int
	// Duration is a movie's, in seconds (its movie header's), valid when HasDuration.
	Duration    float64
	HasDuration bool
	// Warnings lists the damage the decoder recovered from, as ImageMagick would have.
	Warnings []string
}
