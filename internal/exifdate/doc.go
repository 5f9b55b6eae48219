// Package exifdate reads the date a picture or video was taken, for every format
// flickrsync backs up, in one place (DateTaken):
//
//   - JPEG and PNG: EXIF DateTimeOriginal exactly as ImageMagick 6 reports it with
//     %[exif:DateTimeOriginal] (FromReader, FromBytes, FullRead): the value the Python
//     flickrsync matched pictures on, so it is reproduced byte for byte, oddities included;
//   - HEIF/HEIC/AVIF (the Exif items, through internal/isobmff), TIFF (its own IFD0 and the
//     directories it points to) and WebP (the EXIF chunk): EXIF DateTimeOriginal as ExifTool
//     13.58 prints -DateTimeOriginal;
//   - MP4/MOV/3GP/M4V: Apple's com.apple.quicktime.creationdate, else the movie header's
//     creation time (0 is unknown), as ExifTool prints QuickTime:CreationDate and
//     QuickTime:CreateDate with QuickTimeUTC=0.
//
// The date used for matching (Taken.Date) is "YYYY:MM:DD HH:MM:SS" in local wall time,
// the form of EXIF DateTimeOriginal: the sync compares its digits with Flickr's datetaken
// ("2004-11-29 16:01:26", local time). Apple's date keeps the wall time the phone showed
// and drops its zone ("2019:07:24 11:25:40+03:00" matches "2019-07-24 11:25:40"); the
// movie header's time is taken as ExifTool prints it, unconverted (UTC by the
// specification, local time for many cameras): Flickr reads no date from videos, so the
// date flickrsync sets on upload is this same value, and the two always match.
//
// It owns three things:
//   - container parsing (jpeg.go, png.go, taken.go): which bytes are the EXIF data. For
//     JPEG, the APP1 segments whose payload starts with "exif" (any case), concatenated,
//     among the markers libjpeg-turbo reads before the first SOS or before it stops on an
//     error (each marker is consumed and checked as libjpeg and ImageMagick's marker
//     readers do). A PNG has none in a header read (`identify -ping`, and FromReader);
//     FullRead, what the Python flickrsync matched on (Wand reads in full), also reads what a full decode sees: a tEXt/zTXt "Raw profile type exif"
//     chunk, JPEG APP1 segments after the scans. libpng keeps eXIf chunks to itself, so
//     ImageMagick never sees them. WebP's RIFF chunks are walked as ExifTool's ProcessRIFF
//     does; a TIFF file is read in place. Only metadata is read: pixel data is skipped by
//     offset.
//   - the IFD walk (ifd.go): a transcription of ImageMagick 6.9.11's GetEXIFProperty
//     rules (its directory stack, its loop guard, its offset checks, its "thumbnail"
//     renaming of level-2 directories, the "exif:*" pass ReadImage runs before the
//     single-tag lookup), over data in memory or read from the file piece by piece. For
//     the formats whose reference is ExifTool it also accepts TIFF's IFD field type for the
//     ExifIFD pointer, as ExifTool does (libtiff writes it so).
//   - formatting: strings have non-printable bytes replaced by '.', and end at the first
//     NUL; numeric formats are printed as ImageMagick does ("50, 48, ...").
//
// Checked against the image corpus manifest (every row), the media corpus manifest (every
// row: HEIF, AVIF, TIFF, WebP, videos), hand-built fixtures whose expected values come from
// identify, and generated files compared with identify. Hostile input never panics: every
// offset is checked before use (FuzzFromBytes, FuzzDateTaken).
//
// ContentIdentifier reads the identifier Apple gives both files of a Live Photo: the
// still's maker note tag 0x0011 (JPEG, HEIF), the movie's QuickTime Keys
// com.apple.quicktime.content.identifier; checked against ExifTool on ../shared/media.
//
// Not read: DateTimeOriginal from XMP (ExifTool prefers XMP for some formats; none of the
// media corpus' stills differ) and BigTIFF.
package exifdate
