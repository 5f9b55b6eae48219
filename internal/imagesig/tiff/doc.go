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
//     package jpeg), the predictors, and the RGBA interface (TIFFReadRGBAImage);
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
// Memory: contiguous strips stream one row at a time, contiguous tiles one row of tiles;
// planar images and bottom-up orientations of the RGBA interface hold the whole image,
// asked of Options.Reserve first. Decode checks its context between strips and tiles.
//
// Not read (UnsupportedError): old-style JPEG (compression 6), SGILog/LogLuv data, WebP
// compression, the RGBA interface for planar data, CIELab and uncompressed YCbCr; ImageMagick's
// Photoshop layers (tag 37724) are not read as extra images; ThunderScan, NeXT, PixarLog,
// JBIG, ZSTD and LERC compression.
package tiff
