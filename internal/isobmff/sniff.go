package isobmff

import "encoding/binary"

// Formats Sniff returns, as the media manifest's format column names them.
const (
	FormatHEIC    = "HEIC"
	FormatAVIF    = "AVIF"
	FormatHEIF    = "HEIF"
	FormatMOV     = "MOV"
	Format3GP     = "3GP"
	Format3G2     = "3G2"
	FormatM4V     = "M4V"
	FormatMP4     = "MP4"
	FormatISOBMFF = "ISOBMFF" // an ftyp box with an unknown or empty major brand
	FormatEmpty   = "EMPTY"
	FormatUnknown = "UNKNOWN" // not an ISO base media file
)

// SniffLen is how many leading bytes Sniff needs to see every compatible brand of a
// usual ftyp box; fewer still work, brands past the end of header are not looked at.
const SniffLen = 512

// Sniff names the format of a file from its first bytes (see the Format constants): the
// ftyp box's major brand, and for the generic HEIF brands mif1/msf1/miaf its compatible
// brands; a file starting with a moov, mdat, wide, free or skip box is a MOV.
func Sniff(header []byte) string {
	if len(header) == 0 {
		return FormatEmpty
	}
	if len(header) < 8 {
		return FormatUnknown
	}
	switch string(header[4:8]) {
	case "ftyp":
	case "moov", "mdat", "wide", "free", "skip":
		return FormatMOV
	default:
		return FormatUnknown
	}
	size := int64(binary.BigEndian.Uint32(header))
	end := int64(len(header))
	if size >= 8 && size < end {
		end = size
	}
	if end < 12 {
		return FormatISOBMFF
	}
	major := string(header[8:12])
	var compat []string
	for p := int64(16); p+4 <= end; p += 4 {
		compat = append(compat, string(header[p:p+4]))
	}
	has := func(brands ...string) bool {
		for _, c := range compat {
			for _, b := range brands {
				if c == b {
					return true
				}
			}
		}
		return false
	}
	heicBrands := []string{"heic", "heix", "hevc", "heim", "heis", "hevx", "hevm", "hevs"}
	switch {
	case isHEICBrand(major):
		return FormatHEIC
	case (major == "mif1" || major == "msf1" || major == "miaf") && has(heicBrands...):
		return FormatHEIC
	case major == "avif" || major == "avis":
		return FormatAVIF
	case (major == "mif1" || major == "msf1") && has("avif", "avis"):
		return FormatAVIF
	case imageBrands[major]:
		return FormatHEIF
	case major == "qt  ":
		return FormatMOV
	case major[:3] == "3g2":
		return Format3G2
	case major[:2] == "3g":
		return Format3GP
	case major[:3] == "M4V":
		return FormatM4V
	case videoBrands[major]:
		return FormatMP4
	}
	return FormatISOBMFF
}

func isHEICBrand(b string) bool {
	switch b {
	case "heic", "heix", "heim", "heis":
		return true
	}
	return b[:3] == "hev"
}

// imageBrands are the HEIF brands that are neither HEVC nor AV1 (ISO/IEC 23008-12 and its
// codec annexes).
var imageBrands = map[string]bool{
	"mif1": true, "mif2": true, "mif3": true, "msf1": true, "miaf": true,
	"avci": true, "avcs": true, "j2ki": true, "j2is": true, "jpeg": true, "jpgs": true,
	"vvic": true, "vvis": true, "unif": true,
}

// videoBrands are the major brands of MP4-family movies (the ISO base media brands, MPEG-4,
// DASH/CMAF and the camera makers' registered brands at mp4ra.org) that have no format of
// their own above.
var videoBrands = map[string]bool{}

func init() {
	for _, b := range []string{
		"isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7", "iso8", "iso9", "isoa", "isob", "isoc",
		"isc2", "avc1", "avc2", "avc3", "avc4", "hvc1", "hev1", "av01", "mp41", "mp42", "mp71", "mp4v",
		"mp21", "mmp4", "dash", "dsms", "msdh", "msix", "cmfc", "cmf2", "cmfs", "cmff", "cmfl", "hlsf",
		"M4A ", "M4B ", "M4P ", "F4V ", "F4P ", "F4A ", "F4B ", "f4v ", "MSNV", "XAVC", "mqt ", "CAEP",
		"caqv", "CDes", "da0a", "da0b", "da1a", "da1b", "da2a", "da2b", "da3a", "da3b", "dmb1", "dmpf",
		"drc1", "dv1a", "dv1b", "dv2a", "dv2b", "dv3a", "dv3b", "dvr1", "dvt1", "KDDI", "MPPI", "NDAS",
		"NDSC", "NDSH", "NDSM", "NDSP", "NDSS", "NDXC", "NDXH", "NDXM", "NDXP", "NDXS", "odcf", "opf2",
		"opx2", "pana", "ROSS", "sdv ", "ssc1", "ssc2", "aax ",
	} {
		videoBrands[b] = true
	}
}
