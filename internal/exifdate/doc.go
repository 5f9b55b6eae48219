// Package exifdate reads a picture's EXIF DateTimeOriginal exactly as ImageMagick 6
// reports it with %[exif:DateTimeOriginal]: the value the Python flickrsync matched
// pictures on, so it must be reproduced byte for byte, oddities included.
//
// It owns three things:
//   - container parsing (jpeg.go, png.go): which bytes ImageMagick 6 takes as the "exif"
//     profile. For JPEG, the APP1 segments read before the first SOS whose payload starts
//     with "exif" (any case), concatenated; a header libjpeg would refuse gives none. For
//     PNG, an eXIf chunk or a "Raw profile type exif" text chunk. Only metadata is read:
//     pixel data is skipped by offset.
//   - the IFD walk (ifd.go): a transcription of ImageMagick 6.9.11's GetEXIFProperty rules
//     (its directory stack, its loop guard, its offset checks, its "thumbnail" renaming of
//     level-2 directories, the "exif:*" pass ReadImage runs before the single-tag lookup).
//   - formatting: strings have non-printable bytes replaced by '.', and end at the first
//     NUL; numeric formats are printed as ImageMagick does ("50, 48, ...").
//
// Hostile input never panics: every offset is checked before use.
package exifdate
