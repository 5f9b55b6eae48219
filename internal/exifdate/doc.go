// Package exifdate reads a picture's EXIF DateTimeOriginal exactly as ImageMagick 6
// reports it with %[exif:DateTimeOriginal]: the value the Python flickrsync matched
// pictures on, so it must be reproduced byte for byte, oddities included.
//
// It owns three things:
//   - container parsing (jpeg.go, png.go): which bytes ImageMagick 6 takes as the "exif"
//     profile. For JPEG, the APP1 segments whose payload starts with "exif" (any case),
//     concatenated, among the markers libjpeg-turbo reads before the first SOS or before
//     it stops on an error (each marker is consumed and checked as libjpeg and
//     ImageMagick's marker readers do). A PNG has none in a header read (`identify -ping`,
//     and FromReader); FullRead also reads what a full decode sees: a tEXt/zTXt "Raw
//     profile type exif" chunk, JPEG APP1 segments after the scans. FullRead is what the
//     Python flickrsync matched on (Wand reads in full), what the corpus manifest records
//     and what the scanner uses. libpng keeps eXIf chunks to itself, so ImageMagick never sees them. Only
//     metadata is read: pixel data is skipped by offset.
//   - the IFD walk (ifd.go): a transcription of ImageMagick 6.9.11's GetEXIFProperty
//     rules (its directory stack, its loop guard, its offset checks, its "thumbnail"
//     renaming of level-2 directories, the "exif:*" pass ReadImage runs before the
//     single-tag lookup).
//   - formatting: strings have non-printable bytes replaced by '.', and end at the first
//     NUL; numeric formats are printed as ImageMagick does ("50, 48, ...").
//
// Checked against the corpus manifest (every row), hand-built fixtures whose expected
// values come from identify, and generated files compared with identify. Hostile input
// never panics: every offset is checked before use (FuzzFromBytes).
package exifdate
