// Package isobmff reads ISO base media files (HEIF/HEIC/AVIF stills, MP4/MOV/M4V/3GP
// videos) without decoding them, and signs them as flickrsync identifies such files:
// ExifTool 13.58's ImageDataHash with ImageHashType=SHA256 (the coded image items of a
// HEIF, the video and audio samples of a movie), else the whole file's SHA-256 when the
// container is intact, else an error that says which box is broken. The definition is
// ../shared/media/README.md; Sign reproduces it, ExifTool's quirks included.
//
// It owns:
//   - sniff.go: the format as the bytes say (HEIC, AVIF, HEIF, MOV, 3GP, 3G2, M4V, MP4,
//     ISOBMFF), from the ftyp brands or the first box;
//   - walk.go: a transcription of ExifTool's box walk (ProcessMOV): which boxes it parses
//     in which container, its 32 MiB box limit, its stop rules on short or oversized
//     boxes, the handler type it tracks, the trailers it recognises;
//   - items.go: HEIF items (iinf/infe, iloc, idat, pitm) hashed in ascending item ID
//     (HandleItemInfo), and the primary item's ispe (ipco/ipma) for the width and height;
//   - samples.go: a track's sample tables (stsz/stz2, stco/co64, stsc, stts) walked chunk by
//     chunk as ExifTool's ProcessSamples does, streamed from the file twice (count, then
//     hash) so that memory stays bounded whatever the tables' size;
//   - movie.go: mvhd (creation time, duration), tkhd (width, height), Apple's Keys/ilst
//     (com.apple.quicktime.creationdate, content.identifier);
//   - exif.go: the EXIF data of a HEIF's Exif items (ExifItems), for internal/exifdate;
//   - intact.go: the whole-file rule (top-level boxes tiling the file exactly);
//   - sign.go: Sign, SignFile, ReadMeta and the Result they return.
//
// Nothing is loaded whole: boxes are read through small windows over an io.ReaderAt, and
// hashing streams 1 MiB at a time, checking ctx between pieces. Errors are *FormatError
// values naming the box and its offset. Memory is bounded, time is not: as for ExifTool,
// sample tables may name any part of the file any number of times (a real MOV in the
// corpus hashes 52 times its size), and only ctx ends such a signing early.
//
// Checked against every heif/avif/video row of ../shared/media (TestCorpus), generated
// fixtures with ExifTool 13.58's values (TestFixtures), and, opt-in, ExifTool itself on
// thousands of generated and mutated files (TestDifferentialExifTool); fuzzed (FuzzSign).
//
// Known departures from ExifTool, all on files made to break readers: of the Perl
// deaths that make ExifTool print nothing, only those of the boxes read here are
// reproduced (a short stsz, stco or pitm); more than 131072 item IDs in one meta box is an
// error (ErrTooManyItems) instead of a hash; a trailer of length 0, on which ExifTool loops
// forever, is ignored; EXIF data over 4 MiB is cut. Canon CR3 files (brand 'crx '), which
// ExifTool reads with ExtractEmbedded forced on, are not signed as ExifTool would; their
// Format is ISOBMFF and Brand tells them apart. Width and height ignore an EXIF or XMP
// ImageWidth, which ExifTool would list first if a file had one before its ispe.
package isobmff
