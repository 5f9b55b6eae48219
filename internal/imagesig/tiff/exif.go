package tiff

import "fmt"

// ImageMagick reads every directory's EXIF IFD (TIFFGetEXIFProperties, through libtiff's
// TIFFReadCustomDirectory): an EXIF IFD that cannot be read, or that holds a tag libtiff
// does not know with a data type it cannot size, is a libtiff error, so the file fails.
// Its values are not used here (package exifdate owns dates).

// exifTags are the tags of libtiff 4.5's exifFields.
var exifTags = func() map[uint16]bool {
	m := map[uint16]bool{}
	for _, t := range []uint16{33434, 33437, 34850, 34852, 34855, 34856, 34864, 34865, 34866, 34867,
		34868, 34869, 36864, 36867, 36868, 36880, 36881, 36882, 37121, 37122, 37377, 37378, 37379,
		37380, 37381, 37382, 37383, 37384, 37385, 37386, 37396, 37500, 37510, 37520, 37521, 37522,
		37888, 37889, 37890, 37891, 37892, 37893, 40960, 40961, 40962, 40963, 40964, 41483, 41484,
		41486, 41487, 41488, 41492, 41493, 41495, 41728, 41729, 41730, 41985, 41986, 41987, 41988,
		41989, 41990, 41991, 41992, 41993, 41994, 41995, 41996, 42016, 42032, 42033, 42034, 42035,
		42036, 42037, 42080, 42081, 42082, 42240} {
		m[t] = true
	}
	return m
}()

// checkEXIF reads the directory's EXIF IFD as TIFFReadCustomDirectory would.
func (f *file) checkEXIF(dr *dir) error {
	e := dr.entries[tagExifIFD]
	if e == nil {
		return nil
	}
	v, ok := f.ints(e)
	if !ok || len(v) == 0 {
		return nil // the tag itself is ignored with a warning
	}
	off := v[0]
	countSize, entrySize := uint64(2), uint64(12)
	if f.big {
		countSize, entrySize = 8, 20
	}
	fail := FormatError(fmt.Sprintf("failed to read custom directory at offset %d", off))
	var cb [8]byte
	if !f.readAt(cb[:countSize], off) {
		return fail
	}
	var n uint64
	if f.big {
		n = f.order.Uint64(cb[:])
	} else {
		n = uint64(f.order.Uint16(cb[:]))
	}
	if n > 4096 {
		return fail
	}
	raw := make([]byte, n*entrySize)
	if !f.readAt(raw, off+countSize) {
		return fail
	}
	for i := uint64(0); i < n; i++ {
		b := raw[i*entrySize:]
		tag, typ := f.order.Uint16(b), f.order.Uint16(b[2:])
		if !exifTags[tag] && sizeOfType(typ) == 0 {
			return FormatError(fmt.Sprintf("defined set_field_type of custom tag %d (Tag %d) is TIFF_SETGET_UNDEFINED and thus tag is not read from file", tag, tag))
		}
	}
	return nil
}
