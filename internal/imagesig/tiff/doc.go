// Package tiff decodes TIFF files the way ImageMagick 6.9.11 (Q16) with libtiff 4.5 reads
// them, and writes the pixels ImageMagick exports for its signature, so that the SHA-256 of
// what Decode writes equals `identify -format '%#'` of the last image (what the Python
// flickrsync got through Wand).
//
// It owns nothing but decoding. The rules come from three places, each in its own file:
//   - libtiff (ifd.go, strile.go, lzw.go, zip.go, fax.go, rgba.go): the header (classic and
//     BigTIFF), the main IFD chain (SubIFDs are not followed; an IFD loop ends the chain with
//     a warning), the directory fix-ups (missing or bogus StripByteCounts, the chopping of one
//     uncompressed strip, extra samples), strip and tile reading, the codecs (none, PackBits,
//     LZW old and new, Deflate as libdeflate checks it, LZMA, CCITT MH/G3/G4, JPEG through
//     package jpeg, WebP through package webp as tif_webp.c asks libwebp for RGB or RGBA
//     rows), the predictors, and the RGBA interface (TIFFReadRGBAImage);
//   - ImageMagick's coders/tiff.c (image.go): which method reads a directory (strips, tiles,
//     or the RGBA interface for JPEG, CCITT G3, LogLuv and directories without RowsPerStrip),
//     its quantum types (quantum.go ports ImportQuantumPixels with its quirks), its errors;
//   - ImageMagick's SignatureImage (export.go): RGB, RGBA, CMYK or CMYKA rows at the image
//     depth (the directory's BitsPerSample, whatever the method produced): one byte per
//     sample at 8 bits, two or four in the file's byte order at 16 and 32 bits, any other
//     depth packed most significant bit first. Floating-point samples are clamped to the
//     quantum and exported as integers.
//
// Every directory of the chain is decoded, as ImageMagick does: an error in any of them
// (libtiff's TIFFErrorExt, ImageMagick's own exceptions) fails the file, and only the last
// one is written. Warnings are collected in Info.
//
// Also: old-style JPEG (ojpeg.go: the stream libtiff rebuilds, decoded in libjpeg's raw
// mode, then libtiff's YCbCr conversion), SGILog LogLuv-32 and LogL data (luv.go), and
// ImageMagick's Photoshop layers (psd.go: a single-directory TIFF with a layer section in
// tag 37724 is signed by its last layer, as ImageMagick appends the layers to its list).
//
// A strip read that fails without a libtiff error (the fax decoders' premature end of
// data only warns) does not fail the file: ImageMagick keeps the pixels it had.
//
// Memory: contiguous strips stream one row at a time (rows whose export equals their
// decoded bytes are written as they are), contiguous tiles one row of tiles; planar images,
// bottom-up orientations of the RGBA interface, Photoshop layers and the decoded rows of
// one JPEG strip hold their whole extent, asked of Options.Reserve first. Decode checks its
// context between strips and tiles.
//
// Not read (UnsupportedError): SGILog24 and planar LogLuv, the RGBA interface for planar data, CIELab and uncompressed YCbCr,
// old-style JPEG other than one column of contiguous YCbCr strips or tiles, YCCK JPEG,
// Photoshop layer masks and layers over CMYK or colormapped images; ThunderScan, NeXT,
// PixarLog, JBIG, ZSTD and LERC compression.
package tiff
